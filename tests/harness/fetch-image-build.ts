// Builds of lib.fetchImage for the fetchImage tests: a flake holding the published digests and
// manifests, nixpkgs from nixpkgsPath(), and `nix build -L` so the builders' own lines (which
// source failed and why) reach stderr on success too.
import type { SeededImage } from './fetch-image-fixture.js'
import { type NixSandbox, type RunResult, nixString, nixpkgsPath } from './nix.js'
import type { TestRegistry } from './registry.js'

const BUILD_TIMEOUT_MS = 240_000
export const BLOB_PATH = /\/blobs\/sha256:/

/**
 * `fetchImage(image, extra, env)` builds lib.fetchImage { image; track; system = x86_64-linux;
 * pkgs; } // extra (Nix text) from the flake at `upstream`, with `env` (NAME=value) added.
 */
export function fetchImageBuilder(
  sandbox: NixSandbox,
  upstream: string
): (image: SeededImage, extra: string, env?: string[]) => Promise<RunResult> {
  return (image, extra, env = []) => {
    const expr = `let
    up = builtins.getFlake ${nixString(`git+file://${upstream}`)};
    pkgs = (builtins.getFlake ${nixString(`path:${nixpkgsPath()}`)}).legacyPackages.x86_64-linux;
  in up.lib.fetchImage ({ image = ${nixString(image.image)}; track = ${nixString(image.track)}; system = "x86_64-linux"; inherit pkgs; } // ${extra})`
    return sandbox.run(
      'env',
      [...env, 'nix', 'build', '-L', '--impure', '--no-link', '--expr', expr],
      sandbox.root,
      BUILD_TIMEOUT_MS
    )
  }
}

/** `{ sources.<the image's registry> = [ urls ]; }` */
export const sourcesFor = (image: SeededImage, urls: string[]): string =>
  `{ sources.${nixString(image.image.slice(0, image.image.indexOf('/')))} = [ ${urls.map(nixString).join(' ')} ]; }`

/** The amd64 image's blobs, sorted. */
export const blobsOf = (image: SeededImage): string[] => {
  const p = image.platforms['linux/amd64']!
  return [p.config, ...p.layers].sort()
}

/** The blobs the registry served (200) since its last reset, sorted. */
export const blobsServed = async (reg: TestRegistry): Promise<string[]> =>
  (await reg.requests())
    .filter((r) => r.method === 'GET' && BLOB_PATH.test(r.path) && r.status === 200)
    .map((r) => r.path.slice(r.path.indexOf('sha256:')))
    .sort()

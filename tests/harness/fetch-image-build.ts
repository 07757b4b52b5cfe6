// Builds of lib.fetchImage for the fetchImage tests: a flake holding the published digests and
// manifests, nixpkgs from nixpkgsPath(), and `nix build -L` so the builders' own lines (which
// source failed and why) reach stderr on success too; and builds of a NixOS consumer's fetched
// container images, with what the registry served and what podman and docker load from them.
import type { Engine } from './container-engines.js'
import { NIX_SYSTEMS, type SeededImage } from './fetch-image-fixture.js'
import { type NixSandbox, type RunResult, nixString, nixpkgsPath } from './nix.js'
import type { AccessEntry, TestRegistry } from './registry.js'

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

export const X86 = 'x86_64-linux'
export const ARM = 'aarch64-linux'

/** The 'os/arch' a Nix system's image is for. */
export const platformOf = (system: string): string => {
  const p = NIX_SYSTEMS[system]!
  return `${p.os}/${p.architecture}`
}

/** A NixOS host of the consumer with `modules` (Nix text) added to its configuration.nix. */
export const host = (system: string, modules: string[] = []): string =>
  `(consumer.mk ${nixString(system)} [ ${modules.map((m) => `({ lib, nix-oci-hashes, ... }: ${m})`).join(' ')} ])`
export const container = (system: string, name: string, modules: string[] = []): string =>
  `${host(system, modules)}.config.virtualisation.oci-containers.containers.${name}`
/** The bytes a container's imageStream writes, as a store path (the script runs in a build). */
export const streamed = (system: string, name: string, modules: string[] = []): string =>
  `(let h = ${host(system, modules)}; in h._module.args.pkgs.runCommand "streamed-${name}" { } "\${h.config.virtualisation.oci-containers.containers.${name}.imageStream} > $out")`

export interface ConsumerNix {
  /** `nix build` of an expression over the consumer; its outputs' store paths. */
  build(expr: string): Promise<string[]>
  /** `nix build` that must fail; its stderr. */
  buildError(expr: string): Promise<string>
  /** `nix eval --json` of an expression over the consumer. */
  evalIn(expr: string): Promise<RunResult>
}

/**
 * Builds and evaluations over the NixOS consumer flake at `consumer` (see nixosConsumer), bound
 * as `consumer` in every expression. Locks and commits it first: builtins.getFlake takes the
 * consumer as it is committed, lock file included.
 */
export async function consumerNix(sandbox: NixSandbox, consumer: string): Promise<ConsumerNix> {
  await sandbox.nixOk(consumer, 'flake', 'lock')
  await sandbox.git(consumer, 'add', 'flake.lock')
  await sandbox.git(consumer, 'commit', '-q', '-m', 'lock')
  const withConsumer = (body: string): string =>
    `let consumer = builtins.getFlake ${nixString(`git+file://${consumer}`)}; in ${body}`
  const nixBuild = (expr: string, json: string[]): Promise<RunResult> =>
    sandbox.run(
      'nix',
      ['build', '--impure', '--no-link', ...json, '--expr', withConsumer(expr)],
      sandbox.root,
      BUILD_TIMEOUT_MS
    )
  return {
    async build(expr) {
      const result = await nixBuild(expr, ['--json'])
      if (result.code !== 0) throw new Error(`nix build failed:\n${result.stderr}`)
      return (JSON.parse(result.stdout) as Array<{ outputs: { out: string } }>).map(
        (d) => d.outputs.out
      )
    },
    async buildError(expr) {
      const result = await nixBuild(expr, [])
      if (result.code === 0) throw new Error('nix build succeeded; expected a failure')
      return result.stderr
    },
    evalIn: (expr) =>
      sandbox.run('nix', ['eval', '--impure', '--json', '--expr', withConsumer(expr)], sandbox.root)
  }
}

/** The blobs GET requests asked for (a token challenge's 401 left out), sorted. */
export const blobGets = (entries: AccessEntry[]): string[] =>
  entries
    .filter((e) => e.method === 'GET' && BLOB_PATH.test(e.path) && e.status !== 401)
    .map((e) => e.path.slice(e.path.indexOf('sha256:')))
    .sort()

/**
 * Loads `archive` into each engine and checks what it recorded against the registry: the
 * config digest as image ID, `loadsAs` as its only name, and (podman) the manifest digest.
 */
export async function expectLoads(
  engines: Engine[],
  archive: string,
  image: SeededImage,
  platform: string
): Promise<void> {
  const want = image.platforms[platform]!
  for (const engine of engines) {
    await engine.load(archive)
    const loaded = await engine.inspect(image.loadsAs)
    expect({
      engine: engine.kind,
      id: loaded.id.replace(/^sha256:/, ''),
      names: loaded.names
    }).toEqual({
      engine: engine.kind,
      id: want.config.slice('sha256:'.length),
      names: [image.loadsAs]
    })
    // Podman keeps the manifest digest: the registry's, not one it made up.
    if (engine.kind === 'podman') expect(loaded.digest).toBe(want.manifest)
    await engine.remove(image.loadsAs)
  }
}

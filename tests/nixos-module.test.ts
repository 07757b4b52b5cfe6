// nixosModules.default inside a real NixOS module evaluation: nixpkgs lib and the real
// oci-containers.nix (../shared/nixpkgs-mini, or $NIXPKGS_PATH), on x86_64-linux and
// aarch64-linux, down to the podman command line of the generated unit.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Digests, type NixSandbox, nixSandbox, nixString, repoRoot } from './harness/nix.js'

const fixture = JSON.parse(
  readFileSync(join(repoRoot, 'tests', 'fixtures', 'flake', 'digests.json'), 'utf8')
) as Digests
const configuration = readFileSync(
  join(repoRoot, 'tests', 'fixtures', 'nixos-module', 'configuration.nix'),
  'utf8'
)

const ARM = 'aarch64-linux'
const SYSTEMS = { 'x86_64-linux': 'linux/amd64', 'aarch64-linux': 'linux/arm64' } as const
const CONTAINERS = {
  nextcloud: ['docker.io/nextcloud', '30'],
  db: ['docker.io/library/postgres', '16'],
  homeassistant: ['ghcr.io/home-assistant/home-assistant', 'stable']
} as const

function ref(image: string, track: string, platform: string): string {
  const value = fixture[image]?.[track]?.[platform]
  if (value === undefined) throw new Error(`fixture lacks ${image} ${track} ${platform}`)
  return value
}

let sandbox: NixSandbox
let consumer = ''

/** `mk system modules` as Nix text; each extra module is an attrset that may use nixpkgs, nix-oci-hashes and lib. */
const host = (system: string, modules: string[]): string =>
  `(mk ${nixString(system)} [ ${modules.map((m) => `({ nixpkgs, nix-oci-hashes, lib, ... }: ${m})`).join(' ')} ])`
/** Evaluate `f (mk system modules)` where mk builds the consumer's NixOS configuration. */
const evalHost = <T = unknown>(system: string, modules: string[], fn: string): Promise<T> =>
  sandbox.nixJson<T>(consumer, '.#mk', '--apply', `mk: (${fn}) ${host(system, modules)}`)
const evalHostError = (system: string, modules: string[], fn: string): Promise<string> =>
  sandbox.nixError(consumer, '.#mk', '--apply', `mk: (${fn}) ${host(system, modules)}`)
const containers =
  'h: builtins.mapAttrs (_: c: c.image) h.config.virtualisation.oci-containers.containers'
const script = (name: string): string => `h: h.config.systemd.services.podman-${name}.script`

beforeAll(async () => {
  sandbox = await nixSandbox('nixos-module')
  const upstream = await sandbox.flakeCopy(
    'upstream',
    readFileSync(join(repoRoot, 'tests', 'fixtures', 'flake', 'digests.json'), 'utf8')
  )
  consumer = await sandbox.nixosConsumer(
    'consumer',
    upstream,
    { 'configuration.nix': configuration },
    './configuration.nix'
  )
}, 120_000)

afterAll(async () => {
  await sandbox?.cleanup()
})

describe.each(Object.entries(SYSTEMS))('on %s', (system, platform) => {
  test('imageTrack pins every container to its platform, up to the podman command line', async () => {
    const images = await evalHost<Record<string, string>>(system, [], containers)
    const expected: Record<string, string> = { proxy: 'docker.io/library/nginx:1.27' }
    for (const [name, [image, track]] of Object.entries(CONTAINERS)) {
      expected[name] = ref(image, track, platform)
    }
    expect(images).toEqual(expected)
    for (const name of Object.keys(CONTAINERS)) {
      const text = await evalHost<string>(system, [], script(name))
      // The image is the last argument of `podman run`.
      expect(text.trimEnd().split('\n').at(-1)).toBe(`  ${expected[name]}`)
      expect(text).toContain(`exec podman  \\\n  run \\\n  --name=${name} \\\n`)
    }
  })
})

describe('spelling, tracks and errors', () => {
  const withTrack = (image: string, track: string): string[] => [
    `{ virtualisation.oci-containers.containers.nextcloud.imageTrack = { image = lib.mkForce ${nixString(image)}; track = lib.mkForce ${track}; }; }`
  ]
  const nextcloudImage = 'h: h.config.virtualisation.oci-containers.containers.nextcloud.image'

  test('nextcloud, library/nextcloud and docker.io/library/nextcloud find docker.io/nextcloud', async () => {
    for (const image of [
      'nextcloud',
      'library/nextcloud',
      'docker.io/library/nextcloud',
      'docker.io/nextcloud'
    ]) {
      expect(await evalHost(ARM, withTrack(image, '"30"'), nextcloudImage)).toBe(
        ref('docker.io/nextcloud', '30', 'linux/arm64')
      )
    }
  })

  test('a typo gets a suggestion, and the error names the container', async () => {
    const stderr = await evalHostError(ARM, withTrack('nextclod', '"30"'), script('nextcloud'))
    expect(stderr).toContain(
      `error: nix-oci-hashes: virtualisation.oci-containers.containers.nextcloud.imageTrack: image "nextclod" is not in digests.json; did you mean "docker.io/nextcloud"? available images: ${Object.keys(fixture).sort().join(', ')}\n`
    )
    const track = await evalHostError(ARM, withTrack('nextcloud', '"31"'), script('nextcloud'))
    expect(track).toContain(
      'error: nix-oci-hashes: virtualisation.oci-containers.containers.nextcloud.imageTrack: track "31" of image "docker.io/nextcloud" is not in digests.json; did you mean "30"? available tracks: 29, 30, 30.0, 30.0.4, latest\n'
    )
  })

  test('a platform the track lacks is an error naming the container and the platform', async () => {
    const stderr = await evalHostError(
      ARM,
      withTrack('registry.example.com:5000/team/app', '"latest"'),
      nextcloudImage
    )
    expect(stderr).toContain(
      'error: nix-oci-hashes: virtualisation.oci-containers.containers.nextcloud.imageTrack: platform "linux/arm64" is not recorded for image "registry.example.com:5000/team/app" track "latest"; available platforms: linux/amd64\n'
    )
  })

  test('a malformed entry fails the evaluation instead of reaching podman', async () => {
    const digests = `{ nix-oci-hashes.digests = lib.mkForce (nix-oci-hashes.ociHashes // { "docker.io/nextcloud"."30"."linux/arm64" = "docker.io/nextcloud:30.0.4"; }); }`
    const stderr = await evalHostError(ARM, [digests], script('nextcloud'))
    expect(stderr).toContain(
      'error: nix-oci-hashes: virtualisation.oci-containers.containers.nextcloud.imageTrack: the digests.json entry for image "docker.io/nextcloud" track "30" platform "linux/arm64" is not a pinned reference (name:tag@sha256:<64 hex digits> or @sha512:<128 hex digits>): "docker.io/nextcloud:30.0.4"\n'
    )
  })

  test('nix-oci-hashes.digests takes another digests attrset; nix-oci-hashes.platform another platform', async () => {
    const own = `quay.io/team/tool:2.1@sha256:${'e'.repeat(64)}`
    const modules = `{ nix-oci-hashes.digests = { "quay.io/team/tool"."2"."linux/arm/v7" = ${nixString(own)}; }; nix-oci-hashes.platform = "linux/arm/v7"; virtualisation.oci-containers.containers = lib.mkForce { tool.imageTrack = { image = "quay.io/team/tool"; track = 2; }; }; }`
    expect(await evalHost('x86_64-linux', [modules], containers)).toEqual({ tool: own })
    expect(
      await evalHost('x86_64-linux', [modules], 'h: h.config.nix-oci-hashes.lib.ociHashes')
    ).toEqual({
      'quay.io/team/tool': { '2': { 'linux/arm/v7': own } }
    })
  })
})

describe('imageTrack.fetch beside pullImageHash', () => {
  const HASH = 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
  const nextcloud = 'h: h.config.virtualisation.oci-containers.containers.nextcloud.image'

  test('both on one container is an error naming the container', async () => {
    const both = `{ virtualisation.oci-containers.containers.nextcloud.imageTrack = { fetch = true; pullImageHash = ${nixString(HASH)}; }; }`
    expect(await evalHostError(ARM, [both], nextcloud)).toContain(
      'error: nix-oci-hashes: virtualisation.oci-containers.containers.nextcloud.imageTrack: fetch and pullImageHash both fetch the image; set only one (fetch needs no hash)\n'
    )
  })

  test('the module-wide fetch leaves a container with pullImageHash to dockerTools.pullImage', async () => {
    const modules = [
      `{ nix-oci-hashes.fetch = true; virtualisation.oci-containers.containers = lib.mkForce { nextcloud.imageTrack = { image = "nextcloud"; track = 30; pullImageHash = ${nixString(HASH)}; }; }; }`
    ]
    expect(
      await evalHost(
        ARM,
        modules,
        'h: let c = h.config.virtualisation.oci-containers.containers.nextcloud; in { inherit (c) image; hash = c.imageFile.outputHash; }'
      )
    ).toEqual({ image: 'docker.io/nextcloud:30.0.4', hash: HASH })
  })
})

describe('imageTrack.pullImageHash: Nix fetches the image with dockerTools.pullImage', () => {
  const HASH = 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='
  const pulled = `{ virtualisation.oci-containers.containers.nextcloud.imageTrack.pullImageHash = ${nixString(HASH)}; }`
  // nixpkgs 24.11's pullImage takes only sha256; the module must work with it too.
  const nixpkgs2411 = `{ _module.args.pkgs = lib.mkForce (let base = nixpkgs.legacyPackages.aarch64-linux; in base // { dockerTools = import "\${nixpkgs}/pkgs/build-support/docker/pullImage-2411.nix" base; }); }`
  const fetched = `h: let c = h.config.virtualisation.oci-containers.containers.nextcloud; pkgs = h._module.args.pkgs; in {
    inherit (c) image;
    inherit (c.imageFile) name imageDigest outputHash;
    # Which hash argument this nixpkgs' pullImage declares.
    declares = builtins.attrNames (builtins.intersectAttrs { hash = 0; sha256 = 0; }
      (pkgs.lib.functionArgs pkgs.dockerTools.pullImage));
    drv = builtins.substring 0 11 c.imageFile.drvPath;
    pulled = builtins.match ".*--override-arch ([a-z0-9]+) .*" c.imageFile.buildCommand;
  }`

  test.each([
    ['current nixpkgs (hash or sha256)', [pulled], ['hash']],
    ['nixpkgs 24.11 (sha256 only)', [pulled, nixpkgs2411], ['sha256']]
  ])('%s', async (_label, modules, declares) => {
    const reference = ref('docker.io/nextcloud', '30', 'linux/arm64')
    const digest = reference.slice(reference.indexOf('@') + 1)
    expect(await evalHost('aarch64-linux', modules, fetched)).toEqual({
      image: 'docker.io/nextcloud:30.0.4',
      name: `docker-image-docker.io-nextcloud-30.0.4-${digest.slice(7, 19)}.tar`,
      imageDigest: digest,
      outputHash: HASH,
      drv: '/nix/store/',
      pulled: ['arm64'],
      declares
    })
  })
})

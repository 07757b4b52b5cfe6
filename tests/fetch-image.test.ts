// lib.fetchImage and imageTrack.fetch, built for real: Nix 2.8 builds a consumer's NixOS
// configuration's images from the real registry on loopback (one plain, one behind the token
// flow whose blobs redirect to a CDN host that refuses Authorization), and real podman and
// docker load every archive, whose image ID must be the registry's config digest.
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { type BlobCdn, startBlobCdn } from './harness/blob-cdn.js'
import { type Engine, startDocker, startPodman } from './harness/container-engines.js'
import {
  NIX_SYSTEMS,
  blobFile,
  publish,
  seedImage,
  type SeededImage
} from './harness/fetch-image-fixture.js'
import { type NixSandbox, type RunResult, nixSandbox, nixString } from './harness/nix.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'

const BUILD_TIMEOUT_MS = 240_000
const X86 = 'x86_64-linux'
const ARM = 'aarch64-linux'
const salt = randomBytes(8).toString('hex')

let sandbox: NixSandbox
let plain: TestRegistry
let tokened: TestRegistry
let cdn: BlobCdn
let podman: Engine
let docker: Engine
let consumer = ''
let app: SeededImage
let tool: SeededImage
let tampered: SeededImage

const platformOf = (system: string): string => {
  const p = NIX_SYSTEMS[system]!
  return `${p.os}/${p.architecture}`
}

/** A NixOS host of the consumer with `modules` (Nix text) added to its configuration.nix. */
const host = (system: string, modules: string[] = []): string =>
  `(consumer.mk ${nixString(system)} [ ${modules.map((m) => `({ lib, nix-oci-hashes, ... }: ${m})`).join(' ')} ])`
const withConsumer = (body: string): string =>
  `let consumer = builtins.getFlake ${nixString(`git+file://${consumer}`)}; in ${body}`
const container = (system: string, name: string, modules: string[] = []): string =>
  `${host(system, modules)}.config.virtualisation.oci-containers.containers.${name}`
/** The bytes a container's imageStream writes, as a store path (the script runs in a build). */
const streamed = (system: string, name: string, modules: string[] = []): string =>
  `(let h = ${host(system, modules)}; in h._module.args.pkgs.runCommand "streamed-${name}" { } "\${h.config.virtualisation.oci-containers.containers.${name}.imageStream} > $out")`
const asFile = '{ nix-oci-hashes.fetchInto = "file"; }'

async function build(expr: string): Promise<string[]> {
  const result = await sandbox.run(
    'nix',
    ['build', '--impure', '--no-link', '--json', '--expr', withConsumer(expr)],
    sandbox.root,
    BUILD_TIMEOUT_MS
  )
  if (result.code !== 0) throw new Error(`nix build failed:\n${result.stderr}`)
  return (JSON.parse(result.stdout) as Array<{ outputs: { out: string } }>).map(
    (d) => d.outputs.out
  )
}

/** `nix eval --json` of an expression over the consumer. */
const evalIn = (expr: string): Promise<RunResult> =>
  sandbox.run('nix', ['eval', '--impure', '--json', '--expr', withConsumer(expr)], sandbox.root)

async function buildError(expr: string): Promise<string> {
  const result = await sandbox.run(
    'nix',
    ['build', '--impure', '--no-link', '--expr', withConsumer(expr)],
    sandbox.root,
    BUILD_TIMEOUT_MS
  )
  if (result.code === 0) throw new Error('nix build succeeded; expected a failure')
  return result.stderr
}

const blobGets = (entries: Array<{ method: string; path: string; status: number }>): string[] =>
  entries
    .filter((e) => e.method === 'GET' && /\/blobs\/sha256:/.test(e.path) && e.status !== 401)
    .map((e) => e.path.slice(e.path.indexOf('sha256:')))
    .sort()

beforeAll(async () => {
  cdn = await startBlobCdn()
  ;[sandbox, plain, tokened, podman, docker] = await Promise.all([
    nixSandbox('fetch-image', { build: true }),
    startRegistry(),
    startRegistry({ auth: 'token', redirectBlobsTo: cdn.url }),
    startPodman(),
    startDocker()
  ])
  cdn.setRoot(tokened.storageDir)
  const platforms = Object.values(NIX_SYSTEMS)
  const seeded = [
    await seedImage(plain, 'team/app', '1.2.3', '1.2', platforms, 'oci', salt),
    await seedImage(tokened, 'tools/tool', '2.0.1', '2', [platforms[0]!], 'docker', salt),
    await seedImage(plain, 'team/tampered', '0.1.0', '0.1', [platforms[0]!], 'oci', salt)
  ]
  ;[app, tool, tampered] = seeded.map((s) => s.seeded) as [SeededImage, SeededImage, SeededImage]
  const published = publish(seeded)
  const upstream = await sandbox.flakeCopy('upstream', JSON.stringify(published.digests), {
    'manifests.json': JSON.stringify(published.manifests, null, 2) + '\n'
  })
  // The consumer names each loopback registry's URL: plain HTTP, as a pull-through cache on a
  // LAN would be; every other setting is what a user writes.
  consumer = await sandbox.nixosConsumer(
    'consumer',
    upstream,
    {
      'configuration.nix': `{ ... }: {
  nix-oci-hashes.fetch = true;
  nix-oci-hashes.sources = {
    ${nixString(plain.host)} = [ ${nixString(plain.url)} ];
    ${nixString(tokened.host)} = [ ${nixString(tokened.url)} ];
  };
  virtualisation.oci-containers.backend = "podman";
  virtualisation.oci-containers.containers.app.imageTrack = { image = ${nixString(app.image)}; track = "1.2"; };
}
`
    },
    './configuration.nix'
  )
  // builtins.getFlake takes the consumer as it is committed, lock file included.
  await sandbox.nixOk(consumer, 'flake', 'lock')
  await sandbox.git(consumer, 'add', 'flake.lock')
  await sandbox.git(consumer, 'commit', '-q', '-m', 'lock')
}, 300_000)

afterAll(async () => {
  await Promise.all([
    plain?.stop(),
    tokened?.stop(),
    cdn?.stop(),
    podman?.stop(),
    docker?.stop(),
    sandbox?.cleanup()
  ])
})

/** Loads `archive` into podman and docker and checks what each recorded against the registry. */
async function expectLoads(archive: string, image: SeededImage, platform: string): Promise<void> {
  const want = image.platforms[platform]!
  for (const engine of [podman, docker]) {
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

describe('a consumer with nix-oci-hashes.fetch = true', () => {
  const built: Record<string, { stream: string; file: string }> = {}

  test('builds its container image for x86_64-linux and aarch64-linux from blobs alone', async () => {
    await plain.resetRequests()
    for (const system of [X86, ARM]) {
      const [stream, file] = await build(
        `[ ${streamed(system, 'app')} ${container(system, 'app', [asFile])}.imageFile ]`
      )
      built[system] = { stream: stream!, file: file! }
    }
    const requests = await plain.requests()
    // No manifest request at all: the manifests came from manifests.json.
    expect(countByKind(requests)).toMatchObject({ headManifests: 0, getManifests: 0 })
    // Each blob of both platforms, once: stream and file share them, and aarch64 took arm64's.
    const blobs = Object.values(app.platforms).flatMap((p) => [p.config, ...p.layers])
    expect(blobGets(requests)).toEqual([...blobs].sort())
    expect(requests).toHaveLength(blobs.length)
    for (const system of [X86, ARM]) {
      const { stream, file } = built[system]!
      // The stream script writes the very archive imageFile holds.
      expect(
        readFileSync(sandbox.physical(stream)).equals(readFileSync(sandbox.physical(file)))
      ).toBe(true)
    }
  }, 600_000)

  test('the module runs the fetched image by name, loaded from the store, never pulled', async () => {
    const result = await evalIn(
      `let h = ${host(ARM)}; c = h.config.virtualisation.oci-containers.containers.app; in {
        inherit (c) image pull;
        file = c.imageFile;
        stream = c.imageStream != null;
        script = h.config.systemd.services.podman-app.script;
      }`
    )
    expect(result.stderr).not.toContain('error:')
    const got = JSON.parse(result.stdout) as Record<string, unknown> & { script: string }
    expect({ ...got, script: undefined }).toEqual({
      image: app.loadsAs,
      pull: 'never',
      file: null,
      stream: true,
      script: undefined
    })
    expect(got.script).toContain('--pull never')
    expect(got.script.trimEnd().split('\n').at(-1)).toBe(`  ${app.loadsAs}`)
  })

  test.each([X86, ARM])(
    'the %s archive loads in podman and docker as name:tag with the config digest as its ID',
    async (system) => {
      expect(built[system]).toBeDefined()
      await expectLoads(sandbox.physical(built[system]!.file), app, platformOf(system))
    },
    300_000
  )

  test('a second build makes no request to the registry', async () => {
    await plain.resetRequests()
    for (const system of [X86, ARM]) {
      await build(`[ ${streamed(system, 'app')} ${container(system, 'app', [asFile])}.imageFile ]`)
    }
    expect(await plain.requests()).toEqual([])
  }, 300_000)
})

describe('a registry behind the token flow whose blobs redirect to a CDN host', () => {
  test('fetches with a token from the registry and none at the CDN, and the image loads', async () => {
    const toolModule = `{ virtualisation.oci-containers.containers.tool.imageTrack = { image = ${nixString(tool.image)}; track = 2; }; }`
    await tokened.resetRequests()
    cdn.resetRequests()
    const [file] = await build(`${container(X86, 'tool', [asFile, toolModule])}.imageFile`)
    const want = tool.platforms['linux/amd64']!
    const blobs = [want.config, ...want.layers].sort()

    const requests = await tokened.requests()
    expect(countByKind(requests)).toMatchObject({ headManifests: 0, getManifests: 0 })
    // Each blob: a 401 without a token, then a 307 to the CDN with it.
    expect(
      requests
        .filter((r) => r.status === 307)
        .map((r) => r.path.slice(r.path.indexOf('sha256:')))
        .sort()
    ).toEqual(blobs)
    expect(tokened.tokenRequests()).toBeGreaterThanOrEqual(1)

    const atCdn = cdn.requests()
    expect(atCdn.map((r) => r.status)).toEqual(blobs.map(() => 200))
    expect(atCdn.filter((r) => r.headers.authorization !== undefined)).toEqual([])
    await expectLoads(sandbox.physical(file!), tool, 'linux/amd64')
  }, 600_000)
})

describe('what must fail', () => {
  test('a blob whose bytes were tampered with fails the build naming its digest', async () => {
    const layer = tampered.platforms['linux/amd64']!.layers[0]!
    const path = blobFile(plain, layer)
    const bytes = readFileSync(path)
    // Same length, last byte flipped: only the content can tell.
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1)
    writeFileSync(path, bytes)
    const module = `{ virtualisation.oci-containers.containers.bad.imageTrack = { image = ${nixString(tampered.image)}; track = "0.1"; }; }`
    const stderr = await buildError(`${container(X86, 'bad', [asFile, module])}.imageFile`)
    expect(stderr).toContain(
      `nix-oci-hashes: blob ${layer} from ${plain.url}/v2/team/tampered/blobs/${layer} hashes to`
    )
    expect(stderr).toContain(
      `nix-oci-hashes: could not fetch blob ${layer} of team/tampered from any source`
    )
  }, 300_000)

  // Each case: the host's system, a module that spoils manifests.json, and the error's tail.
  test.each([
    [
      'an entry that does not hash to its key',
      ARM,
      (d: string) =>
        `(nix-oci-hashes.ociManifests // { ${nixString(d)} = nix-oci-hashes.ociManifests.${nixString(d)} // { text = nix-oci-hashes.ociManifests.${nixString(d)}.text + " "; }; })`,
      (d: string) => `the manifests.json entry for IMAGE does not hash to its key ${d}`
    ],
    [
      'a missing entry',
      X86,
      (d: string) => `(builtins.removeAttrs nix-oci-hashes.ociManifests [ ${nixString(d)} ])`,
      (d: string) => `manifests.json has no manifest for IMAGE (${d})`
    ]
  ])(
    'manifests.json with %s fails evaluation naming image, track and platform',
    async (_label, system, spoil, message) => {
      const platform = platformOf(system)
      const digest = app.platforms[platform]!.manifest
      const module = `{ nix-oci-hashes.manifests = lib.mkForce ${spoil(digest)}; }`
      const result = await evalIn(`${container(system, 'app', [module])}.image`)
      expect(result.code).not.toBe(0)
      const image = `image ${JSON.stringify(app.image)} track "1.2" platform "${platform}"`
      expect(result.stderr).toContain(
        `error: nix-oci-hashes: virtualisation.oci-containers.containers.app.imageTrack: ${message(digest).replace('IMAGE', image)}`
      )
    }
  )
})

// lib.fetchImage and imageTrack.fetch, built for real: Nix 2.8 builds a consumer's NixOS
// configuration's images from the real registry on loopback (one plain, one behind the token
// flow whose blobs redirect to a CDN host that refuses Authorization), and real podman and
// docker load every archive, whose image ID must be the registry's config digest.
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { type BlobCdn, startBlobCdn } from './harness/blob-cdn.js'
import { type Engine, startDocker, startPodman } from './harness/container-engines.js'
import {
  ARM,
  X86,
  blobGets,
  consumerNix,
  container,
  expectLoads,
  host,
  platformOf,
  streamed,
  type ConsumerNix
} from './harness/fetch-image-build.js'
import {
  NIX_SYSTEMS,
  blobFile,
  publish,
  seedImage,
  type SeededImage
} from './harness/fetch-image-fixture.js'
import { type NixSandbox, nixSandbox, nixString } from './harness/nix.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'

const salt = randomBytes(8).toString('hex')

let sandbox: NixSandbox
let plain: TestRegistry
let tokened: TestRegistry
let cdn: BlobCdn
let podman: Engine
let docker: Engine
let nix: ConsumerNix
let app: SeededImage
let tool: SeededImage
let tampered: SeededImage

const asFile = '{ nix-oci-hashes.fetchInto = "file"; }'

// Nix mounts these into every fixed-output build; a build must never write the host's own.
const HOST_NETWORK_FILES = ['/etc/hosts', '/etc/resolv.conf', '/etc/services']
const hostFiles = (): Record<string, string> =>
  Object.fromEntries(
    HOST_NETWORK_FILES.map((file) => {
      try {
        return [file, readFileSync(file, 'latin1')]
      } catch {
        return [file, '(absent)']
      }
    })
  )
let hostFilesBefore: Record<string, string>

beforeAll(async () => {
  hostFilesBefore = hostFiles()
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
  const consumer = await sandbox.nixosConsumer(
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
  nix = await consumerNix(sandbox, consumer)
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

const engines = (): Engine[] => [podman, docker]

describe('a consumer with nix-oci-hashes.fetch = true', () => {
  const built: Record<string, { stream: string; file: string }> = {}

  test('builds its container image for x86_64-linux and aarch64-linux from blobs alone', async () => {
    await plain.resetRequests()
    for (const system of [X86, ARM]) {
      const [stream, file] = await nix.build(
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
    const result = await nix.evalIn(
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
      await expectLoads(engines(), sandbox.physical(built[system]!.file), app, platformOf(system))
    },
    300_000
  )

  test('a second build makes no request to the registry', async () => {
    await plain.resetRequests()
    for (const system of [X86, ARM]) {
      await nix.build(
        `[ ${streamed(system, 'app')} ${container(system, 'app', [asFile])}.imageFile ]`
      )
    }
    expect(await plain.requests()).toEqual([])
  }, 300_000)
})

describe('a registry behind the token flow whose blobs redirect to a CDN host', () => {
  test('fetches with a token from the registry and none at the CDN, and the image loads', async () => {
    const toolModule = `{ virtualisation.oci-containers.containers.tool.imageTrack = { image = ${nixString(tool.image)}; track = 2; }; }`
    await tokened.resetRequests()
    cdn.resetRequests()
    const [file] = await nix.build(`${container(X86, 'tool', [asFile, toolModule])}.imageFile`)
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
    await expectLoads(engines(), sandbox.physical(file!), tool, 'linux/amd64')
  }, 600_000)
})

// After the fixed-output builds above (every blob fetched, with and without a token).
test("the builds leave the host's /etc/hosts, /etc/resolv.conf and /etc/services as they were", () => {
  expect(hostFiles()).toEqual(hostFilesBefore)
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
    const stderr = await nix.buildError(`${container(X86, 'bad', [asFile, module])}.imageFile`)
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
      const result = await nix.evalIn(`${container(system, 'app', [module])}.image`)
      expect(result.code).not.toBe(0)
      const image = `image ${JSON.stringify(app.image)} track "1.2" platform "${platform}"`
      expect(result.stderr).toContain(
        `error: nix-oci-hashes: virtualisation.oci-containers.containers.app.imageTrack: ${message(digest).replace('IMAGE', image)}`
      )
    }
  )
})

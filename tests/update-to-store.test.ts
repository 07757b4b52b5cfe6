// The whole chain as a user meets it: `update` (the bundled CLI) reads two images of two
// platforms from the real registry on loopback and writes digests.json and manifests.json; a
// copy of the flake holding exactly those files feeds a NixOS consumer whose containers set
// imageTrack.fetch = true; Nix 2.8 builds their images for x86_64-linux and aarch64-linux from
// blobs alone, and real podman and docker load each archive as the registry's image.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderDocument } from '../src/update/digests-document.js'
import { runCli, workspace } from './harness/cli.js'
import { type Engine, startDocker, startPodman } from './harness/container-engines.js'
import {
  ARM,
  X86,
  blobGets,
  consumerNix,
  expectLoads,
  host,
  platformOf,
  streamed,
  type ConsumerNix
} from './harness/fetch-image-build.js'
import { NIX_SYSTEMS, publish, seedImage, type SeededImage } from './harness/fetch-image-fixture.js'
import { type NixSandbox, nixSandbox, nixString } from './harness/nix.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'

const salt = randomBytes(8).toString('hex')
/** Container name → what images.json asks for it. */
const CONTAINERS = { app: 'major-minor', tool: 'major' } as const

let sandbox: NixSandbox
let registry: TestRegistry
let podman: Engine
let docker: Engine
let nix: ConsumerNix
let folder: string
let images: Record<keyof typeof CONTAINERS, SeededImage>
/** What the updater should publish for the seeded images, read back from the registry. */
let expected: ReturnType<typeof publish>
const firstRun = { stderr: '', getManifests: -1 }

const read = (name: string): string => readFileSync(join(folder, name), 'utf8')
/** Every container's archive for `system`: the bytes its imageStream writes. */
const archives = (system: string): string =>
  `[ ${Object.keys(CONTAINERS)
    .map((name) => streamed(system, name))
    .join(' ')} ]`

beforeAll(async () => {
  ;[sandbox, registry, podman, docker] = await Promise.all([
    nixSandbox('update-to-store', { build: true }),
    startRegistry(),
    startPodman(),
    startDocker()
  ])
  const platforms = Object.values(NIX_SYSTEMS)
  // One OCI index and one Docker manifest list: manifests.json keeps each media type.
  const seeded = [
    await seedImage(registry, 'team/app', '1.2.3', '1.2', platforms, 'oci', salt),
    await seedImage(registry, 'tools/tool', '2.0.1', '2', platforms, 'docker', salt)
  ]
  images = { app: seeded[0]!.seeded, tool: seeded[1]!.seeded }
  expected = publish(seeded)

  folder = workspace(
    Object.entries(CONTAINERS).map(([name, track]) => ({
      image: images[name as keyof typeof CONTAINERS].image,
      tracks: [track]
    }))
  )
  await registry.resetRequests()
  const run = await runCli(['update'], { cwd: folder })
  Object.assign(firstRun, {
    stderr: run.stderr,
    getManifests: countByKind(await registry.requests()).getManifests
  })
  if (run.code !== 0) throw new Error(`update exited ${run.code}:\n${run.stderr}`)

  // The flake as the updater's pull request leaves it: its two files, byte for byte.
  const upstream = await sandbox.flakeCopy('upstream', read('digests.json'), {
    'manifests.json': read('manifests.json')
  })
  const containers = Object.entries(images)
    .map(
      ([name, image]) =>
        `  virtualisation.oci-containers.containers.${name}.imageTrack = { image = ${nixString(image.image)}; track = ${nixString(image.track)}; fetch = true; };`
    )
    .join('\n')
  // Plain HTTP on loopback needs its URL named; every other setting is what a user writes.
  const consumer = await sandbox.nixosConsumer(
    'consumer',
    upstream,
    {
      'configuration.nix': `{ ... }: {
  nix-oci-hashes.sources.${nixString(registry.host)} = [ ${nixString(registry.url)} ];
  virtualisation.oci-containers.backend = "podman";
${containers}
}
`
    },
    './configuration.nix'
  )
  nix = await consumerNix(sandbox, consumer)
}, 300_000)

afterAll(async () => {
  await Promise.all([registry?.stop(), podman?.stop(), docker?.stop(), sandbox?.cleanup()])
})

describe('update, then a NixOS consumer with imageTrack.fetch = true', () => {
  const built: Record<string, string[]> = {}

  test('update publishes the digests and exactly their platform manifests, verbatim', () => {
    expect(firstRun.stderr).not.toContain('error:')
    expect(JSON.parse(read('digests.json'))).toEqual(expected.digests)
    expect(read('manifests.json')).toBe(renderDocument(expected.manifests))
    // Two indexes, then each image's two platform manifests once.
    expect(firstRun.getManifests).toBe(6)
  })

  test('Nix builds both images for x86_64-linux and aarch64-linux from blobs alone', async () => {
    await registry.resetRequests()
    for (const system of [X86, ARM]) built[system] = await nix.build(archives(system))
    const requests = await registry.requests()
    // The manifests came from manifests.json: not one manifest request.
    expect(countByKind(requests)).toMatchObject({ headManifests: 0, getManifests: 0 })
    // Each blob of every image and platform, once, and nothing else.
    const blobs = Object.values(images).flatMap((image) =>
      Object.values(image.platforms).flatMap((p) => [p.config, ...p.layers])
    )
    expect(new Set(blobs).size).toBe(blobs.length)
    expect(blobGets(requests)).toEqual([...blobs].sort())
    expect(requests).toHaveLength(blobs.length)
  }, 600_000)

  test('the containers run the fetched images by name:tag, never pulled', async () => {
    const fields = Object.keys(CONTAINERS)
      .map((name) => `${name} = { inherit (cs.${name}) image pull; };`)
      .join(' ')
    const result = await nix.evalIn(
      `let cs = ${host(ARM)}.config.virtualisation.oci-containers.containers; in { ${fields} }`
    )
    expect(result.stderr).not.toContain('error:')
    expect(JSON.parse(result.stdout)).toEqual(
      Object.fromEntries(
        Object.entries(images).map(([name, image]) => [
          name,
          { image: image.loadsAs, pull: 'never' }
        ])
      )
    )
  })

  test.each([X86, ARM])(
    'each %s archive loads in podman and docker as name:tag with the config digest as its ID',
    async (system) => {
      expect(built[system]).toHaveLength(2)
      const [app, tool] = built[system]!
      await expectLoads([podman, docker], sandbox.physical(app!), images.app, platformOf(system))
      await expectLoads([podman, docker], sandbox.physical(tool!), images.tool, platformOf(system))
    },
    300_000
  )

  test('a second build makes no request to the registry', async () => {
    await registry.resetRequests()
    for (const system of [X86, ARM]) await nix.build(archives(system))
    expect(await registry.requests()).toEqual([])
  }, 300_000)

  test('a second update reads no manifest and leaves manifests.json byte-identical', async () => {
    const before = read('manifests.json')
    await registry.resetRequests()
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(countByKind(await registry.requests()).getManifests).toBe(0)
    expect(read('manifests.json')).toBe(before)
  })
})

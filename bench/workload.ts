// The synthetic but realistic load: images with 50–400 tags each, in the shapes public
// registries serve (OCI indexes with BuildKit attestations, Docker manifest lists, a few
// single-arch images), with floating tags, variant tags and configurations users write.
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { parseImagesConfig } from '../src/update/config.js'
import { buildTracks } from '../src/update/tracks/selection.js'
import type { TestRegistry } from '../tests/harness/registry.js'
import { pushIndex, pushSingle, type Platform } from '../tests/harness/seed.js'

export type Shape = 'oci' | 'docker' | 'single'

export interface ImageSpec {
  repository: string
  shape: Shape
  tags: string[]
  /** images.json entry without `image`, which depends on the host it is reached through. */
  config: Record<string, unknown>
}

/** What was pushed: repository → tag → the digest it points at. */
export type Seeded = Map<string, Map<string, string>>

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64' }

/** `count` images, tag counts spread evenly over [minTags, maxTags] in a shuffled order. */
export function generateImages(count: number, minTags: number, maxTags: number): ImageSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const spread = count === 1 ? 0 : ((index * 7) % count) / (count - 1)
    const target = Math.round(minTags + (maxTags - minTags) * spread)
    // Two in five are Docker manifest lists, one in ten single-arch, the rest OCI indexes.
    const shape: Shape = index % 10 === 9 ? 'single' : index % 5 < 2 ? 'docker' : 'oci'
    return generateImage(`bench/img-${String(index).padStart(3, '0')}`, shape, target, index)
  })
}

function generateImage(repository: string, shape: Shape, target: number, seed: number): ImageSpec {
  const minorsPerMajor = 3 + (seed % 4)
  const patchesPerMinor = 3 + (seed % 5)
  const variant = shape !== 'single'
  const releases: Array<[number, number, number]> = []
  const count = (): number => {
    const majors = new Set(releases.map(([major]) => major)).size
    const minors = new Set(releases.map(([major, minor]) => `${major}.${minor}`)).size
    return releases.length * (variant ? 2 : 1) + majors + minors + 1
  }
  for (let index = 0; count() < target; index++) {
    const patch = index % patchesPerMinor
    const minorIndex = Math.floor(index / patchesPerMinor)
    releases.push([1 + Math.floor(minorIndex / minorsPerMajor), minorIndex % minorsPerMajor, patch])
  }
  const tags = new Set<string>(['latest'])
  for (const [major, minor, patch] of releases) {
    tags.add(`${major}.${minor}.${patch}`)
    if (variant) tags.add(`${major}.${minor}.${patch}-alpine`)
    tags.add(`${major}.${minor}`)
    tags.add(`${major}`)
  }
  const [newestMajor, newestMinor] = releases[releases.length - 1]!
  // What users write: recent majors' lines, one major's minors, the last minors' patches.
  const configs: Array<Record<string, unknown>> = [
    { tracks: ['major', 'major-minor'], minVersion: `${Math.max(1, newestMajor - 1)}` },
    { tracks: ['major'], tags: ['latest'] },
    { minVersion: `${newestMajor}.${Math.max(0, newestMinor - 1)}` },
    { tracks: ['major-minor'], minVersion: `${newestMajor}` }
  ]
  const config = { ...configs[seed % configs.length]! }
  if (shape === 'single') config.platforms = ['linux/amd64']
  return { repository, shape, tags: [...tags], config }
}

/**
 * The tags whose manifests the updater reads (each track's best tag: every release has every
 * platform). They get content of their own; every other tag shares one older release, which
 * keeps seeding to minutes without changing what either tool reads.
 */
export async function selectedTags(image: ImageSpec): Promise<Set<string>> {
  const [config] = await parseImagesConfig(
    JSON.stringify([{ image: `registry.invalid/${image.repository}`, ...image.config }]),
    'bench'
  )
  return new Set(buildTracks(config!, image.tags).map((track) => track.candidates[0]!))
}

/** Pushes every image, `concurrency` at a time; returns what each tag points at. */
export async function seedImages(
  registry: TestRegistry,
  images: ImageSpec[],
  concurrency: number
): Promise<Seeded> {
  const seeded: Seeded = new Map()
  const queue = [...images]
  const worker = async (): Promise<void> => {
    for (let image = queue.shift(); image; image = queue.shift()) {
      seeded.set(image.repository, await seedImage(registry, image))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker))
  return seeded
}

async function seedImage(registry: TestRegistry, image: ImageSpec): Promise<Map<string, string>> {
  const selected = await selectedTags(image)
  // A floating tag (`3`, `3.2`, `latest`) shares the release it names.
  const newest = new Map<string, string>()
  const releases = image.tags.filter((tag) => /^\d+\.\d+\.\d+$/.test(tag))
  for (const release of releases) {
    const [major, minor] = release.split('.')
    newest.set(major!, release)
    newest.set(`${major}.${minor}`, release)
    newest.set('latest', release)
  }
  const groups = new Map<string, string[]>()
  for (const tag of image.tags) {
    const release = newest.get(tag) ?? tag
    const key = selected.has(release) || selected.has(tag) ? release : 'archive'
    groups.set(key, [...(groups.get(key) ?? []), tag])
  }
  const digests = new Map<string, string>()
  for (const [key, tags] of groups) {
    const digest = await pushRelease(registry, image, tags, `${image.repository} ${key}`)
    for (const tag of tags) digests.set(tag, digest)
  }
  return digests
}

async function pushRelease(
  registry: TestRegistry,
  image: ImageSpec,
  tags: string[],
  salt: string
): Promise<string> {
  if (image.shape === 'single') {
    return (await pushSingle(registry, image.repository, tags, AMD64, { salt })).digest
  }
  const options =
    image.shape === 'oci' ? { attestations: true, salt } : { mediaType: 'docker' as const, salt }
  return (await pushIndex(registry, image.repository, tags, [AMD64, ARM64], options)).digest
}

/**
 * The small shape for the 1,000-image run: a handful of tags sharing one index, as many
 * images in a homelab list look.
 */
export async function seedSmall(registry: TestRegistry, repository: string): Promise<ImageSpec> {
  const tags = ['1.0.0', '1.0.1', '1.1.0', '1.1.1', '2.0.0', '2.0.1', '1', '1.0', '1.1', '2', '2.0']
  await pushIndex(registry, repository, [...tags, 'latest'], [AMD64, ARM64], { salt: repository })
  return {
    repository,
    shape: 'docker',
    tags: [...tags, 'latest'],
    config: { tracks: ['major', 'major-minor'] }
  }
}

/**
 * Copies a repository inside the registry's storage under a new name. Blobs live outside the
 * repository folder and its link files name them by digest, so the copy serves identical
 * content at once, which lets 4×, 16× and 1,000 images cost seconds instead of an hour of pushes.
 */
export function cloneRepository(registry: TestRegistry, from: string, to: string): void {
  const repositories = join(registry.storageDir, 'docker/registry/v2/repositories')
  cpSync(join(repositories, from), join(repositories, to), { recursive: true })
}

// Images for the fetchImage tests and bench: seeded into real registries on loopback, with the
// digests.json and manifests.json an updater would publish for them, and what each platform's
// image is made of (manifest, config and layer digests) to compare a build and a load with.
import { createHash } from 'node:crypto'
import type { TestRegistry } from './registry.js'
import {
  MEDIA_TYPES,
  getManifest,
  pushIndex,
  type Flavor,
  type Platform,
  type SeedOptions
} from './seed.js'

export const NIX_SYSTEMS: Record<string, Platform> = {
  'x86_64-linux': { os: 'linux', architecture: 'amd64' },
  'aarch64-linux': { os: 'linux', architecture: 'arm64' }
}

export interface PlatformImage {
  manifest: string
  config: string
  layers: string[]
  /** Every blob's size by digest, for byte counts. */
  sizes: Record<string, number>
}

export interface SeededImage {
  /** The digests.json key. */
  image: string
  track: string
  /** The name:tag the archive loads as. */
  loadsAs: string
  /** 'os/arch' → what the registry holds for it. */
  platforms: Record<string, PlatformImage>
}

export interface Published {
  digests: Record<string, Record<string, Record<string, string>>>
  manifests: Record<string, { mediaType: string; text: string }>
}

/** Pushes `repo:tag` for `platforms` (content unique to `salt` and `repo`) and reads back its manifests. */
export async function seedImage(
  reg: TestRegistry,
  repo: string,
  tag: string,
  track: string,
  platforms: Platform[],
  flavor: Flavor,
  salt: string,
  layerBytes = 0,
  /** Files and Cmd for an image a container can run. */
  runnable: Pick<SeedOptions, 'files' | 'cmd'> = {}
): Promise<{ seeded: SeededImage; manifests: Published['manifests'] }> {
  // Salted by repository too: the same content in two repositories would be one store path.
  const index = await pushIndex(reg, repo, tag, platforms, {
    mediaType: flavor,
    salt: `${salt}:${repo}`,
    layerBytes,
    ...runnable
  })
  const seeded: SeededImage = {
    image: `${reg.host}/${repo}`,
    track,
    loadsAs: `${reg.host}/${repo}:${tag}`,
    platforms: {}
  }
  const manifests: Published['manifests'] = {}
  for (const [platform, digest] of Object.entries(index.manifests)) {
    const entry = await getManifest(reg, repo, digest)
    manifests[digest] = entry
    const parsed = JSON.parse(entry.text) as {
      config: { digest: string; size: number }
      layers: Array<{ digest: string; size: number }>
    }
    const sizes: Record<string, number> = { [parsed.config.digest]: parsed.config.size }
    for (const l of parsed.layers) sizes[l.digest] = l.size
    seeded.platforms[platform] = {
      manifest: digest,
      config: parsed.config.digest,
      layers: parsed.layers.map((l) => l.digest),
      sizes
    }
  }
  return { seeded, manifests }
}

/** digests.json and manifests.json for these images, as the updater writes them. */
export function publish(
  images: Array<{ seeded: SeededImage; manifests: Published['manifests'] }>
): Published {
  const digests: Published['digests'] = {}
  const manifests: Published['manifests'] = {}
  for (const { seeded, manifests: own } of images) {
    const tag = seeded.loadsAs.slice(seeded.loadsAs.lastIndexOf(':') + 1)
    const tracks = (digests[seeded.image] ??= {})
    tracks[seeded.track] = Object.fromEntries(
      Object.entries(seeded.platforms).map(([p, img]) => [
        p,
        `${seeded.image}:${tag}@${img.manifest}`
      ])
    )
    Object.assign(manifests, own)
  }
  const sorted = Object.fromEntries(Object.entries(manifests).sort(([a], [b]) => (a < b ? -1 : 1)))
  return { digests, manifests: sorted }
}

/** The registry's blob file for `digest` (distribution's filesystem layout). */
export function blobFile(reg: TestRegistry, digest: string): string {
  const hex = digest.slice('sha256:'.length)
  return `${reg.storageDir}/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`
}

/**
 * Fixture digests made fetchable for evaluation: each reference of the images `rewrite` picks
 * gets the digest of a made-up platform manifest, which manifests.json then holds; the others
 * keep their digest (docs may quote it) and get no manifest.
 */
export function withSyntheticManifests(
  digests: Published['digests'],
  rewrite: (image: string) => boolean
): Published {
  const manifests: Published['manifests'] = {}
  const blob = (kind: string, mediaType: string, reference: string) => ({
    mediaType,
    digest: `sha256:${createHash('sha256').update(`${kind} ${reference}`).digest('hex')}`,
    size: 1
  })
  const out: Published['digests'] = {}
  for (const [image, tracks] of Object.entries(digests)) {
    out[image] = {}
    for (const [track, platforms] of Object.entries(tracks)) {
      out[image][track] = {}
      for (const [platform, reference] of Object.entries(platforms)) {
        if (!rewrite(image)) {
          out[image][track][platform] = reference
          continue
        }
        const text = JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: blob('config', MEDIA_TYPES.ociConfig, reference),
          layers: [blob('layer', MEDIA_TYPES.ociLayer, reference)]
        })
        const digest = `sha256:${createHash('sha256').update(text).digest('hex')}`
        manifests[digest] = { mediaType: MEDIA_TYPES.ociManifest, text }
        out[image][track][platform] = `${reference.slice(0, reference.indexOf('@'))}@${digest}`
      }
    }
  }
  return { digests: out, manifests }
}

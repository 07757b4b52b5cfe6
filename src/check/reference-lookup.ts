import type { ImageReference } from '../registry/image-reference.js'
import { isIndexMediaType, platformDigests, platformOfConfig } from '../registry/manifest.js'
import type { RegistryClient } from '../registry/client.js'

/**
 * The registry questions `check` and `pin` ask, on top of RegistryClient's memoised requests:
 * a tag costs one HEAD, a digest one HEAD, and an index is read (one GET) only when a platform's
 * digest is needed from it.
 */

export interface TagTarget {
  /** What the tag points at: an index or a single image manifest. */
  digest: string
  isIndex: boolean
}

export interface DigestInfo {
  exists: boolean
  isIndex: boolean
}

async function isIndexDigest(
  client: RegistryClient,
  image: ImageReference,
  digest: string,
  mediaType: string | undefined
): Promise<boolean> {
  // Registries that answer HEAD without a useful Content-Type make us read the manifest.
  if (mediaType) return isIndexMediaType(mediaType)
  return (await client.manifest(image, digest)).kind === 'index'
}

/** Where a tag points now; null when the tag does not exist. */
export async function tagTarget(
  client: RegistryClient,
  image: ImageReference,
  tag: string
): Promise<TagTarget | null> {
  const head = await client.headTag(image, tag)
  if (!head) return null
  return {
    digest: head.digest,
    isIndex: await isIndexDigest(client, image, head.digest, head.mediaType)
  }
}

/** Whether a manifest digest exists in the repository (HEAD /manifests/<digest>). */
export async function digestInfo(
  client: RegistryClient,
  image: ImageReference,
  digest: string
): Promise<DigestInfo> {
  const head = await client.headTag(image, digest)
  if (!head) return { exists: false, isIndex: false }
  return { exists: true, isIndex: await isIndexDigest(client, image, digest, head.mediaType) }
}

/** Platform → image manifest digest in an index. */
export async function indexPlatforms(
  client: RegistryClient,
  image: ImageReference,
  digest: string
): Promise<Record<string, string>> {
  const manifest = await client.manifest(image, digest)
  return manifest.kind === 'index' ? platformDigests(manifest) : {}
}

/** The platform an image manifest's config declares; null for indexes or unreadable configs. */
export async function platformOfImage(
  client: RegistryClient,
  image: ImageReference,
  digest: string
): Promise<string | null> {
  const manifest = await client.manifest(image, digest)
  if (manifest.kind !== 'image') return null
  return platformOfConfig(await client.blob(image, manifest.config.digest))
}

export type PinTarget =
  | { ok: true; digest: string }
  | { ok: false; reason: 'tag-not-found' | 'platform-not-found'; platforms?: string[] }

/**
 * The digest a tag should be pinned to: the image manifest for `platform` when the file names
 * one and the tag is an index, else whatever the tag points at.
 */
export async function pinTarget(
  client: RegistryClient,
  image: ImageReference,
  tag: string,
  platform: string | undefined
): Promise<PinTarget> {
  const target = await tagTarget(client, image, tag)
  if (!target) return { ok: false, reason: 'tag-not-found' }
  if (!platform || !target.isIndex) return { ok: true, digest: target.digest }
  const platforms = await indexPlatforms(client, image, target.digest)
  const digest = platforms[platform]
  if (!digest) return { ok: false, reason: 'platform-not-found', platforms: Object.keys(platforms) }
  return { ok: true, digest }
}

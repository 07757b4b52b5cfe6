// What publishing manifests.json adds to a run's cost, from what a plan may ask (tag lists and
// HEADs): one GET per platform manifest the file lacks, read once ever.
import type { RegistryClient } from '../registry/client.js'
import { isIndexMediaType } from '../registry/manifest.js'
import type { ImageConfig } from './config.js'
import { parseDigests, readTextIfPresent } from './digests-document.js'
import { defaultManifestsPath, parseManifests } from './manifests-document.js'
import { wantedManifests } from './manifest-publishing.js'
import type { PreparedImage } from './resolve-image.js'
import type { UpdateOptions } from './run-types.js'

/**
 * Registry name → platform-manifest GETs manifests.json still needs: every platform digest
 * digests.json already pins that the file lacks, and for each track's best tag whose index the
 * state does not know yet, one per platform the image asks for (the index is not read in a
 * plan, so those are counted as its worst case). A tag that is a single platform manifest
 * costs nothing more: the run reads it anyway.
 */
export async function plannedManifestReads(
  client: RegistryClient,
  images: readonly ImageConfig[],
  prepared: ReadonlyArray<PromiseSettledResult<PreparedImage>>,
  options: UpdateOptions
): Promise<Map<string, number>> {
  const reads = new Map<string, number>()
  if (options.publishManifests === false) return reads
  const manifestsPath = options.manifestsPath ?? defaultManifestsPath(options.digestsPath)
  const { manifests } = parseManifests(await readTextIfPresent(manifestsPath), manifestsPath)
  const digests = parseDigests(await readTextIfPresent(options.digestsPath), options.digestsPath)
  const counted = new Set(Object.keys(manifests))
  const count = (registry: string, key: string): void => {
    if (counted.has(key)) return
    counted.add(key)
    reads.set(registry, (reads.get(registry) ?? 0) + 1)
  }
  for (const [digest, image] of wantedManifests(images, digests))
    count(image.reference.registry, digest)
  for (const outcome of prepared) {
    if (outcome.status === 'rejected' || outcome.value.image.manifests === false) continue
    const { image, tracks, heads, previousState } = outcome.value
    for (const track of tracks) {
      const tag = track.candidates[0]
      const digest = tag === undefined ? undefined : heads.get(tag)
      if (!digest) continue
      const known = previousState[digest]
      if (known) {
        for (const platform of image.platforms)
          if (known[platform]) count(image.reference.registry, known[platform])
        continue
      }
      const head = await client.headTag(image.reference, tag!)
      if (head?.mediaType && !isIndexMediaType(head.mediaType)) continue
      for (const platform of image.platforms)
        count(image.reference.registry, `${digest} ${platform}`)
    }
  }
  return reads
}

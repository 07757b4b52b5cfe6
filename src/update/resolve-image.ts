import type { ImageConfig } from './config.js'
import { platformDigests, platformOfConfig } from '../registry/manifest.js'
import type { RegistryClient } from '../registry/client.js'
import { planTracks, type TrackPlan } from './tracks.js'

/** What a tag's manifest said, kept between runs: index or manifest digest → platform → image digest. */
export type ImageState = Record<string, Record<string, string>>

/** platform → `<image as written>:<tag>@<digest>` */
export type PlatformReferences = Record<string, string>

export interface ResolvedImage {
  /** Every track that still has candidate tags upstream, even where no platform was found. */
  tracks: Map<string, PlatformReferences>
  /** The state this run relied on, for the next run. */
  state: ImageState
  /** Tags held back and legacy aliases, for the merge and the run's warnings. */
  plan: Pick<TrackPlan, 'heldBack' | 'aliases'>
}

/**
 * Resolves every track of one image. A tag costs a HEAD; its manifest is read only when its
 * digest is not already known from the previous run's state, so an unchanged registry costs
 * no manifest or blob GETs at all.
 */
export async function resolveImage(
  client: RegistryClient,
  image: ImageConfig,
  previousState: ImageState
): Promise<ResolvedImage> {
  const reference = image.reference
  const tags = await client.listTags(reference)
  const plan = planTracks(image, tags)
  const tracks = plan.tracks
  const state: ImageState = {}
  const platformsByTag = new Map<string, Promise<Record<string, string>>>()

  const platformsOf = (tag: string): Promise<Record<string, string>> => {
    let pending = platformsByTag.get(tag)
    if (!pending) {
      pending = (async () => {
        const head = await client.headTag(reference, tag)
        if (!head) return {} // deleted between the tag list and the HEAD
        const known = state[head.digest] ?? previousState[head.digest]
        const platforms = known ?? (await readPlatforms(client, image, head.digest))
        state[head.digest] = platforms
        return platforms
      })()
      platformsByTag.set(tag, pending)
    }
    return pending
  }

  const resolved = await Promise.all(
    tracks.map(async (track) => {
      const references: PlatformReferences = {}
      const wanted = new Set(image.platforms)
      // Walk down from the best tag until every platform is found: a platform missing from the
      // newest release comes from the newest release that has it.
      for (const tag of track.candidates) {
        if (wanted.size === 0) break
        const platforms = await platformsOf(tag)
        for (const platform of [...wanted]) {
          const digest = platforms[platform]
          if (digest === undefined) continue
          references[platform] = `${reference.written}:${tag}@${digest}`
          wanted.delete(platform)
        }
      }
      return [track.key, references] as const
    })
  )
  return { tracks: new Map(resolved), state, plan }
}

async function readPlatforms(
  client: RegistryClient,
  image: ImageConfig,
  digest: string
): Promise<Record<string, string>> {
  const manifest = await client.manifest(image.reference, digest)
  if (manifest.kind === 'index') return platformDigests(manifest)
  // A single-platform image says which platform it is only in its config blob.
  const config = await client.blob(image.reference, manifest.config.digest)
  const platform = platformOfConfig(config)
  return platform ? { [platform]: digest } : {}
}

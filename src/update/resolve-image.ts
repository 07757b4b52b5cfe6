import type { ImageConfig } from './config.js'
import { labelsOfConfig, platformDigests, platformOfConfig } from '../registry/manifest.js'
import { releaseAnnotations, type ReleaseAnnotations } from './release-records.js'
import type { RegistryClient } from '../registry/client.js'
import { PullQuotaDeferral } from '../registry/errors.js'
import { selectTracks, type SelectionNotes, type Track } from './tracks/selection.js'
import { dictionary, overlay, own } from '../common/records.js'
import { grammarViolation } from '../common/digests-grammar.js'

/** What a tag's manifest said, kept between runs: index or manifest digest → platform → image digest. */
export type ImageState = Record<string, Record<string, string>>

/** platform → `<image as written>:<tag>@<digest>` */
export type PlatformReferences = Record<string, string>

export interface ResolvedImage {
  /** Every track that still has candidate tags upstream, even where no platform was found. */
  tracks: Map<string, PlatformReferences>
  /** The state this run relied on, for the next run. */
  state: ImageState
  /** Tracks the registry's pull quota left unresolved; they keep their published value. */
  deferred: string[]
  /** Manifests (digests, or tags whose HEAD was refused) the quota kept this run from reading. */
  deferredReads: Set<string>
  /** Tags held back and legacy aliases, for the merge and the run's warnings. */
  notes: SelectionNotes
  /** Per track, the tags (best first) and digests its references came from. */
  sources: Map<string, TrackSource[]>
  /** Release annotations of the manifests read this run, by digest. */
  annotations: Record<string, ReleaseAnnotations>
}

export interface TrackSource {
  tag: string
  digest: string
}

/** An image after the free half of its work: its tag list, and a HEAD of every track's best tag. */
export interface PreparedImage {
  image: ImageConfig
  tracks: Track[]
  previousState: ImageState
  /** Every manifest read this run, kept even when the image does not finish. */
  learned: ImageState
  /** Best tag of each track → the digest it points at (null: deleted since the tag list). */
  heads: Map<string, string | null>
  notes: SelectionNotes
}

/**
 * Tag list and HEADs: what Docker Hub does not count against its pull limit. With `pipelined`,
 * a HEAD's answer starts its manifest's GET at once where the registry announced no pull quota:
 * nothing then decides which GETs fit, so none waits for the other images' HEADs.
 */
export async function prepareImage(
  client: RegistryClient,
  image: ImageConfig,
  previousState: ImageState,
  pipelined = false
): Promise<PreparedImage> {
  const tags = await client.listTags(image.reference)
  const { tracks, heldBack, aliases } = selectTracks(image, tags)
  const heads = new Map<string, string | null>()
  await Promise.all(
    tracks.map(async (track) => {
      const tag = track.candidates[0]
      if (tag === undefined) return
      try {
        const digest = (await client.headTag(image.reference, tag))?.digest ?? null
        heads.set(tag, digest)
        if (pipelined && digest && !own(previousState, digest) && !hasPullQuota(client, image))
          // Failures are the walk's to report, as in requestFirstReads.
          client.manifest(image.reference, digest).catch(() => undefined)
      } catch (error) {
        // A refused HEAD whose GET the quota deferred is the walk's to report.
        if (!(error instanceof PullQuotaDeferral)) throw error
      }
    })
  )
  return {
    image,
    tracks,
    previousState,
    learned: dictionary(),
    heads,
    notes: { heldBack, aliases }
  }
}

/**
 * Starts the manifest reads a short budget should pay for first, in the order given: a
 * registry serves its GETs in the order they were asked, so this order decides what fits.
 */
export function requestFirstReads(client: RegistryClient, order: readonly PreparedTrack[]): void {
  for (const { prepared, track } of order) {
    const tag = track.candidates[0]
    const digest = tag === undefined ? undefined : prepared.heads.get(tag)
    if (!digest || own(prepared.previousState, digest)) continue
    // Failures are the walk's to report; only the order is decided here.
    client.manifest(prepared.image.reference, digest).catch(() => undefined)
  }
}

/**
 * Whether the image's registry announced a pull quota (on the HEADs' answers, as Docker Hub
 * does), or refused a pull: then its GETs wait for every image's HEADs and go in priority order.
 */
export function hasPullQuota(client: RegistryClient, image: ImageConfig): boolean {
  return client.budgets().get(image.reference.registry)?.spendable() !== undefined
}

export interface PreparedTrack {
  prepared: PreparedImage
  track: Track
}

/**
 * Resolves every track of one image. A tag costs a HEAD; its manifest is read only when its
 * digest is not already known from the previous run's state, so an unchanged registry costs
 * no manifest or blob GETs at all.
 */
export async function resolveImage(
  client: RegistryClient,
  prepared: PreparedImage
): Promise<ResolvedImage> {
  const { image, previousState, learned } = prepared
  const reference = image.reference
  const state: ImageState = dictionary()
  const deferredReads = new Set<string>()
  const platformsByTag = new Map<string, Promise<TagContent>>()
  const annotations = dictionary<ReleaseAnnotations>()
  const sources = new Map<string, TrackSource[]>()

  const platformsOf = (tag: string): Promise<TagContent> => {
    let pending = platformsByTag.get(tag)
    if (!pending) {
      pending = (async () => {
        let digest: string | undefined
        try {
          const head = await client.headTag(reference, tag)
          if (!head) return { platforms: {} } // deleted between the tag list and the HEAD
          digest = head.digest
          const known = own(state, digest) ?? own(learned, digest) ?? own(previousState, digest)
          const platforms = known ?? (await readPlatforms(client, image, digest, annotations))
          state[digest] = platforms
          learned[digest] = platforms
          return { digest, platforms }
        } catch (error) {
          if (error instanceof PullQuotaDeferral) deferredReads.add(digest ?? `${tag}`)
          throw error
        }
      })()
      platformsByTag.set(tag, pending)
    }
    return pending
  }

  const deferred: string[] = []
  // Settled, not raced: the reads still in flight when one track fails are paid for, and go
  // into the state file with the others.
  const settled = await Promise.allSettled(
    prepared.tracks.map(async (track) => {
      const references: PlatformReferences = dictionary()
      const wanted = new Set(image.platforms)
      const used: TrackSource[] = []
      // Walk down from the best tag until every platform is found: a platform missing from the
      // newest release comes from the newest release that has it.
      for (const tag of track.candidates) {
        if (wanted.size === 0) break
        let content: TagContent
        try {
          content = await platformsOf(tag)
        } catch (error) {
          if (!(error instanceof PullQuotaDeferral)) throw error
          deferred.push(track.key)
          return undefined
        }
        for (const platform of [...wanted]) {
          const digest = own(content.platforms, platform)
          if (digest === undefined) continue
          references[platform] = `${reference.written}:${tag}@${digest}`
          wanted.delete(platform)
          if (content.digest && !used.some((source) => source.tag === tag))
            used.push({ tag, digest: content.digest })
        }
      }
      sources.set(track.key, used)
      return [track.key, references] as Resolved
    })
  )
  const failed = settled.find((outcome) => outcome.status === 'rejected')
  if (failed) throw failed.reason
  const resolved = settled.map((outcome) => (outcome as PromiseFulfilledResult<Resolved>).value)
  const tracks = new Map(resolved.filter((entry) => entry !== undefined))
  // Nothing the flake would refuse is written: the image fails and keeps what it had.
  const violation = grammarViolation(dictionary([[reference.written, dictionary(tracks)]]))
  if (violation) throw new DigestsGrammarError(`would write ${violation}`)
  // Candidates below a deferred tag were not visited: keep what was known of them.
  const kept = deferred.length > 0 ? overlay(previousState, state) : state
  return {
    tracks,
    state: kept,
    deferred: deferred.sort(),
    deferredReads,
    notes: prepared.notes,
    sources,
    annotations
  }
}

/** A value the run would write that is outside what digests.json may hold. */
export class DigestsGrammarError extends Error {
  override name = 'DigestsGrammarError'
}

type Resolved = readonly [string, PlatformReferences] | undefined

interface TagContent {
  /** Absent when the tag was deleted between the tag list and the HEAD. */
  digest?: string
  platforms: Record<string, string>
}

async function readPlatforms(
  client: RegistryClient,
  image: ImageConfig,
  digest: string,
  annotations: Record<string, ReleaseAnnotations>
): Promise<Record<string, string>> {
  const manifest = await client.manifest(image.reference, digest)
  const found = releaseAnnotations(manifest.annotations)
  if (manifest.kind === 'index') {
    if (found) annotations[digest] = found
    return platformDigests(manifest)
  }
  // A single-platform image says which platform it is only in its config blob, whose labels
  // carry the same keys when the manifest has no annotations.
  const config = await client.blob(image.reference, manifest.config.digest)
  const labelled = found ?? releaseAnnotations(labelsOfConfig(config))
  if (labelled) annotations[digest] = labelled
  const platform = platformOfConfig(config)
  return platform ? { [platform]: digest } : {}
}

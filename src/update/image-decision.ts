// What one image's settled reads mean for the files a run writes. This is where "a failing image
// keeps its previous entries" and "a young or deferred track keeps its published value" meet
// the merge, so the run loop only gathers the decisions of every image in images.json order.
import type { ImageConfig } from './config.js'
import type { DeferredImage } from './deferrals.js'
import { selectionWarnings } from './selection-warnings.js'
import type { DigestRecords } from './release-records.js'
import type { ImageOutcome } from './resolve-all.js'
import type { ImageState, PlatformReferences } from './resolve-image.js'
import type { ImageFailure, Logger, StaleTrack } from './run-types.js'
import { mergeImageEntry } from './tracks/keeping.js'
import { recordSightings, youngTracks, type WaitingTrack } from './tracks/release-age.js'
import { plural } from '../common/plural.js'
import { dictionary, overlay } from '../common/records.js'

/** What the run had for the image before. */
export interface ImageBefore {
  entry: Record<string, PlatformReferences> | undefined
  state: ImageState | undefined
  releases: DigestRecords | undefined
}

/** One image's part of the next files and of the run's report; absent parts are not written. */
export interface ImageDecision {
  entry?: Record<string, PlatformReferences>
  state?: ImageState
  releases?: DigestRecords
  failure?: ImageFailure
  waiting: WaitingTrack[]
  stale: StaleTrack[]
  /** Lines for the run's warnings, already logged. */
  warnings: string[]
  /** What the pull quota kept the image from reading; absent when it failed. */
  deferred?: DeferredImage
}

export function decideImage(
  image: ImageConfig,
  { result: outcome, learned }: ImageOutcome,
  before: ImageBefore,
  now: Date,
  defaultMinimumReleaseAge: number | undefined,
  log: Logger
): ImageDecision {
  const name = image.reference.written
  if (outcome.status === 'rejected') {
    const message =
      outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)
    // What was read before the failure is paid for: keep it for the next run.
    const known = overlay(before.state, learned)
    return {
      failure: { image: name, message },
      ...(before.entry ? { entry: before.entry } : {}),
      ...(Object.keys(known).length > 0 ? { state: known } : {}),
      ...(before.releases ? { releases: before.releases } : {}),
      waiting: [],
      stale: [],
      warnings: []
    }
  }
  const { tracks, state, deferred, deferredReads, notes, sources, annotations } = outcome.value
  const records = recordSightings(
    Object.keys(state),
    before.releases ?? dictionary(),
    annotations,
    now
  )
  const age = image.minimumReleaseAge ?? defaultMinimumReleaseAge ?? 0
  const young = youngTracks(tracks, sources, before.entry, records, age, now)
  const waiting: WaitingTrack[] = []
  for (const entry of young) {
    tracks.delete(entry.track)
    waiting.push({ image: name, ...entry })
  }
  const held = [...deferred, ...young.map((entry) => entry.track)]
  const merged = mergeImageEntry(before.entry, tracks, image, notes, held)
  const warnings = selectionWarnings(name, notes, merged.aliases)
  for (const line of warnings) log.warning(line)
  const stale: StaleTrack[] = []
  for (const track of merged.stale) {
    stale.push({ image: name, track })
    const why = tracks.has(track)
      ? 'no tag of this track provides every platform it had any more'
      : 'no tag of this track exists upstream any more'
    log.warning(`${name} ${track}: ${why}; kept its last value`)
  }
  log.info(`${name}: ${plural(tracks.size, 'track')} resolved`)
  return {
    ...(Object.keys(merged.entry).length > 0 ? { entry: merged.entry } : {}),
    ...(Object.keys(state).length > 0 ? { state } : {}),
    ...(Object.keys(records).length > 0 ? { releases: records } : {}),
    waiting,
    stale,
    warnings,
    deferred: {
      image: name,
      registry: image.reference.registry,
      tracks: deferred,
      reads: deferredReads
    }
  }
}

// Choosing a track: which keys an image publishes this run and the tags that may fill them,
// from the tags upstream lists now. The tags list is all it sees; what was published before is
// the keeping rules' to judge, with the same configuration.
import type { ImageConfig } from '../config.js'
import { aliasesUpstreamLists } from './legacy-aliases.js'
import { holdBackOutliers, isAllowed, type HeldBack } from './version-policy.js'
import {
  compareVersions,
  isBelowMinimum,
  parseVersion,
  trackKeysOf,
  type TrackKind
} from './versions.js'

/** One key of an image's digests.json entry and the upstream tags that may fill it. */
export interface Track {
  key: string
  kind: TrackKind | 'tag'
  /** Best first: the value for a platform comes from the first candidate that provides it. */
  candidates: string[]
}

/** The tracks to resolve, and what the run tells the user about the ones it did not make. */
export interface TrackSelection {
  tracks: Track[]
  /** Tags not published because their major reads as a date or build number. */
  heldBack: HeldBack
  /** Legacy entries only: `v2.7.5` → `2.7.5`, a key the Renovate-based flake published. */
  aliases: Map<string, string>
}

/**
 * What keeping a track and the run's warnings need from the selection beyond its tracks: tags
 * held back, and the legacy aliases upstream lists.
 */
export type SelectionNotes = Pick<TrackSelection, 'heldBack' | 'aliases'>

/** Expands an image's upstream tags into the tracks its configuration asks for. */
export function buildTracks(image: ImageConfig, upstreamTags: readonly string[]): Track[] {
  return selectTracks(image, upstreamTags).tracks
}

export function selectTracks(image: ImageConfig, upstreamTags: readonly string[]): TrackSelection {
  const matching = upstreamTags
    .map((tag) => parseVersion(tag, image.tagPattern))
    .filter((version) => version !== null)
    .filter((version) => !isBelowMinimum(version, image.minVersion))
    .filter((version) => isAllowed(version.parts, image.allowedVersions))
    .sort((a, b) => compareVersions(b, a))
  const { kept: versions, heldBack } = image.versionsExplicit
    ? { kept: matching, heldBack: { majors: [], tags: [], others: [] } }
    : holdBackOutliers(matching)

  const tracks = new Map<string, Track>()
  const upstream = new Set(upstreamTags)
  // A literal tag wins a key it shares with a version track: the user named it explicitly.
  for (const tag of image.tags) {
    if (upstream.has(tag)) tracks.set(tag, { key: tag, kind: 'tag', candidates: [tag] })
  }
  for (const version of versions) {
    const keys = trackKeysOf(version)
    for (const kind of image.tracks) {
      const key = keys[kind]
      if (key === undefined) continue
      const track = tracks.get(key) ?? { key, kind, candidates: [] }
      if (track.kind !== kind) continue
      track.candidates.push(version.tag)
      tracks.set(key, track)
    }
  }
  return { tracks: [...tracks.values()], heldBack, aliases: aliasesUpstreamLists(image, tracks) }
}

import type { ImageConfig } from './config.js'
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

/** Expands an image's upstream tags into the tracks its configuration asks for. */
export function buildTracks(image: ImageConfig, upstreamTags: readonly string[]): Track[] {
  const versions = upstreamTags
    .map((tag) => parseVersion(tag, image.tagPattern))
    .filter((version) => version !== null)
    .filter((version) => !isBelowMinimum(version, image.minVersion))
    .sort((a, b) => compareVersions(b, a))

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
  return [...tracks.values()]
}

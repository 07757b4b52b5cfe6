// Legacy entries only. The Renovate-based flake keyed a track by the tag it followed, so where
// upstream spells a track's own tag with a `v` (`v2`, `v2.7`, `v2.7.5`) its users pin that key;
// the updater keeps such a key as a copy of the new one (`v2.7.5` → `2.7.5`). Choosing finds the
// aliases upstream still lists and keeping decides which are published; both halves live here
// so an alias is not chosen by one rule and dropped by another between runs.
import type { ImageConfig } from '../config.js'
import { own } from '../../common/records.js'

/** The part of a chosen track the aliases depend on. */
interface AliasedTrack {
  key: string
  kind: string
  candidates: readonly string[]
}

/** Alias → key, for each version track whose own tag upstream lists with a `v`. */
export function aliasesUpstreamLists(
  image: ImageConfig,
  tracks: ReadonlyMap<string, AliasedTrack>
): Map<string, string> {
  const aliases = new Map<string, string>()
  if (!image.legacy) return aliases
  for (const track of tracks.values()) {
    const alias = `v${track.key}`
    if (track.kind !== 'tag' && !tracks.has(alias) && track.candidates.includes(alias)) {
      aliases.set(alias, track.key)
    }
  }
  return aliases
}

/**
 * Alias → key to publish in a merged entry: the `v` tags upstream still lists, and those
 * published before whose track is still published (a stale track keeps its alias too); never
 * over a key of its own.
 */
export function aliasesToPublish(
  entry: Readonly<Record<string, unknown>>,
  previous: Readonly<Record<string, unknown>> | undefined,
  upstream: ReadonlyMap<string, string>
): Map<string, string> {
  const aliases = new Map<string, string>()
  const candidates = [
    ...upstream,
    ...Object.keys(previous ?? {})
      .filter((key) => /^v\d/.test(key))
      .map((key) => [key, key.slice(1)] as const)
  ]
  for (const [alias, key] of candidates.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (own(entry, key) !== undefined && own(entry, alias) === undefined) aliases.set(alias, key)
  }
  return aliases
}

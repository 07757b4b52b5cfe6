// Keeping a published track: whether a key published before stays in digests.json, and with
// which value. Pins in users' flakes point at those keys, so a key goes only when the
// configuration no longer asks for it, never because of what a registry answered; it reads the
// configuration with the same rules choosing uses, so a track is not chosen one run and dropped
// the next.
import type { ImageConfig } from '../config.js'
import type { PlatformReferences } from '../resolve-image.js'
import { dictionary, overlay, own } from '../../common/records.js'
import { aliasesToPublish } from './legacy-aliases.js'
import type { SelectionNotes } from './selection.js'
import { isAllowed, outlierMajors } from './version-policy.js'
import { compareParts, parseTrackKey } from './versions.js'

/** Whether the configuration still asks for a key that was published earlier. */
export function isKeyStillWanted(
  key: string,
  image: ImageConfig,
  genuineMajors: readonly number[] = []
): boolean {
  if (image.tags.includes(key)) return true
  const parsed = parseTrackKey(key)
  if (!parsed || !image.tracks.includes(parsed.kind)) return false
  // A date or build number published before (or before the check existed) goes too, whether
  // its tag is held back this run or already gone upstream.
  const major = parsed.numbers[0]!
  if (!image.versionsExplicit && outlierMajors([...genuineMajors, major]).has(major)) return false
  if (!isAllowed(parsed.numbers, image.allowedVersions)) return false
  return (
    !image.minVersion ||
    compareParts(parsed.numbers, image.minVersion.slice(0, parsed.numbers.length)) >= 0
  )
}

/**
 * The new entry for an image that resolved: recomputed tracks as found. A published value is
 * dropped only when the configuration no longer asks for it, never because of what a registry
 * answered: a track with no candidate tag left upstream keeps its last value (stale) so pins do
 * not break, a platform no tag provides any more keeps its last reference, and a track the pull
 * quota deferred keeps its published value untouched. A legacy entry also keeps the `v` keys
 * the Renovate-based flake published, as copies of the new keys.
 */
export function mergeImageEntry(
  previous: Record<string, PlatformReferences> | undefined,
  resolved: Map<string, PlatformReferences>,
  image: ImageConfig,
  notes?: SelectionNotes,
  deferred: readonly string[] = []
): { entry: Record<string, PlatformReferences>; stale: string[]; aliases: Map<string, string> } {
  const entry = dictionary<PlatformReferences>()
  const stale: string[] = []
  const majors: number[] = []
  for (const key of resolved.keys()) {
    const major = parseTrackKey(key)?.numbers[0]
    if (major !== undefined) majors.push(major)
  }
  for (const [key, references] of Object.entries(previous ?? {})) {
    if (!isKeyStillWanted(key, image, majors)) continue
    const kept = dictionary(
      Object.entries(references).filter(([platform]) => image.platforms.includes(platform))
    )
    if (Object.keys(kept).length === 0) continue
    const found = resolved.get(key)
    if (found) {
      if (Object.keys(kept).every((platform) => Object.hasOwn(found, platform))) continue
      entry[key] = overlay(kept, found)
      stale.push(key)
      continue
    }
    entry[key] = kept
    if (!deferred.includes(key)) stale.push(key)
  }
  for (const [key, references] of resolved) {
    if (own(entry, key) || Object.keys(references).length === 0) continue
    entry[key] = references
  }
  const aliases = image.legacy
    ? aliasesToPublish(entry, previous, notes?.aliases ?? new Map())
    : new Map<string, string>()
  for (const [alias, key] of aliases) entry[alias] = entry[key]!
  return { entry, stale, aliases }
}

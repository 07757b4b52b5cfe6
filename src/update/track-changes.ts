// Keys that appeared in or left digests.json, per image: what a consumer's `track = "…"` can
// newly name or can no longer name. A surprise here (a date read as a major) matters more than
// any digest that moved, so every report puts it where a reviewer sees it.
import type { Digests } from './digests-document.js'
import type { PlatformReferences } from './resolve-image.js'
import { plural } from '../common/plural.js'
import { own } from '../common/records.js'

export interface ImageTrackChanges {
  image: string
  added: string[]
  removed: string[]
  /** Legacy `v` keys (copies of a key of the new format), counted apart from real tracks. */
  aliasesAdded: string[]
  aliasesRemoved: string[]
}

function sameReferences(a: PlatformReferences | undefined, b: PlatformReferences | undefined) {
  if (!a || !b) return false
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => own(a, key) === own(b, key))
}

/** A legacy alias is a `v` key whose value is exactly that of the key without the `v`. */
export function isLegacyAlias(tracks: Record<string, PlatformReferences>, key: string): boolean {
  return /^v\d/.test(key) && sameReferences(own(tracks, key), own(tracks, key.slice(1)))
}

function keysOnlyIn(a: Record<string, PlatformReferences>, b: Record<string, PlatformReferences>) {
  const tracks: string[] = []
  const aliases: string[] = []
  for (const key of Object.keys(a).sort()) {
    if (own(b, key) !== undefined) continue
    ;(isLegacyAlias(a, key) ? aliases : tracks).push(key)
  }
  return { tracks, aliases }
}

/** Per image with any key added or removed, in image order; empty when the keys are the same. */
export function trackChanges(before: Digests, after: Digests): ImageTrackChanges[] {
  const images = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  const found: ImageTrackChanges[] = []
  for (const image of images) {
    const added = keysOnlyIn(own(after, image) ?? {}, own(before, image) ?? {})
    const removed = keysOnlyIn(own(before, image) ?? {}, own(after, image) ?? {})
    const entry: ImageTrackChanges = {
      image,
      added: added.tracks,
      removed: removed.tracks,
      aliasesAdded: added.aliases,
      aliasesRemoved: removed.aliases
    }
    if (added.tracks.length + removed.tracks.length + added.aliases.length + removed.aliases.length)
      found.push(entry)
  }
  return found
}

export interface TrackChangeTotals {
  added: number
  removed: number
  aliasesAdded: number
  aliasesRemoved: number
  images: number
}

export function trackChangeTotals(changes: readonly ImageTrackChanges[]): TrackChangeTotals {
  const sum = (pick: (entry: ImageTrackChanges) => string[]) =>
    changes.reduce((total, entry) => total + pick(entry).length, 0)
  return {
    added: sum((entry) => entry.added),
    removed: sum((entry) => entry.removed),
    aliasesAdded: sum((entry) => entry.aliasesAdded),
    aliasesRemoved: sum((entry) => entry.aliasesRemoved),
    images: changes.length
  }
}

/**
 * The parts of one image's line, each counted, e.g. `2 tracks added: 31, 32`; `format` spells
 * a key (plain text for a terminal, a code span for Markdown). At most `shown` keys per part.
 */
export function trackChangeParts(
  entry: ImageTrackChanges,
  format: (key: string) => string,
  shown = 20
): string[] {
  const part = (keys: string[], what: string): string[] => {
    if (keys.length === 0) return []
    const listed = keys.slice(0, shown).map(format).join(', ')
    const more = keys.length > shown ? ` and ${keys.length - shown} more` : ''
    return [`${what}: ${listed}${more}`]
  }
  const aliases = (count: number) => plural(count, 'legacy alias', 'legacy aliases')
  return [
    ...part(entry.added, `${plural(entry.added.length, 'track')} added`),
    ...part(entry.removed, `${plural(entry.removed.length, 'track')} removed`),
    ...part(entry.aliasesAdded, `${aliases(entry.aliasesAdded.length)} added`),
    ...part(entry.aliasesRemoved, `${aliases(entry.aliasesRemoved.length)} removed`)
  ]
}

/** `3 tracks added and 1 removed in 2 images`, aliases counted apart when there are any. */
export function formatTrackTotals(totals: TrackChangeTotals): string {
  if (totals.images === 0) return 'no track added or removed'
  const tracks =
    `${plural(totals.added, 'track')} added and ${totals.removed} removed ` +
    `in ${plural(totals.images, 'image')}`
  if (totals.aliasesAdded + totals.aliasesRemoved === 0) return tracks
  return (
    `${tracks}; legacy v aliases, counted apart: ` +
    `${totals.aliasesAdded} added and ${totals.aliasesRemoved} removed`
  )
}

/** For a terminal or a log: the totals, then one indented line per image. */
export function formatTrackChanges(changes: readonly ImageTrackChanges[]): string[] {
  return [
    `tracks: ${formatTrackTotals(trackChangeTotals(changes))}`,
    ...changes.map(
      (entry) => `  ${entry.image}: ${trackChangeParts(entry, (key) => key).join('; ')}`
    )
  ]
}

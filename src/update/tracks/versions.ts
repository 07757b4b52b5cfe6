/**
 * Version tags and their order, which choosing a track rests on: the best tag of a track is the
 * highest version, and a track's key is cut from it. A version is the list of numeric parts a
 * tag pattern's named groups capture: major, minor, patch, then any further groups in the order
 * the pattern names them.
 */
import type { TagPattern } from './tag-pattern.js'

export type VersionPart = number | string | undefined

export interface Version {
  tag: string
  /** [major, minor, patch, ...further groups]; minor and patch are undefined when absent. */
  parts: VersionPart[]
}

export type TrackKind = 'major' | 'major-minor' | 'major-minor-patch'
export const TRACK_KINDS: readonly TrackKind[] = ['major', 'major-minor', 'major-minor-patch']

export const DEFAULT_TAG_PATTERN = String.raw`^v?(?<major>\d+)(?:\.(?<minor>\d+))?(?:\.(?<patch>\d+))?$`

const DIGITS = /^\d+$/
const POSITIONAL_GROUPS = new Set(['major', 'minor', 'patch'])

// Digits past 2^53 would come back as another number ("1e+25" or rounded): such a tag is no
// version this order can place, and its key would not be a track key.
function isNumber(text: string): boolean {
  return DIGITS.test(text) && Number.isSafeInteger(Number(text))
}

function toPart(text: string | undefined): VersionPart {
  if (text === undefined || text === '') return undefined
  return isNumber(text) ? Number(text) : text
}

/** The version a tag spells under a pattern, or null when the tag is not a version. */
export function parseVersion(tag: string, pattern: TagPattern): Version | null {
  const captured = pattern.captures(tag)
  if (!captured) return null
  const group = (name: string): string | undefined => captured[pattern.names.indexOf(name)]
  const major = group('major')
  const minor = group('minor')
  const patch = group('patch')
  if (major === undefined || !isNumber(major)) return null
  if (minor !== undefined && !isNumber(minor)) return null
  if (patch !== undefined && !isNumber(patch)) return null
  // A patch without a minor would make key "M.undefined.p"; such a tag has no usable minor.
  const parts: VersionPart[] = [
    Number(major),
    toPart(minor),
    minor === undefined ? undefined : toPart(patch)
  ]
  pattern.names.forEach((name, index) => {
    if (!POSITIONAL_GROUPS.has(name)) parts.push(toPart(captured[index]))
  })
  return { tag, parts }
}

function comparePart(a: VersionPart, b: VersionPart): number {
  if (a === b) return 0
  // Where every part present in both is equal, the more specific tag is the newer one:
  // a floating `16` is older than `16.4`.
  if (a === undefined) return -1
  if (b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a) < String(b) ? -1 : 1
}

export function compareParts(a: readonly VersionPart[], b: readonly VersionPart[]): number {
  const length = Math.max(a.length, b.length)
  for (let index = 0; index < length; index++) {
    const order = comparePart(a[index], b[index])
    if (order !== 0) return order
  }
  return 0
}

/**
 * Ascending order. Equal versions spelled differently (`1.2.3`, `v1.2.3`) are ordered by their
 * tag text so the result never depends on the order the registry listed them in; the shorter,
 * then lexically smaller spelling counts as the newer so it is the one picked.
 */
export function compareVersions(a: Version, b: Version): number {
  const order = compareParts(a.parts, b.parts)
  if (order !== 0) return order
  if (a.tag.length !== b.tag.length) return b.tag.length - a.tag.length
  return a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0
}

/** `"2024.12"` → [2024, 12]; null when not dotted numbers (an optional leading `v` is allowed). */
export function parseVersionNumbers(text: string): number[] | null {
  if (!/^v?\d+(?:\.\d+)*$/.test(text)) return null
  return text.replace(/^v/, '').split('.').map(Number)
}

/** True when the version sorts below `minVersion` (so a floating `2024` is below `2024.12`). */
export function isBelowMinimum(version: Version, minimum: readonly number[] | undefined): boolean {
  return minimum !== undefined && compareParts(version.parts, minimum) < 0
}

/** The track keys a version belongs to; keys never carry a `v`. */
export function trackKeysOf(version: Version): Partial<Record<TrackKind, string>> {
  const [major, minor, patch] = version.parts
  const keys: Partial<Record<TrackKind, string>> = { major: String(major) }
  if (minor !== undefined) keys['major-minor'] = `${major}.${minor}`
  if (minor !== undefined && patch !== undefined)
    keys['major-minor-patch'] = `${major}.${minor}.${patch}`
  return keys
}

/** The track kind and numbers a digests.json key stands for, or null for a literal tag's key. */
export function parseTrackKey(key: string): { kind: TrackKind; numbers: number[] } | null {
  if (!/^\d+(?:\.\d+){0,2}$/.test(key)) return null
  const numbers = key.split('.').map(Number)
  return { kind: TRACK_KINDS[numbers.length - 1]!, numbers }
}

import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ImageConfig } from './config.js'
import type { ImageState, PlatformReferences } from './resolve-image.js'
import type { TrackPlan } from './tracks.js'
import type { DigestRecords, ReleaseLinks } from './release-records.js'
import { isAllowed, outlierMajors } from './version-policy.js'
import { compareParts, parseTrackKey } from './versions.js'

/** digests.json: image → track → platform → reference. What the flake exposes as ociHashes. */
export type Digests = Record<string, Record<string, PlatformReferences>>

/** The state file beside digests.json: what the next run needs to skip unchanged manifests. */
export interface StateDocument {
  version: 1
  images: Record<string, ImageState>
  /** Optional, so older versions still read the file: per image, digest → when first seen and its release annotations. */
  releases?: Record<string, DigestRecords>
}

export class DocumentError extends Error {
  override name = 'DocumentError'
}

/** `digests.json` → `digests.state.json`, in the same folder. */
export function defaultStatePath(digestsPath: string): string {
  const name = basename(digestsPath).replace(/\.json$/, '')
  return join(dirname(digestsPath), `${name}.state.json`)
}

/** A file's text, or undefined when it does not exist yet. */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new DocumentError(`${path}: cannot read: ${(error as Error).message}`)
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new DocumentError(`${path}: invalid JSON: ${(error as Error).message}`)
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Checks `value` is nested objects `depth` deep with string leaves; names the first offender. */
function checkNested(
  value: unknown,
  depth: number,
  path: string,
  file: string,
  rule: string
): void {
  if (depth === 0) {
    if (typeof value !== 'string')
      throw new DocumentError(`${file}: ${path}: must be a string (rule: ${rule})`)
    return
  }
  if (!isPlainObject(value))
    throw new DocumentError(`${file}: ${path}: must be an object (rule: ${rule})`)
  for (const [key, child] of Object.entries(value))
    checkNested(child, depth - 1, `${path}[${JSON.stringify(key)}]`, file, rule)
}

export function parseDigests(text: string | undefined, path: string): Digests {
  if (text === undefined) return {}
  const document = parseJson(text, path)
  checkNested(document, 3, '$', path, 'image → track → platform → reference')
  return document as Digests
}

export function parseState(text: string | undefined, path: string): StateDocument {
  if (text === undefined) return { version: 1, images: {} }
  const document = parseJson(text, path)
  if (!isPlainObject(document) || document.version !== 1) {
    throw new DocumentError(`${path}: $.version: must be 1 (rule: state file version)`)
  }
  checkNested(document.images, 3, '$.images', path, 'image → digest → platform → digest')
  if (document.releases !== undefined)
    checkNested(document.releases, 3, '$.releases', path, 'image → digest → field → text')
  return document as unknown as StateDocument
}

/**
 * JSON with every object's keys in code-unit order at every depth, 2-space indent and a final
 * newline. JSON.stringify cannot do this: it always puts integer-like keys ("30") first.
 */
export function serializeSorted(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const inner = indent + '  '
    return `[\n${value.map((item) => inner + serializeSorted(item, inner)).join(',\n')}\n${indent}]`
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort()
    if (keys.length === 0) return '{}'
    const inner = indent + '  '
    const lines = keys.map(
      (key) => `${inner}${JSON.stringify(key)}: ${serializeSorted(value[key], inner)}`
    )
    return `{\n${lines.join(',\n')}\n${indent}}`
  }
  return JSON.stringify(value)
}

export function renderDocument(value: unknown): string {
  return serializeSorted(value) + '\n'
}

export { writeFileAtomic } from '../common/atomic-write.js'

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

/** What the merge needs from the track plan; absent in callers that plan nothing. */
export type MergePlan = Pick<TrackPlan, 'heldBack' | 'aliases'>

/**
 * The new entry for an image that resolved: recomputed tracks as found. A published value is
 * dropped only when the configuration no longer asks for it, never because of what a registry
 * answered: a track with no candidate tag left upstream keeps its last value (stale) so pins do
 * not break, a platform no tag provides any more keeps its last reference, and a track the pull
 * quota deferred keeps its published value untouched. A legacy entry also keeps the `v` keys the Renovate-based flake published, as copies of the new keys.
 */
export function mergeImageEntry(
  previous: Record<string, PlatformReferences> | undefined,
  resolved: Map<string, PlatformReferences>,
  image: ImageConfig,
  plan?: MergePlan,
  deferred: readonly string[] = []
): { entry: Record<string, PlatformReferences>; stale: string[]; aliases: Map<string, string> } {
  const entry: Record<string, PlatformReferences> = {}
  const stale: string[] = []
  const majors: number[] = []
  for (const key of resolved.keys()) {
    const major = parseTrackKey(key)?.numbers[0]
    if (major !== undefined) majors.push(major)
  }
  for (const [key, references] of Object.entries(previous ?? {})) {
    if (!isKeyStillWanted(key, image, majors)) continue
    const kept = Object.fromEntries(
      Object.entries(references).filter(([platform]) => image.platforms.includes(platform))
    )
    if (Object.keys(kept).length === 0) continue
    const found = resolved.get(key)
    if (found) {
      if (Object.keys(kept).every((platform) => platform in found)) continue
      entry[key] = { ...kept, ...found }
      stale.push(key)
      continue
    }
    entry[key] = kept
    if (!deferred.includes(key)) stale.push(key)
  }
  for (const [key, references] of resolved) {
    if (entry[key] || Object.keys(references).length === 0) continue
    entry[key] = references
  }
  const aliases = image.legacy ? legacyAliases(entry, previous, plan) : new Map<string, string>()
  for (const [alias, key] of aliases) entry[alias] = entry[key]!
  return { entry, stale, aliases }
}

/**
 * Aliases for the `v` tags upstream still lists, and for those published before whose track is
 * still published (a stale track keeps its alias too); never over a key of its own.
 */
function legacyAliases(
  entry: Record<string, PlatformReferences>,
  previous: Record<string, PlatformReferences> | undefined,
  plan: MergePlan | undefined
): Map<string, string> {
  const aliases = new Map<string, string>()
  const candidates = [
    ...(plan?.aliases ?? []),
    ...Object.keys(previous ?? {})
      .filter((key) => /^v\d/.test(key))
      .map((key) => [key, key.slice(1)] as const)
  ]
  for (const [alias, key] of candidates.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry[key] !== undefined && entry[alias] === undefined) aliases.set(alias, key)
  }
  return aliases
}

export interface Change {
  image: string
  track: string
  platform: string
  before?: string
  after?: string
  /** Where the new version's release notes are, from its annotations. */
  links?: ReleaseLinks
}

/** Every (image, track, platform) whose reference was added, removed or changed, in key order. */
export function diffDigests(before: Digests, after: Digests): Change[] {
  const changes: Change[] = []
  const images = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  for (const image of images) {
    const tracksBefore = before[image] ?? {}
    const tracksAfter = after[image] ?? {}
    const tracks = [...new Set([...Object.keys(tracksBefore), ...Object.keys(tracksAfter)])].sort()
    for (const track of tracks) {
      const platformsBefore = tracksBefore[track] ?? {}
      const platformsAfter = tracksAfter[track] ?? {}
      const platforms = [
        ...new Set([...Object.keys(platformsBefore), ...Object.keys(platformsAfter)])
      ].sort()
      for (const platform of platforms) {
        const was = platformsBefore[platform]
        const now = platformsAfter[platform]
        if (was === now) continue
        changes.push({
          image,
          track,
          platform,
          ...(was !== undefined ? { before: was } : {}),
          ...(now !== undefined ? { after: now } : {})
        })
      }
    }
  }
  return changes
}

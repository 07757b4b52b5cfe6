// The published data (digests.json, or the flake's ociHashes) as check and pin read it: image →
// track → platform → `name:tag@digest`, held in Maps so a key from a file (`__proto__`,
// `constructor`) is only ever a key, plus the state file's index digests when it lies beside.
// What the flake refuses is left out and named, entry by entry, by the grammar it applies.
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { appendTo } from '../common/arrays.js'
import { digestsViolations } from '../common/digests-grammar.js'
import { isJsonObject } from '../common/records.js'

export type TrackReferences = Map<string, string>
export type ImageTracks = Map<string, TrackReferences>

export interface PublishedDigests {
  /** Where it came from, for messages. */
  source: string
  /**
   * Every image and track key the flake's lookup sees, and under them only the entries it hands
   * out: an entry outside the grammar is left out, and its refusal kept in `refused`.
   */
  images: Map<string, ImageTracks>
  /** What the flake refuses, keyed by refusalKey: `<source>: <JSON path>: <what> (rule: …)`. */
  refused: Map<string, string>
  /** The refusals of platform entries, by their track's refusalKey, for each lookup to read. */
  refusedPlatforms: Map<string, string[]>
  /** From digests.state.json: an index digest → platform → image digest. */
  indexes: Map<string, Map<string, string>>
}

/** The file is not what it must be: the file, the JSON path and the rule. */
export class PublishedDigestsError extends Error {
  override name = 'PublishedDigestsError'
}

/** The key of `refused` for an image, a track of it or a platform of that. */
export const refusalKey = (...at: string[]): string => JSON.stringify(at)

/**
 * digests.json text (or `nix eval --json …#ociHashes` output) as Maps. An entry the flake
 * refuses (common/digests-grammar.ts, the same rules the updater and nix/lib.nix apply) is
 * skipped and named in `refused`; only a document that is not an object at all fails whole.
 */
export function parsePublishedDigests(text: string, source: string): PublishedDigests {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new PublishedDigestsError(`${source}: invalid JSON: ${(error as Error).message}`)
  }
  const refused = new Map<string, string>()
  const refusedPlatforms = new Map<string, string[]>()
  for (const { at, message } of digestsViolations(document)) {
    if (at.length === 0) throw new PublishedDigestsError(`${source}: ${message}`)
    refused.set(refusalKey(...at), `${source}: ${message}`)
    if (at.length === 3) {
      appendTo(refusedPlatforms, refusalKey(at[0]!, at[1]!), `${source}: ${message}`)
    }
  }
  const images = new Map<string, ImageTracks>()
  const tree = document as Record<string, Record<string, Record<string, string>>>
  for (const image of Object.keys(tree)) {
    const tracks: ImageTracks = new Map()
    images.set(image, tracks)
    if (refused.has(refusalKey(image))) continue
    for (const track of Object.keys(tree[image]!)) {
      const references: TrackReferences = new Map()
      tracks.set(track, references)
      if (refused.has(refusalKey(image, track))) continue
      const platforms = tree[image]![track]!
      for (const platform of Object.keys(platforms))
        if (!refused.has(refusalKey(image, track, platform)))
          references.set(platform, platforms[platform]!)
    }
  }
  return { source, images, refused, refusedPlatforms, indexes: new Map() }
}

/** One line per refused entry, at most `limit`, then how many more there are. */
export function refusalLines(published: PublishedDigests, limit = 20): string[] {
  const all = [...published.refused.values()]
  const lines = all
    .slice(0, limit)
    .map((message) => `${message}; skipped: the flake refuses this entry`)
  if (all.length > limit)
    lines.push(`${published.source}: ${all.length - limit} more entries refused`)
  return lines
}

/** The state file's index → platform map; absent or unreadable leaves it empty. */
function parseIndexes(text: string): Map<string, Map<string, string>> {
  const indexes = new Map<string, Map<string, string>>()
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    return indexes
  }
  if (!isJsonObject(document) || !isJsonObject(document['images'])) return indexes
  const images = document['images']
  for (const image of Object.keys(images)) {
    const byDigest = images[image]
    if (!isJsonObject(byDigest)) continue
    for (const digest of Object.keys(byDigest)) {
      const platforms = byDigest[digest]
      if (!isJsonObject(platforms)) continue
      const map = new Map<string, string>()
      for (const platform of Object.keys(platforms)) {
        const value = platforms[platform]
        if (typeof value === 'string') map.set(platform, value)
      }
      if (map.size > 0) indexes.set(digest, map)
    }
  }
  return indexes
}

/** digests.json and, when present, the digests.state.json beside it. */
export async function readPublishedDigests(
  path: string,
  display = path
): Promise<PublishedDigests> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new PublishedDigestsError(`${display}: cannot read it: ${(error as Error).message}`)
  }
  const published = parsePublishedDigests(text, display)
  const state = join(dirname(path), `${basename(path).replace(/\.json$/, '')}.state.json`)
  const stateText = await readFile(state, 'utf8').catch(() => null)
  if (stateText !== null) published.indexes = parseIndexes(stateText)
  return published
}

/**
 * Docker's reading of an image name, as the flake's lookup reads it: `nextcloud`,
 * `library/nextcloud` and `index.docker.io/library/nextcloud` are all
 * `docker.io/library/nextcloud`.
 */
export function canonicalImage(name: string): string {
  const slash = name.indexOf('/')
  const first = slash === -1 ? null : name.slice(0, slash)
  const hasRegistry = first !== null && (first === 'localhost' || /[.:]/.test(first))
  const registry = hasRegistry ? first : 'docker.io'
  const path = hasRegistry ? name.slice(slash + 1) : name
  if (['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(registry!))
    return `docker.io/${path.includes('/') ? path : `library/${path}`}`
  return `${registry}/${path}`
}

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 0; i < a.length; i++) {
    const row = [i + 1]
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i] === b[j - 1] ? 0 : 1))
      )
    previous = row
  }
  return previous[b.length]!
}

/**
 * "did you mean …? " for the candidates closest to what was asked (compared as `key` maps them),
 * or nothing when even the closest is more than a third of the name away: the flake's rule.
 */
export function suggest(
  asked: string,
  candidates: readonly string[],
  key: (name: string) => string = (name) => name
): string {
  // In the flake's order (attrNames sorts), whatever order the file had.
  const scored = [...candidates]
    .sort()
    .map((name) => ({ name, d: editDistance(key(asked), key(name)) }))
  const best = scored.reduce((least, s) => Math.min(least, s.d), Infinity)
  const limit = Math.max(1, Math.floor(asked.length / 3))
  if (scored.length === 0 || best > limit) return ''
  const closest = scored.filter((s) => s.d === best).map((s) => JSON.stringify(s.name))
  return `did you mean ${closest.join(' or ')}? `
}

const listOf = (names: readonly string[]): string =>
  names.length === 0 ? '(none)' : [...names].sort().join(', ')

export type ImageLookup =
  | { ok: true; key: string; tracks: ImageTracks }
  | { ok: false; missing: 'image' | 'refused'; message: string }

/** Found under `key`, unless the flake refuses what is there. */
function foundImage(published: PublishedDigests, key: string): ImageLookup {
  const refused = published.refused.get(refusalKey(key))
  if (refused) return { ok: false, missing: 'refused', message: refused }
  return { ok: true, key, tracks: published.images.get(key)! }
}

/** The entry for an image as written, or the one Docker treats as the same image. */
export function findImage(published: PublishedDigests, asked: string): ImageLookup {
  if (published.images.has(asked)) return foundImage(published, asked)
  const keys = [...published.images.keys()]
  const same = keys.filter((key) => canonicalImage(key) === canonicalImage(asked))
  if (same.length === 1) return foundImage(published, same[0]!)
  if (same.length > 1)
    return {
      ok: false,
      missing: 'image',
      message: `image "${asked}" matches several entries of ${published.source} that Docker treats as the same image: ${listOf(same)}; write one of them exactly`
    }
  return {
    ok: false,
    missing: 'image',
    message: `image "${asked}" is not in ${published.source}; ${suggest(asked, keys, canonicalImage)}available images: ${listOf(keys)}`
  }
}

export type TrackLookup =
  | {
      ok: true
      key: string
      references: TrackReferences
      /** Why the flake refuses the track's other platforms, which a host of those cannot use. */
      refusedPlatforms: string[]
    }
  | { ok: false; missing: 'image' | 'track' | 'refused'; message: string }

/**
 * An image's track, with the flake's message and closest names when it is not there, or its
 * refusal when the flake refuses the image or the track.
 */
export function findTrack(published: PublishedDigests, image: string, track: string): TrackLookup {
  const found = findImage(published, image)
  if (!found.ok) return found
  const references = found.tracks.get(track)
  if (references) {
    const refused = published.refused.get(refusalKey(found.key, track))
    if (refused) return { ok: false, missing: 'refused', message: refused }
    const refusedPlatforms = published.refusedPlatforms.get(refusalKey(found.key, track)) ?? []
    return { ok: true, key: found.key, references, refusedPlatforms }
  }
  const tracks = [...found.tracks.keys()]
  return {
    ok: false,
    missing: 'track',
    message: `track "${track}" of image "${found.key}" is not in ${published.source}; ${suggest(track, tracks)}available tracks: ${listOf(tracks)}`
  }
}

// The published data (digests.json, or the flake's ociHashes) as check and pin read it: image →
// track → platform → `name:tag@digest`, held in Maps so a key from a file (`__proto__`,
// `constructor`) is only ever a key, plus the state file's index digests when it lies beside.
import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export type TrackReferences = Map<string, string>
export type ImageTracks = Map<string, TrackReferences>

export interface PublishedDigests {
  /** Where it came from, for messages. */
  source: string
  images: Map<string, ImageTracks>
  /** From digests.state.json: an index digest → platform → image digest. */
  indexes: Map<string, Map<string, string>>
}

/** The file is not what it must be: the file, the JSON path and the rule. */
export class PublishedDigestsError extends Error {
  override name = 'PublishedDigestsError'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Nested objects `depth` deep with string leaves, as Maps; names the first offender. */
function toMaps(
  value: unknown,
  depth: number,
  path: string,
  fail: (path: string, leaf: boolean) => never
): unknown {
  if (depth === 0) return typeof value === 'string' ? value : fail(path, true)
  if (!isObject(value)) return fail(path, false)
  const map = new Map<string, unknown>()
  for (const key of Object.keys(value))
    map.set(key, toMaps(value[key], depth - 1, `${path}[${JSON.stringify(key)}]`, fail))
  return map
}

/** digests.json text (or `nix eval --json …#ociHashes` output) as Maps. */
export function parsePublishedDigests(text: string, source: string): PublishedDigests {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new PublishedDigestsError(`${source}: invalid JSON: ${(error as Error).message}`)
  }
  const fail = (path: string, leaf: boolean): never => {
    throw new PublishedDigestsError(
      `${source}: ${path}: must be ${leaf ? 'a string' : 'an object'} (rule: image → track → platform → reference)`
    )
  }
  const images = toMaps(document, 3, '$', fail) as Map<string, ImageTracks>
  return { source, images, indexes: new Map() }
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
  if (!isObject(document) || !isObject(document['images'])) return indexes
  const images = document['images']
  for (const image of Object.keys(images)) {
    const byDigest = images[image]
    if (!isObject(byDigest)) continue
    for (const digest of Object.keys(byDigest)) {
      const platforms = byDigest[digest]
      if (!isObject(platforms)) continue
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
  const scored = candidates.map((name) => ({ name, d: editDistance(key(asked), key(name)) }))
  const best = scored.reduce((least, s) => Math.min(least, s.d), Infinity)
  const limit = Math.max(1, Math.floor(asked.length / 3))
  if (scored.length === 0 || best > limit) return ''
  const closest = scored.filter((s) => s.d === best).map((s) => JSON.stringify(s.name))
  return `did you mean ${closest.join(' or ')}? `
}

const listOf = (names: readonly string[]): string =>
  names.length === 0 ? '(none)' : [...names].sort().join(', ')

export type ImageLookup =
  { ok: true; key: string; tracks: ImageTracks } | { ok: false; missing: 'image'; message: string }

/** The entry for an image as written, or the one Docker treats as the same image. */
export function findImage(published: PublishedDigests, asked: string): ImageLookup {
  const exact = published.images.get(asked)
  if (exact) return { ok: true, key: asked, tracks: exact }
  const keys = [...published.images.keys()]
  const same = keys.filter((key) => canonicalImage(key) === canonicalImage(asked))
  if (same.length === 1) return { ok: true, key: same[0]!, tracks: published.images.get(same[0]!)! }
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
  | { ok: true; key: string; references: TrackReferences }
  | { ok: false; missing: 'image' | 'track'; message: string }

/** An image's track, with the flake's message and closest names when it is not there. */
export function findTrack(published: PublishedDigests, image: string, track: string): TrackLookup {
  const found = findImage(published, image)
  if (!found.ok) return found
  const references = found.tracks.get(track)
  if (references) return { ok: true, key: found.key, references }
  const tracks = [...found.tracks.keys()]
  return {
    ok: false,
    missing: 'track',
    message: `track "${track}" of image "${found.key}" is not in ${published.source}; ${suggest(track, tracks)}available tracks: ${listOf(tracks)}`
  }
}

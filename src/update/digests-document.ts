import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ImageState, PlatformReferences } from './resolve-image.js'
import type { DigestRecords, ReleaseLinks } from './release-records.js'
import { dictionary, isJsonObject, own, parseJsonData } from '../common/records.js'
import { grammarViolation } from '../common/digests-grammar.js'

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
    // Keys are names from images.json and registries: `constructor` is data, not Object's.
    return parseJsonData(text)
  } catch (error) {
    throw new DocumentError(`${path}: invalid JSON: ${(error as Error).message}`)
  }
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
  if (!isJsonObject(value))
    throw new DocumentError(`${file}: ${path}: must be an object (rule: ${rule})`)
  for (const [key, child] of Object.entries(value))
    checkNested(child, depth - 1, `${path}[${JSON.stringify(key)}]`, file, rule)
}

export function parseDigests(text: string | undefined, path: string): Digests {
  if (text === undefined) return dictionary()
  const document = parseJson(text, path)
  // The flake refuses only the entries outside the grammar; the updater refuses the whole file,
  // since it carries previous entries over and would publish such an entry again.
  const violation = grammarViolation(document)
  if (violation) throw new DocumentError(`${path}: ${violation}`)
  return document as Digests
}

export function parseState(text: string | undefined, path: string): StateDocument {
  if (text === undefined) return { version: 1, images: dictionary() }
  const document = parseJson(text, path)
  if (!isJsonObject(document) || document.version !== 1) {
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
  if (isJsonObject(value)) {
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
    const tracksBefore = own(before, image) ?? {}
    const tracksAfter = own(after, image) ?? {}
    const tracks = [...new Set([...Object.keys(tracksBefore), ...Object.keys(tracksAfter)])].sort()
    for (const track of tracks) {
      const platformsBefore = own(tracksBefore, track) ?? {}
      const platformsAfter = own(tracksAfter, track) ?? {}
      const platforms = [
        ...new Set([...Object.keys(platformsBefore), ...Object.keys(platformsAfter)])
      ].sort()
      for (const platform of platforms) {
        const was = own(platformsBefore, platform)
        const now = own(platformsAfter, platform)
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

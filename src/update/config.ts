import { readFile } from 'node:fs/promises'
import type { ErrorObject } from 'ajv'
// Generated from images-schema.ts when the bundle is built, so no run compiles the schema.
import { validate } from './images-validator.generated.js'
import type semver from 'semver'
import { parseRange } from './tracks/version-policy.js'
import { MAXIMUM_DURATION_DAYS, isDurationSyntax, parseDuration } from './durations.js'
import {
  parseImageReference,
  ImageReferenceError,
  type ImageReference
} from '../registry/image-reference.js'
import { canonicalPlatform, parsePlatform } from '../common/platform.js'
import {
  DEFAULT_TAG_PATTERN,
  TRACK_KINDS,
  parseVersion,
  parseVersionNumbers,
  compareParts,
  type TrackKind,
  type Version
} from './tracks/versions.js'
import { TagPatternError, tagPatternCompiler, type TagPattern } from './tracks/tag-pattern.js'

export const DEFAULT_PLATFORMS = ['linux/amd64', 'linux/arm64']

/** One images.json entry with every default applied and every string parsed. */
export interface ImageConfig {
  reference: ImageReference
  /** Canonical `os/arch[/variant]`, in the order written, without duplicates. */
  platforms: string[]
  tracks: TrackKind[]
  tagPattern: TagPattern
  minVersion?: number[]
  /** `allowedVersions` as semver reads it; versions outside it are not published. */
  allowedVersions?: semver.Range
  tags: string[]
  /**
   * The entry sets its own tagPattern or allowedVersions: it has said what a version is, so a
   * major far above the others is published rather than held back as a date or build number.
   */
  versionsExplicit?: boolean
  /** Written in the Renovate-based flake's format: its `v` keys are kept as aliases. */
  legacy?: boolean
  /** Milliseconds a new digest must have been seen before a track takes it. */
  minimumReleaseAge?: number
  /** Other repositories publishing the same images: content is read there by digest first. */
  alternates?: ImageReference[]
  /** False: this image's platform manifests are neither read for nor kept in manifests.json. */
  manifests?: false
}

interface RawEntry {
  image: string
  platforms?: string[]
  tracks?: TrackKind[]
  tagPattern?: string
  minVersion?: string
  allowedVersions?: string
  minimumReleaseAge?: string
  tags?: string[]
  alternates?: string[]
  manifests?: boolean
  initialMajor?: string[]
  initialMajorMinor?: string[]
  initialMajorMinorPatch?: string[]
}

/** Bad input in images.json; the message names the file, the JSON path and the rule. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export async function loadImagesConfig(path: string): Promise<ImageConfig[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${path}: cannot read: ${(error as Error).message}`)
  }
  return parseImagesConfig(text, path)
}

export async function parseImagesConfig(text: string, file: string): Promise<ImageConfig[]> {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${file}: invalid JSON: ${(error as Error).message}`)
  }
  if (!validate(document)) {
    const problems = (validate.errors ?? []).map(describeSchemaError)
    throw new ConfigError(`${file}: does not match images.schema.json:\n  ${problems.join('\n  ')}`)
  }
  const isArray = Array.isArray(document)
  const entries = (isArray ? document : (document as { images: RawEntry[] }).images) as RawEntry[]
  const seen = new Set<string>()
  const compile = entries.length > 0 ? await tagPatternCompiler() : undefined
  return entries.map((entry, index) => {
    const path = isArray ? `$[${index}]` : `$.images[${index}]`
    const image = toImageConfig(entry, compile!, (field, rule, why) => {
      throw new ConfigError(`${file}: ${path}${field ? `.${field}` : ''}: ${why} (rule: ${rule})`)
    })
    if (seen.has(entry.image)) {
      throw new ConfigError(
        `${file}: ${path}.image: "${entry.image}" is listed twice (rule: unique image)`
      )
    }
    seen.add(entry.image)
    return image
  })
}

type Fail = (field: string, rule: string, why: string) => never

type Compile = (source: string) => TagPattern

function toImageConfig(entry: RawEntry, compile: Compile, fail: Fail): ImageConfig {
  let reference: ImageReference
  try {
    reference = parseImageReference(entry.image)
  } catch (error) {
    if (error instanceof ImageReferenceError) fail('image', 'image reference', error.message)
    throw error
  }

  const platforms: string[] = []
  for (const [index, written] of (entry.platforms ?? DEFAULT_PLATFORMS).entries()) {
    const platform = parsePlatform(written)
    if (!platform) fail(`platforms[${index}]`, 'platform', `"${written}" is not os/arch[/variant]`)
    const canonical = canonicalPlatform(platform)
    if (platforms.includes(canonical)) {
      fail(
        `platforms[${index}]`,
        'unique platform',
        `"${written}" is the same platform as "${canonical}"`
      )
    }
    platforms.push(canonical)
  }

  let tagPattern: TagPattern
  try {
    tagPattern = compile(entry.tagPattern ?? DEFAULT_TAG_PATTERN)
  } catch (error) {
    if (error instanceof TagPatternError) fail('tagPattern', error.rule, error.message)
    throw error
  }

  const legacy = mapLegacyFields(entry, tagPattern, fail)
  const minVersionText = entry.minVersion ?? legacy?.minVersion
  const minVersion = minVersionText === undefined ? undefined : parseVersionNumbers(minVersionText)!
  const tags = [
    ...(entry.tags ?? []),
    ...(legacy?.tags ?? []).filter((tag) => !entry.tags?.includes(tag))
  ]
  const tracks = entry.tracks ?? legacy?.tracks ?? [...TRACK_KINDS]
  const config: ImageConfig = {
    reference,
    platforms,
    tracks,
    tagPattern,
    tags,
    versionsExplicit: entry.tagPattern !== undefined || entry.allowedVersions !== undefined,
    legacy: legacy !== null
  }
  if (minVersion) config.minVersion = minVersion
  if (entry.manifests === false) config.manifests = false
  if (entry.alternates?.length)
    config.alternates = parseAlternates(entry.alternates, reference, fail)
  if (entry.allowedVersions !== undefined) {
    const range = parseRange(entry.allowedVersions)
    if (!range) {
      fail(
        'allowedVersions',
        'semver range',
        `"${entry.allowedVersions}" is not a version range in semver's syntax ("16.x", ">=30 <33", "^1.2")`
      )
    }
    config.allowedVersions = range
  }
  if (entry.minimumReleaseAge !== undefined) {
    const age = parseDuration(entry.minimumReleaseAge)
    if (age === undefined) {
      fail(
        'minimumReleaseAge',
        'duration',
        isDurationSyntax(entry.minimumReleaseAge)
          ? `"${entry.minimumReleaseAge}" is longer than the maximum of ${MAXIMUM_DURATION_DAYS} days`
          : `"${entry.minimumReleaseAge}" is not a duration such as "3d", "12h", "30m" or "1d12h"`
      )
    }
    config.minimumReleaseAge = age
  }
  return config
}

function parseAlternates(written: string[], image: ImageReference, fail: Fail): ImageReference[] {
  return written.map((text, index) => {
    let alternate: ImageReference
    try {
      alternate = parseImageReference(text)
    } catch (error) {
      if (error instanceof ImageReferenceError)
        fail(`alternates[${index}]`, 'image reference', error.message)
      throw error
    }
    if (alternate.registry === image.registry && alternate.repository === image.repository) {
      fail(`alternates[${index}]`, 'not the image itself', `"${text}" is the image itself`)
    }
    return alternate
  })
}

const LEGACY_FIELDS: Array<[keyof RawEntry & `initial${string}`, TrackKind]> = [
  ['initialMajor', 'major'],
  ['initialMajorMinor', 'major-minor'],
  ['initialMajorMinorPatch', 'major-minor-patch']
]

/**
 * The Renovate-based flake listed, per track kind, the tags it started from. A listed version
 * turns its track kind on and the lowest listed version becomes minVersion; anything listed
 * that is not a version under the pattern (`latest`, `main-ollama`) becomes a literal tag.
 */
function mapLegacyFields(
  entry: RawEntry,
  pattern: TagPattern,
  fail: Fail
): { tracks: TrackKind[]; minVersion?: string; tags: string[] } | null {
  const present = LEGACY_FIELDS.filter(([field]) => entry[field] !== undefined)
  if (present.length === 0) return null
  for (const field of ['tracks', 'minVersion'] as const) {
    if (entry[field] !== undefined) {
      fail(
        field,
        'no legacy mix',
        `"${field}" cannot be combined with the legacy initialMajor* fields`
      )
    }
  }
  const tracks: TrackKind[] = []
  const tags: string[] = []
  let lowest: Version | undefined
  for (const [field, kind] of present) {
    for (const tag of entry[field] ?? []) {
      const version = parseVersion(tag, pattern)
      if (!version) {
        if (!tags.includes(tag)) tags.push(tag)
        continue
      }
      if (!tracks.includes(kind)) tracks.push(kind)
      if (!lowest || compareParts(version.parts, lowest.parts) < 0) lowest = version
    }
  }
  const mapped: { tracks: TrackKind[]; minVersion?: string; tags: string[] } = { tracks, tags }
  if (lowest) mapped.minVersion = leadingNumbers(lowest).join('.')
  return mapped
}

function leadingNumbers(version: Version): number[] {
  const numbers: number[] = []
  for (const part of version.parts) {
    if (typeof part !== 'number') break
    numbers.push(part)
  }
  return numbers
}

function describeSchemaError(error: ErrorObject): string {
  const path = jsonPath(error.instancePath)
  const detail =
    error.keyword === 'additionalProperties'
      ? `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`
      : error.keyword === 'enum'
        ? `${error.message}: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
        : (error.message ?? 'is invalid')
  return `${path}: ${detail} (rule: ${error.keyword})`
}

/** `/images/2/platforms/0` → `$.images[2].platforms[0]`. */
function jsonPath(pointer: string): string {
  if (pointer === '') return '$'
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((token) =>
        /^\d+$/.test(token)
          ? `[${token}]`
          : /^[A-Za-z_$][\w$]*$/.test(token)
            ? `.${token}`
            : `[${JSON.stringify(token)}]`
      )
      .join('')
  )
}

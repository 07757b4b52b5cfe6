import { canonicalPlatform, type Platform } from '../common/platform.js'
import { isDigest } from '../common/digest.js'

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'

const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST])

/** True for an image index or manifest list media type (parameters ignored). */
export function isIndexMediaType(mediaType: string): boolean {
  return INDEX_TYPES.has(mediaType.split(';')[0]!.trim())
}
const IMAGE_TYPES = new Set([OCI_MANIFEST, DOCKER_MANIFEST])

/** Everything we can read, so a registry never downgrades us to schema 1. */
export const MANIFEST_ACCEPT = [
  OCI_INDEX,
  DOCKER_MANIFEST_LIST,
  OCI_MANIFEST,
  DOCKER_MANIFEST
].join(', ')

export interface IndexEntry {
  digest: string
  mediaType?: string
  platform?: Platform
  annotations?: Record<string, string>
}

export type Manifest = (
  | { kind: 'index'; manifests: IndexEntry[] }
  | { kind: 'image'; config: { digest: string; mediaType?: string } }
) & { annotations?: Record<string, string> }

/** A manifest with the exact bytes it was parsed from, already verified against its digest. */
export interface ManifestDocument {
  manifest: Manifest
  body: Uint8Array
  /** The Content-Type the registry sent, parameters and all. */
  contentType?: string
}

export class ManifestError extends Error {
  override name = 'ManifestError'
}

/** Parses a manifest body whose bytes were already verified against their digest. */
export function parseManifest(body: Uint8Array, contentType: string | undefined): Manifest {
  let document: Record<string, unknown>
  try {
    document = JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>
  } catch {
    throw new ManifestError('manifest is not JSON')
  }
  if (typeof document !== 'object' || document === null)
    throw new ManifestError('manifest is not a JSON object')
  // The body's own mediaType is authoritative; some registries send a generic Content-Type.
  const declared = typeof document.mediaType === 'string' ? document.mediaType : undefined
  const mediaType = declared ?? contentType?.split(';')[0]?.trim()
  const isIndex = mediaType ? INDEX_TYPES.has(mediaType) : Array.isArray(document.manifests)
  const isImage = mediaType ? IMAGE_TYPES.has(mediaType) : typeof document.config === 'object'
  const annotations = stringMap(document.annotations)
  const extra = annotations ? { annotations } : {}
  if (isIndex) {
    if (!Array.isArray(document.manifests))
      throw new ManifestError('index has no "manifests" array')
    return { kind: 'index', manifests: document.manifests.map(toIndexEntry), ...extra }
  }
  if (isImage) {
    const config = document.config as { digest?: unknown; mediaType?: unknown } | undefined
    if (!config || typeof config.digest !== 'string' || !isDigest(config.digest)) {
      throw new ManifestError('image manifest has no valid config digest')
    }
    return {
      kind: 'image',
      config: {
        digest: config.digest,
        ...(typeof config.mediaType === 'string' ? { mediaType: config.mediaType } : {})
      },
      ...extra
    }
  }
  throw new ManifestError(`unsupported manifest media type ${mediaType ?? '(none)'}`)
}

/** One descriptor of an index, every field we read checked for its type, its place named. */
function toIndexEntry(raw: unknown, position: number): IndexEntry {
  const where = `manifests[${position}]`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ManifestError(`index entry ${where} is not an object`)
  const entry = raw as Record<string, unknown>
  if (typeof entry.digest !== 'string' || !isDigest(entry.digest))
    throw new ManifestError(`index entry ${where} has no valid digest`)
  const named = `index entry ${where} (${entry.digest})`
  const malformed = (field: string, rule: string): ManifestError =>
    new ManifestError(`${named}: ${field} is ${describeType(fieldOf(entry, field))}; ${rule}`)
  if (entry.mediaType !== undefined && typeof entry.mediaType !== 'string')
    throw malformed('mediaType', 'it must be a string')
  const result: IndexEntry = { digest: entry.digest }
  if (typeof entry.mediaType === 'string') result.mediaType = entry.mediaType
  if (entry.platform !== undefined) {
    const platform = entry.platform as Record<string, unknown> | null
    if (typeof platform !== 'object' || platform === null || Array.isArray(platform))
      throw malformed('platform', 'it must be an object')
    for (const field of ['os', 'architecture'])
      if (typeof platform[field] !== 'string')
        throw malformed(`platform.${field}`, 'it must be a string')
    if (platform.variant !== undefined && typeof platform.variant !== 'string')
      throw malformed('platform.variant', 'it must be a string')
    result.platform = {
      os: platform.os as string,
      architecture: platform.architecture as string,
      ...(typeof platform.variant === 'string' ? { variant: platform.variant } : {})
    }
  }
  const annotations = stringMap(entry.annotations)
  if (annotations) result.annotations = annotations
  return result
}

function fieldOf(entry: Record<string, unknown>, path: string): unknown {
  let value: unknown = entry
  for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key]
  return value
}

function describeType(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

/**
 * Whether an entry names an image for a platform we publish. BuildKit's attestation entries
 * (`unknown/unknown`, annotated `vnd.docker.reference.type`) are not images of that platform.
 */
export function namesPlatformImage(entry: IndexEntry): boolean {
  if (!entry.platform?.os || !entry.platform.architecture) return false
  if (entry.annotations?.['vnd.docker.reference.type']) return false
  return entry.platform.os !== 'unknown' && entry.platform.architecture !== 'unknown'
}

/**
 * The image manifest digest an index names for each platform. Attestations and nested indexes
 * are not single-platform images, so both are skipped; so is an entry without the mediaType
 * the OCI image-index spec requires (the client types such entries by reading them first).
 */
export function platformDigests(index: { manifests: IndexEntry[] }): Record<string, string> {
  const byPlatform: Record<string, string> = {}
  for (const entry of index.manifests) {
    if (!namesPlatformImage(entry)) continue
    if (!entry.mediaType || isIndexMediaType(entry.mediaType)) continue
    const platform = canonicalPlatform(entry.platform!)
    // The first entry wins, as it does for `docker pull --platform`.
    byPlatform[platform] ??= entry.digest
  }
  return byPlatform
}

/** The string entries of an annotations or labels object; undefined when there are none. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const entries = Object.entries(value).filter(([, text]) => typeof text === 'string')
  return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, string>) : undefined
}

/** The labels an image config blob carries (`config.Labels`), where OCI annotations also go. */
export function labelsOfConfig(body: Uint8Array): Record<string, string> | undefined {
  try {
    const config = JSON.parse(Buffer.from(body).toString('utf8')) as {
      config?: { Labels?: unknown }
    }
    return stringMap(config.config?.Labels)
  } catch {
    return undefined
  }
}

/** The platform an image config blob declares (`os`, `architecture`, `variant`). */
export function platformOfConfig(body: Uint8Array): string | null {
  try {
    const config = JSON.parse(Buffer.from(body).toString('utf8')) as Partial<Platform>
    if (typeof config.os !== 'string' || typeof config.architecture !== 'string') return null
    const variant = typeof config.variant === 'string' ? config.variant : undefined
    return canonicalPlatform({
      os: config.os,
      architecture: config.architecture,
      ...(variant ? { variant } : {})
    })
  } catch {
    return null
  }
}

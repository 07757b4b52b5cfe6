// manifests.json: every platform manifest digests.json pins, verbatim, keyed by its digest. The
// flake builds an image from it with no second hash: each blob a manifest names is a
// fixed-output fetch of that blob's own digest, and the manifest is checked against the pin.
import { dirname, join } from 'node:path'
import { digestOf } from '../common/digest.js'
import { isIndexMediaType, type ManifestDocument } from '../registry/manifest.js'
import { renderDocument } from './digests-document.js'

export interface PublishedManifest {
  mediaType: string
  /** The manifest's bytes as UTF-8 text, exactly as the registry served them. */
  text: string
}

/** Platform-manifest digest → the manifest. */
export type Manifests = Record<string, PublishedManifest>

/** The manifests file's name beside digests.json, whatever digests.json is called. */
export const MANIFESTS_FILE_NAME = 'manifests.json'

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/

/** `…/digests.json` → `…/manifests.json`, in the same folder. */
export function defaultManifestsPath(digestsPath: string): string {
  return join(dirname(digestsPath), MANIFESTS_FILE_NAME)
}

/** The only digests manifests.json keys: the flake checks texts with `builtins.hashString "sha256"`. */
export function isPublishableDigest(digest: string): boolean {
  return SHA256_DIGEST.test(digest)
}

/** A manifest that cannot be published as text that hashes to its digest. */
export class UnpublishableManifestError extends Error {
  override name = 'UnpublishableManifestError'
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The entry for a platform manifest read by digest. The text must give back the very bytes
 * that were hashed, through UTF-8 and through JSON: otherwise no consumer could check it.
 */
export function publishedManifest(digest: string, document: ManifestDocument): PublishedManifest {
  if (!isPublishableDigest(digest))
    throw new UnpublishableManifestError(`${digest} is not a sha256 digest`)
  const body = Buffer.from(document.body)
  if (digestOf(body) !== digest)
    throw new UnpublishableManifestError(`its bytes hash to ${digestOf(body)}, not ${digest}`)
  if (document.manifest.kind !== 'image')
    throw new UnpublishableManifestError('it is an index, not a platform manifest')
  let text: string
  try {
    text = strictUtf8.decode(body)
  } catch {
    throw new UnpublishableManifestError('its bytes are not UTF-8')
  }
  if (!Buffer.from(text, 'utf8').equals(body) || JSON.parse(JSON.stringify(text)) !== text)
    throw new UnpublishableManifestError('its text does not round-trip through UTF-8 JSON')
  return { mediaType: mediaTypeOf(text, document.contentType), text }
}

/** The body's own mediaType wins, as when it was parsed; then the Content-Type; then OCI's. */
function mediaTypeOf(text: string, contentType: string | undefined): string {
  let declared: unknown
  try {
    declared = (JSON.parse(text) as { mediaType?: unknown }).mediaType
  } catch {
    throw new UnpublishableManifestError('its text is not JSON')
  }
  if (typeof declared === 'string' && declared !== '') return declared
  const sent = contentType?.split(';')[0]?.trim()
  if (sent && !isIndexMediaType(sent) && sent.startsWith('application/vnd.')) return sent
  return 'application/vnd.oci.image.manifest.v1+json'
}

/**
 * The previous manifests.json, each entry re-verified: the file sits on a branch anyone with
 * push access can edit, and an entry is cheap to read again, so whatever does not hash to its
 * key (or is not an entry at all) is dropped with a warning naming it, and read afresh.
 */
export function parseManifests(
  text: string | undefined,
  path: string
): { manifests: Manifests; warnings: string[] } {
  if (text === undefined) return { manifests: {}, warnings: [] }
  const dropped = (where: string, rule: string, why: string): string =>
    `${path}: ${where}: ${why} (rule: ${rule}); dropped, to be read again from the registry`
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    return {
      manifests: {},
      warnings: [dropped('$', 'JSON', `invalid JSON: ${(error as Error).message}`)]
    }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return { manifests: {}, warnings: [dropped('$', 'digest → manifest', 'must be an object')] }
  const manifests: Manifests = {}
  const warnings: string[] = []
  for (const [digest, entry] of Object.entries(document)) {
    const where = `$[${JSON.stringify(digest)}]`
    const problem = entryProblem(digest, entry)
    if (problem) warnings.push(dropped(where, problem.rule, problem.why))
    else {
      const { mediaType, text } = entry as PublishedManifest
      manifests[digest] = { mediaType, text }
    }
  }
  if (warnings.length > MAX_NAMED_DROPS) {
    const more = warnings.length - MAX_NAMED_DROPS
    warnings.splice(MAX_NAMED_DROPS, more, `${path}: ${more} more entries dropped the same way`)
  }
  return { manifests, warnings }
}

/** A forged file of a million bad entries must not become a million warnings. */
const MAX_NAMED_DROPS = 10

function entryProblem(digest: string, entry: unknown): { rule: string; why: string } | undefined {
  if (!isPublishableDigest(digest))
    return { rule: 'sha256 digest key', why: 'the key is not sha256:<64 hex>' }
  const { mediaType, text } = (entry ?? {}) as Partial<Record<string, unknown>>
  if (typeof mediaType !== 'string' || typeof text !== 'string')
    return { rule: 'mediaType and text', why: 'must be an object with string mediaType and text' }
  const actual = digestOf(Buffer.from(text, 'utf8'))
  if (actual !== digest)
    return { rule: 'text hashes to its key', why: `the text hashes to ${actual}` }
  return undefined
}

export function renderManifests(manifests: Manifests): string {
  return renderDocument(manifests)
}

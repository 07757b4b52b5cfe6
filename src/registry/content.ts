// Manifests and blobs: HEAD a tag, GET by digest, and never trust bytes that do not hash to
// the digest they were asked for.
import { digestOf, isDigest } from '../common/digest.js'
import { MANIFEST_ACCEPT, ManifestError, parseManifest, type ManifestDocument } from './manifest.js'
import { type HttpResponse } from './http.js'
import { RegistryError, describeRequest } from './errors.js'
import { expectOk, type RegistrySession } from './session.js'
import { ContentMismatchError } from './content-sources.js'
import type { ImageDeadline } from './image-deadline.js'

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
const MAX_CONFIG_BYTES = 8 * 1024 * 1024

export interface TagHead {
  digest: string
  mediaType?: string
}

/** What registries answer a HEAD they do not serve: Nexus 404, others 405 or 501. */
const HEAD_REFUSED = new Set([404, 405, 501])

/**
 * The digest a tag points at, from a HEAD (Docker Hub does not count HEADs against its pull
 * limit). Null when the tag does not exist. When the registry sends no digest header, or
 * refuses the HEAD (405, 501, or 404 for a tag its tag list names), the manifest is read by
 * tag and hashed, and comes back too so nobody has to fetch it again.
 */
export async function headTag(
  session: RegistrySession,
  repository: string,
  tag: string,
  /** Named by the registry's own tag list: a 404 on HEAD is then doubted. */
  listed: boolean,
  imageDeadline?: ImageDeadline
): Promise<{ head: TagHead; manifest?: ManifestDocument } | null> {
  const url = `${session.endpoint}/v2/${repository}/manifests/${tag}`
  let refused = session.headRefused
  if (!refused) {
    const response = await session.send(
      repository,
      'HEAD',
      url,
      'headManifests',
      0,
      { Accept: MANIFEST_ACCEPT },
      imageDeadline
    )
    if (response.status === 404 && !listed) return null
    refused = HEAD_REFUSED.has(response.status)
    if (!refused) expectOk(response, 'HEAD', url)
    const digest = response.headers['docker-content-digest']
    if (!refused && digest && isDigest(digest)) {
      const mediaType = response.headers['content-type']?.split(';')[0]?.trim()
      return { head: mediaType ? { digest, mediaType } : { digest } }
    }
  }
  // The tag came from the registry's own tag list, so a refused HEAD is no proof it is gone:
  // only a GET that finds nothing either is.
  const fetched = await getManifest(session, repository, tag, imageDeadline, true)
  if (!fetched) return null
  // Remembered only once a GET succeeded, so one tag deleted mid-run does not cost every
  // later tag a GET.
  if (refused) session.headRefused = true
  const header = fetched.response.headers['docker-content-digest']
  const hashed = header && isDigest(header) ? header : digestOf(fetched.response.body)
  verifyBody(fetched.response, hashed, fetched.url)
  return { head: { digest: hashed }, manifest: parse(fetched.response, fetched.url) }
}

/** A manifest by digest, its bytes verified against that digest. */
export async function manifestByDigest(
  session: RegistrySession,
  repository: string,
  digest: string,
  imageDeadline?: ImageDeadline
): Promise<ManifestDocument> {
  const { response, url } = await getManifest(session, repository, digest, imageDeadline)
  verifyBody(response, digest, url)
  return parse(response, url)
}

/** A blob by digest (image configs), its bytes verified against that digest. */
export async function blobByDigest(
  session: RegistrySession,
  repository: string,
  digest: string,
  imageDeadline?: ImageDeadline
): Promise<Buffer> {
  const url = `${session.endpoint}/v2/${repository}/blobs/${digest}`
  const response = await session.send(
    repository,
    'GET',
    url,
    'getBlobs',
    MAX_CONFIG_BYTES,
    {},
    imageDeadline
  )
  expectOk(response, 'GET', url)
  verifyBody(response, digest, url)
  return response.body
}

async function getManifest(
  session: RegistrySession,
  repository: string,
  reference: string,
  imageDeadline: ImageDeadline | undefined
): Promise<{ response: HttpResponse; url: string }>
async function getManifest(
  session: RegistrySession,
  repository: string,
  reference: string,
  imageDeadline: ImageDeadline | undefined,
  missingIsNull: true
): Promise<{ response: HttpResponse; url: string } | null>
async function getManifest(
  session: RegistrySession,
  repository: string,
  reference: string,
  imageDeadline: ImageDeadline | undefined,
  missingIsNull = false
): Promise<{ response: HttpResponse; url: string } | null> {
  const url = `${session.endpoint}/v2/${repository}/manifests/${reference}`
  const response = await session.send(
    repository,
    'GET',
    url,
    'getManifests',
    MAX_MANIFEST_BYTES,
    { Accept: MANIFEST_ACCEPT },
    imageDeadline
  )
  if (missingIsNull && response.status === 404) return null
  expectOk(response, 'GET', url)
  return { response, url }
}

/** Parsed, with the verified bytes kept: whoever publishes the manifest needs them verbatim. */
function parse(response: HttpResponse, url: string): ManifestDocument {
  const contentType = response.headers['content-type']
  try {
    const manifest = parseManifest(response.body, contentType)
    return { manifest, body: response.body, ...(contentType ? { contentType } : {}) }
  } catch (error) {
    if (error instanceof ManifestError)
      throw new RegistryError(describeRequest('GET', url), error.message)
    throw error
  }
}

function verifyBody(response: HttpResponse, expected: string, url: string): void {
  const actual = digestOf(response.body, expected)
  if (actual !== expected) {
    throw new ContentMismatchError(
      describeRequest('GET', url),
      `content does not match its digest: expected ${expected}, got ${actual}`
    )
  }
  const header = response.headers['docker-content-digest']
  if (header && header.startsWith(expected.split(':')[0]!) && header !== expected) {
    throw new ContentMismatchError(
      describeRequest('GET', url),
      `Docker-Content-Digest ${header} differs from the requested ${expected}`
    )
  }
}

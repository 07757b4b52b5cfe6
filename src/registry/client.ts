import { Agent, interceptors, type Dispatcher } from 'undici'
import { Semaphore } from '../common/concurrency.js'
import { digestOf, isDigest } from '../common/digest.js'
import { TAG_PATTERN, defaultEndpoint, imageKey, type ImageReference } from './image-reference.js'
import { MANIFEST_ACCEPT, ManifestError, parseManifest, type Manifest } from './manifest.js'
import {
  basicAuthorization,
  parseChallenges,
  pickChallenge,
  readTokenResponse,
  type CachedToken,
  type Challenge
} from './auth.js'
import {
  DEFAULT_HTTP_POLICY,
  RegistryError,
  describeRequest,
  sendWithRetry,
  statusText,
  type HttpPolicy,
  type HttpResponse
} from './http.js'
import type { Credentials } from './docker-credentials.js'
import type { RequestCounts } from './request-counts.js'

export interface RegistryClientOptions {
  /** Registry name (`docker.io`) → base URL of a mirror or pull-through cache. */
  mirrors?: Record<string, string>
  /** By registry name, or by mirror host for a mirror; only ever sent to that host. */
  credentials?: Map<string, Credentials>
  http?: Partial<HttpPolicy>
  /** Requests in flight to one registry at once. */
  requestsPerRegistry?: number
  /** `n` for tags/list; unset lets the registry choose its page size. */
  tagPageSize?: number
  maxTagPages?: number
  userAgent?: string
}

export interface TagHead {
  digest: string
  mediaType?: string
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024
const MAX_CONFIG_BYTES = 8 * 1024 * 1024
const MAX_TAG_PAGE_BYTES = 16 * 1024 * 1024
const MAX_TOKEN_BYTES = 1024 * 1024
const DEFAULT_MAX_TAG_PAGES = 1000

/** What the client knows about one registry endpoint for the length of a run. */
interface Session {
  endpoint: string
  host: string
  mirrored: boolean
  credentials?: Credentials
  challenge?: Challenge
  tokens: Map<string, Promise<CachedToken>>
  semaphore: Semaphore
  counts: RequestCounts
  /** Set once the registry stopped answering, so later requests fail at once. */
  unreachable?: RegistryError
}

/**
 * A client for the OCI distribution API. Every question is asked at most once per run: answers
 * (and failures) are memoised, so tracks sharing a tag or images sharing a repository cost
 * nothing extra.
 */
export class RegistryClient {
  private readonly policy: HttpPolicy
  private readonly dispatcher: Dispatcher
  private readonly sessions = new Map<string, Session>()
  private readonly memo = new Map<string, Promise<unknown>>()

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.policy = { ...DEFAULT_HTTP_POLICY, ...options.http }
    // Docker Hub answers blob GETs with a redirect to its CDN; undici's redirect interceptor
    // follows it and drops Authorization when the redirect leaves the registry's origin.
    this.dispatcher = new Agent({
      connections: options.requestsPerRegistry ?? 8,
      headersTimeout: this.policy.attemptTimeoutMs,
      bodyTimeout: this.policy.attemptTimeoutMs
    }).compose(interceptors.redirect({ maxRedirections: 5 }))
  }

  async close(): Promise<void> {
    await this.dispatcher.close()
  }

  /** Request counts per registry endpoint host (or registry and mirror host, when mirrored). */
  requestCounts(): Record<string, RequestCounts> {
    const counts: Record<string, RequestCounts> = {}
    for (const [registry, session] of this.sessions) {
      // Two registries mirrored to one host must not share a line.
      const label = session.mirrored ? `${registry} (mirror ${session.host})` : session.host
      counts[label] = { ...session.counts }
    }
    return counts
  }

  /** Every tag of a repository, following `Link: rel="next"` pages. */
  listTags(image: ImageReference): Promise<string[]> {
    return this.once(`tags ${imageKey(image)}`, async () => {
      const session = this.session(image)
      const first = new URL(`${session.endpoint}/v2/${image.repository}/tags/list`)
      if (this.options.tagPageSize) first.searchParams.set('n', String(this.options.tagPageSize))
      const maxPages = this.options.maxTagPages ?? DEFAULT_MAX_TAG_PAGES
      const tags: string[] = []
      const seenPages = new Set<string>()
      let next: string | undefined = first.toString()
      while (next) {
        if (seenPages.has(next)) {
          throw new RegistryError(
            describeRequest('GET', next),
            'Link header points back to a page already read'
          )
        }
        if (seenPages.size >= maxPages) {
          throw new RegistryError(
            describeRequest('GET', next),
            `tag list did not end within ${maxPages} pages`
          )
        }
        seenPages.add(next)
        const response = await this.send(
          session,
          image,
          'GET',
          next,
          'tagListPages',
          MAX_TAG_PAGE_BYTES,
          {
            Accept: 'application/json'
          }
        )
        this.expectOk(response, 'GET', next)
        tags.push(...readTagPage(response.body, next))
        next = nextPage(response.headers.link, next)
      }
      return [...new Set(tags)]
    })
  }

  /**
   * The digest a tag points at, from a HEAD (Docker Hub does not count HEADs against its pull
   * limit). Null when the tag no longer exists.
   */
  headTag(image: ImageReference, tag: string): Promise<TagHead | null> {
    return this.once(`head ${imageKey(image)}:${tag}`, async () => {
      const session = this.session(image)
      const url = `${session.endpoint}/v2/${image.repository}/manifests/${tag}`
      const response = await this.send(session, image, 'HEAD', url, 'headManifests', 0, {
        Accept: MANIFEST_ACCEPT
      })
      if (response.status === 404) return null
      this.expectOk(response, 'HEAD', url)
      const digest = response.headers['docker-content-digest']
      if (digest && isDigest(digest)) {
        const mediaType = response.headers['content-type']?.split(';')[0]?.trim()
        return mediaType ? { digest, mediaType } : { digest }
      }
      // Without the header the only way to learn the digest is to read and hash the body.
      const fetched = await this.fetchByTag(session, image, tag)
      return { digest: fetched.digest }
    })
  }

  /** A manifest by digest, its bytes verified against that digest. */
  manifest(image: ImageReference, digest: string): Promise<Manifest> {
    return this.once(`manifest ${imageKey(image)}@${digest}`, async () => {
      const session = this.session(image)
      const { response, url } = await this.getManifest(session, image, digest)
      verifyBody(response, digest, url)
      return this.parse(response, url)
    })
  }

  /** A blob by digest (image configs), its bytes verified against that digest. */
  blob(image: ImageReference, digest: string): Promise<Buffer> {
    return this.once(`blob ${imageKey(image)}@${digest}`, async () => {
      const session = this.session(image)
      const url = `${session.endpoint}/v2/${image.repository}/blobs/${digest}`
      const response = await this.send(session, image, 'GET', url, 'getBlobs', MAX_CONFIG_BYTES, {})
      this.expectOk(response, 'GET', url)
      verifyBody(response, digest, url)
      return response.body
    })
  }

  private async getManifest(
    session: Session,
    image: ImageReference,
    reference: string
  ): Promise<{ response: HttpResponse; url: string }> {
    const url = `${session.endpoint}/v2/${image.repository}/manifests/${reference}`
    const response = await this.send(
      session,
      image,
      'GET',
      url,
      'getManifests',
      MAX_MANIFEST_BYTES,
      {
        Accept: MANIFEST_ACCEPT
      }
    )
    this.expectOk(response, 'GET', url)
    return { response, url }
  }

  private async fetchByTag(
    session: Session,
    image: ImageReference,
    tag: string
  ): Promise<{ digest: string }> {
    const { response, url } = await this.getManifest(session, image, tag)
    const header = response.headers['docker-content-digest']
    const digest = header && isDigest(header) ? header : digestOf(response.body)
    verifyBody(response, digest, url)
    // Seed the by-digest memo so the manifest is not fetched a second time.
    const parsed = this.parse(response, url)
    this.memo.set(`manifest ${imageKey(image)}@${digest}`, Promise.resolve(parsed))
    return { digest }
  }

  private parse(response: HttpResponse, url: string): Manifest {
    try {
      return parseManifest(response.body, response.headers['content-type'])
    } catch (error) {
      if (error instanceof ManifestError)
        throw new RegistryError(describeRequest('GET', url), error.message)
      throw error
    }
  }

  private expectOk(response: HttpResponse, method: string, url: string): void {
    if (response.status >= 200 && response.status < 300) return
    throw new RegistryError(
      describeRequest(method, url),
      `${response.status} ${statusText(response.status)}${registryErrorDetail(response.body)}`,
      response.status
    )
  }

  private once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined
    if (!promise) {
      promise = compute()
      this.memo.set(key, promise)
    }
    return promise
  }

  private session(image: ImageReference): Session {
    let session = this.sessions.get(image.registry)
    if (!session) {
      const mirror = this.options.mirrors?.[image.registry]
      const endpoint = (mirror ?? defaultEndpoint(image.registry)).replace(/\/+$/, '')
      const host = new URL(endpoint).host
      // Credentials go only to the host they were issued for: a mirror gets its own or none.
      const credentials = this.options.credentials?.get(mirror ? host : image.registry)
      session = {
        endpoint,
        host,
        mirrored: mirror !== undefined,
        tokens: new Map(),
        semaphore: new Semaphore(this.options.requestsPerRegistry ?? 8),
        counts: { tagListPages: 0, headManifests: 0, getManifests: 0, getBlobs: 0, tokens: 0 },
        ...(credentials ? { credentials } : {})
      }
      this.sessions.set(image.registry, session)
    }
    return session
  }

  /**
   * Sends a request with whatever authorization the registry has asked for so far. On a 401
   * it reads the challenge, authenticates (a fresh token even if a cached one has not yet
   * expired by our clock) and tries exactly once more.
   */
  private async send(
    session: Session,
    image: ImageReference,
    method: 'GET' | 'HEAD',
    url: string,
    kind: Exclude<keyof RequestCounts, 'tokens'>,
    maxBytes: number,
    headers: Record<string, string>
  ): Promise<HttpResponse> {
    return session.semaphore.run(async () => {
      if (session.unreachable) {
        throw new RegistryError(
          describeRequest(method, url),
          `not sent: ${session.unreachable.message}`
        )
      }
      const request = async (authorization: string | undefined): Promise<HttpResponse> => {
        const allHeaders: Record<string, string> = { ...headers, 'User-Agent': this.userAgent() }
        if (authorization) allHeaders.Authorization = authorization
        try {
          return await sendWithRetry(
            this.dispatcher,
            { method, url, headers: allHeaders, maxBytes },
            this.policy,
            () => {
              session.counts[kind]++
            }
          )
        } catch (error) {
          if (error instanceof RegistryError && error.unreachable) session.unreachable = error
          throw error
        }
      }
      let response = await request(await this.authorization(session, image, false))
      if (response.status !== 401) return response
      const challenge = pickChallenge(parseChallenges(response.headers['www-authenticate']))
      if (!challenge) return response
      session.challenge = challenge
      response = await request(await this.authorization(session, image, true))
      if (response.status === 401) {
        const who = session.credentials
          ? `the credentials for ${session.host} were refused`
          : `anonymous access was refused (log in with docker login ${session.host})`
        throw new RegistryError(describeRequest(method, url), `401 Unauthorized: ${who}`, 401)
      }
      return response
    })
  }

  private async authorization(
    session: Session,
    image: ImageReference,
    refresh: boolean
  ): Promise<string | undefined> {
    const challenge = session.challenge
    if (!challenge) return undefined
    if (challenge.scheme === 'basic') {
      if (!session.credentials) {
        throw new RegistryError(
          describeRequest('GET', `${session.endpoint}/v2/`),
          `the registry requires a login (docker login ${session.host})`,
          401
        )
      }
      return basicAuthorization(session.credentials.username, session.credentials.password)
    }
    const scope = `repository:${image.repository}:pull`
    let pending = session.tokens.get(scope)
    if (pending && !refresh) {
      const cached = await pending.catch(() => undefined)
      if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`
    }
    pending = this.fetchToken(session, challenge, scope)
    session.tokens.set(scope, pending)
    return `Bearer ${(await pending).token}`
  }

  private async fetchToken(
    session: Session,
    challenge: Challenge,
    scope: string
  ): Promise<CachedToken> {
    const realm = new URL(challenge.params.realm!)
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service)
    realm.searchParams.set('scope', scope)
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.userAgent()
    }
    if (session.credentials) {
      headers.Authorization = basicAuthorization(
        session.credentials.username,
        session.credentials.password
      )
    }
    const url = realm.toString()
    const response = await sendWithRetry(
      this.dispatcher,
      { method: 'GET', url, headers, maxBytes: MAX_TOKEN_BYTES },
      this.policy,
      () => {
        session.counts.tokens++
      }
    )
    if (response.status !== 200) {
      const why = response.status === 401 ? ` (credentials for ${session.host} refused)` : ''
      throw new RegistryError(
        describeRequest('GET', url),
        `token service answered ${response.status} ${statusText(response.status)}${why}`,
        response.status
      )
    }
    const token = readTokenResponse(response.body)
    if (!token)
      throw new RegistryError(describeRequest('GET', url), 'token service answered without a token')
    return token
  }

  private userAgent(): string {
    return this.options.userAgent ?? 'nix-oci-hashes'
  }
}

function verifyBody(response: HttpResponse, expected: string, url: string): void {
  const actual = digestOf(response.body, expected)
  if (actual !== expected) {
    throw new RegistryError(
      describeRequest('GET', url),
      `content does not match its digest: expected ${expected}, got ${actual}`
    )
  }
  const header = response.headers['docker-content-digest']
  if (header && header.startsWith(expected.split(':')[0]!) && header !== expected) {
    throw new RegistryError(
      describeRequest('GET', url),
      `Docker-Content-Digest ${header} differs from the requested ${expected}`
    )
  }
}

function readTagPage(body: Buffer, url: string): string[] {
  let document: { tags?: unknown }
  try {
    document = JSON.parse(body.toString('utf8')) as { tags?: unknown }
  } catch {
    throw new RegistryError(describeRequest('GET', url), 'tag list is not JSON')
  }
  // Distribution answers `"tags": null` for a repository whose tags were all deleted.
  if (document.tags === null || document.tags === undefined) return []
  if (!Array.isArray(document.tags) || !document.tags.every((tag) => typeof tag === 'string')) {
    throw new RegistryError(describeRequest('GET', url), 'tag list has no "tags" array of strings')
  }
  // Only names the distribution spec allows as tags, so a tag can never reshape a URL.
  return (document.tags as string[]).filter((tag) => TAG_PATTERN.test(tag))
}

/** The `rel="next"` target of a Link header, resolved against the page it came with. */
export function nextPage(link: string | undefined, current: string): string | undefined {
  if (!link) return undefined
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)/.exec(part.trim())
    if (match && /;\s*rel="?next"?/i.test(match[2]!)) return new URL(match[1]!, current).toString()
  }
  return undefined
}

function registryErrorDetail(body: Buffer): string {
  try {
    const document = JSON.parse(body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>
    }
    const first = document.errors?.[0]
    if (first?.code) return ` (${first.code}${first.message ? `: ${first.message}` : ''})`
  } catch {
    // Not a distribution error body; the status says enough.
  }
  return ''
}

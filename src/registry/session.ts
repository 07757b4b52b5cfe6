// One registry endpoint for the length of a run: where it is, who we are to it, how many
// requests it may have in flight, what it was asked. Every request to a registry goes through
// RegistrySession.send, so limits and counts per registry belong here.
import { Semaphore } from '../common/concurrency.js'
import {
  credentialsAuthorization,
  describeRefusal,
  describeSent,
  errorDetail,
  fetchToken,
  parseChallenges,
  pickChallenge,
  type CachedToken,
  type Challenge
} from './auth.js'
import type { Credentials } from './docker-credentials.js'
import { sendWithRetry, statusText, type HttpResponse, type Transport } from './http.js'
import { PullQuotaDeferral, RegistryError, describeRequest } from './errors.js'
import type { RequestCounts } from './request-counts.js'
import { PullBudget } from './pull-budget.js'

export interface Endpoint {
  /** Base URL requests go to: the registry's own, or its mirror's. */
  endpoint: string
  host: string
  mirrored: boolean
  credentials?: Credentials
}

export class RegistrySession {
  readonly endpoint: string
  readonly host: string
  readonly mirrored: boolean
  private readonly origin: string
  readonly counts: RequestCounts = {
    tagListPages: 0,
    headManifests: 0,
    getManifests: 0,
    getBlobs: 0,
    tokens: 0
  }
  readonly budget: PullBudget
  /**
   * Set once the registry refused a HEAD for a tag its own tag list names (Nexus answers 404,
   * others 405 or 501), so later tags go straight to a GET.
   */
  headRefused = false
  private readonly credentials: Credentials | undefined
  private readonly semaphore: Semaphore
  private readonly auths = new Map<string, OriginAuth>()
  /** Set once the registry stopped answering, so later requests fail at once. */
  private unreachable: RegistryError | undefined

  constructor(
    where: Endpoint,
    private readonly transport: Transport,
    requestsAtOnce: number,
    pullReserve: number
  ) {
    this.budget = new PullBudget(pullReserve)
    this.endpoint = where.endpoint
    this.host = where.host
    this.mirrored = where.mirrored
    this.origin = new URL(where.endpoint).origin
    this.credentials = where.credentials
    this.semaphore = new Semaphore(requestsAtOnce)
  }

  /**
   * Sends a request with whatever authorization its origin has asked for so far. On a 401 it
   * reads the challenge (from `/v2/` when the 401 carried none, as older registries answer),
   * authenticates (a fresh token even if a cached one has not yet expired by our clock) and
   * tries exactly once more.
   */
  send(
    repository: string,
    method: 'GET' | 'HEAD',
    url: string,
    kind: Exclude<keyof RequestCounts, 'tokens'>,
    maxBytes: number,
    headers: Record<string, string>
  ): Promise<HttpResponse> {
    return this.semaphore.run(async () => {
      if (this.unreachable) {
        throw new RegistryError(
          describeRequest(method, url),
          `not sent: ${this.unreachable.message}`
        )
      }
      // Taken when the request gets its turn, so the figures of every answer before it count.
      if (kind === 'getManifests' || kind === 'getBlobs') {
        this.budget.take(method, url, kind === 'getManifests')
      }
      const request = async (
        target: string,
        authorization: string | undefined
      ): Promise<HttpResponse> => {
        const allHeaders: Record<string, string> = {
          ...headers,
          'User-Agent': this.transport.userAgent
        }
        if (authorization) allHeaders.Authorization = authorization
        try {
          const response = await sendWithRetry(
            this.transport.dispatcher,
            { method, url: target, headers: allHeaders, maxBytes, manualRedirects: true },
            this.transport.policy,
            () => {
              this.counts[kind]++
            }
          )
          if (kind === 'headManifests' || kind === 'getManifests')
            this.budget.observe(response.headers)
          return response
        } catch (error) {
          if (error instanceof PullQuotaDeferral) this.budget.exhaust(error.quota)
          if (error instanceof RegistryError && error.unreachable) this.unreachable = error
          throw error
        }
      }
      // Redirects are followed here, not by undici, so each origin gets its own challenge and
      // token (a gateway in front of GHCR), and none gets another's credentials.
      let target = url
      for (let hop = 0; ; hop++) {
        const response = await this.authorized(repository, method, target, request)
        const location = REDIRECTS.has(response.status) ? response.headers.location : undefined
        if (!location) return response
        if (hop === MAX_REDIRECTS) {
          throw new RegistryError(
            describeRequest(method, url),
            `more than ${MAX_REDIRECTS} redirects`
          )
        }
        target = new URL(location, target).toString()
      }
    })
  }

  /** One hop: the request, and on a 401 the challenge answered and the request sent again. */
  private async authorized(
    repository: string,
    method: string,
    url: string,
    request: (target: string, authorization: string | undefined) => Promise<HttpResponse>
  ): Promise<HttpResponse> {
    const auth = this.originAuth(url)
    // The first request to an origin finds out whether it wants a token; the others sent
    // meanwhile wait for that answer only (not its token and retry), so a token registry
    // refuses one request, not one per image, and each then asks its own token at once.
    let probe: (() => void) | undefined
    if (!auth.challenge && !auth.answered) {
      if (auth.probing) await auth.probing
      else auth.probing = new Promise<void>((resolve) => (probe = resolve))
    }
    let response: HttpResponse
    try {
      response = await request(url, await this.authorization(auth, repository, url, false))
      if (response.status !== 401) {
        auth.answered = true
        return response
      }
      const challenge =
        pickChallenge(parseChallenges(response.headers['www-authenticate'])) ??
        (auth.own ? await this.ping() : undefined)
      if (!challenge || (!auth.own && challenge.scheme === 'basic')) {
        // A Link or Location to another origin is followed without our credentials or token,
        // as go-containerregistry does: that host was never trusted with them.
        const why = auth.own
          ? `no challenge came with it, nor from ${this.endpoint}/v2/`
          : `this host is not ${this.host}, so it gets no credentials or token`
        throw new RegistryError(describeRequest(method, url), `401 Unauthorized: ${why}`, 401)
      }
      auth.challenge = challenge
    } finally {
      if (probe) {
        // Whatever the first answer, the requests held for it go on: after a failure each
        // finds out for itself rather than waiting for a turn.
        auth.probing = undefined
        probe()
      }
    }
    const sent = await this.authorization(auth, repository, url, true)
    response = await request(url, sent)
    if (response.status === 401) {
      const hint = auth.credentials || !auth.own ? '' : ` (log in with docker login ${this.host})`
      throw new RegistryError(
        describeRequest(method, url),
        `401 Unauthorized${errorDetail(response.body)} to a request ${this.describeAuthorization(auth, repository)}: ${describeRefusal(auth.credentials, auth.host)}${hint}`,
        401
      )
    }
    return response
  }

  /** Who we are to an origin: our credentials at the registry's own, nobody anywhere else. */
  private originAuth(url: string): OriginAuth {
    const origin = new URL(url).origin
    let auth = this.auths.get(origin)
    if (!auth) {
      const own = origin === this.origin
      auth = {
        own,
        host: new URL(url).host,
        tokens: new Map(),
        ...(own && this.credentials ? { credentials: this.credentials } : {})
      }
      this.auths.set(origin, auth)
    }
    return auth
  }

  /** `GET /v2/` without credentials, for the challenge a 401 elsewhere left out. */
  private async ping(): Promise<Challenge | undefined> {
    const response = await sendWithRetry(
      this.transport.dispatcher,
      {
        method: 'GET',
        url: `${this.endpoint}/v2/`,
        headers: { 'User-Agent': this.transport.userAgent },
        maxBytes: 64 * 1024
      },
      this.transport.policy,
      // Counted with token requests: both are the price of authenticating.
      () => {
        this.counts.tokens++
      }
    )
    return pickChallenge(parseChallenges(response.headers['www-authenticate']))
  }

  private describeAuthorization(auth: OriginAuth, repository: string): string {
    const challenge = auth.challenge!
    if (challenge.scheme === 'basic') return describeSent(auth.credentials, auth.host)
    const realm = new URL(challenge.params.realm!, `${this.endpoint}/`)
    const scopes = auth.tokens.get(repository)?.scopes.join(' ') ?? ''
    return `with a Bearer token for ${scopes} from ${realm.origin}${realm.pathname}, asked ${describeSent(auth.credentials, auth.host)}`
  }

  private async authorization(
    auth: OriginAuth,
    repository: string,
    url: string,
    refresh: boolean
  ): Promise<string | undefined> {
    const challenge = auth.challenge
    if (!challenge) return undefined
    if (challenge.scheme === 'basic') {
      if (!auth.credentials) {
        throw new RegistryError(
          describeRequest('GET', `${this.endpoint}/v2/`),
          `the registry requires a login (docker login ${this.host})`,
          401
        )
      }
      return credentialsAuthorization(
        auth.credentials,
        auth.host,
        describeRequest('GET', `${this.endpoint}/v2/`)
      )
    }
    // The scope the registry named (ACR asks metadata_read for tags/list) joins the pull scope.
    const wanted = [`repository:${repository}:pull`]
    if (refresh) wanted.push(...(challenge.params.scope?.split(' ').filter((s) => s) ?? []))
    const cached = auth.tokens.get(repository)
    if (cached && !refresh && wanted.every((scope) => cached.scopes.includes(scope))) {
      const token = await cached.pending.catch(() => undefined)
      if (token && token.expiresAt > Date.now()) return `Bearer ${token.token}`
    }
    const scopes = [...new Set([...(cached?.scopes ?? []), ...wanted])]
    const pending = fetchToken(
      this.transport,
      {
        challenge,
        scopes,
        host: auth.host,
        base: url,
        ...(auth.credentials ? { credentials: auth.credentials } : {})
      },
      () => {
        this.counts.tokens++
      }
    )
    auth.tokens.set(repository, { scopes, pending })
    return `Bearer ${(await pending).token}`
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

/** What one origin asked of us and granted us. */
interface OriginAuth {
  own: boolean
  host: string
  credentials?: Credentials
  challenge?: Challenge
  /** The first request's answer, while it is awaited. */
  probing?: Promise<void>
  /** Set once the origin answered without asking to authenticate. */
  answered?: boolean
  /** By repository: the scopes asked for so far, and the token they got. */
  tokens: Map<string, { scopes: string[]; pending: Promise<CachedToken> }>
}

/** Throws unless the registry answered 2xx, with the distribution error code when it sent one. */
export function expectOk(response: HttpResponse, method: string, url: string): void {
  if (response.status >= 200 && response.status < 300) return
  throw new RegistryError(
    describeRequest(method, url),
    `${response.status} ${statusText(response.status)}${errorDetail(response.body)}`,
    response.status
  )
}

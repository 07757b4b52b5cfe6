// One registry endpoint for the length of a run: where it is, who we are to it, how many
// requests it may have in flight, what it was asked. Every request to a registry goes through
// RegistrySession.send, so limits and counts per registry belong here.
import { Semaphore } from '../common/concurrency.js'
import { describeRefusal, errorDetail, pickChallenge, type Challenge } from './auth.js'
import {
  authorizationFor,
  describeAuthorization,
  holdForFirstAnswer,
  readChallenges,
  type OriginAuth
} from './origin-auth.js'
import type { Credentials } from './docker-credentials.js'
import { sendWithRetry, statusText, type HttpResponse, type Transport } from './http.js'
import type { ImageDeadline } from './image-deadline.js'
import { PullQuotaDeferral, RegistryError, describeRequest } from './errors.js'
import { resolveHttpUrl } from './http-urls.js'
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
  /** Answers of any status so far, to tell a silent registry from a silent repository. */
  private answers = 0

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
    headers: Record<string, string>,
    imageDeadline?: ImageDeadline
  ): Promise<HttpResponse> {
    return this.semaphore.run(async () => {
      imageDeadline?.check(describeRequest(method, url))
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
      const request: Requester = async (target, authorization, onFailedAttempt) => {
        const allHeaders: Record<string, string> = {
          ...headers,
          'User-Agent': this.transport.userAgent
        }
        if (authorization) allHeaders.Authorization = authorization
        const answersBefore = this.answers
        try {
          const response = await sendWithRetry(
            this.transport.dispatcher,
            {
              method,
              url: target,
              headers: allHeaders,
              maxBytes,
              manualRedirects: true,
              ...(imageDeadline ? { imageDeadline } : {})
            },
            this.transport.policy,
            () => {
              this.counts[kind]++
            },
            onFailedAttempt
          )
          this.answered()
          if (kind === 'headManifests' || kind === 'getManifests')
            this.budget.observe(response.headers)
          return response
        } catch (error) {
          if (error instanceof PullQuotaDeferral) this.budget.exhaust(error.quota)
          if (error instanceof RegistryError && error.unreachable) {
            // Only a registry silent to everyone is unreachable: while others' requests were
            // answered, the silence belongs to this request's repository alone.
            if (this.answers === answersBefore) this.unreachable = error
          } else if (error instanceof RegistryError && error.status !== undefined) this.answered()
          throw error
        }
      }
      // Redirects are followed here, not by undici, so each origin gets its own challenge and
      // token (a gateway in front of GHCR), and none gets another's credentials.
      let target = url
      for (let hop = 0; ; hop++) {
        const response = await this.authorized(repository, method, target, request, imageDeadline)
        const location = REDIRECTS.has(response.status) ? response.headers.location : undefined
        if (!location) return response
        if (hop === MAX_REDIRECTS) {
          throw new RegistryError(
            describeRequest(method, url),
            `more than ${MAX_REDIRECTS} redirects`
          )
        }
        const label = describeRequest(method, target)
        target = resolveHttpUrl(location, target, label, 'the redirect Location').toString()
      }
    })
  }

  /** One hop: the request, and on a 401 the challenge answered and the request sent again. */
  private async authorized(
    repository: string,
    method: string,
    url: string,
    request: Requester,
    imageDeadline: ImageDeadline | undefined
  ): Promise<HttpResponse> {
    const auth = this.originAuth(url)
    // The first request to an origin finds out whether it wants a token; the others sent
    // meanwhile wait for that answer only (not its token and retry), so a token registry
    // refuses one request, not one per image, and each then asks its own token at once. They
    // wait no longer than the first attempt takes to fail, nor than PROBE_WAIT_MS: a stalled
    // or failing first request must not hold back another image's.
    let release: (() => void) | undefined
    if (!auth.challenge && !auth.answered) {
      if (auth.probing) await auth.probing
      else release = holdForFirstAnswer(auth)
    }
    let response: HttpResponse
    try {
      response = await request(
        url,
        await this.authorization(auth, repository, url, false, imageDeadline),
        release
      )
      if (response.status !== 401) {
        auth.answered = true
        return response
      }
      const challenge =
        pickChallenge(readChallenges(response.headers['www-authenticate'], method, url)) ??
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
      // Whatever the first answer, the requests held for it go on: after a failure each
      // finds out for itself rather than waiting for a turn.
      release?.()
    }
    const sent = await this.authorization(auth, repository, url, true, imageDeadline)
    response = await request(url, sent)
    if (response.status === 401) {
      const hint = auth.credentials || !auth.own ? '' : ` (log in with docker login ${this.host})`
      throw new RegistryError(
        describeRequest(method, url),
        `401 Unauthorized${errorDetail(response.body)} to a request ${describeAuthorization(auth, repository, this.endpoint)}: ${describeRefusal(auth.credentials, auth.host)}${hint}`,
        401
      )
    }
    return response
  }

  /** The registry answered: it is reachable, whatever an earlier silence suggested. */
  private answered(): void {
    this.answers++
    this.unreachable = undefined
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
    return pickChallenge(
      readChallenges(response.headers['www-authenticate'], 'GET', `${this.endpoint}/v2/`)
    )
  }

  private authorization(
    auth: OriginAuth,
    repository: string,
    url: string,
    refresh: boolean,
    imageDeadline: ImageDeadline | undefined
  ): Promise<string | undefined> {
    return authorizationFor(auth, {
      transport: this.transport,
      endpoint: this.endpoint,
      host: this.host,
      repository,
      url,
      refresh,
      ...(imageDeadline ? { imageDeadline } : {}),
      onTokenRequest: () => {
        this.counts.tokens++
      }
    })
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5
type Requester = (
  target: string,
  authorization: string | undefined,
  /** Called as an attempt fails in a way worth retrying. */
  onFailedAttempt?: () => void
) => Promise<HttpResponse>

/** Throws unless the registry answered 2xx, with the distribution error code when it sent one. */
export function expectOk(response: HttpResponse, method: string, url: string): void {
  if (response.status >= 200 && response.status < 300) return
  throw new RegistryError(
    describeRequest(method, url),
    `${response.status} ${statusText(response.status)}${errorDetail(response.body)}`,
    response.status
  )
}

// One registry endpoint for the length of a run: where it is, how many requests it may have in
// flight, what it was asked. Every request to a registry goes through RegistrySession.send, so
// limits and counts per registry belong here; who we are to it is auth/'s concern.
import { Semaphore } from '../common/concurrency.js'
import { Authenticator, type Requester } from './auth/authenticator.js'
import type { Credentials } from './credentials.js'
import { sendWithRetry, statusText, type HttpResponse, type Transport } from './http.js'
import type { ImageDeadline } from './image-deadline.js'
import { PullQuotaDeferral, RegistryError, describeRequest, errorDetail } from './errors.js'
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
  private readonly semaphore: Semaphore
  private readonly authenticator: Authenticator
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
    this.semaphore = new Semaphore(requestsAtOnce)
    this.authenticator = new Authenticator({
      transport,
      endpoint: where.endpoint,
      host: where.host,
      ...(where.credentials ? { credentials: where.credentials } : {}),
      onTokenRequest: () => {
        this.counts.tokens++
      }
    })
  }

  /**
   * Sends a request in one of the registry's slots, within its pull budget, following
   * redirects; each hop is authorized by the Authenticator (a 401 answered and tried once more).
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
        const response = await this.authenticator.send(
          repository,
          method,
          target,
          request,
          imageDeadline
        )
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

  /** The registry answered: it is reachable, whatever an earlier silence suggested. */
  private answered(): void {
    this.answers++
    this.unreachable = undefined
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

/** Throws unless the registry answered 2xx, with the distribution error code when it sent one. */
export function expectOk(response: HttpResponse, method: string, url: string): void {
  if (response.status >= 200 && response.status < 300) return
  throw new RegistryError(
    describeRequest(method, url),
    `${response.status} ${statusText(response.status)}${errorDetail(response.body)}`,
    response.status
  )
}

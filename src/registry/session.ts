// One registry endpoint for the length of a run: where it is, who we are to it, how many
// requests it may have in flight, what it was asked. Every request to a registry goes through
// RegistrySession.send, so limits and counts per registry belong here.
import { Semaphore } from '../common/concurrency.js'
import {
  credentialsAuthorization,
  fetchToken,
  parseChallenges,
  pickChallenge,
  type CachedToken,
  type Challenge
} from './auth.js'
import type { Credentials } from './docker-credentials.js'
import {
  PullQuotaDeferral,
  RegistryError,
  describeRequest,
  sendWithRetry,
  statusText,
  type HttpResponse,
  type Transport
} from './http.js'
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
  private readonly tokens = new Map<string, Promise<CachedToken>>()
  private challenge: Challenge | undefined
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
   * Sends a request with whatever authorization the registry has asked for so far. On a 401
   * it reads the challenge, authenticates (a fresh token even if a cached one has not yet
   * expired by our clock) and tries exactly once more.
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
      const request = async (authorization: string | undefined): Promise<HttpResponse> => {
        const allHeaders: Record<string, string> = {
          ...headers,
          'User-Agent': this.transport.userAgent
        }
        if (authorization) allHeaders.Authorization = authorization
        try {
          const response = await sendWithRetry(
            this.transport.dispatcher,
            { method, url, headers: allHeaders, maxBytes },
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
      // A Link or Location to another origin is followed without our credentials or token,
      // as go-containerregistry does: that host was never trusted with them.
      if (new URL(url).origin !== this.origin) {
        const response = await request(undefined)
        if (response.status !== 401) return response
        throw new RegistryError(
          describeRequest(method, url),
          `401 Unauthorized: this host is not ${this.host}, so it gets no credentials or token`,
          401
        )
      }
      let response = await request(await this.authorization(repository, false))
      if (response.status !== 401) return response
      const challenge = pickChallenge(parseChallenges(response.headers['www-authenticate']))
      if (!challenge) return response
      this.challenge = challenge
      response = await request(await this.authorization(repository, true))
      if (response.status === 401) {
        const who = this.credentials
          ? `the credentials for ${this.host} were refused`
          : `anonymous access was refused (log in with docker login ${this.host})`
        throw new RegistryError(describeRequest(method, url), `401 Unauthorized: ${who}`, 401)
      }
      return response
    })
  }

  private async authorization(repository: string, refresh: boolean): Promise<string | undefined> {
    const challenge = this.challenge
    if (!challenge) return undefined
    if (challenge.scheme === 'basic') {
      if (!this.credentials) {
        throw new RegistryError(
          describeRequest('GET', `${this.endpoint}/v2/`),
          `the registry requires a login (docker login ${this.host})`,
          401
        )
      }
      return credentialsAuthorization(
        this.credentials,
        this.host,
        describeRequest('GET', `${this.endpoint}/v2/`)
      )
    }
    const scope = `repository:${repository}:pull`
    let pending = this.tokens.get(scope)
    if (pending && !refresh) {
      const cached = await pending.catch(() => undefined)
      if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`
    }
    pending = fetchToken(
      this.transport,
      {
        challenge,
        scope,
        host: this.host,
        ...(this.credentials ? { credentials: this.credentials } : {})
      },
      () => {
        this.counts.tokens++
      }
    )
    this.tokens.set(scope, pending)
    return `Bearer ${(await pending).token}`
  }
}

/** Throws unless the registry answered 2xx, with the distribution error code when it sent one. */
export function expectOk(response: HttpResponse, method: string, url: string): void {
  if (response.status >= 200 && response.status < 300) return
  throw new RegistryError(
    describeRequest(method, url),
    `${response.status} ${statusText(response.status)}${registryErrorDetail(response.body)}`,
    response.status
  )
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

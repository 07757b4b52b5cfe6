// The token logic's one entry point: a session hands each hop of a request here, and this
// answers the origin's challenge (Basic, or a Bearer token for the repository's scopes), sends
// the request again once after a 401, and holds requests to a new origin for its first answer.
// The session keeps request slots, budgets, counts and redirects.
import { describeRefusal } from './basic.js'
import { pickChallenge, readChallenges, type Challenge } from './challenge.js'
import type { Credentials } from '../credentials.js'
import { RegistryError, describeRequest, errorDetail } from '../errors.js'
import { sendWithRetry, type HttpResponse, type Transport } from '../http.js'
import type { ImageDeadline } from '../image-deadline.js'
import { describeAuthorization, holdForFirstAnswer, type OriginAuth } from './origin.js'
import { authorizationFor } from './tokens.js'

/** One attempt at a hop, with the Authorization header given (or none). */
export type Requester = (
  target: string,
  authorization: string | undefined,
  /** Called as an attempt fails in a way worth retrying. */
  onFailedAttempt?: () => void
) => Promise<HttpResponse>

export interface AuthenticatorOptions {
  transport: Transport
  /** The session's registry (or mirror): its origin alone gets the credentials. */
  endpoint: string
  host: string
  credentials?: Credentials
  /** Counts each token request and each `/v2/` ping: the price of authenticating. */
  onTokenRequest: () => void
}

export class Authenticator {
  private readonly origin: string
  private readonly auths = new Map<string, OriginAuth>()

  constructor(private readonly options: AuthenticatorOptions) {
    this.origin = new URL(options.endpoint).origin
  }

  /**
   * One hop: the request with whatever authorization its origin has asked for so far. On a 401
   * it reads the challenge (from `/v2/` when the 401 carried none, as older registries answer),
   * authenticates (a fresh token even if a cached one has not yet expired by our clock) and
   * tries exactly once more.
   */
  async send(
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
    // wait no longer than the first attempt takes to fail, nor than the probe's bounded wait:
    // a stalled or failing first request must not hold back another image's.
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
          ? `no challenge came with it, nor from ${this.options.endpoint}/v2/`
          : `this host is not ${this.options.host}, so it gets no credentials or token`
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
      const hint =
        auth.credentials || !auth.own ? '' : ` (log in with docker login ${this.options.host})`
      throw new RegistryError(
        describeRequest(method, url),
        `401 Unauthorized${errorDetail(response.body)} to a request ${describeAuthorization(auth, repository, this.options.endpoint)}: ${describeRefusal(auth.credentials, auth.host)}${hint}`,
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
        ...(own && this.options.credentials ? { credentials: this.options.credentials } : {})
      }
      this.auths.set(origin, auth)
    }
    return auth
  }

  /** `GET /v2/` without credentials, for the challenge a 401 elsewhere left out. */
  private async ping(): Promise<Challenge | undefined> {
    const { transport, endpoint, onTokenRequest } = this.options
    const response = await sendWithRetry(
      transport.dispatcher,
      {
        method: 'GET',
        url: `${endpoint}/v2/`,
        headers: { 'User-Agent': transport.userAgent },
        maxBytes: 64 * 1024
      },
      transport.policy,
      onTokenRequest
    )
    return pickChallenge(
      readChallenges(response.headers['www-authenticate'], 'GET', `${endpoint}/v2/`)
    )
  }

  private authorization(
    auth: OriginAuth,
    repository: string,
    url: string,
    refresh: boolean,
    imageDeadline: ImageDeadline | undefined
  ): Promise<string | undefined> {
    // The credentials ride along unread: the origin's own auth says who gets them.
    return authorizationFor(auth, {
      ...this.options,
      repository,
      url,
      refresh,
      ...(imageDeadline ? { imageDeadline } : {})
    })
  }
}

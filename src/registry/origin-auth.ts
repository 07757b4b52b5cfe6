// Who we are to one origin a session's requests reach: the challenge it sent, the tokens it
// granted, and the wait for its first answer. RegistrySession decides when; this says how.
import {
  credentialsAuthorization,
  describeSent,
  MalformedChallenge,
  parseChallenges,
  type Challenge
} from './auth.js'
import type { Credentials } from './docker-credentials.js'
import { RegistryError, describeRequest } from './errors.js'
import type { Transport } from './http.js'
import type { ImageDeadline } from './image-deadline.js'
import { fetchToken, type CachedToken } from './token-service.js'

/** What one origin asked of us and granted us. */
export interface OriginAuth {
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

/**
 * How long requests wait for an origin's first answer before going alone. A healthy registry
 * answers its first request well within this even across an ocean; past it, each waiting
 * request risks at most one 401 of its own rather than the first request's every retry.
 */
const PROBE_WAIT_MS = 5_000

/**
 * Makes the caller the origin's first request: later ones wait on `auth.probing` until the
 * returned release is called (on the first answer, or the first failed attempt) or
 * PROBE_WAIT_MS has passed, whichever comes first.
 */
export function holdForFirstAnswer(auth: OriginAuth): () => void {
  let resolve!: () => void
  const probing = new Promise<void>((done) => (resolve = done))
  const release = (): void => {
    clearTimeout(timer)
    // A later request finding no probe becomes the next one.
    if (auth.probing === probing) auth.probing = undefined
    resolve()
  }
  const timer = setTimeout(release, PROBE_WAIT_MS)
  auth.probing = probing
  return release
}

/** A WWW-Authenticate header's challenges; a malformed header is the answer's error. */
export function readChallenges(
  header: string | undefined,
  method: string,
  url: string
): Challenge[] {
  try {
    return parseChallenges(header)
  } catch (error) {
    if (error instanceof MalformedChallenge)
      throw new RegistryError(describeRequest(method, url), error.message)
    throw error
  }
}

/** What a refused request carried, in words; never the secret itself. */
export function describeAuthorization(
  auth: OriginAuth,
  repository: string,
  endpoint: string
): string {
  const challenge = auth.challenge!
  if (challenge.scheme === 'basic') return describeSent(auth.credentials, auth.host)
  const realm = new URL(challenge.params.realm!, `${endpoint}/`)
  const scopes = auth.tokens.get(repository)?.scopes.join(' ') ?? ''
  return `with a Bearer token for ${scopes} from ${realm.origin}${realm.pathname}, asked ${describeSent(auth.credentials, auth.host)}`
}

export interface AuthorizationContext {
  transport: Transport
  /** The session's registry (or mirror): named in a login hint. */
  endpoint: string
  host: string
  repository: string
  /** The request to authorize. */
  url: string
  /** After a 401: a fresh token even if the cached one has not yet expired by our clock. */
  refresh: boolean
  imageDeadline?: ImageDeadline
  onTokenRequest: () => void
}

/** The Authorization header for a request to the origin, fetching a token when one is due. */
export async function authorizationFor(
  auth: OriginAuth,
  {
    transport,
    endpoint,
    host,
    repository,
    url,
    refresh,
    imageDeadline,
    onTokenRequest
  }: AuthorizationContext
): Promise<string | undefined> {
  const challenge = auth.challenge
  if (!challenge) return undefined
  if (challenge.scheme === 'basic') {
    const ping = describeRequest('GET', `${endpoint}/v2/`)
    if (!auth.credentials)
      throw new RegistryError(ping, `the registry requires a login (docker login ${host})`, 401)
    return credentialsAuthorization(auth.credentials, auth.host, ping)
  }
  // The scope the registry named (ACR asks metadata_read for tags/list) joins the pull scope.
  const wanted = [`repository:${repository}:pull`]
  if (refresh)
    for (const scope of challenge.params.scope?.split(' ') ?? []) if (scope) wanted.push(scope)
  const cached = auth.tokens.get(repository)
  if (cached && !refresh && wanted.every((scope) => cached.scopes.includes(scope))) {
    const token = await cached.pending.catch(() => undefined)
    if (token && token.expiresAt > Date.now()) return `Bearer ${token.token}`
  }
  const scopes = [...new Set([...(cached?.scopes ?? []), ...wanted])]
  const pending = fetchToken(
    transport,
    {
      challenge,
      scopes,
      host: auth.host,
      base: url,
      ...(auth.credentials ? { credentials: auth.credentials } : {}),
      ...(imageDeadline ? { imageDeadline } : {})
    },
    onTokenRequest
  )
  auth.tokens.set(repository, { scopes, pending })
  return `Bearer ${(await pending).token}`
}

import type { Credentials } from './docker-credentials.js'
import {
  RegistryError,
  describeRequest,
  sendWithRetry,
  statusText,
  type Transport
} from './http.js'

/** One `WWW-Authenticate` challenge (RFC 9110 §11.6.1). */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = String.raw`[!#$%&'*+.^_\x60|~0-9A-Za-z-]+`
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`
const ITEM = new RegExp(String.raw`\s*(${TOKEN})(?:\s*=\s*(${QUOTED}|[^,\s]*))?\s*,?`, 'y')

/** Parses a WWW-Authenticate header, which may hold several challenges. */
export function parseChallenges(header: string | undefined): Challenge[] {
  const challenges: Challenge[] = []
  if (!header) return challenges
  ITEM.lastIndex = 0
  let match: RegExpExecArray | null
  while (ITEM.lastIndex < header.length && (match = ITEM.exec(header)) !== null) {
    if (match[0] === '') break
    const [, name, value] = match
    if (value === undefined) {
      challenges.push({ scheme: name!.toLowerCase(), params: {} })
    } else if (challenges.length > 0) {
      const unquoted = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
      challenges[challenges.length - 1]!.params[name!.toLowerCase()] = unquoted
    }
  }
  return challenges
}

/** The challenge we can answer: Bearer (token service) before Basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ??
    challenges.find((c) => c.scheme === 'basic')
  )
}

export interface CachedToken {
  token: string
  expiresAt: number
}

/**
 * Reads a token service's answer. Docker's token spec names the field `token`, OAuth2 names it
 * `access_token`; registries send one or both. Lifetime defaults to 60 s per the spec, and the
 * token is refreshed a little early so it never expires mid-request.
 */
export function readTokenResponse(body: Buffer, now = Date.now()): CachedToken | null {
  let document: { token?: unknown; access_token?: unknown; expires_in?: unknown }
  try {
    document = JSON.parse(body.toString('utf8')) as typeof document
  } catch {
    return null
  }
  const token = typeof document.token === 'string' ? document.token : document.access_token
  if (typeof token !== 'string' || token === '') return null
  const lifetimeMs =
    (typeof document.expires_in === 'number' && document.expires_in > 0
      ? document.expires_in
      : 60) * 1000
  return { token, expiresAt: now + lifetimeMs - Math.min(10_000, lifetimeMs / 2) }
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
}

/**
 * Basic credentials for a registry or its token service. An identity token is an OAuth2 refresh
 * token that must be exchanged, not sent as a password, and that exchange is not built yet.
 */
export function credentialsAuthorization(
  credentials: Credentials,
  host: string,
  request: string
): string {
  if (credentials.identityToken) {
    throw new RegistryError(
      request,
      `the credentials for ${host} are an identity token (OAuth2 refresh token), which this tool cannot exchange yet; log in with a username and password or access token instead`
    )
  }
  return basicAuthorization(credentials.username, credentials.password)
}

const MAX_TOKEN_BYTES = 1024 * 1024

/** What a token service needs to hear: the challenge that sent us, the scope, who is asking. */
export interface TokenRequest {
  challenge: Challenge
  scope: string
  /** The registry host, named when the token service refuses its credentials. */
  host: string
  credentials?: Credentials
}

/** Asks a bearer challenge's token service for a token; `onAttempt` counts each request sent. */
export async function fetchToken(
  transport: Transport,
  { challenge, scope, host, credentials }: TokenRequest,
  onAttempt: () => void
): Promise<CachedToken> {
  const realm = new URL(challenge.params.realm!)
  if (challenge.params.service) realm.searchParams.set('service', challenge.params.service)
  realm.searchParams.set('scope', scope)
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': transport.userAgent
  }
  const url = realm.toString()
  if (credentials) {
    headers.Authorization = credentialsAuthorization(credentials, host, describeRequest('GET', url))
  }
  const response = await sendWithRetry(
    transport.dispatcher,
    { method: 'GET', url, headers, maxBytes: MAX_TOKEN_BYTES },
    transport.policy,
    onAttempt
  )
  if (response.status !== 200) {
    const why = response.status === 401 ? ` (credentials for ${host} refused)` : ''
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

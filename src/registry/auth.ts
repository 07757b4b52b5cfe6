import type { Dispatcher } from 'undici'
import type { Credentials } from './docker-credentials.js'
import { sendWithRetry, statusText, type HttpResponse, type Transport } from './http.js'
import { RegistryError, describeRequest } from './errors.js'

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
 * token: a registry's Basic challenge cannot take it, only a token service can exchange it.
 */
export function credentialsAuthorization(
  credentials: Credentials,
  host: string,
  request: string
): string {
  if (credentials.identityToken) {
    throw new RegistryError(
      request,
      `the credentials for ${host} are an identity token (OAuth2 refresh token), but the registry asks for Basic auth, which cannot carry one; log in with a username and password or access token instead`
    )
  }
  return basicAuthorization(credentials.username, credentials.password)
}

const MAX_TOKEN_BYTES = 1024 * 1024
// Sent as OAuth2 client_id, which the token spec requires on the POST form.
const CLIENT_ID = 'nix-oci-hashes'

/** What a token service needs to hear: the challenge that sent us, the scope, who is asking. */
export interface TokenRequest {
  challenge: Challenge
  /** Space-separated scopes, as the token spec's POST form takes them. */
  scopes: string[]
  /** The registry host, named when the token service refuses its credentials. */
  host: string
  /** Base a relative realm is resolved against: the URL of the request that was challenged. */
  base: string
  credentials?: Credentials
}

/** The realm a challenge names, relative realms resolved as a browser would. */
export function realmUrl(challenge: Challenge, base: string): URL {
  return new URL(challenge.params.realm!, base)
}

/** What a request carried, in words for an error message; never the secret itself. */
export function describeSent(credentials: Credentials | undefined, host: string): string {
  if (!credentials) return 'anonymously'
  return credentials.identityToken
    ? `with the identity token for ${host}`
    : `with the Basic credentials for ${host}`
}

/** Who was turned away, in words for an error message. */
export function describeRefusal(credentials: Credentials | undefined, host: string): string {
  if (!credentials) return 'anonymous access was refused'
  return credentials.identityToken
    ? `the identity token for ${host} was refused`
    : `the Basic credentials for ${host} were refused`
}

/**
 * Asks a bearer challenge's token service for a token; `onAttempt` counts each request sent.
 * An identity token goes by the OAuth2 POST form (grant_type=refresh_token); a token service
 * that has no POST endpoint (404, 405) is asked by GET with Basic, as containerd falls back.
 */
export async function fetchToken(
  transport: Transport,
  request: TokenRequest,
  onAttempt: () => void
): Promise<CachedToken> {
  const { credentials } = request
  if (credentials?.identityToken) {
    const response = await postForToken(transport, request, onAttempt)
    if (response.status !== 404 && response.status !== 405) {
      return readToken(response, 'POST', realmUrl(request.challenge, request.base), request)
    }
  }
  const realm = realmUrl(request.challenge, request.base)
  if (request.challenge.params.service)
    realm.searchParams.set('service', request.challenge.params.service)
  for (const scope of request.scopes) realm.searchParams.append('scope', scope)
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': transport.userAgent
  }
  const url = realm.toString()
  if (credentials) {
    headers.Authorization = basicAuthorization(
      credentials.identityToken ? '<token>' : credentials.username,
      credentials.password
    )
  }
  const response = await sendWithRetry(
    tokenDispatcher(transport, realm, request.base),
    { method: 'GET', url, headers, maxBytes: MAX_TOKEN_BYTES },
    transport.policy,
    onAttempt
  )
  return readToken(response, 'GET', realm, request)
}

/**
 * A token service on the registry's own origin (GHCR) shares its connection; one elsewhere
 * (Docker Hub's) gets the wider pool, as every image asks it at once.
 */
function tokenDispatcher(transport: Transport, realm: URL, base: string): Dispatcher {
  const elsewhere = realm.origin !== new URL(base).origin
  return elsewhere ? transport.tokenDispatcher : transport.dispatcher
}

async function postForToken(
  transport: Transport,
  { challenge, scopes, base, credentials }: TokenRequest,
  onAttempt: () => void
): Promise<HttpResponse> {
  const form = new URLSearchParams({ grant_type: 'refresh_token' })
  if (challenge.params.service) form.set('service', challenge.params.service)
  form.set('scope', scopes.join(' '))
  form.set('refresh_token', credentials!.password)
  form.set('client_id', CLIENT_ID)
  const realm = realmUrl(challenge, base)
  return sendWithRetry(
    tokenDispatcher(transport, realm, base),
    {
      method: 'POST',
      url: realm.toString(),
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': transport.userAgent
      },
      body: form.toString(),
      maxBytes: MAX_TOKEN_BYTES
    },
    transport.policy,
    onAttempt
  )
}

function readToken(
  response: HttpResponse,
  method: string,
  realm: URL,
  { host, credentials, scopes }: TokenRequest
): CachedToken {
  const label = describeRequest(method, realm.toString())
  if (response.status !== 200) {
    const why =
      response.status === 401 || response.status === 403
        ? `: ${describeRefusal(credentials, host)} (asked for ${scopes.join(' ')})`
        : ''
    throw new RegistryError(
      label,
      `token service answered ${response.status} ${statusText(response.status)}${errorDetail(response.body)}${why}`,
      response.status
    )
  }
  const token = readTokenResponse(response.body)
  if (!token) throw new RegistryError(label, 'token service answered without a token')
  return token
}

/** The first error a registry or token service put in its body, distribution or OAuth2 style. */
export function errorDetail(body: Buffer): string {
  try {
    const document = JSON.parse(body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>
      error?: unknown
      error_description?: unknown
      details?: unknown
    }
    const first = document.errors?.[0]
    if (first?.code) return ` (${first.code}${first.message ? `: ${first.message}` : ''})`
    if (typeof document.error === 'string') {
      const description =
        typeof document.error_description === 'string' ? `: ${document.error_description}` : ''
      return ` (${document.error}${description})`
    }
    if (typeof document.details === 'string') return ` (${document.details})`
  } catch {
    // Not JSON; the status says enough.
  }
  return ''
}

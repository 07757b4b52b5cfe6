// Token services: asking one for a bearer token (the Docker token flow, or the OAuth2 form
// for an identity token), following its redirects only where the request's secrets may go.
import type { Dispatcher } from 'undici'
import { basicAuthorization, describeRefusal } from './basic.js'
import type { Challenge } from './challenge.js'
import type { Credentials } from '../credentials.js'
import {
  sendWithRetry,
  statusText,
  type HttpRequest,
  type HttpResponse,
  type Transport
} from '../http.js'
import { RegistryError, describeRequest, errorDetail } from '../errors.js'
import { resolveHttpUrl } from '../http-urls.js'
import type { ImageDeadline } from '../image-deadline.js'

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
  imageDeadline?: ImageDeadline
}

/** The realm a challenge names, relative realms resolved as a browser would; http(s) only. */
export function realmUrl(challenge: Challenge, base: string): URL {
  return resolveHttpUrl(
    challenge.params.realm!,
    base,
    describeRequest('GET', base),
    'the WWW-Authenticate realm'
  )
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
    const { response, url } = await postForToken(transport, request, onAttempt)
    if (response.status !== 404 && response.status !== 405) {
      return readToken(response, 'POST', url, request)
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
  if (credentials) {
    headers.Authorization = basicAuthorization(
      credentials.identityToken ? '<token>' : credentials.username,
      credentials.password
    )
  }
  const { response, url } = await sendToTokenService(
    transport,
    { method: 'GET', url: realm.toString(), headers, maxBytes: MAX_TOKEN_BYTES },
    request,
    onAttempt
  )
  return readToken(response, 'GET', url, request)
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

/**
 * A token request, its redirects followed here rather than by undici: undici re-sends a 307's
 * body to any host, and the body of an identity-token POST is the refresh token. A redirect to
 * another origin is followed only by a request that carries neither body nor credentials.
 */
async function sendToTokenService(
  transport: Transport,
  first: HttpRequest,
  { base, imageDeadline }: TokenRequest,
  onAttempt: () => void
): Promise<{ response: HttpResponse; url: URL }> {
  let current = first
  for (let hop = 0; ; hop++) {
    const url = new URL(current.url)
    const response = await sendWithRetry(
      tokenDispatcher(transport, url, base),
      { ...current, manualRedirects: true, ...(imageDeadline ? { imageDeadline } : {}) },
      transport.policy,
      onAttempt
    )
    const location = REDIRECTS.has(response.status) ? response.headers.location : undefined
    if (!location) return { response, url }
    const label = describeRequest(current.method, current.url)
    if (hop === MAX_REDIRECTS)
      throw new RegistryError(label, `token service: more than ${MAX_REDIRECTS} redirects`)
    const next = resolveHttpUrl(
      location,
      current.url,
      label,
      "the token service's redirect Location"
    )
    const carries =
      current.body !== undefined
        ? 'the identity token in its body'
        : current.headers.Authorization !== undefined
          ? 'credentials'
          : undefined
    if (carries && next.origin !== url.origin) {
      throw new RegistryError(
        label,
        `token service answered ${response.status} to ${next.origin}, another origin; not followed, as the request carries ${carries}`
      )
    }
    // Only 307 and 308 keep a POST's body; the others would turn it into an empty GET.
    if (current.body !== undefined && response.status !== 307 && response.status !== 308) {
      throw new RegistryError(
        label,
        `token service answered ${response.status} to the POST; only 307 and 308 keep its form`
      )
    }
    current = { ...current, url: next.toString() }
  }
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
  request: TokenRequest,
  onAttempt: () => void
): Promise<{ response: HttpResponse; url: URL }> {
  const { challenge, scopes, base, credentials } = request
  const form = new URLSearchParams({ grant_type: 'refresh_token' })
  if (challenge.params.service) form.set('service', challenge.params.service)
  form.set('scope', scopes.join(' '))
  form.set('refresh_token', credentials!.password)
  form.set('client_id', CLIENT_ID)
  return sendToTokenService(
    transport,
    {
      method: 'POST',
      url: realmUrl(challenge, base).toString(),
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': transport.userAgent
      },
      body: form.toString(),
      maxBytes: MAX_TOKEN_BYTES
    },
    request,
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

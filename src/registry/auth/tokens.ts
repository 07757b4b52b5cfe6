// The Authorization header for one request: Basic from the credentials, or a Bearer token for
// the repository's scopes, cached by repository until it expires or a 401 asks for a fresh one.
import { credentialsAuthorization } from './basic.js'
import { RegistryError, describeRequest } from '../errors.js'
import type { Transport } from '../http.js'
import type { ImageDeadline } from '../image-deadline.js'
import type { OriginAuth } from './origin.js'
import { fetchToken } from './token-service.js'

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

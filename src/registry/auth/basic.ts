// Credentials as a registry's Basic challenge or a token service takes them, and how to say
// what a request carried in an error without the secret.
import type { Credentials } from '../credentials.js'
import { RegistryError } from '../errors.js'

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

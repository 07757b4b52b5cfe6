// Challenges and credentials: what a registry asks of us (RFC 9110 WWW-Authenticate), what we
// may send it, and how to say so in an error without the secret.
import type { Credentials } from './docker-credentials.js'
import { RegistryError } from './errors.js'

/** One `WWW-Authenticate` challenge (RFC 9110 §11.6.1). */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = String.raw`[!#$%&'*+.^_\x60|~0-9A-Za-z-]+`
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`
const ITEM = new RegExp(String.raw`\s*(${TOKEN})(?:\s*=\s*(${QUOTED}|[^,\s]*))?\s*,?`, 'y')
const WHOLE_QUOTED = new RegExp(String.raw`^${QUOTED}$`)

/** A WWW-Authenticate header that cannot be read as RFC 9110 challenges. */
export class MalformedChallenge extends Error {
  override name = 'MalformedChallenge'
}

/** Parses a WWW-Authenticate header, which may hold several challenges. */
export function parseChallenges(header: string | undefined): Challenge[] {
  const challenges: Challenge[] = []
  if (!header) return challenges
  let at = 0
  while (at < header.length) {
    ITEM.lastIndex = at
    const match = ITEM.exec(header)
    if (!match || match[0] === '') break
    at = ITEM.lastIndex
    const [, name, value] = match
    if (value === undefined) {
      challenges.push({ scheme: name!.toLowerCase(), params: {} })
    } else if (challenges.length > 0) {
      // Guessing where an unterminated string ends would make up a realm the registry never sent.
      if (value.startsWith('"') && !WHOLE_QUOTED.test(value)) {
        throw new MalformedChallenge(
          `malformed WWW-Authenticate header: the quoted value of ${name} is not terminated`
        )
      }
      const unquoted = value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value
      challenges[challenges.length - 1]!.params[name!.toLowerCase()] = unquoted
    }
  }
  const rest = header.slice(at).trim()
  if (rest !== '') {
    throw new MalformedChallenge(
      `malformed WWW-Authenticate header: cannot read ${JSON.stringify(rest.slice(0, 40))}`
    )
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

// Who we are to one origin a session's requests reach: the challenge it sent, the tokens it
// granted, and the wait for its first answer.
import { describeSent } from './basic.js'
import type { Challenge } from './challenge.js'
import type { Credentials } from '../credentials.js'
import type { CachedToken } from './token-service.js'

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

// The workflow's own token reads ghcr.io packages (with `permissions: packages: read`), so a
// private image of the same owner needs no separate docker/login-action step.
import type { CredentialLookup, Credentials } from '../registry/docker-credentials.js'

export const GHCR = 'ghcr.io'

/**
 * Credentials as found, and for ghcr.io, when none are found, the action's token. GHCR takes
 * any user name with a token; GITHUB_ACTOR is the one docker/login-action's examples use.
 */
export function withGhcrToken(
  found: CredentialLookup,
  token: string,
  actor: string | undefined,
  onFallback: (login: Credentials) => void
): CredentialLookup {
  const ghcr: Credentials = { username: actor || 'x-access-token', password: token }
  let used = false
  return {
    get: (registry) => {
      const login = found.get(registry)
      if (login || registry !== GHCR || !token) return login
      if (!used) onFallback(ghcr)
      used = true
      return ghcr
    }
  }
}

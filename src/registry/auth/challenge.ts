// Challenges: what a registry asks of us (RFC 9110 WWW-Authenticate), and which of them we answer.
import { RegistryError, describeRequest } from '../errors.js'

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

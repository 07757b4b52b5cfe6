// Every secret the run learns, in every form it is sent in, kept in one place. Each form is
// masked in the Actions log as it is learnt; every text the action publishes (pull request,
// comments, commit message, job summary, annotations, outputs, log lines) goes through
// redact(), since GitHub masks only the log, and a registry or token service may echo a
// credential back in an error message that ends up in any of them.
import * as core from '@actions/core'
import type { Credentials } from '../registry/credentials.js'

const known = new Set<string>()

/**
 * What a registry or token service may echo: the value as sent, percent-encoded as a URL or an
 * OAuth2 form carries it, and escaped as inside a JSON string.
 */
function encodings(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1)
  ]
}

/** Masks `secret` (each form of it) in the log from now on, and redacts it from published text. */
export function rememberSecret(secret: string): void {
  if (secret === '') return
  for (const form of encodings(secret)) {
    if (known.has(form)) continue
    known.add(form)
    core.setSecret(form)
  }
}

/**
 * A login as the registry client sends it: the password (or identity token), and the base64 of
 * `user:password` that Basic auth carries (an identity token goes as user `<token>`).
 */
export function rememberLogin(login: Credentials): void {
  rememberSecret(login.password)
  const user = login.identityToken ? '<token>' : login.username
  rememberSecret(Buffer.from(`${user}:${login.password}`).toString('base64'))
}

// An echoed Authorization header carries a credential the run may never have seen whole (a
// registry's bearer token): whatever follows the scheme goes. Sixteen characters keep
// "Bearer realm=…" in a challenge readable; known secrets of any length (the GitHub token
// after "token" among them) are redacted by value.
const AUTHORIZATION = /\b(Basic|Bearer)([ \t]+)[A-Za-z0-9+/._~-]{16,}=*/gi

/** `text` with every known secret, and every credential after an auth scheme, as `***`. */
export function redact(text: string): string {
  const secrets = [...known].sort((a, b) => b.length - a.length)
  const byValue = secrets.reduce((result, secret) => result.split(secret).join('***'), text)
  return byValue.replace(AUTHORIZATION, '$1$2***')
}

/** For tests of this module: forgets every secret. */
export function forgetSecrets(): void {
  known.clear()
}

// Docker credential helpers as small real programs (shell scripts) a test puts on PATH: one that
// answers, one that fails, one with no login for the server, one that hands out an identity token.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A folder of docker-credential-* programs; `log` records each call's argument and stdin. */
export function writeCredentialHelpers(
  user: string,
  password: string
): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'credential-helpers-'))
  const log = join(dir, 'asked.log')
  const write = (name: string, body: string): void => {
    const path = join(dir, `docker-credential-${name}`)
    writeFileSync(path, `#!/bin/sh\n${body}\n`)
    chmodSync(path, 0o755)
  }
  // Docker writes the server URL without a newline; `cat` reads it whole.
  write(
    'test',
    `server=$(cat)\necho "$1 $server" >> '${log}'\nprintf '{"ServerURL":"%s","Username":"${user}","Secret":"${password}"}' "$server"`
  )
  write('broken', `cat >/dev/null\necho "keychain is locked" >&2\nexit 1`)
  write('empty', `cat >/dev/null\necho "credentials not found in native keychain"\nexit 1`)
  write('identity', `cat >/dev/null\nprintf '{"Username":"<token>","Secret":"${password}"}'`)
  return { dir, log }
}

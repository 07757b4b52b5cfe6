// Runs a Docker credential helper the way the Docker CLI does: `docker-credential-<name> get`,
// the server URL on stdin, `{ "Username", "Secret" }` on stdout. The secret is never put in an
// error message, and neither is anything else the helper printed on success.
import { execFileSync } from 'node:child_process'
import type { Credentials } from './credentials.js'
import { DOCKER_HUB } from './image-reference.js'

export class CredentialHelperError extends Error {
  override name = 'CredentialHelperError'
}

const HELPER_TIMEOUT_MS = 30_000
// docker-credential-helpers' ErrCredentialsNotFound text: no login for that server, not a failure.
const NOT_FOUND = /credentials not found in native keychain/i
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const IDENTITY_TOKEN_USER = '<token>'

/** The server URL Docker hands a helper: Docker Hub's legacy index URL, else the host. */
export function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry
}

/**
 * Asks helper `name` for the registry's credentials; undefined when the helper has none for it.
 * `origin` says where the helper was configured, for the error message.
 */
export function runCredentialHelper(
  name: string,
  registry: string,
  origin: string,
  env: NodeJS.ProcessEnv
): Credentials | undefined {
  const program = `docker-credential-${name}`
  const fail = (why: string): never => {
    throw new CredentialHelperError(
      `credential helper ${program} (${origin}) for ${registry}: ${why}`
    )
  }
  if (!HELPER_NAME.test(name)) fail('the helper name may hold only letters, digits, ".", "_", "-"')
  let stdout: string
  try {
    stdout = execFileSync(program, ['get'], {
      input: helperServerUrl(registry),
      encoding: 'utf8',
      timeout: HELPER_TIMEOUT_MS,
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    })
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & {
      stdout?: string
      stderr?: string
      status?: number | null
      signal?: string | null
    }
    if (failure.code === 'ENOENT') return fail(`${program} is not on PATH`)
    if (failure.code === 'ETIMEDOUT' || failure.signal === 'SIGTERM') {
      return fail(`no answer within ${HELPER_TIMEOUT_MS / 1000} s`)
    }
    // Helpers report errors on stdout (docker-credential-helpers) or stderr (most others).
    const said = `${failure.stdout ?? ''}\n${failure.stderr ?? ''}`.trim()
    if (NOT_FOUND.test(said)) return undefined
    const firstLine = said.split('\n')[0]!.slice(0, 200)
    return fail(
      `exited with status ${failure.status ?? failure.signal}${firstLine ? `: ${firstLine}` : ''}`
    )
  }
  let answer: { Username?: unknown; Secret?: unknown }
  try {
    answer = JSON.parse(stdout) as typeof answer
  } catch {
    return fail('did not print JSON')
  }
  if (typeof answer?.Username !== 'string' || typeof answer.Secret !== 'string') {
    return fail('printed JSON without string "Username" and "Secret"')
  }
  if (answer.Secret === '') return undefined
  if (answer.Username === IDENTITY_TOKEN_USER) {
    return { username: '', password: answer.Secret, identityToken: true }
  }
  return { username: answer.Username, password: answer.Secret }
}

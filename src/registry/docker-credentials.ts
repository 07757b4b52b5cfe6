import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { runCredentialHelper } from './credential-helper.js'
import type { CredentialLookup, Credentials } from './credentials.js'
import { canonicalRegistryName } from './image-reference.js'

export type { CredentialLookup, Credentials } from './credentials.js'

export class CredentialsError extends Error {
  override name = 'CredentialsError'
}

/** Where `docker login` and docker/login-action write: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json')
}

/**
 * The files podman reads, in its order (containers-auth.json(5)): $REGISTRY_AUTH_FILE or else
 * $XDG_RUNTIME_DIR/containers/auth.json, then $XDG_CONFIG_HOME/containers/auth.json, then
 * Docker's config.json. The first file that has credentials for a registry wins.
 */
export function authFilePaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const primary =
    env.REGISTRY_AUTH_FILE ||
    (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json') : undefined)
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return [
    ...(primary ? [primary] : []),
    join(config, 'containers', 'auth.json'),
    dockerConfigPath(env)
  ]
}

interface AuthEntry {
  auth?: unknown
  username?: unknown
  password?: unknown
  identitytoken?: unknown
}

/** One auth file as read: inline entries and the helpers it names, keys canonicalised. */
interface AuthFile {
  path: string
  auths: Map<string, Credentials | null>
  credHelpers: Map<string, string>
  credsStore?: string
}

/**
 * Credentials as Docker and podman find them: per registry, a `credHelpers` helper, else the
 * `credsStore` helper, else the inline `auths` entry; file by file in podman's order. Helpers
 * run only when a registry is first asked for, and each answer (or failure) is kept for the run.
 * `onFound` sees every credential before it is used, so the action can mask it.
 */
export class CredentialStore implements CredentialLookup {
  private readonly found = new Map<
    string,
    { credentials?: Credentials; fromHelper?: boolean; error?: Error }
  >()

  constructor(
    private readonly files: AuthFile[],
    private readonly onFound: (credentials: Credentials) => void = () => undefined,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {
    // Everything written in a file is masked at once, used or not; helpers' answers as they come.
    for (const file of files) {
      for (const credentials of file.auths.values()) if (credentials) onFound(credentials)
    }
  }

  get(registry: string): Credentials | undefined {
    const name = canonicalRegistryName(registry)
    let answer = this.found.get(name)
    if (!answer) {
      try {
        answer = { ...this.lookUp(name) }
      } catch (error) {
        answer = { error: error as Error }
      }
      this.found.set(name, answer)
      if (answer.credentials && answer.fromHelper) this.onFound(answer.credentials)
    }
    if (answer.error) throw answer.error
    return answer.credentials
  }

  private lookUp(registry: string): { credentials?: Credentials; fromHelper?: boolean } {
    for (const file of this.files) {
      const helper = file.credHelpers.get(registry)
      const [name, origin] = helper
        ? [helper, `credHelpers in ${file.path}`]
        : [file.credsStore, `credsStore in ${file.path}`]
      const fromHelper = name ? runCredentialHelper(name, registry, origin, this.env) : undefined
      if (fromHelper) return { credentials: fromHelper, fromHelper: true }
      const credentials = file.auths.get(registry)
      if (credentials) return { credentials }
    }
    return {}
  }
}

/**
 * Reads every auth file that exists (see authFilePaths); missing files are skipped. Helpers
 * are found on `env.PATH`.
 */
export function loadRegistryCredentials(
  onFound?: (credentials: Credentials) => void,
  env: NodeJS.ProcessEnv = process.env
): CredentialStore {
  const files = authFilePaths(env)
    .map(readAuthFile)
    .filter((file): file is AuthFile => file !== null)
  return new CredentialStore(files, onFound, env)
}

function readAuthFile(path: string): AuthFile | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new CredentialsError(`${path}: cannot read: ${(error as Error).message}`)
  }
  let document: { auths?: unknown; credHelpers?: unknown; credsStore?: unknown }
  try {
    document = JSON.parse(text) as typeof document
  } catch (error) {
    throw new CredentialsError(`${path}: invalid JSON: ${(error as Error).message}`)
  }
  const fail = (field: string, rule: string): never => {
    throw new CredentialsError(`${path}: ${field}: ${rule}`)
  }
  const objectAt = (field: 'auths' | 'credHelpers'): Record<string, unknown> => {
    const value = document?.[field] ?? {}
    if (typeof value !== 'object' || Array.isArray(value) || value === null) {
      return fail(field, 'must be an object keyed by registry')
    }
    return value as Record<string, unknown>
  }
  const file: AuthFile = { path, auths: new Map(), credHelpers: new Map() }
  for (const [key, entry] of Object.entries(objectAt('auths'))) {
    // `{}` is what `docker login` leaves beside a credsStore: it defers to the helper.
    file.auths.set(registryNameOf(key), decodeEntry((entry ?? {}) as AuthEntry))
  }
  for (const [key, helper] of Object.entries(objectAt('credHelpers'))) {
    if (typeof helper !== 'string' || helper === '') {
      fail(`credHelpers["${key}"]`, 'must name a helper (docker-credential-<name>)')
    }
    file.credHelpers.set(registryNameOf(key), helper as string)
  }
  if (document?.credsStore !== undefined && document.credsStore !== '') {
    if (typeof document.credsStore !== 'string') fail('credsStore', 'must name a helper')
    file.credsStore = document.credsStore as string
  }
  return file
}

function decodeEntry(entry: AuthEntry): Credentials | null {
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { username: '', password: entry.identitytoken, identityToken: true }
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { username: entry.username, password: entry.password }
  }
  return null
}

/**
 * `https://index.docker.io/v1/` → `docker.io`; `https://ghcr.io` → `ghcr.io`. podman's
 * namespace keys (`quay.io/team/app`, no scheme) hold credentials for that namespace only, and
 * credentials are kept per registry here, so they map to no registry rather than to all of it.
 */
function registryNameOf(key: string): string {
  const scheme = /^[a-z]+:\/\//i.exec(key)
  const rest = scheme ? key.slice(scheme[0].length) : key
  if (!scheme && rest.replace(/\/+$/, '').includes('/')) return `namespace ${key}`
  return canonicalRegistryName(rest.replace(/\/.*$/, ''))
}

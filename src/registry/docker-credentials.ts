import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DOCKER_HUB, canonicalRegistryName } from './image-reference.js'

export interface Credentials {
  username: string
  password: string
}

export class CredentialsError extends Error {
  override name = 'CredentialsError'
}

/** Where `docker login` and docker/login-action write: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json')
}

/**
 * Registry credentials by registry name (`docker.io`, `ghcr.io`, `host:5000`), read from
 * Docker's config.json. A missing file means anonymous access everywhere. Credential helpers
 * (`credsStore`, `credHelpers`) are not run: only inline `auth` entries are used.
 */
export function loadDockerCredentials(path = dockerConfigPath()): Map<string, Credentials> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw new CredentialsError(`${path}: cannot read: ${(error as Error).message}`)
  }
  let document: {
    auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown }>
  }
  try {
    document = JSON.parse(text) as typeof document
  } catch (error) {
    throw new CredentialsError(`${path}: invalid JSON: ${(error as Error).message}`)
  }
  const credentials = new Map<string, Credentials>()
  for (const [key, entry] of Object.entries(document.auths ?? {})) {
    const found = decodeEntry(entry)
    if (found) credentials.set(registryNameOf(key), found)
  }
  return credentials
}

function decodeEntry(entry: {
  auth?: unknown
  username?: unknown
  password?: unknown
}): Credentials | null {
  if (typeof entry?.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  if (typeof entry?.username === 'string' && typeof entry?.password === 'string') {
    return { username: entry.username, password: entry.password }
  }
  return null
}

/** `https://index.docker.io/v1/` → `docker.io`; `https://ghcr.io` → `ghcr.io`. */
function registryNameOf(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')
  const name = canonicalRegistryName(host)
  return name === DOCKER_HUB ? DOCKER_HUB : name
}

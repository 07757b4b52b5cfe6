/**
 * An image name as users write it in images.json, parsed once before any HTTP so that every
 * later step talks about the same registry and repository.
 */
export interface ImageReference {
  /** Exactly as written: the key in digests.json and the name in every value. */
  written: string
  /** `docker.io` for Docker Hub, else the host[:port] as written (lowercased). */
  registry: string
  /** Repository path on the registry, with Docker Hub's implicit `library/`. */
  repository: string
}

export const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])
const DOCKER_HUB_ENDPOINT = 'https://registry-1.docker.io'

/** The distribution spec's tag grammar. */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/

// The distribution spec's grammar for one path component.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/
// A domain name or IPv4 address, or an IPv6 literal in brackets as in URLs, with an optional port:
// the reference grammar of distribution and the Docker CLI.
const REGISTRY_HOST =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:.]+\])(?::\d{1,5})?$/

export class ImageReferenceError extends Error {
  override name = 'ImageReferenceError'
}

export function parseImageReference(written: string): ImageReference {
  const fail = (why: string): never => {
    throw new ImageReferenceError(`"${written}" is not a valid image name: ${why}`)
  }
  if (written.includes('@')) fail('images.json names images without a digest')
  const slash = written.indexOf('/')
  const first = slash === -1 ? '' : written.slice(0, slash)
  // Docker's rule: the first component is a registry only if it looks like a host.
  const hasRegistry =
    first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registryWritten = hasRegistry ? first : DOCKER_HUB
  let path = hasRegistry ? written.slice(slash + 1) : written
  if (path.includes(':')) fail('put tags in "tags", not in the image name')
  if (hasRegistry && !isRegistryHost(registryWritten))
    fail(`"${registryWritten}" is not a registry host`)
  const registry = canonicalRegistryName(registryWritten)
  const components = path.split('/')
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      fail(
        `path component "${component}" must be lowercase letters and digits, separated by ".", "_", "__" or "-"`
      )
    }
  }
  if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`
  return { written, registry, repository: path }
}

/** Where a registry's API lives when no mirror is configured for it. */
export function defaultEndpoint(registry: string): string {
  if (registry === DOCKER_HUB) return DOCKER_HUB_ENDPOINT
  return `${isLoopback(registry) ? 'http' : 'https'}://${registry}`
}

/** Docker talks plain HTTP to loopback registries and TLS to everything else; so do we. */
function isLoopback(registry: string): boolean {
  const { hostname } = new URL(`http://${registry}`)
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  )
}

/** The grammar, and for IPv6 literals an address the URL parser accepts (`[fd00::5]`, not `[:::]`). */
function isRegistryHost(host: string): boolean {
  if (!REGISTRY_HOST.test(host)) return false
  if (!host.startsWith('[')) return true
  try {
    new URL(`http://${host}`)
    return true
  } catch {
    return false
  }
}

/** Normalises the registry half of a `--mirror REGISTRY=URL` so `index.docker.io` finds Docker Hub. */
export function canonicalRegistryName(name: string): string {
  const lower = name.toLowerCase()
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower
}

/** One key per repository, whatever spelling (`nginx`, `docker.io/library/nginx`) was used. */
export function imageKey(image: ImageReference): string {
  return `${image.registry}/${image.repository}`
}

// Everything the user said about reaching registries, per host and for the run, with every
// default applied here and nowhere else: update, check, pin and the action all hand their
// options to registrySettings (through RegistryClient), so a setting one of them honours, all
// do. Loads no HTTP code, so the command line can show the defaults without loading undici.
import { DEFAULT_REQUESTS_PER_REGISTRY } from './connection-limits.js'
import type { CredentialLookup, Credentials } from './credentials.js'
import { loadRegistryCredentials } from './docker-credentials.js'
import type { HttpPolicy } from './http.js'
import { defaultEndpoint } from './image-reference.js'

/** What a front end collects about registries: flags, action inputs, a library caller's choice. */
export interface RegistryOptions {
  /** Registry name (`docker.io`) → base URL of a mirror or pull-through cache. */
  mirrors?: Record<string, string>
  /**
   * Registry name → base URLs read by digest before the registry itself, in order (never for
   * tag lists or HEADs): `docker.io` → `https://mirror.gcr.io`.
   */
  contentMirrors?: Record<string, string[]>
  /** By registry name, or by mirror host for a mirror; only ever sent to that host. Default: none. */
  credentials?: CredentialLookup
  http?: Partial<HttpPolicy>
  /** Extra CAs, plain-HTTP hosts; proxies come from the environment. */
  network?: NetworkOptions
  /** Requests in flight to one registry at once. */
  requestsPerRegistry?: number
  /** `n` for tags/list; unset lets the registry choose its page size. */
  tagPageSize?: number
  maxTagPages?: number
  userAgent?: string
  /** Pulls left untouched at a registry that announces a quota. */
  pullReserve?: number
}

export interface NetworkOptions {
  /** PEM files whose CAs are trusted for every registry, besides the system's. */
  caFiles?: string[]
  /** Hosts (`host:port` as in image names) spoken to over plain HTTP. */
  insecureRegistries?: string[]
  /** Docker's per-host CA folders. */
  certsDirectory?: string
}

/**
 * Defaults sized so that a registry that stops answering costs a run at most about two
 * minutes: three 30 s attempts plus backoff fit inside the 110 s deadline. An image's own
 * bound leaves room for its five dependent steps (tag list, HEAD, index, manifest, config) each
 * taking its full request deadline, so it only stops what no request limit would: a registry
 * that keeps answering, slowly and without end.
 */
export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  attemptTimeoutMs: 30_000,
  retries: 2,
  deadlineMs: 110_000,
  backoffMs: 1_000,
  imageDeadlineMs: 600_000
}
/** Pulls left for the machines that run the pinned images and share the run's address. */
export const DEFAULT_PULL_RESERVE = 2
/** tags/list pages followed at most; the byte cap in tags.ts bounds a list of full pages. */
export const DEFAULT_MAX_TAG_PAGES = 1000
/** Docker's layout: `<dir>/<host[:port]>/*.crt` are CAs trusted for that host only. */
export const DEFAULT_CERTS_DIRECTORY = '/etc/docker/certs.d'
export const DEFAULT_USER_AGENT = 'nix-oci-hashes'
export { DEFAULT_REQUESTS_PER_REGISTRY }

/** Where one endpoint is, and who we are to it. */
export interface EndpointSettings {
  /** Base URL requests go to, without a trailing slash. */
  endpoint: string
  host: string
  /** True for a mirror or content mirror: it gets its own credentials, never the registry's. */
  mirrored: boolean
  /** Looked up when the endpoint is first asked, so a credential helper runs only then. */
  credentials(): Credentials | undefined
}

/** One registry's settings: where its tag lists and HEADs go, where digests may be read. */
export interface HostSettings extends EndpointSettings {
  registry: string
  /** Spoken to over plain HTTP (named insecure, or on loopback as Docker does). */
  plainHttp: boolean
  /** Read by digest first, in order. */
  contentMirrors: EndpointSettings[]
}

export interface RegistrySettings {
  host(registry: string): HostSettings
  /** CAs for every registry, and Docker's per-host CA folders. */
  trust: { caFiles: string[]; certsDirectory: string }
  http: HttpPolicy
  requestsPerRegistry: number
  tagPageSize: number | undefined
  maxTagPages: number
  pullReserve: number
  userAgent: string
}

/** The one place registry options get their defaults. */
export function registrySettings(options: RegistryOptions = {}): RegistrySettings {
  const network = options.network ?? {}
  const endpoint = (url: string, lookup: string | undefined): EndpointSettings => {
    const base = url.replace(/\/+$/, '')
    const host = new URL(base).host
    // Credentials go only to the host they were issued for: a mirror gets its own or none.
    return {
      endpoint: base,
      host,
      mirrored: lookup === undefined,
      credentials: () => options.credentials?.get(lookup ?? host)
    }
  }
  return {
    host(registry) {
      const mirror = options.mirrors?.[registry]
      const own = network.insecureRegistries?.includes(registry)
        ? `http://${registry}`
        : defaultEndpoint(registry)
      return {
        ...endpoint(mirror ?? own, mirror ? undefined : registry),
        registry,
        plainHttp: new URL(own).protocol === 'http:',
        contentMirrors: (options.contentMirrors?.[registry] ?? []).map((url) =>
          endpoint(url, undefined)
        )
      }
    },
    trust: {
      caFiles: network.caFiles ?? [],
      certsDirectory:
        network.certsDirectory ?? process.env.NIX_OCI_HASHES_CERTS_D ?? DEFAULT_CERTS_DIRECTORY
    },
    http: { ...DEFAULT_HTTP_POLICY, ...options.http },
    requestsPerRegistry: options.requestsPerRegistry ?? DEFAULT_REQUESTS_PER_REGISTRY,
    tagPageSize: options.tagPageSize,
    maxTagPages: options.maxTagPages ?? DEFAULT_MAX_TAG_PAGES,
    pullReserve: options.pullReserve ?? DEFAULT_PULL_RESERVE,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT
  }
}

/**
 * The registry options out of a front end's own (update's options, the action's inputs, the
 * command line's), the same fields under the same names, so none can drop one on the way.
 */
function pickRegistryOptions(from: RegistryOptions): RegistryOptions {
  const picked: RegistryOptions = {}
  for (const key of REGISTRY_OPTION_KEYS) {
    if (from[key] !== undefined) (picked as Record<string, unknown>)[key] = from[key]
  }
  return picked
}

/**
 * A command's registry options: as picked, with the user's logins (podman's auth.json,
 * Docker's config.json, credential helpers) unless the front end brings its own lookup.
 */
export function commandRegistryOptions(from: RegistryOptions): RegistryOptions {
  return {
    ...pickRegistryOptions(from),
    credentials: from.credentials ?? loadRegistryCredentials()
  }
}

const REGISTRY_OPTION_KEYS = [
  'mirrors',
  'contentMirrors',
  'credentials',
  'http',
  'network',
  'requestsPerRegistry',
  'tagPageSize',
  'maxTagPages',
  'userAgent',
  'pullReserve'
] as const satisfies ReadonlyArray<keyof RegistryOptions>

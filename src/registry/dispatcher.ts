// How the client reaches registries on private networks: which CAs it trusts (per host, as
// Docker's certs.d layout says, and any --ca-file for all; settings.ts says which), the proxy
// from HTTPS_PROXY / HTTP_PROXY / NO_PROXY, and HTTP/2 where a registry offers it.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { join } from 'node:path'
import { EnvHttpProxyAgent, Pool, buildConnector, interceptors, type Dispatcher } from 'undici'
import { RegistryError } from './errors.js'
import type { RegistrySettings } from './settings.js'
import { OriginPool } from './origin-pool.js'
import {
  HTTP1_CONNECTIONS_PER_ORIGIN,
  HTTP2_MAX_STREAMS,
  TOKEN_CONNECTIONS_PER_ORIGIN
} from './connection-limits.js'

export interface DispatcherSettings {
  /** Requests in flight to one registry at once; bounds HTTP/1.1 connections too. */
  connections: number
  timeoutMs: number
  trust: RegistrySettings['trust']
}

/** Registries and the token services at other origins, the same trust and connectors. */
export interface Dispatchers {
  registries: Dispatcher
  /** HTTP/1.1 pools of TOKEN_CONNECTIONS_PER_ORIGIN (connection-limits.ts says why). */
  tokenServices: Dispatcher
}

/** The connection pools every request goes through, redirects left to the session. */
export function createDispatchers({
  connections,
  timeoutMs,
  trust
}: DispatcherSettings): Dispatchers {
  const common = readCaFiles(trust.caFiles)
  const perHost = readCertsDirectory(trust.certsDirectory)
  const extra = common.length > 0 || perHost.size > 0
  const connectors = new Map<string, buildConnector.connector>()
  const connectorFor = (host: string): buildConnector.connector => {
    const key = extra ? host : ''
    let connector = connectors.get(key)
    if (!connector) {
      const ca = extra ? [...common, ...(perHost.get(host) ?? [])] : []
      connector = buildConnector({
        timeout: timeoutMs,
        // Offer h2 by ALPN; a registry that does not answer h2 gets HTTP/1.1 (origin-pool.ts).
        // NIX_OCI_HASHES_HTTP2=0 offers HTTP/1.1 only: a way out should a registry's h2 (or a
        // middlebox's) misbehave, and the benchmark's HTTP/1.1 rows.
        allowH2: process.env.NIX_OCI_HASHES_HTTP2 !== '0',
        ...(ca.length > 0 ? { ca: [...rootCertificates, ...ca] } : {})
      })
      connectors.set(key, connector)
    }
    return connector
  }
  const connect: buildConnector.connector = (options, callback) =>
    connectorFor(hostKey(options.hostname, options.port, options.protocol))(options, callback)
  const agent = (http1Connections: number): Dispatcher =>
    new EnvHttpProxyAgent({
      connections,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // Plain HTTP goes to the proxy in absolute form, as curl sends it: many proxies allow
      // CONNECT to port 443 only.
      proxyTunnel: false,
      connect,
      factory: (origin, options: Pool.Options) => {
        const h1Connections = Math.min(connections, http1Connections)
        // Through a proxy undici's tunnel replaces our connector and speaks HTTP/1.1, and its
        // plain-HTTP wrapper needs one of undici's own pools: undici's default choice there.
        if (options.connect !== connect || new URL(String(origin)).protocol !== 'https:')
          return new Pool(origin, { ...options, connections: h1Connections })
        return new OriginPool(String(origin), {
          ...options,
          connect,
          connections: h1Connections,
          maxConcurrentStreams: HTTP2_MAX_STREAMS
        })
      },
      // Through a proxy the tunnel has one TLS setting: every CA we were given.
      ...(extra
        ? { requestTls: { ca: [...rootCertificates, ...common, ...[...perHost.values()].flat()] } }
        : {})
    }).compose(interceptors.redirect({ maxRedirections: 5 }))
  return {
    registries: agent(HTTP1_CONNECTIONS_PER_ORIGIN),
    tokenServices: agent(TOKEN_CONNECTIONS_PER_ORIGIN)
  }
}

/** `host:port` as Docker names its certs.d folders: the port left out when it is 443. */
function hostKey(hostname: string, port: string, protocol: string): string {
  const name = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname
  return port && !(protocol === 'https:' && port === '443') ? `${name}:${port}` : name
}

function readCaFiles(files: string[]): string[] {
  return files.map((file) => {
    try {
      return readFileSync(file, 'utf8')
    } catch (error) {
      throw new RegistryError(`read ${file}`, `CA file: ${(error as Error).message}`)
    }
  })
}

function readCertsDirectory(directory: string): Map<string, string[]> {
  const byHost = new Map<string, string[]>()
  if (!existsSync(directory)) return byHost
  for (const host of readdirSync(directory, { withFileTypes: true })) {
    if (!host.isDirectory()) continue
    const folder = join(directory, host.name)
    // .cert/.key pairs are client certificates; only .crt files are CAs.
    const cas = readdirSync(folder)
      .filter((name) => name.endsWith('.crt'))
      .map((name) => readFileSync(join(folder, name), 'utf8'))
    if (cas.length > 0) byHost.set(host.name, cas)
  }
  return byHost
}

// The proxies a suite starts in front of its registries, stopped together after it.
import { startFaultProxy, type FaultProxy } from './fault-proxy.js'
import { startQuotaProxy, type QuotaOptions, type QuotaProxy } from './quota-proxy.js'

export class ProxyPool {
  private readonly running: Array<{ stop(): Promise<void> }> = []

  /** The Docker-Hub-like quota stand-in in front of `upstreamUrl`, `limit` GETs per window. */
  async quota(
    upstreamUrl: string,
    limit: number,
    options: Omit<QuotaOptions, 'limit'> = {}
  ): Promise<QuotaProxy> {
    return this.add(await startQuotaProxy(upstreamUrl, { limit, ...options }))
  }

  /** A fault proxy in front of `upstreamUrl`: counts what it forwards, misbehaves on request. */
  async fault(upstreamUrl: string): Promise<FaultProxy> {
    return this.add(await startFaultProxy(upstreamUrl))
  }

  /** Anything else with a stop() to be stopped with the rest. */
  add<T extends { stop(): Promise<void> }>(server: T): T {
    this.running.push(server)
    return server
  }

  async stop(): Promise<void> {
    for (const server of this.running.splice(0)) await server.stop()
  }
}

/** GETs of the manifests named by `digests` a proxy answered (not refused), from `since` on. */
export function answeredGets(proxy: FaultProxy, digests: ReadonlySet<string>, since = 0): number {
  return proxy
    .log()
    .slice(since)
    .filter(
      (entry) =>
        entry.method === 'GET' &&
        entry.action !== 'status' &&
        digests.has(entry.url.split('/').pop()!)
    ).length
}

// A loopback stand-in for Docker Hub's pull quota in front of the real registry, built on the
// fault proxy. It behaves as Docker documents ("Docker Hub pull usage and limits"): every
// manifest answer, HEAD or GET, carries `ratelimit-limit: N;w=SECONDS`, `ratelimit-remaining`
// and `docker-ratelimit-source`; each manifest GET served counts against the window; past the
// quota a GET answers 429 TOOMANYREQUESTS; HEADs are never counted nor refused. The figures are
// the tests' own, not Docker's (100 per 21600 s anonymously): a quota of 10 lets a test spend a
// window in a few requests. The test turns
// the window over itself (no sleeping). It can also refuse HEADs the way some registries do.
import type { IncomingMessage } from 'node:http'
import { startFaultProxy, type Fault, type FaultProxy } from './fault-proxy.js'

export const TOO_MANY_REQUESTS_BODY = JSON.stringify({
  errors: [
    {
      code: 'TOOMANYREQUESTS',
      message:
        'You have reached your unauthenticated pull rate limit. https://www.docker.com/increase-rate-limit'
    }
  ]
})

export interface QuotaOptions {
  /** Manifest GETs per window. */
  limit: number
  windowSeconds?: number
  /** Send the ratelimit headers (Docker Hub does); false: only the 429 tells. */
  announce?: boolean
  /** Answer every manifest HEAD with this status (Nexus: 404; others 405 or 501). */
  refuseHead?: number
}

export interface QuotaProxy {
  readonly proxy: FaultProxy
  readonly host: string
  readonly url: string
  /** A fresh window: the full quota again. Counters are kept. */
  newWindow(): void
  /** Manifest GETs served, and answered 429, since the stand-in started. */
  served(): number
  refused(): number
  /** Manifest HEADs seen (answered or refused). */
  heads(): number
  stop(): Promise<void>
}

const MANIFEST = /^\/v2\/.+\/manifests\/[^/]+$/

export async function startQuotaProxy(
  upstreamUrl: string,
  options: QuotaOptions
): Promise<QuotaProxy> {
  const proxy = await startFaultProxy(upstreamUrl)
  const window = options.windowSeconds ?? 3600
  let remaining = options.limit
  let served = 0
  let refused = 0
  let heads = 0

  const quotaHeaders = (): Record<string, string> =>
    options.announce === false
      ? {}
      : {
          'ratelimit-limit': `${options.limit};w=${window}`,
          'ratelimit-remaining': `${remaining};w=${window}`,
          'docker-ratelimit-source': '127.0.0.1'
        }

  const decide = (req: IncomingMessage, url: URL): Fault | undefined => {
    if (!MANIFEST.test(url.pathname)) return undefined
    if (req.method === 'HEAD') {
      heads++
      if (options.refuseHead) return { kind: 'status', status: options.refuseHead, body: '' }
    } else if (req.method === 'GET') {
      if (remaining <= 0) {
        refused++
        return {
          kind: 'status',
          status: 429,
          headers: quotaHeaders(),
          body: TOO_MANY_REQUESTS_BODY
        }
      }
      remaining--
      served++
    }
    const headers = quotaHeaders()
    return { kind: 'headers', rewrite: (answer) => Object.assign(answer, headers) }
  }
  proxy.setDecider(decide)

  return {
    proxy,
    host: proxy.host,
    url: proxy.url,
    newWindow() {
      remaining = options.limit
    },
    served: () => served,
    refused: () => refused,
    heads: () => heads,
    stop: () => proxy.stop()
  }
}

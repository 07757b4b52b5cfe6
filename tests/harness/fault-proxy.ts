// A loopback HTTP proxy in front of the real registry (or its token server) that misbehaves on
// request: the faults public registries really show, injected per request by the test, while
// everything else is forwarded byte for byte. The benchmark reuses it to add network latency.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Fault =
  /** Answer without asking upstream. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Close the connection before any answer. */
  | { kind: 'reset' }
  /** Hold the request unanswered; with `ms`, forward it after that long. */
  | { kind: 'stall'; ms?: number }
  /**
   * Forward, then send only the first `bytes` of the body. With the upstream Content-Length
   * kept, the connection is cut (the client can tell); without it, the response ends cleanly
   * short (only the content can tell).
   */
  | { kind: 'truncate'; bytes: number; keepLength: boolean }
  /** Forward with one byte of the body changed, length unchanged. */
  | { kind: 'corrupt' }
  /** Forward with response headers rewritten (e.g. a looping Link, a moved token realm). */
  | { kind: 'headers'; rewrite: (headers: Record<string, string>, url: URL) => void }
  /** Answer entirely from the test. */
  | { kind: 'respond'; handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void }

export interface FaultRule {
  method?: string
  /** Tested against the path and query string. */
  path: RegExp
  when?: (req: IncomingMessage) => boolean
  /** Matching requests to affect; unlimited when unset. */
  times?: number
  fault: Fault
}

export interface ProxyEntry {
  method: string
  url: string
  /** The fault applied, or 'forward'. */
  action: string
  bearer: boolean
  /** Date.now() when the request arrived: for lower bounds the client guarantees (Retry-After). */
  at: number
  /** The Authorization header as sent, to check which credentials reached which host. */
  authorization: string | undefined
}

export interface ProxyOptions {
  /** Added before a request is forwarded and again before its answer: one way each. */
  latencyMs?: number
  /** Added once per new client connection: the TCP handshake's round trip. */
  connectLatencyMs?: number
  /** Rewrites every forwarded response's headers (runs before any rule's rewrite). */
  rewriteHeaders?: (headers: Record<string, string>) => void
}

/**
 * Decides one request as it arrives, before any rule: for stand-ins whose answer depends on
 * what came before (a pull quota). Undefined leaves the request to the rules.
 */
export type Decider = (req: IncomingMessage, url: URL) => Fault | undefined

export interface FaultProxy {
  readonly host: string
  readonly url: string
  /** Replaces the rules; the first matching rule with times left applies. */
  setRules(rules: FaultRule[]): void
  /** Replaces the decider (undefined removes it). */
  setDecider(decider: Decider | undefined): void
  log(): ProxyEntry[]
  resetLog(): void
  stop(): Promise<void>
}

const UPSTREAM_TIMEOUT_MS = 30_000

export async function startFaultProxy(
  upstreamUrl: string,
  options: ProxyOptions = {}
): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const latency = options.latencyMs ?? 0
  let rules: Array<FaultRule & { left: number }> = []
  let decider: Decider | undefined
  let entries: ProxyEntry[] = []
  const timers = new Set<NodeJS.Timeout>()
  const sockets = new Set<Socket>()

  const wait = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer)
            resolve()
          }, ms)
          timers.add(timer)
        })

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream)
    const decided = decider?.(req, url)
    const rule = decided
      ? { fault: decided }
      : rules.find(
          (r) =>
            r.left > 0 &&
            (r.method === undefined || r.method === req.method) &&
            r.path.test(url.pathname + url.search) &&
            (r.when === undefined || r.when(req))
        )
    if (rule && 'left' in rule) rule.left--
    entries.push({
      method: req.method ?? '',
      url: url.pathname + url.search,
      action: rule?.fault.kind ?? 'forward',
      bearer: /^bearer /i.test(req.headers.authorization ?? ''),
      at: Date.now(),
      authorization: req.headers.authorization
    })
    handle(req, res, url, rule?.fault).catch(() => res.destroy())
  })

  const greeted = new WeakSet<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    fault: Fault | undefined
  ): Promise<void> {
    // A new connection's first request also waits out the TCP handshake's round trip.
    const handshake = greeted.has(req.socket) ? 0 : (options.connectLatencyMs ?? 0)
    greeted.add(req.socket)
    await wait(handshake + latency)
    switch (fault?.kind) {
      case 'status':
        await wait(latency)
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
        res.end(fault.body ?? '{"errors":[{"code":"INJECTED","message":"fault proxy"}]}')
        return
      case 'reset':
        req.socket.destroy()
        return
      case 'stall':
        if (fault.ms === undefined) return // the client gives up, or stop() closes it
        await wait(fault.ms)
        if (res.destroyed) return
        break
      case 'respond':
        await wait(latency)
        fault.handler(req, res, url)
        return
    }
    const answer = await forward(req, url)
    await wait(latency)
    if (res.destroyed) return
    const headers = answer.headers
    options.rewriteHeaders?.(headers)
    if (fault?.kind === 'headers') fault.rewrite(headers, url)
    let body = answer.body
    if (fault?.kind === 'corrupt' && body.length > 0) {
      body = Buffer.from(body)
      const middle = Math.floor(body.length / 2)
      body[middle] = body[middle]! ^ 0x01
    }
    if (fault?.kind === 'truncate') {
      if (!fault.keepLength) delete headers['content-length']
      res.writeHead(answer.status, headers)
      const part = body.subarray(0, fault.bytes)
      if (fault.keepLength) res.write(part, () => res.destroy())
      else res.end(part)
      return
    }
    res.writeHead(answer.status, headers)
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  function forward(
    req: IncomingMessage,
    url: URL
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host }
      const outgoing = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: url.pathname + url.search,
          headers,
          agent,
          timeout: UPSTREAM_TIMEOUT_MS
        },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('error', reject)
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 502,
              headers: flatten(incoming.headers),
              body: Buffer.concat(chunks)
            })
          )
        }
      )
      outgoing.on('timeout', () => outgoing.destroy(new Error('upstream did not answer')))
      outgoing.on('error', reject)
      req.pipe(outgoing)
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = `127.0.0.1:${port}`
  return {
    host,
    url: `http://${host}`,
    setRules(next) {
      rules = next.map((rule) => ({ ...rule, left: rule.times ?? Infinity }))
    },
    setDecider(next) {
      decider = next
    },
    log: () => [...entries],
    resetLog() {
      entries = []
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        for (const socket of sockets) socket.destroy()
        agent.destroy()
        server.close(() => resolve())
      })
  }
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  // The body is re-sent whole (or cut on purpose), never in the upstream's framing.
  delete flat['transfer-encoding']
  delete flat.connection
  delete flat['keep-alive']
  return flat
}

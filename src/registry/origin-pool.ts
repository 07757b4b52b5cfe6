// One registry origin's connections: a single HTTP/2 connection carrying every request when the
// registry offers h2 by ALPN, a bounded pool of HTTP/1.1 connections when it does not.
//
// undici 7 cannot do this by itself (nodejs/undici#4143, #5362): its Client gates h2 streams by
// the HTTP/1.1 `pipelining` factor, so an h2 connection carries one request at a time, and a Pool
// opens a connection for each request of a burst that arrives before ALPN has answered. Raising
// `pipelining` for all would pipeline HTTP/1.1 too. So the first request to an origin connects
// alone; the rest wait for its TLS handshake (one round trip, not the whole request). Then: h2 →
// that connection's stream limit is raised and everything goes on it; HTTP/1.1 → a Pool of
// `connections`, the first connection among them.
import { Client, Dispatcher, Pool, type buildConnector } from 'undici'

export type Protocol = 'h2' | 'http/1.1'

export interface OriginPoolOptions extends Pool.Options {
  connect: buildConnector.connector
  /** HTTP/1.1 connections to this origin at most. */
  connections: number
  /** Requests in flight on the one h2 connection at most (the server's SETTINGS may lower it). */
  maxConcurrentStreams: number
}

type Waiting = [Dispatcher.DispatchOptions, Dispatcher.DispatchHandler]

export class OriginPool extends Dispatcher {
  private readonly first: Client
  private pool: Pool | undefined
  private protocol: Protocol | undefined
  private probing = false
  private firstInPool = false
  private waiting: Waiting[] = []

  constructor(
    private readonly origin: string,
    private readonly options: OriginPoolOptions
  ) {
    super()
    const { connect, maxConcurrentStreams } = options
    this.first = new Client(origin, {
      ...clientOptions(options),
      maxConcurrentStreams,
      connect: (connectOptions, callback) =>
        connect(connectOptions, (error, socket) => {
          // Set on every (re)connection: a registry could change what it offers between them.
          const h2 = !error && (socket as { alpnProtocol?: string }).alpnProtocol === 'h2'
          this.first.pipelining = h2 ? maxConcurrentStreams : 1
          callback(error, socket as never)
          if (this.protocol === undefined) this.settle(error ? undefined : h2 ? 'h2' : 'http/1.1')
        })
    })
    // Plain HTTP has no ALPN: HTTP/1.1 from the start.
    if (new URL(origin).protocol === 'http:') this.choose('http/1.1')
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler
  ): boolean {
    if (this.protocol === 'h2') return this.first.dispatch(options, handler)
    if (this.protocol === 'http/1.1') return this.pool!.dispatch(options, handler)
    if (this.probing) {
      this.waiting.push([options, handler])
      return true
    }
    this.probing = true
    return this.first.dispatch(options, handler)
  }

  private settle(protocol: Protocol | undefined): void {
    const waiting = this.waiting
    this.waiting = []
    this.probing = false
    if (protocol) this.choose(protocol)
    // A failed connection decided nothing: the next waiting request connects alone again (the
    // failed one's error reaches its caller, which retries as for any broken connection).
    for (const [options, handler] of waiting) this.dispatch(options, handler)
  }

  private choose(protocol: Protocol): void {
    this.protocol = protocol
    if (protocol === 'h2') return
    this.pool = new Pool(this.origin, {
      ...clientOptions(this.options),
      connect: this.options.connect,
      connections: this.options.connections,
      // The connection already open is the pool's first, so HTTP/1.1 costs no extra handshake.
      factory: (origin, clientOptions) => {
        if (this.firstInPool || this.first.closed || this.first.destroyed)
          return new Client(origin, clientOptions)
        this.firstInPool = true
        return this.first
      }
    })
  }

  /** The protocol ALPN chose, once the first connection is up; for tests and the benchmark. */
  get negotiated(): Protocol | undefined {
    return this.protocol
  }

  override close(callback: () => void): void
  override close(): Promise<void>
  override close(callback?: () => void): Promise<void> | void {
    const closing = (async () => {
      await this.pool?.close()
      if (!this.firstInPool) await this.first.close()
    })()
    if (!callback) return closing
    void closing.then(callback, callback)
  }

  override destroy(err: Error | null, callback: () => void): void
  override destroy(callback: () => void): void
  override destroy(err: Error | null): Promise<void>
  override destroy(): Promise<void>
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    const error = typeof first === 'function' ? null : (first ?? null)
    const callback = typeof first === 'function' ? first : second
    const destroying = (async () => {
      await this.pool?.destroy(error)
      if (!this.firstInPool) await this.first.destroy(error)
    })()
    if (!callback) return destroying
    void destroying.then(callback, callback)
  }

  get closed(): boolean {
    return this.first.closed
  }

  get destroyed(): boolean {
    return this.first.destroyed
  }
}

/** What the pool and its clients share: everything but the options this class interprets. */
function clientOptions(options: OriginPoolOptions): Pool.Options {
  const shared: Pool.Options & Partial<OriginPoolOptions> = { ...options }
  delete shared.connect
  delete shared.connections
  delete shared.maxConcurrentStreams
  return shared
}

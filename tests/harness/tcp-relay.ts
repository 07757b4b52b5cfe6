// A loopback TCP relay in front of a server: counts the connections it accepts and can delay
// every chunk each way, like a network with latency. Bytes pass through untouched, so TLS (and
// whichever protocol ALPN chose) is end to end between the client and the real server.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface TcpRelay {
  /** `127.0.0.1:port`, the relay's address. */
  host: string
  /** Connections accepted so far. */
  connections(): number
  stop(): Promise<void>
}

export interface RelayOptions {
  /** Added to every chunk each way. Default 0. */
  latencyMs?: number
  /** Added before a new connection reaches the server (a TCP handshake's round trip). */
  connectLatencyMs?: number
}

/** Joins `client` to a new connection to loopback `port`; `head` is sent first. */
export function splice(
  client: Socket,
  port: number,
  sockets: Set<Socket>,
  onOpen: () => void = () => undefined,
  head?: Buffer
): void {
  const upstream = connect(port, '127.0.0.1', () => {
    onOpen()
    if (head) upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  sockets.add(upstream)
  upstream.on('close', () => sockets.delete(upstream))
  upstream.on('error', () => client.destroy())
  client.on('error', () => upstream.destroy())
}

export async function startTcpRelay(port: number, options: RelayOptions = {}): Promise<TcpRelay> {
  const latency = options.latencyMs ?? 0
  let accepted = 0
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createServer((client) => {
    accepted++
    track(client)
    client.on('error', () => undefined)
    if (latency === 0 && !options.connectLatencyMs) return splice(client, port, sockets)
    // Chunks from the client wait here until the server connection is up.
    const early: Array<Buffer | null> = []
    let upstream: Socket | undefined
    const toUpstream = (chunk: Buffer | null): void => {
      if (!upstream) early.push(chunk)
      else if (chunk) upstream.write(chunk)
      else upstream.end()
    }
    delayed(client, latency, toUpstream)
    // After the chunks in flight: a close must not overtake the data before it.
    client.on('close', () => setTimeout(() => upstream?.destroy(), latency))
    setTimeout(() => {
      if (client.destroyed) return
      const socket = connect(port, '127.0.0.1', () => {
        upstream = socket
        for (const chunk of early.splice(0)) toUpstream(chunk)
      })
      track(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => setTimeout(() => client.destroy(), latency))
      delayed(socket, latency, (chunk) => (chunk ? client.write(chunk) : client.end()))
    }, options.connectLatencyMs ?? 0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Hands each chunk (null for the end) to `deliver` `ms` later, in order. */
function delayed(from: Socket, ms: number, deliver: (chunk: Buffer | null) => void): void {
  from.on('data', (chunk: Buffer) => setTimeout(() => deliver(chunk), ms))
  from.on('end', () => setTimeout(() => deliver(null), ms))
}

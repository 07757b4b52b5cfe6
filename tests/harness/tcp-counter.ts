// A loopback TCP relay that counts the connections it accepts: TLS passes through untouched, so
// it tells how many connections a client opened to a registry, whatever protocol they carried.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface TcpCounter {
  /** `127.0.0.1:port`, the relay's address. */
  host: string
  /** Connections accepted so far. */
  connections(): number
  stop(): Promise<void>
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

export async function startTcpCounter(port: number): Promise<TcpCounter> {
  let accepted = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    accepted++
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    splice(client, port, sockets)
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

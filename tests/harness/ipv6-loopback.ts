// The real registry reached over IPv6: a byte-for-byte TCP relay on [::1] in front of its
// 127.0.0.1 port, so references and mirrors written with an IPv6 literal meet real HTTP.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'

export interface Ipv6Relay {
  /** `[::1]:port`, as it is written in an image name. */
  readonly host: string
  connections(): number
  stop(): Promise<void>
}

export async function startIpv6Relay(targetPort: number): Promise<Ipv6Relay> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server = createServer((client) => {
    connections++
    const upstream = connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // ipv6Only: the relay must not be reachable as 0.0.0.0 or 127.0.0.1.
    server.listen({ host: '::1', port: 0, ipv6Only: true }, resolve)
  })
  return {
    host: `[::1]:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

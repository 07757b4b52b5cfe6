// A loopback stand-in for a corporate HTTP proxy: CONNECT tunnels for HTTPS and absolute-form
// requests for plain HTTP, as HTTPS_PROXY / HTTP_PROXY clients use them. Host names are mapped
// to loopback ports, so images can carry names that resolve nowhere and nothing leaves loopback.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { splice } from './tcp-relay.js'

export interface ConnectProxy {
  url: string
  /** `CONNECT host:port` and `GET http://host:port/path`, in order. */
  seen: string[]
  stop(): Promise<void>
}

/** `routes`: `host:port` as the client names it → loopback port it really reaches. */
export async function startConnectProxy(routes: Record<string, number>): Promise<ConnectProxy> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const target = new URL(req.url ?? '/')
    const port = routes[target.host]
    if (port === undefined) {
      res.writeHead(502).end()
      return
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`)
    const port = routes[req.url ?? '']
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
      return
    }
    splice(
      client,
      port,
      sockets,
      () => client.write('HTTP/1.1 200 Connection Established\r\n\r\n'),
      head
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

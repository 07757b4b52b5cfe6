// A loopback stand-in for the CDN or object store a registry redirects blob GETs to (Docker
// Hub's Cloudflare host, an S3 bucket behind ghcr.io): it serves the registry's stored blobs by
// their storage path, and, as S3 does for a presigned URL, refuses any request that also carries
// an Authorization header. It records every request's headers, so a test can prove that no
// registry credential reached it.
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { join, normalize } from 'node:path'

export interface CdnRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  status: number
}

export interface BlobCdn {
  /** The base URL under a host name other than the registry's (`localhost`, not 127.0.0.1). */
  readonly url: string
  /** Where the registry's filesystem storage lives; set once the registry has started. */
  setRoot(root: string): void
  requests(): CdnRequest[]
  resetRequests(): void
  stop(): Promise<void>
}

const BLOB_PATH = /^\/docker\/registry\/v2\/blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}\/data$/

export async function startBlobCdn(): Promise<BlobCdn> {
  let root: string | undefined
  let log: CdnRequest[] = []
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://cdn.invalid').pathname
    const answer = (status: number, body: string): void => {
      log.push({ method: req.method ?? '', path, headers: req.headers, status })
      res.writeHead(status, { 'content-type': 'application/xml' }).end(body)
    }
    if (req.headers.authorization !== undefined) {
      answer(
        400,
        '<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>'
      )
      return
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !BLOB_PATH.test(path) || !root) {
      answer(404, '<Error><Code>NoSuchKey</Code></Error>')
      return
    }
    const file = join(root, normalize(path))
    let size: number
    try {
      size = statSync(file).size
    } catch {
      answer(404, '<Error><Code>NoSuchKey</Code></Error>')
      return
    }
    log.push({ method: req.method, path, headers: req.headers, status: 200 })
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size)
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://localhost:${port}`,
    setRoot: (dir) => {
      root = dir
    },
    requests: () => [...log],
    resetRequests: () => {
      log = []
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

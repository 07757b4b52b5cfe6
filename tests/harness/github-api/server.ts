// The HTTP side: one loopback server that records each request, checks its token, gives any
// injected refusal, then routes it to the REST handler whose pattern matches (or to GraphQL) and
// turns a handler's HttpError into GitHub's error answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fail, HttpError } from './http-error.js'
import { RATE_LIMIT_HEADERS, type InjectedFailures } from './injected-failures.js'
import type { RecordedRequests } from './recorded-requests.js'

const MAX_BODY_BYTES = 10 * 1024 * 1024

export type Handler = (
  match: RegExpMatchArray,
  body: Record<string, unknown>,
  query: URLSearchParams
) => [number, unknown]

/** Registers `handler` for `method` on paths matching `pattern` in full. */
export type Route = (method: string, pattern: string, handler: Handler) => void

export class Router {
  private readonly routes: Array<[string, RegExp, Handler]> = []

  readonly route: Route = (method, pattern, handler) => {
    this.routes.push([method, new RegExp(`^${pattern}$`), handler])
  }

  /** The first route for `method` matching `path`, and its match. */
  find(method: string, path: string): readonly [RegExpMatchArray, Handler] | undefined {
    for (const [routeMethod, pattern, handler] of this.routes) {
      if (routeMethod !== method) continue
      const match = path.match(pattern)
      if (match) return [match, handler]
    }
    return undefined
  }
}

export interface ServerParts {
  /** The only token accepted. */
  token: string
  /** The REST API's root below the origin: empty, or `/api/v3` for GitHub Enterprise Server. */
  prefix: string
  graphqlPath: string
  router: Router
  graphql: (body: Record<string, unknown>) => [number, unknown]
  recorded: RecordedRequests
  failures: InjectedFailures
  /** Called with each request once it is answered, before the answer is sent. */
  answered: (method: string, path: string) => void
}

export interface RunningServer {
  origin: string
  stop(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) fail(413, 'Payload too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function parseJson(raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {}
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>
  } catch {
    fail(400, 'Problems parsing JSON')
  }
}

function authorized(authorization: string, token: string): boolean {
  return (
    authorization === `token ${token}` ||
    authorization === `bearer ${token}` ||
    authorization === `Bearer ${token}`
  )
}

export async function listen(parts: ServerParts): Promise<RunningServer> {
  const { prefix, graphqlPath } = parts

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const record = parts.recorded.start(req, url)
    let status: number
    let payload: unknown
    let extraHeaders: Record<string, string> = {}
    try {
      const raw = await readBody(req)
      const body = parseJson(raw)
      record.body = raw.length > 0 ? body : undefined
      if (!authorized(req.headers.authorization ?? '', parts.token)) fail(401, 'Bad credentials')
      const target = url.pathname === graphqlPath ? '/graphql' : url.pathname.slice(prefix.length)
      const injected = parts.failures.take(record.method, target)
      if (injected) {
        extraHeaders = injected.headers?.() ?? {}
        fail(injected.status, injected.message)
      }
      if (url.pathname === graphqlPath && record.method === 'POST') {
        record.path = '/graphql'
        ;[status, payload] = parts.graphql(body)
      } else {
        if (!url.pathname.startsWith(`${prefix}/`)) fail(404, 'Not Found')
        const path = decodeURIComponent(url.pathname.slice(prefix.length))
        record.path = path
        const found = parts.router.find(record.method, path)
        if (!found) fail(404, 'Not Found')
        ;[status, payload] = found[1](found[0], body, url.searchParams)
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status
        payload = error.body
      } else {
        status = 500
        payload = { message: `fake GitHub: ${(error as Error).message}` }
      }
    }
    record.status = status
    parts.answered(record.method, record.path)
    const text = status === 204 ? '' : JSON.stringify(payload)
    res.writeHead(status, {
      // GitHub's 204 has no body and so no content type.
      ...(status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(text),
      'x-github-media-type': 'github.v3; format=json',
      ...RATE_LIMIT_HEADERS,
      ...extraHeaders
    })
    res.end(text)
  }

  const server = createServer((req, res) => {
    void handle(req, res)
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

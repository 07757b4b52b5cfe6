// Every request the stand-in receives, kept so a test can assert exactly what was (or was not)
// written, and with which credentials.
import type { IncomingMessage } from 'node:http'
import type { RecordedRequest } from './types.js'

/** A GraphQL query reads; only a mutation writes. */
function isGraphqlQuery(request: RecordedRequest): boolean {
  return (
    request.path === '/graphql' &&
    !/^\s*mutation\b/.test(String((request.body as { query?: unknown })?.query ?? ''))
  )
}

export class RecordedRequests {
  private readonly recorded: RecordedRequest[] = []

  /** Starts the record of a request; the server fills in its path, body and status as it goes. */
  start(req: IncomingMessage, url: URL): RecordedRequest {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorization: req.headers.authorization,
      status: 0
    }
    this.recorded.push(record)
    return record
  }

  all(): RecordedRequest[] {
    return this.recorded.map((request) => ({ ...request }))
  }

  writes(): RecordedRequest[] {
    return this.recorded.filter(
      (request) => !['GET', 'HEAD'].includes(request.method) && !isGraphqlQuery(request)
    )
  }

  reset(): void {
    this.recorded.length = 0
  }
}

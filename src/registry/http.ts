import { setTimeout as sleep } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import { plural } from '../common/plural.js'
import { spentWindowReason } from './rate-limit-headers.js'
import { PullQuotaDeferral, RegistryError, describeRequest } from './errors.js'
import { networkReason, untrustedCertificate } from './network-errors.js'
import { type ImageDeadline } from './image-deadline.js'
import { requireHttpUrl } from './http-urls.js'

/** How long and how often one logical request may try before it is reported as failed. */
export interface HttpPolicy {
  /** One attempt, headers and body together. */
  attemptTimeoutMs: number
  /** Attempts after the first, for 429, 5xx, timeouts and broken connections. */
  retries: number
  /** The whole request, every attempt and wait included. */
  deadlineMs: number
  /** First backoff; it doubles per retry unless the registry sends Retry-After. */
  backoffMs: number
  /**
   * One image's whole work: its tag-list pages, HEADs and reads together. A request still in
   * flight when it passes is cut off.
   */
  imageDeadlineMs: number
}

/** What every request to a registry shares: the connection pool, the retry policy, who we are. */
export interface Transport {
  dispatcher: Dispatcher
  /** For a token service at another origin than the registry: a wider HTTP/1.1 pool. */
  tokenDispatcher: Dispatcher
  policy: HttpPolicy
  userAgent: string
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST'
  url: string
  headers: Record<string, string>
  /** A form body (the OAuth2 token POST). */
  body?: string
  /**
   * Answer a redirect as it is rather than follow it, so the caller can decide per origin what
   * the next hop is trusted with.
   */
  manualRedirects?: boolean
  /** Bodies larger than this are refused rather than buffered. */
  maxBytes: number
  /** The deadline of the image the request works for: once passed, nothing more is sent. */
  imageDeadline?: ImageDeadline
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | undefined>
  body: Buffer
}

class RetryableFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
    /**
     * The registry answered but the body broke off. It is alive, so the failure belongs to this
     * request alone and must not mark the whole registry unreachable.
     */
    readonly answered = false
  ) {
    super(reason)
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])

/**
 * Sends one request, retrying what is worth retrying. Resolves with any final answer
 * (200, 401, 404…) for the caller to interpret; rejects with RegistryError otherwise.
 */
export async function sendWithRetry(
  dispatcher: Dispatcher,
  httpRequest: HttpRequest,
  policy: HttpPolicy,
  onAttempt: () => void,
  /** Called as each attempt fails in a way worth retrying, before any wait. */
  onFailedAttempt?: () => void
): Promise<HttpResponse> {
  const label = describeRequest(httpRequest.method, httpRequest.url)
  requireHttpUrl(httpRequest.url, label)
  const stop = httpRequest.imageDeadline
  const deadline = Date.now() + policy.deadlineMs
  let lastFailure: RetryableFailure | undefined
  let attempts = 0
  let cutByDeadline = false
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      const wait = lastFailure?.retryAfterMs ?? policy.backoffMs * 2 ** (attempt - 1)
      if (Date.now() + wait >= deadline) {
        if (lastFailure?.retryAfterMs !== undefined) {
          const seconds = Math.ceil(lastFailure.retryAfterMs / 1000)
          lastFailure = new RetryableFailure(
            `${lastFailure.reason}, Retry-After ${seconds} s is past the deadline`,
            undefined,
            lastFailure.status
          )
        }
        cutByDeadline = true
        break
      }
      await sleep(wait, undefined, stop ? { signal: stop.signal } : {}).catch(() => undefined)
    }
    stop?.check(label)
    const remaining = deadline - Date.now()
    if (remaining <= 0) {
      cutByDeadline = true
      break
    }
    onAttempt()
    attempts++
    try {
      return await attemptOnce(
        dispatcher,
        httpRequest,
        Math.min(policy.attemptTimeoutMs, remaining),
        label
      )
    } catch (error) {
      if (!(error instanceof RetryableFailure)) throw error
      lastFailure = error
      onFailedAttempt?.()
    }
  }
  const reason = lastFailure?.reason ?? 'no attempt fit in the deadline'
  const tries = plural(attempts, 'attempt')
  const limit = cutByDeadline
    ? `, stopped by the ${Math.round(policy.deadlineMs / 1000)} s deadline`
    : ''
  throw new RegistryError(
    label,
    `${reason} (${tries}${limit})`,
    lastFailure?.status,
    lastFailure?.status === undefined && !lastFailure?.answered
  )
}

async function attemptOnce(
  dispatcher: Dispatcher,
  httpRequest: HttpRequest,
  timeoutMs: number,
  label: string
): Promise<HttpResponse> {
  const attemptSignal = AbortSignal.timeout(timeoutMs)
  const stop = httpRequest.imageDeadline
  const signal = stop ? AbortSignal.any([attemptSignal, stop.signal]) : attemptSignal
  let response: Dispatcher.ResponseData
  try {
    response = await request(httpRequest.url, {
      method: httpRequest.method,
      headers: httpRequest.headers,
      ...(httpRequest.body !== undefined ? { body: httpRequest.body } : {}),
      // Read by undici's redirect interceptor: 0 turns it off for this request.
      ...(httpRequest.manualRedirects ? ({ maxRedirections: 0 } as object) : {}),
      dispatcher,
      signal
    })
  } catch (error) {
    stop?.check(label)
    const untrusted = untrustedCertificate(error)
    // Asking again cannot make a certificate trusted: fail at once, and say how to trust it.
    if (untrusted) throw new RegistryError(label, untrusted, undefined, true)
    // A request the HTTP client refuses to send is refused again on every retry.
    if ((error as { code?: string }).code === 'UND_ERR_INVALID_ARG')
      throw new RegistryError(label, `not sent: ${(error as Error).message}`)
    throw new RetryableFailure(networkReason(error, attemptSignal, timeoutMs))
  }
  const headers = flattenHeaders(response.headers)
  if (response.statusCode === 429) {
    // A spent pull window is not worth asking again before it turns; say so at once.
    const body =
      (await readUpTo(response.body, MAX_ERROR_BODY_BYTES).catch(() => undefined))?.bytes ??
      Buffer.alloc(0)
    const spent = spentWindowReason(headers, body)
    if (spent) throw new PullQuotaDeferral(label, spent)
  }
  if (RETRYABLE_STATUS.has(response.statusCode)) {
    await response.body.dump().catch(() => undefined)
    throw new RetryableFailure(
      `${response.statusCode} ${statusText(response.statusCode)}`,
      parseRetryAfter(headers['retry-after']),
      response.statusCode
    )
  }
  const declared = Number(headers['content-length'])
  if (
    Number.isFinite(declared) &&
    declared > httpRequest.maxBytes &&
    httpRequest.method !== 'HEAD'
  ) {
    response.body.destroy()
    throw new RegistryError(
      label,
      `response of ${declared} bytes exceeds the ${httpRequest.maxBytes}-byte limit`
    )
  }
  let body: Buffer
  try {
    const read = await readUpTo(response.body, httpRequest.maxBytes)
    if (read.cut)
      throw new RegistryError(label, `response exceeds the ${httpRequest.maxBytes}-byte limit`)
    body = read.bytes
  } catch (error) {
    if (error instanceof RegistryError) throw error
    stop?.check(label)
    // A body that stalls past the timeout is a registry gone quiet; one cut short is not.
    throw new RetryableFailure(
      `body: ${networkReason(error, attemptSignal, timeoutMs)}`,
      undefined,
      undefined,
      !attemptSignal.aborted
    )
  }
  if (Number.isFinite(declared) && httpRequest.method !== 'HEAD' && body.length !== declared) {
    throw new RetryableFailure(
      `body ended after ${body.length} of ${declared} bytes`,
      undefined,
      undefined,
      true
    )
  }
  return { status: response.statusCode, headers, body }
}

const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * At most `cap` bytes of a body, the rest never read: the stream is destroyed at the cap, so
 * a body of any size costs no more memory than the cap.
 */
async function readUpTo(
  body: Dispatcher.ResponseData['body'],
  cap: number
): Promise<{ bytes: Buffer; cut: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const piece = chunk as Buffer
    if (size + piece.length > cap) {
      chunks.push(piece.subarray(0, cap - size))
      body.destroy()
      return { bytes: Buffer.concat(chunks), cut: true }
    }
    size += piece.length
    chunks.push(piece)
  }
  return { bytes: Buffer.concat(chunks), cut: false }
}

function flattenHeaders(
  headers: Dispatcher.ResponseData['headers']
): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout'
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'HTTP error'
}

// The registry's errors, apart from the HTTP code that raises them, so a caller can tell them
// apart without loading undici.

/** A request that failed; the message names the request and why, and never a credential. */
export class RegistryError extends Error {
  override name = 'RegistryError'
  constructor(
    readonly request: string,
    readonly reason: string,
    readonly status?: number,
    /** True when the registry did not answer at all, so asking it again now is pointless. */
    readonly unreachable = false
  ) {
    super(`${request}: ${reason}`)
  }
}

/** A GET not sent (or refused) because the registry's pull quota for this window is spent. */
export class PullQuotaDeferral extends RegistryError {
  override name = 'PullQuotaDeferral'
  constructor(
    request: string,
    /** In the registry's own words and figures. */
    readonly quota: string
  ) {
    super(request, `deferred: ${quota}`)
  }
}

/** `GET https://host/v2/x/manifests/y` without query strings, which may carry tokens. */
export function describeRequest(method: string, url: string): string {
  const parsed = new URL(url)
  // file: and data: URLs have no origin ("null"); name the scheme and a bounded path instead.
  const where =
    parsed.origin === 'null'
      ? `${parsed.protocol}${parsed.pathname.slice(0, 100)}`
      : `${parsed.origin}${parsed.pathname}`
  return `${method} ${where}`
}

/** The first error a registry or token service put in its body, distribution or OAuth2 style. */
export function errorDetail(body: Buffer): string {
  try {
    const document = JSON.parse(body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>
      error?: unknown
      error_description?: unknown
      details?: unknown
    }
    const first = document.errors?.[0]
    if (first?.code) return ` (${first.code}${first.message ? `: ${first.message}` : ''})`
    if (typeof document.error === 'string') {
      const description =
        typeof document.error_description === 'string' ? `: ${document.error_description}` : ''
      return ` (${document.error}${description})`
    }
    if (typeof document.details === 'string') return ` (${document.details})`
  } catch {
    // Not JSON; the status says enough.
  }
  return ''
}

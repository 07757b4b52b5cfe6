// What a failure below HTTP means to a user: a reason in words, and whether asking again can help.

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

export function untrustedCertificate(error: unknown): string | undefined {
  const failure = error as { code?: string; cause?: { code?: string } } | undefined
  const code = failure?.code ?? failure?.cause?.code
  if (!code || !CERTIFICATE_CODES.has(code)) return undefined
  return `TLS certificate not trusted (${code}); give its CA with --ca-file (the action's ca-files input) or in /etc/docker/certs.d/<host>/ca.crt`
}

// undici reports some network failures by code alone; UND_ERR_SOCKET says nothing to a user.
const NETWORK_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'connection closed by the registry',
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused'
}

export function networkReason(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${Math.round(timeoutMs / 100) / 10} s`
  const cause =
    (error as { cause?: { code?: string; message?: string }; code?: string; message?: string }) ??
    {}
  const code = cause.code ?? cause.cause?.code
  if (code && NETWORK_CODES[code]) return `${NETWORK_CODES[code]} (${code})`
  return code ?? cause.message ?? String(error)
}

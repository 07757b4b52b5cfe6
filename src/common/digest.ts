import { createHash } from 'node:crypto'

const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

export function isDigest(text: string): boolean {
  return DIGEST_PATTERN.test(text)
}

/** The digest of `body` in the algorithm `like` names (sha256 unless told otherwise). */
export function digestOf(body: Uint8Array, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256'
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`
}

/** `sha256:0123456789ab…` → `0123456789ab`: enough to tell digests apart in a report. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha(256|512):/, '').slice(0, 12)
}

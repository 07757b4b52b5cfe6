import { shortDigest } from '../common/digest.js'
import type { Change } from './digests-document.js'

/** `docker.io/nextcloud:30.0.4@sha256:…` → `30.0.4@sha256:0123456789ab`. */
export function shortReference(reference: string): string {
  const at = reference.lastIndexOf('@')
  const digest = at === -1 ? '' : reference.slice(at + 1)
  const name = at === -1 ? reference : reference.slice(0, at)
  const colon = name.lastIndexOf(':')
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : ''
  return digest ? `${tag}@sha256:${shortDigest(digest)}` : tag
}

/** One line per change, readable in a terminal or a log. */
export function formatChange(change: Change): string {
  const where = `${change.image} ${change.track} ${change.platform}`
  if (change.before === undefined) return `added   ${where}: ${shortReference(change.after!)}`
  if (change.after === undefined) return `removed ${where}: was ${shortReference(change.before)}`
  return `updated ${where}: ${shortReference(change.before)} → ${shortReference(change.after)}`
}

import { shortDigest } from '../../common/digest.js'
import { finding, type CheckedReference, type Finding } from '../findings.js'

/**
 * A tag that names no version (`alpine`, `stable`, `main`, `sid-slim`): none of its parts (split
 * at `-`, `_`, `+`) starts with a digit (or `v` and a digit) or is a commit hash. `latest` has
 * its own rule.
 */
export function isFloatingTag(tag: string): boolean {
  if (tag === 'latest') return false
  return !tag
    .split(/[-_+]/)
    .some((part) => /^v?\d/i.test(part) || (/^[0-9a-f]{7,40}$/.test(part) && /\d/.test(part)))
}

/** Rules that need nothing but the text. */
export function syntaxFindings(reference: CheckedReference): Finding[] {
  // Our own API picks the digest from the published data: its track is not a tag to judge.
  if (reference.track) return []
  const { tag, digest, name } = reference.parsed
  if (tag === undefined && digest === undefined) {
    return [
      finding(
        reference,
        'no-tag',
        'error',
        `${name} has no tag, so it means :latest; name a version tag and pin its digest`
      )
    ]
  }
  if (tag === 'latest') {
    return [
      finding(
        reference,
        'latest-tag',
        digest ? 'warning' : 'error',
        digest
          ? `${name}:latest is pinned, but the tag says nothing about the version; use a version tag`
          : `${name}:latest follows whatever is pushed next; name a version tag and pin its digest`
      )
    ]
  }
  if (tag !== undefined && isFloatingTag(tag)) {
    return [
      finding(
        reference,
        'floating-tag',
        digest ? 'warning' : 'error',
        digest
          ? `${name}:${tag} is pinned, but "${tag}" names no version, so nobody can read which one it is; follow a version track (a tag such as 1.2 or 1.2.3) instead`
          : `${name}:${tag} follows whatever is pushed next under "${tag}", which names no version; follow a version track (a tag such as 1.2 or 1.2.3) and pin its digest`
      )
    ]
  }
  if (tag === undefined) {
    return [
      finding(
        reference,
        'digest-without-tag',
        'warning',
        reference.context === 'pullImage'
          ? `${name}@${shortDigest(digest!)} is pinned but names no version; add finalImageTag = "<version>"`
          : `${name}@${shortDigest(digest!)} is pinned but names no version; write it as ${name}:<version>@${shortDigest(digest!)}…`
      )
    ]
  }
  if (digest === undefined) {
    const fix =
      reference.context === 'pullImage'
        ? 'add imageDigest (and its hash)'
        : 'run `nix-oci-hashes pin` to add it'
    return [
      finding(
        reference,
        'unpinned',
        'error',
        `${name}:${tag} has no digest, so it can change under you; ${fix}`
      )
    ]
  }
  return []
}

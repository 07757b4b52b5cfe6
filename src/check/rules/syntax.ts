import { shortDigest } from '../../common/digest.js'
import { finding, type CheckedReference, type Finding } from '../findings.js'

/** Rules that need nothing but the text. */
export function syntaxFindings(reference: CheckedReference): Finding[] {
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

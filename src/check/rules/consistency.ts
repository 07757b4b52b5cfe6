import { shortDigest } from '../../common/digest.js'
import { imageKey } from '../../registry/image-reference.js'
import { finding, type CheckedReference, type Finding } from '../findings.js'

/**
 * The same image should be referenced the same way everywhere: one tag, and one digest per
 * platform named (references naming different platforms may pin different digests).
 */
export function consistencyFindings(references: CheckedReference[]): Finding[] {
  const byImage = new Map<string, CheckedReference[]>()
  for (const reference of references) {
    const key = imageKey(reference.parsed.image)
    byImage.set(key, [...(byImage.get(key) ?? []), reference])
  }
  const findings: Finding[] = []
  for (const group of byImage.values()) {
    // No tag means latest; a digest without a tag says nothing about the version.
    const tagOf = (ref: CheckedReference): string | null =>
      ref.parsed.tag ?? (ref.parsed.digest ? null : 'latest')
    const tagged = group.filter((ref) => tagOf(ref) !== null)
    const tags = new Set(tagged.map(tagOf))
    if (tags.size > 1) {
      for (const reference of tagged) {
        const others = tagged.filter((other) => tagOf(other) !== tagOf(reference))
        findings.push(
          finding(
            reference,
            'inconsistent-references',
            'warning',
            `${reference.parsed.name} is used at tag ${tagOf(reference)} here but ${describeOthers(others, (ref) => tagOf(ref)!)}; use one version everywhere`
          )
        )
      }
      continue
    }
    const byPlatform = new Map<string, CheckedReference[]>()
    for (const reference of group) {
      if (!reference.parsed.digest) continue
      const key = reference.platform ?? ''
      byPlatform.set(key, [...(byPlatform.get(key) ?? []), reference])
    }
    for (const same of byPlatform.values()) {
      if (new Set(same.map((ref) => ref.parsed.digest)).size < 2) continue
      for (const reference of same) {
        const others = same.filter((other) => other.parsed.digest !== reference.parsed.digest)
        findings.push(
          finding(
            reference,
            'inconsistent-references',
            'warning',
            `${reference.parsed.name}:${reference.parsed.tag} is pinned to ${shortDigest(reference.parsed.digest!)} here but ${describeOthers(others, (ref) => shortDigest(ref.parsed.digest!))}; pin one digest everywhere`,
            { digest: true }
          )
        )
      }
    }
  }
  return findings
}

function describeOthers(
  others: CheckedReference[],
  label: (reference: CheckedReference) => string
): string {
  const shown = others.slice(0, 3).map((ref) => `${label(ref)} in ${ref.file}:${ref.line}`)
  const more = others.length > 3 ? ` and ${others.length - 3} more` : ''
  return shown.join(', ') + more
}

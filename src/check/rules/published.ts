import type { Finding } from '../findings.js'
import { findTrack, type PublishedDigests } from '../published-digests.js'
import type { FoundReference } from '../reference-scanner.js'

const RULES = {
  image: 'unknown-image',
  track: 'unknown-track',
  refused: 'refused-entry'
} as const

/**
 * Our own API names an image and a track instead of a digest: the flake fails to evaluate when
 * either is not published, so say so here first, with the closest names the flake would give.
 */
export function publishedFindings(
  published: PublishedDigests,
  references: ReadonlyArray<FoundReference & { file: string }>
): Finding[] {
  const findings: Finding[] = []
  for (const reference of references) {
    if (!reference.track) continue
    const found = findTrack(published, reference.track.image, reference.track.track)
    const at = {
      file: reference.file,
      line: reference.line,
      column: reference.column,
      reference: `${reference.track.image} track ${reference.track.track}`
    }
    if (!found.ok) {
      findings.push({
        rule: RULES[found.missing],
        severity: 'error',
        ...at,
        message: found.message
      })
    } else if (found.refusedPlatforms.length > 0) {
      // The flake refuses the lookup only on a host of a refused platform: an error when no
      // platform is left, else a warning naming them.
      const none = found.references.size === 0
      findings.push({
        rule: 'refused-entry',
        severity: none ? 'error' : 'warning',
        ...at,
        message: `${found.refusedPlatforms.join('; ')}: the flake refuses this track on ${none ? 'every platform' : 'a host of that platform'}`
      })
    }
  }
  return findings
}

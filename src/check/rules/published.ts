import type { Finding } from '../findings.js'
import { findTrack, type PublishedDigests } from '../published-digests.js'
import type { FoundReference } from '../reference-scanner.js'

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
    if (found.ok) continue
    findings.push({
      rule: found.missing === 'image' ? 'unknown-image' : 'unknown-track',
      severity: 'error',
      file: reference.file,
      line: reference.line,
      column: reference.column,
      reference: `${reference.track.image} track ${reference.track.track}`,
      message: found.message
    })
  }
  return findings
}

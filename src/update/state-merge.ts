// Combining state files from different places (the workspace, the update branch). The state is
// a cache keyed by content digest, so what one copy knows can never contradict the other.
import type { StateDocument } from './digests-document.js'
import type { ImageState } from './resolve-image.js'
import type { DigestRecords } from './release-records.js'
import { dictionary, overlay, own } from '../common/records.js'

/**
 * The union of two state documents. Both map an index or manifest digest to what its content
 * says, so an entry present in both is the same fact; where they still differ, `preferred` wins
 * for that digest as a whole (its platforms are not mixed with the other copy's).
 */
export function mergeStates(preferred: StateDocument, other: StateDocument): StateDocument {
  const images = dictionary<ImageState>()
  const names = new Set([...Object.keys(other.images), ...Object.keys(preferred.images)])
  for (const name of names) {
    images[name] = overlay(own(other.images, name), own(preferred.images, name))
  }
  const releases = mergeReleases(preferred.releases ?? {}, other.releases ?? {})
  return Object.keys(releases).length > 0
    ? { version: 1, images, releases }
    : { version: 1, images }
}

/** Per digest, `preferred`'s record, first seen at the earlier of the two sightings. */
function mergeReleases(
  preferred: Record<string, DigestRecords>,
  other: Record<string, DigestRecords>
): Record<string, DigestRecords> {
  const result = dictionary<DigestRecords>()
  for (const name of new Set([...Object.keys(other), ...Object.keys(preferred)])) {
    const records = overlay(own(other, name), own(preferred, name))
    for (const [digest, record] of Object.entries(records)) {
      const otherSeen = own(own(other, name), digest)?.firstSeen
      if (otherSeen && otherSeen < record.firstSeen)
        records[digest] = { ...record, firstSeen: otherSeen }
    }
    result[name] = records
  }
  return result
}

/** Image and index digests `next` knows that `known` does not: manifests a run paid for. */
export function countNewStateEntries(next: StateDocument, known: StateDocument): number {
  let count = 0
  for (const [name, digests] of Object.entries(next.images)) {
    for (const digest of Object.keys(digests)) {
      if (own(own(known.images, name), digest) === undefined) count++
    }
  }
  return count
}

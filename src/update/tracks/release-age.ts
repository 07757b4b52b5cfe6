// The last step of choosing, the minimum release age: a chosen track's new value is taken only
// once every digest it comes from has been seen upstream for long enough. When a digest was
// first seen is recorded in the state file, so waiting costs no request; an image's own creation
// time can only make the wait longer.
import type { DigestRecord, DigestRecords, ReleaseAnnotations } from '../release-records.js'
import { dictionary, own } from '../../common/records.js'

/** platform → reference, as in digests.json. */
type PlatformReferences = Record<string, string>

/** A track whose new value is held back until `until`; it keeps its published value meanwhile. */
export interface WaitingTrack {
  image: string
  track: string
  /** The newest tag the track would take. */
  tag: string
  /** ISO 8601. */
  until: string
}

/** The previous records of the digests a run relied on, and a first sighting for the new ones. */
export function recordSightings(
  digests: Iterable<string>,
  previous: DigestRecords,
  learned: Record<string, ReleaseAnnotations>,
  now: Date
): DigestRecords {
  const records: DigestRecords = dictionary()
  for (const digest of digests) {
    const before = own(previous, digest)
    records[digest] = {
      ...own(learned, digest),
      ...before,
      firstSeen: before?.firstSeen ?? now.toISOString()
    }
  }
  return records
}

/** When a digest becomes old enough: first seen (or created, if later) plus the age. */
export function readyAt(record: DigestRecord | undefined, age: number, now: Date): number {
  const seen = record ? Date.parse(record.firstSeen) : now.getTime()
  const created = record?.created ? Date.parse(record.created) : Number.NaN
  return Math.max(seen, Number.isNaN(created) ? seen : created) + age
}

/**
 * Tracks whose new value comes from a digest younger than the age. A track whose value did not
 * change never waits, so turning the option on never takes back what was published.
 */
export function youngTracks(
  tracks: Map<string, PlatformReferences>,
  sources: Map<string, Array<{ tag: string; digest: string }>>,
  published: Record<string, PlatformReferences> | undefined,
  records: DigestRecords,
  age: number,
  now: Date
): Array<Omit<WaitingTrack, 'image'>> {
  const waiting: Array<Omit<WaitingTrack, 'image'>> = []
  if (age <= 0) return waiting
  for (const [key, references] of tracks) {
    if (sameReferences(own(published, key), references)) continue
    const used = sources.get(key) ?? []
    const until = Math.max(...used.map((source) => readyAt(own(records, source.digest), age, now)))
    if (used.length === 0 || until <= now.getTime()) continue
    waiting.push({ track: key, tag: used[0]!.tag, until: new Date(until).toISOString() })
  }
  return waiting
}

function sameReferences(a: PlatformReferences | undefined, b: PlatformReferences): boolean {
  if (!a) return Object.keys(b).length === 0
  const keys = Object.keys(b)
  return keys.every((platform) => own(a, platform) === own(b, platform))
}

export function formatWaiting(entry: WaitingTrack): string {
  return `${entry.image} ${entry.track}: ${entry.tag} waits for its minimum release age until ${entry.until}`
}

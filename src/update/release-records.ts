// What the state file keeps about one index or manifest digest beside its platforms: when it was
// first seen, and the release annotations its manifest (or config labels) carried. A leaf module,
// so the state document, the engine and the pull request can all name these.

/** One digest's record. Optional in the state file, so older versions still read it. */
export interface DigestRecord {
  /** ISO 8601: the run that first saw a tag point at this digest. */
  firstSeen: string
  /** OCI annotations (or config labels), short names. */
  created?: string
  source?: string
  version?: string
  revision?: string
  url?: string
}

export type DigestRecords = Record<string, DigestRecord>

/** The release annotations worth keeping, short-named. */
export type ReleaseAnnotations = Partial<Omit<DigestRecord, 'firstSeen'>>

/** Where a changed row's release notes are. */
export interface ReleaseLinks {
  release?: string
  compare?: string
}

const PREFIX = 'org.opencontainers.image.'
const KEPT = ['created', 'source', 'version', 'revision', 'url'] as const

/** The five annotations worth keeping, short-named; undefined when none is there. */
export function releaseAnnotations(
  annotations: Record<string, string> | undefined
): ReleaseAnnotations | undefined {
  if (!annotations) return undefined
  const found: ReleaseAnnotations = {}
  for (const key of KEPT) {
    const value = annotations[PREFIX + key]
    // Capped so a state file stays small whatever a publisher writes there.
    if (value && value.length <= 200) found[key] = value
  }
  return Object.keys(found).length > 0 ? found : undefined
}

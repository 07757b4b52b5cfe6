// Release notes for a changed row, from the OCI annotations the run already read: a link to the
// source repository's release page for the new version, or a compare view between revisions.
import { own } from '../common/records.js'
import type { Change } from './digests-document.js'
import type {
  DigestRecord,
  DigestRecords,
  ReleaseAnnotations,
  ReleaseLinks
} from './release-records.js'
import type { ImageState } from './resolve-image.js'
import { shortReference } from './change-line.js'

/** `https://github.com/owner/repo` from the spellings a source annotation takes. */
function githubRepository(source: string | undefined): string | undefined {
  const match = source?.match(
    /^(?:git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/
  )
  return match ? `https://github.com/${match[1]}/${match[2]}` : undefined
}

function isRevision(text: string | undefined): text is string {
  return text !== undefined && /^[0-9a-f]{7,40}$/.test(text)
}

/**
 * The links for one changed row. `record` describes the digest the new reference came from and
 * `before` the old one, when the state still knows it.
 */
export function releaseLinks(
  tag: string,
  record: ReleaseAnnotations | undefined,
  before: ReleaseAnnotations | undefined
): ReleaseLinks {
  const repository = githubRepository(record?.source)
  if (!repository) return record?.url?.startsWith('https://') ? { release: record.url } : {}
  const links: ReleaseLinks = {
    release: `${repository}/releases/tag/${encodeURIComponent(record?.version ?? tag)}`
  }
  const old = before?.revision
  if (isRevision(old) && isRevision(record?.revision) && old !== record.revision) {
    if (githubRepository(before?.source) === repository)
      links.compare = `${repository}/compare/${old}...${record.revision}`
  }
  return links
}

/** The digest record a published reference came from: its index, or itself when single. */
function recordOf(
  reference: string | undefined,
  state: ImageState | undefined,
  records: DigestRecords | undefined
): DigestRecord | undefined {
  const digest = reference?.slice(reference.lastIndexOf('@') + 1)
  if (!digest || !records) return undefined
  const direct = own(records, digest)
  if (direct) return direct
  for (const [source, platforms] of Object.entries(state ?? {})) {
    const record = own(records, source)
    if (Object.values(platforms).includes(digest) && record) return record
  }
  return undefined
}

export interface StateView {
  images: Record<string, ImageState>
  releases?: Record<string, DigestRecords>
}

/** The change with its release links, looked up in the state before and after the run. */
export function withReleaseLinks(change: Change, before: StateView, after: StateView): Change {
  if (!change.after) return change
  const name = change.image
  const record = recordOf(change.after, own(after.images, name), own(after.releases, name))
  if (!record) return change
  const old =
    recordOf(change.before, own(before.images, name), own(before.releases, name)) ??
    recordOf(change.before, own(after.images, name), own(after.releases, name))
  const tag = shortReference(change.after).split('@')[0]!
  const links = releaseLinks(tag, record, old)
  return links.release || links.compare ? { ...change, links } : change
}

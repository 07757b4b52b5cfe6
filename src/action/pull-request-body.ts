import { diffDigests, type Change, type Digests } from '../update/digests-document.js'
import { plural } from '../common/plural.js'
import { shortReference } from '../update/change-line.js'
import type { Deferral, ImageFailure, StaleTrack, WaitingTrack } from '../update/run-update.js'
import { withReleaseLinks, type StateView } from '../update/release-notes.js'
import { renderDeferralNote } from './deferral-report.js'
import {
  formatTrackTotals,
  trackChangeParts,
  trackChangeTotals,
  trackChanges,
  type ImageTrackChanges
} from '../update/track-changes.js'

/** GitHub refuses a pull request body longer than this many characters. */
export const PULL_REQUEST_BODY_LIMIT = 65_536
/** The job summary takes at most 1 MiB per step; characters can take up to 3 bytes. */
export const SUMMARY_LIMIT = 300_000

/** What one run did to digests.json, relative to the base branch (or the workspace in a dry run). */
export interface DigestsReport {
  /** digests.json as shown to the reader, e.g. its path in the repository. */
  digestsPath: string
  before: Digests
  after: Digests
  stale: StaleTrack[]
  failures: ImageFailure[]
  /** Work a registry's pull quota left for the next run; absent or empty when none. */
  deferred?: Deferral[]
  /** Tracks whose new value waits for the minimum release age. */
  waiting?: WaitingTrack[]
  /** The state files, whose release annotations link each row to its release notes. */
  states?: { before: StateView; after: StateView }
  /** manifests.json as shown to the reader, and the entries added over the base branch's. */
  manifests?: { path: string; added: number }
}

export interface RenderOptions {
  /** Longest text allowed; table rows are left out (with a note) to fit. */
  limit: number
  /** Where the omitted rows can be read in full, ending the cut note. */
  fullListAt: string
  /** Markdown placed after the report, e.g. a footer. */
  footer?: string
}

/** `code` span that survives backticks, pipes and line breaks in the text. */
export function code(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '\\|')
  const runs = flat.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((run) => run.length)) + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

function changeCell(change: Change): string {
  if (change.before === undefined)
    return `added ${code(shortReference(change.after!))}${links(change)}`
  if (change.after === undefined) return `removed (was ${code(shortReference(change.before))})`
  return `${code(shortReference(change.before))} → ${code(shortReference(change.after))}${links(change)}`
}

/** Markdown links to the release notes, for a URL taken from an image's annotations. */
function links(change: Change): string {
  const found = [
    change.links?.release ? `[release notes](${markdownUrl(change.links.release)})` : '',
    change.links?.compare ? `[compare](${markdownUrl(change.links.compare)})` : ''
  ].filter(Boolean)
  return found.length > 0 ? ` (${found.join(', ')})` : ''
}

/** A URL that cannot end a Markdown link early or break the table. */
function markdownUrl(url: string): string {
  return url.replace(/[()|\s<>]/g, (character) => encodeURIComponent(character))
}

function waitingSection(waiting: readonly WaitingTrack[]): string[] {
  if (waiting.length === 0) return []
  return [
    '### Waiting for the minimum release age',
    '',
    'These tracks keep their published value until their new tag has been seen upstream long enough:',
    '',
    ...waiting.map(
      (entry) =>
        `- ${code(entry.image)} ${code(entry.track)}: ${code(entry.tag)} from ${code(entry.until)}`
    ),
    ''
  ]
}

function row(change: Change): string {
  return `| ${code(change.image)} | ${code(change.track)} | ${code(change.platform)} | ${changeCell(change)} |`
}

/** One line per image whose keys changed, at most `shown` of them, under the totals. */
function trackSection(tracks: ImageTrackChanges[], shown: number, fullListAt: string): string[] {
  if (tracks.length === 0) return []
  const lines = [
    '### Tracks added and removed',
    '',
    `${formatTrackTotals(trackChangeTotals(tracks))}.`,
    '',
    ...tracks
      .slice(0, shown)
      .map((entry) => `- ${code(entry.image)}: ${trackChangeParts(entry, code).join('; ')}`),
    ''
  ]
  if (shown < tracks.length) {
    lines.push(
      `_…and ${plural(tracks.length - shown, 'more image')} not listed here; ${fullListAt} ` +
        'lists all of them._',
      ''
    )
  }
  return lines
}

interface Shown {
  rows: number
  images: number
}

function render(
  report: DigestsReport,
  changes: Change[],
  tracks: ImageTrackChanges[],
  shown: Shown,
  options: RenderOptions
) {
  const lines: string[] = [...renderDeferralNote(report.deferred ?? [], code)]
  const changedTracks = new Set(changes.map((change) => `${change.image}\u0000${change.track}`))
  if (changes.length === 0) {
    lines.push(`No reference in ${code(report.digestsPath)} changed.`, '')
  } else {
    lines.push(
      `Updates ${code(report.digestsPath)} to the digests the registries serve now: ` +
        `${plural(changes.length, 'reference')} in ${plural(changedTracks.size, 'track')}.`,
      '',
      '| Image | Track | Platform | Change |',
      '| --- | --- | --- | --- |',
      ...changes.slice(0, shown.rows).map(row),
      ''
    )
    if (shown.rows < changes.length) {
      lines.push(
        `_…and ${plural(changes.length - shown.rows, 'more change')} not listed here, to stay within ` +
          `${options.limit.toLocaleString('en-US')} characters; ${options.fullListAt} lists all of them._`,
        ''
      )
    }
  }
  if (report.manifests && report.manifests.added > 0)
    lines.push(
      `${plural(report.manifests.added, 'image manifest')} added to ` +
        `${code(report.manifests.path)}, from which \`lib.fetchImage\` builds those images.`,
      ''
    )
  lines.push(...trackSection(tracks, shown.images, options.fullListAt))
  lines.push(...waitingSection(report.waiting ?? []))
  if (report.stale.length > 0) {
    lines.push(
      '### Stale tracks',
      '',
      'No tag of these tracks exists upstream any more; they keep their last digests:',
      '',
      ...report.stale.map((stale) => `- ${code(stale.image)} ${code(stale.track)}`),
      ''
    )
  }
  if (report.failures.length > 0) {
    lines.push(
      '### Failed images',
      '',
      'These images could not be resolved and keep their previous entries:',
      '',
      ...report.failures.map((failure) => `- ${code(failure.image)}: ${code(failure.message)}`),
      ''
    )
  }
  if (options.footer) lines.push(options.footer, '')
  return lines.join('\n').trimEnd() + '\n'
}

/** Cuts `text` at a line break so that it, plus a note saying so, fits in `limit`. */
export function truncateMarkdown(text: string, limit: number, fullListAt: string): string {
  if (text.length <= limit) return text
  const note = `\n\n_This text was cut to stay within ${limit.toLocaleString('en-US')} characters; ${fullListAt} has all of it._\n`
  const room = Math.max(0, limit - note.length)
  const cut = text.lastIndexOf('\n', room)
  return text.slice(0, cut > 0 ? cut : room) + note
}

/** The largest count in 0…max for which `fits` holds (it holds for fewer if for more), or 0. */
function largestFitting(max: number, fits: (count: number) => boolean): number {
  let low = 0
  let high = max
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle - 1
  }
  return low
}

/**
 * The report as Markdown: one table row per changed (image, track, platform) with the old and
 * new tag and short digests, then the tracks added and removed per image, stale tracks and
 * failed images. Past `options.limit`, the track list keeps at most half of it (its totals stay
 * whole) and rows are left out from the end of the table, each with a note saying how many.
 */
export function renderReport(report: DigestsReport, options: RenderOptions): string {
  const states = report.states
  const changes = diffDigests(report.before, report.after).map((change) =>
    states ? withReleaseLinks(change, states.before, states.after) : change
  )
  const tracks = trackChanges(report.before, report.after)
  const text = (rows: number, images: number) =>
    render(report, changes, tracks, { rows, images }, options)
  const full = text(changes.length, tracks.length)
  if (full.length <= options.limit) return full
  // Each text grows with every row or line, so search for the boundary.
  const images = largestFitting(
    tracks.length,
    (count) =>
      trackSection(tracks, count, options.fullListAt).join('\n').length <= options.limit / 2
  )
  const rows = largestFitting(
    changes.length,
    (count) => text(count, images).length <= options.limit
  )
  return truncateMarkdown(text(rows, images), options.limit, options.fullListAt)
}

/** The pull request body, within GitHub's limit. */
export function renderPullRequestBody(report: DigestsReport, branch: string): string {
  return renderReport(report, {
    limit: PULL_REQUEST_BODY_LIMIT,
    fullListAt: "the workflow run's job summary",
    footer:
      '---\n' +
      `<sub>Opened by nix-oci-hashes. Each run rewrites the branch ${code(branch)} from the base ` +
      'branch, so commits pushed to it by hand are lost.</sub>'
  })
}

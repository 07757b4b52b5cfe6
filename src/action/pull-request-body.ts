import { diffDigests, type Change, type Digests } from '../update/digests-document.js'
import { plural } from '../common/plural.js'
import { shortReference } from '../update/report.js'
import type { Deferral, ImageFailure, StaleTrack } from '../update/run-update.js'
import { renderDeferralNote } from './deferral-report.js'

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
}

export interface TrackRef {
  image: string
  track: string
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

function tracksOnlyIn(a: Digests, b: Digests): TrackRef[] {
  const found: TrackRef[] = []
  for (const image of Object.keys(a).sort()) {
    for (const track of Object.keys(a[image] ?? {}).sort()) {
      if (!b[image]?.[track]) found.push({ image, track })
    }
  }
  return found
}

export function tracksAdded(report: Pick<DigestsReport, 'before' | 'after'>): TrackRef[] {
  return tracksOnlyIn(report.after, report.before)
}

export function tracksRemoved(report: Pick<DigestsReport, 'before' | 'after'>): TrackRef[] {
  return tracksOnlyIn(report.before, report.after)
}

function changeCell(change: Change): string {
  if (change.before === undefined) return `added ${code(shortReference(change.after!))}`
  if (change.after === undefined) return `removed (was ${code(shortReference(change.before))})`
  return `${code(shortReference(change.before))} → ${code(shortReference(change.after))}`
}

function row(change: Change): string {
  return `| ${code(change.image)} | ${code(change.track)} | ${code(change.platform)} | ${changeCell(change)} |`
}

function trackList(title: string, tracks: TrackRef[]): string[] {
  if (tracks.length === 0) return []
  return [`### ${title}`, '', ...tracks.map((t) => `- ${code(t.image)} ${code(t.track)}`), '']
}

function render(report: DigestsReport, changes: Change[], shown: number, options: RenderOptions) {
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
      ...changes.slice(0, shown).map(row),
      ''
    )
    if (shown < changes.length) {
      lines.push(
        `_…and ${plural(changes.length - shown, 'more change')} not listed here, to stay within ` +
          `${options.limit.toLocaleString('en-US')} characters; ${options.fullListAt} lists all of them._`,
        ''
      )
    }
  }
  lines.push(...trackList('Tracks added', tracksAdded(report)))
  lines.push(...trackList('Tracks removed', tracksRemoved(report)))
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

/**
 * The report as Markdown: one table row per changed (image, track, platform) with the old and
 * new tag and short digests, then tracks added and removed, stale tracks and failed images.
 * Past `options.limit`, rows are left out from the end of the table with a note saying how many.
 */
export function renderReport(report: DigestsReport, options: RenderOptions): string {
  const changes = diffDigests(report.before, report.after)
  const full = render(report, changes, changes.length, options)
  if (full.length <= options.limit) return full
  // The most rows that fit: the text grows with every row, so search for the boundary.
  let low = 0
  let high = changes.length - 1
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (render(report, changes, middle, options).length <= options.limit) low = middle
    else high = middle - 1
  }
  return truncateMarkdown(render(report, changes, low, options), options.limit, options.fullListAt)
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

/** Replaces every secret in `text` with `***`, longest first. */
export function redact(text: string, secrets: Iterable<string>): string {
  const sorted = [...new Set(secrets)].filter((secret) => secret.length > 0)
  sorted.sort((a, b) => b.length - a.length)
  return sorted.reduce((result, secret) => result.split(secret).join('***'), text)
}

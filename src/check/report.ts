import type { Finding, Severity } from './findings.js'
import type { CheckResult } from './run-check.js'
import { plural } from '../common/plural.js'
import { formatSarif, type SarifBase } from './sarif.js'

export type ReportFormat = 'text' | 'json' | 'github' | 'sarif'

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'github', 'sarif']

// Line breaks and other control characters, which a file name may hold.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * `text` on one line: a crafted file name cannot start a line of its own, where the Actions
 * runner would read `::error::` or `::set-output` as a workflow command.
 */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

/** `file:line:column: severity rule: message`, the shape editors and terminals link. */
export function formatText(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`
      return oneLine(`${where}: ${f.severity} ${f.rule}: ${f.message}`) + '\n'
    })
    .join('')
}

export function formatJson(result: CheckResult): string {
  return (
    JSON.stringify(
      {
        findings: result.findings,
        summary: {
          ...countBySeverity(result.findings),
          files: result.files,
          references: result.references,
          ignored: result.ignored,
          skipped: result.skipped.length,
          excluded: result.excluded,
          unverifiedTracks: result.unverifiedTracks
        },
        skipped: result.skipped
      },
      null,
      2
    ) + '\n'
  )
}

const COMMANDS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' }

/**
 * GitHub Actions workflow commands: each finding becomes an annotation on its file and line
 * in the run summary and in the pull request's diff.
 */
export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const properties = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        ...(f.column ? [`col=${f.column}`] : []),
        `title=${escapeProperty(`nix-oci-hashes ${f.rule}`)}`
      ].join(',')
      return `::${COMMANDS[f.severity]} ${properties}::${escapeData(f.message)}\n`
    })
    .join('')
}

// From @actions/core's command.ts: data escapes %, CR, LF; properties also : and ,.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export function countBySeverity(
  findings: readonly Finding[]
): Record<'errors' | 'warnings' | 'notes', number> {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    notes: findings.filter((f) => f.severity === 'info').length
  }
}

/** `base`: where SARIF's relative paths start (the repository root). */
export function formatReport(
  result: CheckResult,
  format: ReportFormat,
  base: SarifBase = { cwd: process.cwd(), root: process.cwd() }
): string {
  if (format === 'json') return formatJson(result)
  if (format === 'sarif') return formatSarif(result, base)
  if (format === 'github') return formatGithub(result.findings)
  return formatText(result.findings)
}

export interface SummaryOptions {
  /** Each skipped reference or file first, at its file and line. */
  verbose?: boolean
  /**
   * How the caller's user gives published data (the CLI's options, the action's inputs), named
   * when references to our own API could not be looked up for want of it.
   */
  publishedFrom: string
}

/** For stderr: what was looked at, what was left out and why, and what was found. */
export function formatSummary(result: CheckResult, options: SummaryOptions): string {
  const { verbose = false, publishedFrom } = options
  const { errors, warnings, notes } = countBySeverity(result.findings)
  const listed = verbose
    ? result.skipped
        .map(
          (s) =>
            oneLine(
              `${s.file}:${s.line}: skipped ${s.reference ? `${s.reference}: ` : ''}${s.reason}`
            ) + '\n'
        )
        .join('')
    : ''
  const left = [
    result.ignored > 0 ? `${result.ignored} ignored` : '',
    result.skipped.length > 0 ? `${result.skipped.length} skipped` : '',
    result.excluded > 0 ? `${plural(result.excluded, 'file')} excluded` : ''
  ].filter(Boolean)
  return (
    listed +
    `${plural(result.references, 'image reference')} checked in ${plural(result.files, 'file')}` +
    (left.length > 0 ? ` (${left.join(', ')})` : '') +
    `: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}` +
    (result.skipped.length > 0 && !verbose ? '; --verbose lists what was skipped' : '') +
    (result.unverifiedTracks > 0
      ? `\n${plural(result.unverifiedTracks, 'imageTrack or lib.image reference')} not looked up: no published digests found (${publishedFrom})`
      : '')
  )
}

// The benchmark's one table, its ratios and goals, as text for the terminal and Markdown for
// bench/RESULTS.md; the JSON written beside them holds the same numbers for CI history.
import type { Counts } from './measure.js'
import type { StartupReport } from './startup.js'

export interface Row {
  label: string
  wallMs: number
  counts: Counts
}

export interface Growth {
  label: string
  images: number
  tags: number
  cold?: Row
  warm?: Row
  skipped?: string
}

export interface Goal {
  text: string
  met: boolean
}

/** A second workload measured in the same run, with its own table. */
export interface Section {
  workload: string
  rows: Row[]
  ratios: string[]
}

export interface Report {
  date: string
  machine: string
  workload: string
  rows: Row[]
  ratios: string[]
  growth: Growth[]
  goals: Goal[]
  notes: string[]
  /** Issue 10's side-by-side workload. */
  issue?: Section
  startup?: StartupReport
}

const COLUMNS = [
  'wall s',
  'tag pages',
  'HEAD',
  'GET manifest',
  'GET blob',
  'tokens',
  'other',
  'total'
]

function cells(row: Row): string[] {
  const c = row.counts
  return [
    (row.wallMs / 1000).toFixed(1),
    ...[
      c.tagListPages,
      c.headManifests,
      c.getManifests,
      c.getBlobs,
      c.tokens,
      c.other,
      c.total
    ].map(String)
  ]
}

function growthCells(growth: Growth): string[] {
  const seconds = (row?: Row): string => (row ? (row.wallMs / 1000).toFixed(1) : '–')
  return [
    String(growth.images),
    String(growth.tags),
    seconds(growth.cold),
    seconds(growth.warm),
    String(growth.cold?.counts.total ?? '–'),
    String(growth.warm?.counts.total ?? '–'),
    String(growth.cold?.counts.getManifests ?? '–'),
    String(growth.warm?.counts.getManifests ?? '–')
  ]
}

const STARTUP_COLUMNS = ['median ms', '× node -e 0']

function startupRows(startup: StartupReport): Array<[string, string[]]> {
  return startup.figures.map((figure) => [
    figure.label,
    [figure.medianMs.toFixed(0), figure.ratio.toFixed(2)]
  ])
}

function startupTitle(startup: StartupReport): string {
  return `A run with nothing to do (median of ${startup.runs} runs each, interleaved, spawn included):`
}

const GROWTH_COLUMNS = [
  'images',
  'tags',
  'cold s',
  'warm s',
  'cold requests',
  'warm requests',
  'cold GETs',
  'warm GETs'
]

function textTable(header: string[], rows: Array<[string, string[]]>): string {
  const width = Math.max(...rows.map(([label]) => label.length), 0)
  const widths = header.map((name, index) =>
    Math.max(name.length, ...rows.map(([, values]) => values[index]!.length))
  )
  const line = (label: string, values: string[]): string =>
    `${label.padEnd(width)}  ${values.map((value, index) => value.padStart(widths[index]!)).join('  ')}`
  return [line('', header), ...rows.map(([label, values]) => line(label, values))].join('\n')
}

export function renderText(report: Report): string {
  const growthRows = report.growth.map((g): [string, string[]] => [
    g.skipped ? `${g.label} (skipped: ${g.skipped})` : g.label,
    growthCells(g)
  ])
  return [
    `nix-oci-hashes benchmark — ${report.workload}`,
    `machine: ${report.machine}`,
    '',
    textTable(
      COLUMNS,
      report.rows.map((row) => [row.label, cells(row)])
    ),
    '',
    ...report.ratios,
    ...(report.issue
      ? [
          '',
          `issue 10's workload — ${report.issue.workload}:`,
          textTable(
            COLUMNS,
            report.issue.rows.map((row) => [row.label, cells(row)])
          ),
          ...report.issue.ratios
        ]
      : []),
    ...(report.startup
      ? ['', startupTitle(report.startup), textTable(STARTUP_COLUMNS, startupRows(report.startup))]
      : []),
    '',
    'how our cost grows:',
    textTable(GROWTH_COLUMNS, growthRows),
    '',
    'goals:',
    ...report.goals.map((goal) => `  ${goal.met ? 'met    ' : 'NOT MET'}  ${goal.text}`),
    ...(report.notes.length ? ['', ...report.notes.map((note) => `note: ${note}`)] : [])
  ].join('\n')
}

function markdownTable(header: string[], rows: Array<[string, string[]]>): string {
  return [
    `| | ${header.join(' | ')} |`,
    `|---|${header.map(() => '---:').join('|')}|`,
    ...rows.map(([label, values]) => `| ${label} | ${values.join(' | ')} |`)
  ].join('\n')
}

export function renderMarkdown(report: Report, command: string): string {
  return [
    '# Benchmark results',
    '',
    `Written by \`${command}\` on ${report.date}. Re-run it to refresh this file; the`,
    'JSON in bench/results/ holds the same numbers.',
    '',
    `Machine: ${report.machine}.`,
    `Workload: ${report.workload}.`,
    '',
    markdownTable(
      COLUMNS,
      report.rows.map((row) => [row.label, cells(row)])
    ),
    '',
    ...report.ratios.map((ratio) => `- ${ratio}`),
    ...(report.issue
      ? [
          '',
          `Issue 10's workload: ${report.issue.workload}.`,
          '',
          markdownTable(
            COLUMNS,
            report.issue.rows.map((row) => [row.label, cells(row)])
          ),
          '',
          ...report.issue.ratios.map((ratio) => `- ${ratio}`)
        ]
      : []),
    ...(report.startup
      ? [
          '',
          startupTitle(report.startup),
          '',
          markdownTable(STARTUP_COLUMNS, startupRows(report.startup))
        ]
      : []),
    '',
    'How our cost grows:',
    '',
    markdownTable(
      GROWTH_COLUMNS,
      report.growth.map((g) => [
        g.skipped ? `${g.label} (skipped: ${g.skipped})` : g.label,
        growthCells(g)
      ])
    ),
    '',
    'Goals:',
    '',
    ...report.goals.map((goal) => `- ${goal.met ? 'met' : '**not met**'}: ${goal.text}`),
    ...(report.notes.length ? ['', ...report.notes.map((note) => `- ${note}`)] : []),
    ''
  ].join('\n')
}

// `npm run bench`: our updater against the script users would otherwise write (skopeo), on the
// same real registry, the same tags and the same simulated network, in one run. See docs/bench.md.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { checkGoals } from './goals.js'
import { runGrowth } from './growth.js'
import { runIssueWorkload, type IssueWorkloadResult } from './issue-workload.js'
import { formatPublishingCost } from './manifests-cost.js'
import { runMainWorkload, setUpMainWorkload, type BenchContext } from './main-workload.js'
import { describeWire, type Measurement } from './measure.js'
import { options, values } from './options.js'
import { renderMarkdown, renderText, type Report, type Row, type Section } from './report.js'
import { measureStartup, type StartupReport } from './startup.js'
import type { Seeded } from './workload.js'
import {
  DEFAULT_REQUESTS_PER_REGISTRY,
  HTTP1_CONNECTIONS_PER_ORIGIN
} from '../src/registry/connection-limits.js'

const cli = process.env.BENCH_CLI
if (!cli) throw new Error('run the benchmark with `npm run bench`, which builds the CLI first')

const started = Date.now()
const deadline = started + options.budgetMs
const remaining = (): number => deadline - Date.now()
const log = (message: string): void => {
  const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4)
  process.stderr.write(`[${seconds} s] ${message}\n`)
}

const home = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bench-'))
const stops: Array<() => Promise<void>> = []
try {
  if (options.oursOnly) await oursOnly()
  else await full()
} finally {
  for (const stop of stops) await stop()
  rmSync(home, { recursive: true, force: true })
}

async function full(): Promise<void> {
  const report = await run()
  const text = renderText(report)
  console.log(`\n${text}`)
  mkdirSync(dirname(String(values.json)), { recursive: true })
  writeFileSync(String(values.json), JSON.stringify({ options, ...report }, null, 2) + '\n')
  log(`wrote ${values.json}`)
  if (values.summary) {
    writeFileSync(String(values.summary), renderMarkdown(report, commandLine()))
    log(`wrote ${values.summary}`)
  }
  process.exitCode = report.goals.every((goal) => goal.met) ? 0 : 1
}

/** `--ours-only`: our cold and warm runs on the main workload, for A/B comparisons. */
async function oursOnly(): Promise<void> {
  const { images, workspace, ours } = await setUpMainWorkload(context())
  const folder = workspace(images, 'x1')
  for (const label of ['cold', 'warm']) {
    log(`ours, ${label}`)
    const m = await ours(folder)
    const c = m.counts
    console.log(
      `${label}: ${(m.wallMs / 1000).toFixed(2)} s; tag pages ${c.tagListPages}, HEAD ${c.headManifests}, GET manifest ${c.getManifests}, GET blob ${c.getBlobs}, tokens ${c.tokens}, other ${c.other}, total ${c.total}; ${describeWire('', m)}`
    )
  }
}

function context(): BenchContext {
  return {
    cli: cli!,
    home,
    options,
    remaining,
    log,
    onStop: (stop: () => Promise<void>) => stops.push(stop)
  }
}

async function run(): Promise<Report> {
  // First, while nothing else of ours runs on the machine.
  let startup: StartupReport | undefined
  if (options.startupRuns > 0) {
    log(`start-up: ${options.startupRuns} runs each of node -e 0, an empty update, check --offline`)
    startup = measureStartup(cli!, home, options.startupRuns)
  }
  let issue: IssueWorkloadResult | undefined
  if (options.issueImages > 0) {
    issue = await runIssueWorkload(
      cli!,
      home,
      {
        images: options.issueImages,
        tags: options.issueTags,
        latencyMs: options.issueLatencyMs,
        timeoutMs: Math.max(remaining(), 60_000),
        transport: options.transport,
        manifestRounds: options.manifestRounds
      },
      log
    )
  }

  const main = await runMainWorkload(context())
  const { cold, warm, sequential, parallel, rows, selection, selectedTags, mismatches } = main
  const distinct = distinctImages(selection, main.seeded)
  const { growth, thousand } = await runGrowth(context(), main)
  const notes: string[] = []

  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`
  const ratios = [
    wire(cold, main.coldHttp1, sequential),
    `skopeo script ÷ nix-oci-hashes: wall time ${ratio(sequential.wallMs, cold.wallMs)} cold, ` +
      `${ratio(sequential.wallMs, warm.wallMs)} warm; requests ${ratio(sequential.counts.total, cold.counts.total)} cold, ` +
      `${ratio(sequential.counts.total, warm.counts.total)} warm`,
    `selection: ${selectedTags} tags HEADed across ${selection.size} images, ${distinct} distinct manifests; ` +
      `the skopeo script read the same tags and ${mismatches === 0 ? 'agreed on every digest' : `DISAGREED on ${mismatches} digests`}`
  ]
  if (parallel) {
    ratios.push(
      `skopeo script ${options.parallel} at a time ÷ nix-oci-hashes: wall time ${ratio(parallel.wallMs, cold.wallMs)} cold, ${ratio(parallel.wallMs, warm.wallMs)} warm`
    )
  }
  const goals = checkGoals({
    latencyMs: options.latencyMs,
    tls: options.transport === 'tls',
    cold,
    warm,
    parallel: parallel && { commands: options.parallel, measurement: parallel },
    distinct,
    mismatches,
    thousand,
    issue,
    startup
  })
  notes.push(
    options.transport === 'tls'
      ? `every registry serves TLS (both tools trust the same test CA) behind a TCP relay adding ${options.latencyMs} ms to every chunk each way and a round trip to each new connection, so each tool pays the handshakes of the connections it opens; the registry offers HTTP/2 by ALPN, and the 'on the wire' lines say what each tool opened and spoke`
      : `plain HTTP behind a TCP relay adding ${options.latencyMs} ms to every chunk each way and a round trip to each new connection`,
    '4×/16× and the 1,000-image run copy the seeded repositories inside the registry storage under new names, so they serve the same content',
    `nix-oci-hashes ran with its defaults (every image at once, ${DEFAULT_REQUESTS_PER_REGISTRY} requests in flight per registry, at most ${HTTP1_CONNECTIONS_PER_ORIGIN} HTTP/1.1 connections); the access log counts a request refused with 401 and retried with a token twice, as the registry saw it`
  )
  return {
    date: new Date().toISOString(),
    machine: machine(),
    workload:
      `${main.images.length} images, ${options.minTags}–${options.maxTags} tags each (${main.totalTags} tags: OCI indexes with attestations, ` +
      `Docker manifest lists, single-arch), token auth, ${options.transport === 'tls' ? 'TLS' : 'plain HTTP'}, ${options.latencyMs} ms latency each way`,
    rows,
    ratios,
    growth,
    goals,
    notes,
    ...(issue ? { issue: issueSection(issue) } : {}),
    ...(startup ? { startup } : {})
  }
}

function issueSection(issue: IssueWorkloadResult): Section {
  const row = (label: string, m: Measurement): Row => ({
    label,
    wallMs: m.wallMs,
    counts: m.counts
  })
  return {
    workload: issue.description,
    rows: [
      row('nix-oci-hashes, cold', issue.cold),
      row('nix-oci-hashes, warm', issue.warm),
      row('nix-oci-hashes, cold, publishing manifests.json', issue.publishing.with.cold),
      row('nix-oci-hashes, warm, publishing manifests.json', issue.publishing.with.warm),
      ...(issue.coldHttp1 ? [row('nix-oci-hashes, cold, HTTP/1.1 only', issue.coldHttp1)] : []),
      row('skopeo script', issue.skopeo)
    ],
    ratios: [
      wire(issue.cold, issue.coldHttp1, issue.skopeo),
      formatPublishingCost(issue.publishing),
      `skopeo script ÷ nix-oci-hashes: wall time ${(issue.skopeo.wallMs / issue.cold.wallMs).toFixed(1)}× cold, ${(issue.skopeo.wallMs / issue.warm.wallMs).toFixed(1)}× warm; ` +
        `the skopeo script ${issue.mismatches === 0 ? 'agreed on every digest' : `DISAGREED on ${issue.mismatches} digests`}`
    ]
  }
}

/** What each run opened and spoke, as the relay and the registry's access log saw it. */
function wire(cold: Measurement, http1: Measurement | undefined, skopeo: Measurement): string {
  const runs = [
    describeWire('ours cold:', cold),
    ...(http1 ? [describeWire('ours cold, HTTP/1.1 only:', http1)] : []),
    describeWire('skopeo script:', skopeo)
  ]
  return `on the wire: ${runs.join('; ')}`
}

/** Distinct manifests behind the selected tags: the most GETs a cold run should make. */
function distinctImages(selection: Map<string, string[]>, seeded: Seeded): number {
  const digests = new Set<string>()
  for (const [repository, tags] of selection) {
    for (const tag of tags) digests.add(`${repository}@${seeded.get(repository)?.get(tag) ?? tag}`)
  }
  return digests.size
}

function machine(): string {
  const cpu = cpus()
  const version = (command: string, args: string[]): string => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!
    } catch {
      return `${command}: unknown version`
    }
  }
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `Node.js ${process.version}`,
    version('skopeo', ['--version']),
    'docker-registry (distribution) from Debian'
  ].join(', ')
}

function commandLine(): string {
  const args = process.argv.slice(2)
  return `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`
}

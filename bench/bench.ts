// `npm run bench`: our updater against the script users would otherwise write (skopeo), on the
// same real registry, the same tags and the same simulated network, in one run. See docs/bench.md.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { startFaultProxy, type FaultProxy } from '../tests/harness/fault-proxy.js'
import { startRegistry, type TestRegistry } from '../tests/harness/registry.js'
import { runIssueWorkload, type IssueWorkloadResult } from './issue-workload.js'
import {
  compare,
  headedTags,
  measure,
  runOurs,
  runSkopeo,
  type BaselineResult,
  type Measurement
} from './measure.js'
import { checkGoals } from './goals.js'
import {
  renderMarkdown,
  renderText,
  type Growth,
  type Report,
  type Row,
  type Section
} from './report.js'
import { measureStartup, type StartupReport } from './startup.js'
import {
  cloneRepository,
  generateImages,
  seedImages,
  seedSmall,
  type ImageSpec,
  type Seeded
} from './workload.js'

const USAGE = `Usage: npm run bench -- [options]
  --images N        images in the 1× workload (default 20)
  --min-tags N      fewest tags per image (default 50)
  --max-tags N      most tags per image (default 400)
  --latency MS      added each way per request, plus a round trip per new connection (default 50)
  --scale LIST      image multiples for the growth table (default 1,4,16)
  --thousand N      images in the large warm run, 0 to skip (default 1000)
  --parallel N      also run the skopeo script N commands at a time, 0 to skip (default 8)
  --issue-images N  images in issue 10's workload, 0 to skip it (default 4)
  --issue-tags N    tags per image there, every one a track (default 20)
  --issue-latency MS  its latency each way (default 25)
  --startup-runs N  timed runs of each empty command and of node -e 0, 0 to skip (default 20)
  --budget S        stop starting new phases after this many seconds (default 900)
  --json PATH       results as JSON (default bench/results/latest.json)
  --summary PATH    results as Markdown, '' to skip (default bench/RESULTS.md)`

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '20' },
    'min-tags': { type: 'string', default: '50' },
    'max-tags': { type: 'string', default: '400' },
    latency: { type: 'string', default: '50' },
    scale: { type: 'string', default: '1,4,16' },
    thousand: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '8' },
    'issue-images': { type: 'string', default: '4' },
    'issue-tags': { type: 'string', default: '20' },
    'issue-latency': { type: 'string', default: '25' },
    'startup-runs': { type: 'string', default: '20' },
    budget: { type: 'string', default: '900' },
    json: { type: 'string', default: 'bench/results/latest.json' },
    summary: { type: 'string', default: 'bench/RESULTS.md' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const count = (name: keyof typeof values, min = 0): number => {
  const value = Number(values[name])
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number ≥ ${min}\n\n${USAGE}`)
    process.exit(2)
  }
  return value
}
const options = {
  images: count('images', 1),
  minTags: count('min-tags', 1),
  maxTags: count('max-tags', 1),
  latencyMs: count('latency'),
  scale: String(values.scale)
    .split(',')
    .map((factor) => Number(factor))
    .filter((factor) => Number.isInteger(factor) && factor >= 1),
  thousand: count('thousand'),
  parallel: count('parallel'),
  issueImages: count('issue-images'),
  issueTags: count('issue-tags', 1),
  issueLatencyMs: count('issue-latency'),
  startupRuns: count('startup-runs'),
  budgetMs: count('budget', 1) * 1000
}
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
let registry: TestRegistry | undefined
const proxies: FaultProxy[] = []
try {
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
} finally {
  for (const proxy of proxies) await proxy.stop()
  await registry?.stop()
  rmSync(home, { recursive: true, force: true })
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
        timeoutMs: Math.max(remaining(), 60_000)
      },
      log
    )
  }

  // Token auth, as Docker Hub and GHCR use: its round trips are part of what each tool pays.
  registry = await startRegistry({ auth: 'token' })
  const tokenUrl = registry.tokenUrl!
  const network = { latencyMs: options.latencyMs, connectLatencyMs: 2 * options.latencyMs }
  const tokenProxy = await startFaultProxy(new URL(tokenUrl).origin, network)
  proxies.push(tokenProxy)
  const proxy = await startFaultProxy(registry.url, {
    ...network,
    rewriteHeaders: (headers) => {
      const challenge = headers['www-authenticate']
      if (challenge)
        headers['www-authenticate'] = challenge.replace(tokenUrl, `${tokenProxy.url}/token`)
    }
  })
  proxies.push(proxy)
  const reg = registry

  const images = generateImages(options.images, options.minTags, options.maxTags)
  const totalTags = images.reduce((sum, image) => sum + image.tags.length, 0)
  log(`seeding ${images.length} images, ${totalTags} tags (no latency while seeding)`)
  const seeded = await seedImages(reg, images, 6)
  log('seeded')

  const workspace = (list: ImageSpec[], name: string): string => {
    const folder = join(home, name)
    mkdirSync(folder, { recursive: true })
    const entries = list.map((image) => ({
      image: `${proxy.host}/${image.repository}`,
      ...image.config
    }))
    writeFileSync(join(folder, 'images.json'), JSON.stringify(entries, null, 2))
    return folder
  }
  const ours = async (folder: string): Promise<Measurement> =>
    measure(reg, () => runOurs(cli!, folder, Math.max(remaining(), 60_000)))

  const main = workspace(images, 'x1')
  log('ours, cold')
  const cold = await ours(main)
  log('ours, warm')
  const warm = await ours(main)
  const selection = headedTags(cold.entries)
  const selectedTags = [...selection.values()].reduce((sum, tags) => sum + tags.length, 0)
  const distinct = distinctImages(selection, seeded)

  const rows: Row[] = [
    { label: 'nix-oci-hashes, cold', wallMs: cold.wallMs, counts: cold.counts },
    { label: 'nix-oci-hashes, warm', wallMs: warm.wallMs, counts: warm.counts }
  ]
  const notes: string[] = []
  log(`skopeo, one command at a time (${images.length} list-tags, ${selectedTags} inspects)`)
  let baseline: BaselineResult | undefined
  const sequential = await measure(reg, async () => {
    baseline = await runSkopeo(proxy.host, selection, 1, home)
  })
  rows.push({ label: 'skopeo script', wallMs: sequential.wallMs, counts: sequential.counts })
  const mismatches = compare(
    JSON.parse(readFileSync(join(main, 'digests.json'), 'utf8')),
    baseline!
  )
  let parallel: Measurement | undefined
  if (options.parallel > 1 && remaining() > sequential.wallMs / 2) {
    log(`skopeo, ${options.parallel} commands at a time`)
    parallel = await measure(reg, async () => {
      await runSkopeo(proxy.host, selection, options.parallel, home)
    })
    rows.push({
      label: `skopeo script, ${options.parallel} at a time`,
      wallMs: parallel.wallMs,
      counts: parallel.counts
    })
  }

  const growth: Growth[] = []
  let clones = 1
  for (const factor of options.scale) {
    const label = `${factor}×`
    const list = images.flatMap((image) =>
      Array.from({ length: factor }, (_, copy) =>
        copy === 0 ? image : { ...image, repository: `${image.repository}-x${copy}` }
      )
    )
    const entry: Growth = { label, images: list.length, tags: totalTags * factor }
    growth.push(entry)
    if (factor === 1) {
      Object.assign(entry, { cold: rows[0], warm: rows[1] })
      continue
    }
    // A cold run costs about `factor` times the 1× one; skip what cannot finish in time.
    if (remaining() < (cold.wallMs + warm.wallMs) * factor * 1.5) {
      entry.skipped = 'over the time budget'
      continue
    }
    for (; clones < factor; clones++) {
      for (const image of images)
        cloneRepository(reg, image.repository, `${image.repository}-x${clones}`)
    }
    const folder = workspace(list, `x${factor}`)
    log(`ours at ${label}: ${list.length} images, cold`)
    const scaledCold = await ours(folder)
    log(`ours at ${label}: warm`)
    const scaledWarm = await ours(folder)
    entry.cold = { label, wallMs: scaledCold.wallMs, counts: scaledCold.counts }
    entry.warm = { label, wallMs: scaledWarm.wallMs, counts: scaledWarm.counts }
  }

  let thousand: Growth | undefined
  if (options.thousand > 0) {
    thousand = {
      label: `${options.thousand} small images, warm`,
      images: options.thousand,
      tags: 0
    }
    growth.push(thousand)
    // Warm cost per image as measured at the largest scale so far (small images cost less).
    const largest = growth.filter((g) => g.warm).pop()
    const estimate = (largest!.warm!.wallMs / largest!.images) * options.thousand * 1.5
    if (remaining() < estimate) {
      thousand.skipped = 'over the time budget'
    } else {
      const small = await seedSmall(reg, 'bench/small')
      const list = Array.from({ length: options.thousand }, (_, index) => ({
        ...small,
        repository: `bench/small-${String(index).padStart(4, '0')}`
      }))
      for (const image of list) cloneRepository(reg, small.repository, image.repository)
      thousand.tags = small.tags.length * list.length
      const folder = workspace(list, 'thousand')
      // Only the warm run is the question here, so the state it needs is prepared quickly.
      log(`ours at ${list.length} small images: preparing the state (untimed, 32 at once)`)
      await runOurs(cli!, folder, Math.max(remaining(), 60_000), [
        '--concurrency',
        '32',
        '--requests-per-registry',
        '32'
      ])
      log(`ours at ${list.length} small images: warm, defaults`)
      const bigWarm = await ours(folder)
      thousand.warm = { label: thousand.label, wallMs: bigWarm.wallMs, counts: bigWarm.counts }
    }
  }

  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`
  const ratios = [
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
    `latency ${options.latencyMs} ms each way per request and one extra round trip per new TCP connection; TLS is not simulated, which flatters the tool that opens more connections (skopeo: one process per command)`,
    '4×/16× and the 1,000-image run copy the seeded repositories inside the registry storage under new names, so they serve the same content',
    'nix-oci-hashes ran with its defaults (4 images at once, 8 requests per registry); the access log counts a request refused with 401 and retried with a token twice, as the registry saw it'
  )
  return {
    date: new Date().toISOString(),
    machine: machine(),
    workload:
      `${images.length} images, ${options.minTags}–${options.maxTags} tags each (${totalTags} tags: OCI indexes with attestations, ` +
      `Docker manifest lists, single-arch), token auth, ${options.latencyMs} ms latency each way`,
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
      row('skopeo script', issue.skopeo)
    ],
    ratios: [
      `skopeo script ÷ nix-oci-hashes: wall time ${(issue.skopeo.wallMs / issue.cold.wallMs).toFixed(1)}× cold, ${(issue.skopeo.wallMs / issue.warm.wallMs).toFixed(1)}× warm; ` +
        `the skopeo script ${issue.mismatches === 0 ? 'agreed on every digest' : `DISAGREED on ${issue.mismatches} digests`}`
    ]
  }
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

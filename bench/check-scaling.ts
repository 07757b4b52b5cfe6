// `npm run bench:check`: how `check --offline` grows with the number of image references, in one
// compose file, spread over many compose files, in one Nix file and in one Dockerfile. Each run
// is the bundled CLI in a child process; its CPU time and peak RSS are the kernel's figures for
// that child, read by a preload as it exits.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  SCALING_SHAPES,
  writeScalingRepo,
  type ScalingShape
} from '../tests/harness/scaling-repos.js'

const USAGE = `Usage: npm run bench:check -- [options]
  --sizes LIST    reference counts (default 1000,10000,20000,50000,100000)
  --shapes LIST   of ${SCALING_SHAPES.join(', ')} (default all)
  --cli PATH      the CLI to measure (default: this checkout's, bundled for the run);
                  another build's dist/cli.js gives its figures to compare
  --timeout S     a run taking longer is stopped and reported as such (default 300)`

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,20000,50000,100000' },
    shapes: { type: 'string', default: SCALING_SHAPES.join(',') },
    cli: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const sizes = values.sizes.split(',').map(Number)
const shapes = values.shapes.split(',') as ScalingShape[]
const timeoutMs = Number(values.timeout) * 1000
if (
  sizes.some((n) => !Number.isInteger(n) || n < 1) ||
  shapes.some((s) => !SCALING_SHAPES.includes(s)) ||
  !(timeoutMs > 0)
) {
  console.error(USAGE)
  process.exit(2)
}
const cli = values.cli ? resolve(values.cli) : process.env.BENCH_CLI
if (!cli) throw new Error('no CLI to measure: run through `npm run bench:check`, or pass --cli')

interface Figure {
  wallS: number
  userS: number
  systemS: number
  peakRssMiB: number
  /** The summary's reference count, which must be the size asked for. */
  references: number
  findings: number
}

const REPORT_USAGE = [
  "import { writeFileSync } from 'node:fs'",
  "process.on('exit', () => writeFileSync(process.env.USAGE_FILE, JSON.stringify(process.resourceUsage())))"
].join('\n')

async function measure(folder: string, home: string): Promise<Figure | 'timeout'> {
  const preload = join(home, 'usage.mjs')
  const usageFile = join(home, 'usage.json')
  writeFileSync(preload, REPORT_USAGE)
  rmSync(usageFile, { force: true })
  const started = performance.now()
  const child = spawn(
    process.execPath,
    ['--import', preload, cli!, 'check', '--offline', '--format', 'json'],
    {
      cwd: folder,
      env: { PATH: process.env.PATH, HOME: home, USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'ignore']
    }
  )
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)
  await new Promise((done) => child.on('close', done))
  clearTimeout(timer)
  if (timedOut) return 'timeout'
  const wallS = (performance.now() - started) / 1000
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage
  const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    findings: unknown[]
    summary: { references: number }
  }
  return {
    wallS,
    userS: usage.userCPUTime / 1e6,
    systemS: usage.systemCPUTime / 1e6,
    peakRssMiB: usage.maxRSS / 1024,
    references: report.summary.references,
    findings: report.findings.length
  }
}

const home = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bench-check-'))
let failed = false
try {
  console.log(`CLI: ${cli}\n`)
  console.log('| shape | references | findings | user s | sys s | wall s | peak RSS MiB |')
  console.log('|---|---:|---:|---:|---:|---:|---:|')
  for (const shape of shapes) {
    for (const size of sizes) {
      const folder = mkdtempSync(join(home, `${shape}-${size}-`))
      writeScalingRepo(folder, shape, size)
      const figure = await measure(folder, home)
      rmSync(folder, { recursive: true, force: true })
      if (figure === 'timeout') {
        console.log(`| ${shape} | ${size} | – | – | – | > ${values.timeout} | – |`)
        continue
      }
      if (figure.references !== size) {
        failed = true
        console.error(`${shape} ${size}: the check counted ${figure.references} references`)
      }
      const { findings, userS, systemS, wallS, peakRssMiB } = figure
      console.log(
        `| ${shape} | ${size} | ${findings} | ${userS.toFixed(2)} | ${systemS.toFixed(2)} | ${wallS.toFixed(2)} | ${peakRssMiB.toFixed(0)} |`
      )
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0

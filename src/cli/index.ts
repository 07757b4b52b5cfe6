import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { runCheck } from '../check/run-check.js'
import { REPORT_FORMATS, formatReport, formatSummary, type ReportFormat } from '../check/report.js'
import { loadDockerCredentials } from '../registry/docker-credentials.js'
import { MirrorError, parseMirrors } from '../registry/mirrors.js'
import { runPin } from '../check/pin.js'
import { RegistryClient } from '../registry/client.js'
import { formatRequestCounts, type RequestCounts } from '../registry/request-counts.js'
import type { HttpPolicy } from '../registry/http.js'
import { formatChange } from '../update/report.js'
import { plural } from '../common/plural.js'
import { runUpdate } from '../update/run-update.js'

const USAGE = `Usage: nix-oci-hashes update [options]

Reads images.json, resolves every version track's per-platform digest from the registries and
rewrites digests.json (and its state file) when anything changed.

Options:
  --images FILE          image list (default: images.json)
  --digests FILE         output (default: digests.json)
  --state FILE           cache of manifest digests (default: <digests>.state.json beside it)
  --mirror REGISTRY=URL  send REGISTRY's requests to URL, e.g. docker.io=http://127.0.0.1:5000
                         (repeatable; keys and references keep the names as written)
  --dry-run              compute and print the changes, write nothing
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --concurrency N        images resolved at once (default: 4)
  --requests-per-registry N  requests in flight per registry (default: 8)
  --page-size N          tags per tags/list page to ask for (default: the registry's)
  -h, --help             show this help

Changes go to stdout, one line each; progress, request counts and errors to stderr.
Exit status: 0 on success (changed or not), 1 when an image failed, 2 on bad input or usage.

Other commands: nix-oci-hashes check [PATH...] and nix-oci-hashes pin [PATH...]
(nix-oci-hashes check --help, nix-oci-hashes pin --help).`

const REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --requests-per-registry N  requests in flight per registry (default: 8)
  -h, --help             show this help`

const CHECK_USAGE = `Usage: nix-oci-hashes check [options] [PATH...]

Finds container image references in Nix files (image = "…"; and dockerTools.pullImage),
Dockerfiles/Containerfiles (FROM, COPY --from), docker-compose files and Kubernetes manifests
under each PATH (files or directories; default: .) and reports references without a version tag,
without a digest, with a digest the registry does not have or that its tag no longer points to,
and images referenced differently in different places.

Options:
  --format text|json|github  findings as lines, as JSON, or as GitHub annotations (default: text)
  --offline              only the rules that need no registry
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when no error-level finding (warnings and notes allowed), 1 when there is one,
2 on bad input or usage.`

const PIN_USAGE = `Usage: nix-oci-hashes pin [options] [PATH...]

Rewrites every image reference that has a version tag but no digest to tag@sha256:<digest>, in
place: the platform's image digest where the file names one platform (FROM --platform=,
compose platform:, a nodeSelector on kubernetes.io/arch), else the tag's index digest. Nothing
else in the files changes.

Options:
  --dry-run              print the diff, write nothing
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when every reference with a version tag is pinned, 1 when one could not be,
2 on bad input or usage.`

class UsageError extends Error {}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} must be a positive number, not "${value}"`)
  return number
}

const UPDATE_OPTIONS = {
  images: { type: 'string', default: 'images.json' },
  digests: { type: 'string', default: 'digests.json' },
  state: { type: 'string' },
  mirror: { type: 'string', multiple: true, default: [] },
  'dry-run': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  deadline: { type: 'string' },
  concurrency: { type: 'string' },
  'requests-per-registry': { type: 'string' },
  'page-size': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} satisfies ParseArgsOptionsConfig

const REGISTRY_OPTIONS = {
  mirror: { type: 'string', multiple: true, default: [] },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  deadline: { type: 'string' },
  'requests-per-registry': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} satisfies ParseArgsOptionsConfig

const CHECK_OPTIONS = {
  ...REGISTRY_OPTIONS,
  format: { type: 'string', default: 'text' },
  offline: { type: 'boolean', default: false }
} satisfies ParseArgsOptionsConfig

const PIN_OPTIONS = {
  ...REGISTRY_OPTIONS,
  'dry-run': { type: 'boolean', default: false }
} satisfies ParseArgsOptionsConfig

/** The command word, found the way the strict parse will see it (option values skipped). */
function commandOf(argv: string[]): string | undefined {
  const { positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { ...UPDATE_OPTIONS, ...CHECK_OPTIONS, ...PIN_OPTIONS }
  })
  return positionals[0]
}

async function main(argv: string[]): Promise<number> {
  const command = commandOf(argv)
  if (command === 'check') return checkMain(argv)
  if (command === 'pin') return pinMain(argv)
  return updateMain(argv)
}

async function updateMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: UPDATE_OPTIONS
  })
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const [command, ...extra] = positionals
  if (command !== 'update' || extra.length > 0)
    throw new UsageError(`unknown command "${positionals.join(' ')}"`)

  const { http, requestsPerRegistry } = registryLimits(values)
  const concurrency = positiveNumber(values.concurrency, '--concurrency')
  const tagPageSize = positiveNumber(values['page-size'], '--page-size')

  const result = await runUpdate({
    imagesPath: values.images,
    digestsPath: values.digests,
    ...(values.state ? { statePath: values.state } : {}),
    mirrors: parseMirrors(values.mirror),
    dryRun: values['dry-run'],
    http,
    ...(concurrency ? { concurrency } : {}),
    ...(requestsPerRegistry ? { requestsPerRegistry } : {}),
    ...(tagPageSize ? { tagPageSize } : {}),
    log: {
      info: (message) => process.stderr.write(`${message}\n`),
      warning: (message) => process.stderr.write(`warning: ${message}\n`)
    }
  })

  for (const change of result.changes) process.stdout.write(formatChange(change) + '\n')
  reportRequestCounts(result.requestCounts)
  const count = plural(result.changes.length, 'reference')
  const outcome = values['dry-run']
    ? `dry run: ${count} would change, nothing written`
    : result.written.length > 0
      ? `${count} changed; wrote ${result.written.join(' and ')}`
      : `${count} changed; ${result.digestsPath} is up to date`
  process.stderr.write(outcome + '\n')
  for (const failure of result.failures) {
    process.stderr.write(`error: ${failure.image}: ${failure.message} (previous entries kept)\n`)
  }
  return result.failures.length > 0 ? 1 : 0
}

interface RegistryValues {
  mirror: string[]
  timeout?: string | undefined
  retries?: string | undefined
  deadline?: string | undefined
  'requests-per-registry'?: string | undefined
}

/** The request limits every command shares: --timeout, --deadline, --retries, --requests-per-registry. */
function registryLimits(values: RegistryValues): {
  http: Partial<HttpPolicy>
  requestsPerRegistry: number | undefined
} {
  const timeout = positiveNumber(values.timeout, '--timeout')
  const deadline = positiveNumber(values.deadline, '--deadline')
  const retries = values.retries === undefined ? undefined : Number(values.retries)
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    throw new UsageError(`--retries must be a whole number, not "${values.retries}"`)
  }
  return {
    http: {
      ...(timeout ? { attemptTimeoutMs: timeout * 1000 } : {}),
      ...(deadline ? { deadlineMs: deadline * 1000 } : {}),
      ...(retries !== undefined ? { retries } : {})
    },
    requestsPerRegistry: positiveNumber(values['requests-per-registry'], '--requests-per-registry')
  }
}

function registryClient(values: RegistryValues): RegistryClient {
  const { http, requestsPerRegistry } = registryLimits(values)
  return new RegistryClient({
    mirrors: parseMirrors(values.mirror),
    credentials: loadDockerCredentials(),
    http,
    ...(requestsPerRegistry ? { requestsPerRegistry } : {})
  })
}

function reportRequestCounts(counts: Record<string, RequestCounts>): void {
  for (const [host, hostCounts] of Object.entries(counts)) {
    process.stderr.write(formatRequestCounts(host, hostCounts) + '\n')
  }
}

function reportMissing(missing: string[]): void {
  for (const path of missing)
    process.stderr.write(`nix-oci-hashes: ${path}: no such file or directory\n`)
}

async function checkMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: CHECK_OPTIONS
  })
  if (values.help) {
    process.stdout.write(CHECK_USAGE + '\n')
    return 0
  }
  const format = values.format as ReportFormat
  if (!REPORT_FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${REPORT_FORMATS.join(', ')}, not "${values.format}"`
    )
  }
  const paths = positionals.slice(1)
  const client = values.offline ? null : registryClient(values)
  let result
  try {
    result = await runCheck({ paths: paths.length > 0 ? paths : ['.'], cwd: process.cwd(), client })
  } finally {
    await client?.close()
  }
  process.stdout.write(formatReport(result, format))
  if (client) reportRequestCounts(client.requestCounts())
  process.stderr.write(formatSummary(result) + '\n')
  reportMissing(result.missing)
  if (result.missing.length > 0) return 2
  return result.findings.some((finding) => finding.severity === 'error') ? 1 : 0
}

async function pinMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: PIN_OPTIONS
  })
  if (values.help) {
    process.stdout.write(PIN_USAGE + '\n')
    return 0
  }
  const paths = positionals.slice(1)
  const dryRun = values['dry-run']
  const client = registryClient(values)
  let result
  try {
    result = await runPin({
      paths: paths.length > 0 ? paths : ['.'],
      cwd: process.cwd(),
      client,
      dryRun
    })
  } finally {
    await client.close()
  }
  if (dryRun) {
    // The diff holds the files' own bytes (latin1 round-trips them), not re-encoded text.
    process.stdout.write(Buffer.from(result.diff, 'latin1'))
  } else {
    for (const edit of result.edits) {
      process.stdout.write(`${edit.file}:${edit.line}: ${edit.before} → ${edit.after}\n`)
    }
  }
  for (const problem of result.problems) {
    const level = problem.failure ? 'error' : 'note'
    process.stderr.write(`${problem.file}:${problem.line}: ${level}: ${problem.message}\n`)
  }
  reportRequestCounts(client.requestCounts())
  const files = new Set(result.edits.map((edit) => edit.file)).size
  const verb = dryRun ? 'would pin' : 'pinned'
  process.stderr.write(
    `${verb} ${plural(result.edits.length, 'reference')} in ${plural(files, 'file')}\n`
  )
  reportMissing(result.missing)
  if (result.missing.length > 0) return 2
  return result.problems.some((problem) => problem.failure) ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      error instanceof MirrorError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    process.stderr.write(`nix-oci-hashes: ${(error as Error).message}\n`)
    if (usage) process.stderr.write('Run "nix-oci-hashes --help" for usage.\n')
    process.exitCode = 2
  }
)

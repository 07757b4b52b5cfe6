import { parseArgs } from 'node:util'
import { MirrorError, parseMirrors } from './mirrors.js'
import { formatChange, formatRequestCounts } from './report.js'
import { runUpdate } from './update.js'

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
Exit status: 0 on success (changed or not), 1 when an image failed, 2 on bad input or usage.`

class UsageError extends Error {}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} must be a positive number, not "${value}"`)
  return number
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
    }
  })
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  const [command, ...extra] = positionals
  if (command !== 'update' || extra.length > 0)
    throw new UsageError(`unknown command "${positionals.join(' ')}"`)

  const timeout = positiveNumber(values.timeout, '--timeout')
  const deadline = positiveNumber(values.deadline, '--deadline')
  const retries = values.retries === undefined ? undefined : Number(values.retries)
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    throw new UsageError(`--retries must be a whole number, not "${values.retries}"`)
  }
  const http = {
    ...(timeout ? { attemptTimeoutMs: timeout * 1000 } : {}),
    ...(deadline ? { deadlineMs: deadline * 1000 } : {}),
    ...(retries !== undefined ? { retries } : {})
  }
  const concurrency = positiveNumber(values.concurrency, '--concurrency')
  const requestsPerRegistry = positiveNumber(
    values['requests-per-registry'],
    '--requests-per-registry'
  )
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
  for (const [host, counts] of Object.entries(result.requestCounts)) {
    process.stderr.write(formatRequestCounts(host, counts) + '\n')
  }
  const count = `${result.changes.length} reference${result.changes.length === 1 ? '' : 's'}`
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    process.stderr.write(`nix-oci-hashes: ${(error as Error).message}\n`)
    if (usage) process.stderr.write('Run "nix-oci-hashes --help" for usage.\n')
    process.exitCode = 2
  }
)

import { plural } from '../common/plural.js'
import { parseContentMirrors, parseMirrors } from '../registry/mirrors.js'
import { formatChange } from '../update/change-line.js'
import { runUpdate, type UpdateOptions } from '../update/run-update.js'
import { formatRegistryCost, planCost, type CostPlan } from '../update/cost-plan.js'
import { positiveNumber, registryLimits, parseCommand, wholeNumber } from './arguments.js'
import { UPDATE_OPTIONS, UsageError } from './options.js'
import { formatTrackChanges, trackChanges } from '../update/track-changes.js'
import { formatWaiting } from '../update/tracks/release-age.js'
import { parseDuration } from '../update/durations.js'
import { printErr, printOut } from './print.js'
import { DEFAULT_REQUESTS_PER_REGISTRY } from '../registry/connection-limits.js'
import { reportPullsSaved, reportRequestCounts } from './output.js'
import { formatManifestsReport } from '../update/manifest-publishing.js'

const UPDATE_USAGE = `Usage: nix-oci-hashes update [options]

Reads images.json, resolves every version track's per-platform digest from the registries and
rewrites digests.json (and its state file) when anything changed.

Options:
  --images FILE          image list (default: images.json)
  --digests FILE         output (default: digests.json)
  --state FILE           cache of manifest digests (default: <digests>.state.json beside it)
  --manifests FILE       every platform manifest digests.json pins, verbatim, for the flake's
                         lib.fetchImage (default: manifests.json beside the digests)
  --no-manifests         neither read nor write the manifests file (saves one manifest GET
                         per platform per new release)
  --mirror REGISTRY=URL  send REGISTRY's requests to URL, e.g. docker.io=http://127.0.0.1:5000
                         (repeatable; keys and references keep the names as written)
  --ca-file FILE         trust the CAs in this PEM file for every registry (repeatable;
                         /etc/docker/certs.d/<host>/*.crt are trusted per host as in Docker)
  --insecure-registry HOST  speak plain HTTP to HOST (host:port as in image names; repeatable)
  --content-mirror REGISTRY=URL  read REGISTRY's manifests and configs by digest from URL
                         first, verified against the digest (repeatable, asked in order);
                         tag lists and HEADs still go to REGISTRY, e.g.
                         docker.io=https://mirror.gcr.io
  --dry-run              compute and print the changes, write nothing
  --plan                 read tag lists and HEADs only (no manifest GET) and print, per
                         registry, how many manifest GETs a real run would make and how many
                         runs that takes at the registry's announced pull quota; write nothing
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --image-deadline SECONDS  per image, every request of its own together (default: 600)
  --concurrency N        images resolved at once (default: all; --requests-per-registry
                         is what bounds the load on each registry)
  --requests-per-registry N  requests in flight per registry (default: ${DEFAULT_REQUESTS_PER_REGISTRY})
  --page-size N          tags per tags/list page to ask for (default: the registry's)
  --pull-reserve N       pulls to leave untouched at a registry that announces a pull quota,
                         for the machines that run the pinned images (default: 2)
  --minimum-release-age DURATION  take a new digest for a track only once it has been seen
                         upstream this long (3d, 12h, 30m); images.json's minimumReleaseAge
                         wins per image (default: none). NIX_OCI_HASHES_NOW (ISO 8601) fixes
                         the current time
  -h, --help             show this help

Changes go to stdout, one line each; progress, request counts, the tracks added and removed
per image, and errors to stderr.
Exit status: 0 on success (changed or not, and when a pull quota deferred part of the work to
the next run), 1 when an image failed, 2 on bad input or usage.

Other commands: nix-oci-hashes check [PATH...] and nix-oci-hashes pin [PATH...]
(nix-oci-hashes check --help, nix-oci-hashes pin --help).`

export async function updateMain(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, UPDATE_OPTIONS, UPDATE_USAGE)
  if (!parsed) return 0
  const { values, positionals } = parsed
  const [command, ...extra] = positionals
  if (command === undefined) throw new UsageError('no command given: update, check or pin')
  if (command !== 'update')
    throw new UsageError(`unknown command "${command}": the commands are update, check and pin`)
  if (extra.length > 0) throw new UsageError(`update takes no arguments, got "${extra.join(' ')}"`)

  const { http, requestsPerRegistry, network } = registryLimits(values)
  const concurrency = positiveNumber(values.concurrency, '--concurrency')
  const tagPageSize = positiveNumber(values['page-size'], '--page-size')
  const pullReserve = wholeNumber(values['pull-reserve'], '--pull-reserve')
  const minimumReleaseAge = durationOption(values['minimum-release-age'])
  if (values.manifests !== undefined && values['no-manifests'])
    throw new UsageError('--manifests and --no-manifests contradict each other: give one')

  const options: UpdateOptions = {
    imagesPath: values.images,
    digestsPath: values.digests,
    ...(values.state ? { statePath: values.state } : {}),
    ...(values.manifests ? { manifestsPath: values.manifests } : {}),
    ...(values['no-manifests'] ? { publishManifests: false } : {}),
    mirrors: parseMirrors(values.mirror),
    contentMirrors: parseContentMirrors(values['content-mirror']),
    dryRun: values['dry-run'],
    http,
    network,
    ...(concurrency ? { concurrency } : {}),
    ...(requestsPerRegistry ? { requestsPerRegistry } : {}),
    ...(tagPageSize ? { tagPageSize } : {}),
    ...(pullReserve !== undefined ? { pullReserve } : {}),
    ...(minimumReleaseAge !== undefined ? { minimumReleaseAge } : {}),
    log: {
      info: (message) => printErr(`${message}\n`),
      warning: (message) => printErr(`warning: ${message}\n`)
    }
  }
  if (values.plan) return printPlan(await planCost(options))
  const result = await runUpdate(options)

  for (const change of result.changes) printOut(formatChange(change) + '\n')
  reportRequestCounts(result.requestCounts)
  if (result.waiting.length > 0) {
    printErr(`waiting: ${plural(result.waiting.length, 'track')} for the minimum release age\n`)
    for (const entry of result.waiting) printErr(`  ${formatWaiting(entry)}\n`)
  }
  reportPullsSaved(result.pullsSaved)
  if (result.manifests) printErr(formatManifestsReport(result.manifests, values['dry-run']) + '\n')
  for (const line of formatTrackChanges(trackChanges(result.previous, result.digests)))
    printErr(line + '\n')
  const count = plural(result.changes.length, 'reference')
  const outcome = values['dry-run']
    ? `dry run: ${count} would change, nothing written`
    : result.written.length > 0
      ? `${count} changed; wrote ${result.written.join(' and ')}`
      : `${count} changed; ${result.digestsPath} is up to date`
  printErr(outcome + '\n')
  for (const failure of result.failures) {
    printErr(`error: ${failure.image}: ${failure.message} (previous entries kept)\n`)
  }
  return result.failures.length > 0 ? 1 : 0
}

function durationOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const age = parseDuration(value)
  if (age === undefined)
    throw new UsageError(
      `--minimum-release-age must be a duration such as 3d, 12h or 30m, not "${value}"`
    )
  return age
}

function printPlan(plan: CostPlan): number {
  for (const registry of plan.registries) printOut(formatRegistryCost(registry) + '\n')
  for (const failure of plan.failures) {
    printErr(`error: ${failure.image}: ${failure.message}\n`)
  }
  return plan.failures.length > 0 ? 1 : 0
}

import { publishedSource, registrySource } from '../check/digest-source.js'
import { findPublished } from '../check/find-published.js'
import { runPin } from '../check/pin.js'
import { oneLine } from '../check/report.js'
import { canonicalPlatform, parsePlatform } from '../common/platform.js'
import { plural } from '../common/plural.js'
import { REGISTRY_OPTIONS_HELP, registryClient, parseCommand } from './arguments.js'
import { PIN_OPTIONS, UsageError } from './options.js'
import { reportMissing, reportRefused, reportRequestCounts } from './output.js'
import { printErr, printOut } from './print.js'

const PIN_USAGE = `Usage: nix-oci-hashes pin [options] [PATH...]

Rewrites every image reference that has a version tag but no digest to tag@sha256:<digest>, in
place: the platform's image digest where the file names one platform (FROM --platform=,
compose platform:, a nodeSelector on kubernetes.io/arch), else the tag's index digest; a kustomize
images entry gets a digest: line. Nothing else in the files changes. References built from Nix
bindings or variables are left alone, with the exact reference to write there by hand. Tags
that name no version (latest, alpine, stable…) are left alone with advice.

Options:
  --dry-run              print the diff, write nothing
  --digests FILE         pin offline from this digests.json (and the digests.state.json beside
                         it, which holds the index digests for files that name no platform)
  --flake REF            pin offline from REF's ociHashes (nix eval --json REF#ociHashes)
  --platform OS/ARCH     where a file names no platform, pin this platform's image instead of
                         the tag's index: for a repository that deploys to one platform only
                         (offline, digests.json alone then suffices)
  --exclude GLOB         leave out files matching GLOB, relative to the working directory;
                         ** matches any depth (repeatable)
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when every reference with a version tag is pinned, 1 when one could not be or a
file could not be read or written (the rest is still pinned), 2 on bad input or usage.`

export async function pinMain(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, PIN_OPTIONS, PIN_USAGE)
  if (!parsed) return 0
  const { values, positionals } = parsed
  const paths = positionals.slice(1)
  const dryRun = values['dry-run']
  if (values.digests && values.flake) throw new UsageError('give --digests or --flake, not both')
  const platform = values.platform === undefined ? undefined : parsePlatform(values.platform)
  if (platform === null)
    throw new UsageError(`--platform ${values.platform}: not os/arch[/variant], e.g. linux/amd64`)
  const published = await findPublished(values, process.cwd())
  reportRefused(published)
  const client = published ? null : await registryClient(values)
  let result
  try {
    result = await runPin({
      paths: paths.length > 0 ? paths : ['.'],
      cwd: process.cwd(),
      source: published ? publishedSource(published) : registrySource(client!),
      dryRun,
      exclude: values.exclude,
      platform: platform && canonicalPlatform(platform)
    })
  } finally {
    await client?.close()
  }
  if (dryRun) {
    // The diff holds the files' own bytes (latin1 round-trips them), not re-encoded text.
    printOut(Buffer.from(result.diff, 'latin1'))
  } else {
    for (const edit of result.edits) {
      printOut(oneLine(`${edit.file}:${edit.line}: ${edit.before} → ${edit.after}`) + '\n')
    }
  }
  for (const problem of result.problems) {
    const level = problem.failure ? 'error' : 'note'
    printErr(oneLine(`${problem.file}:${problem.line}: ${level}: ${problem.message}`) + '\n')
  }
  if (client) reportRequestCounts(client.requestCounts())
  const files = new Set(result.edits.map((edit) => edit.file)).size
  const verb = dryRun ? 'would pin' : 'pinned'
  printErr(`${verb} ${plural(result.edits.length, 'reference')} in ${plural(files, 'file')}\n`)
  reportMissing(result.missing)
  if (result.missing.length > 0) return 2
  return result.problems.some((problem) => problem.failure) ? 1 : 0
}

// The check phase: the `check` input's paths, every finding an annotation on its line.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { CredentialLookup } from '../registry/docker-credentials.js'
import type { Digests } from '../update/digests-document.js'
import { findPublished } from '../check/find-published.js'
import {
  parsePublishedDigests,
  readPublishedDigests,
  refusalLines,
  type PublishedDigests
} from '../check/published-digests.js'
import { runCheck, type CheckResult } from '../check/run-check.js'
import { countBySeverity, formatSummary } from '../check/report.js'
import { RegistryClient } from '../registry/client.js'
import { commandRegistryOptions } from '../registry/settings.js'

/**
 * The check's summary for the log and the job summary. When it could not look references up, it
 * names where the action takes published data from (see publishedData), not the CLI's options.
 */
export function formatCheckSummary(result: CheckResult): string {
  return formatSummary(result, {
    publishedFrom:
      'the `digests` input, a digests.json at the workspace root, or the update in the same step'
  })
}

/**
 * What our own API's references (imageTrack, lib.image, …) are looked up in: the digests the
 * update of this run wrote (or, in a dry run, would have written), so a track it just added or
 * removed counts; else a digests.json found the way `check` finds one, the `digests` input's
 * file first.
 */
async function publishedData(
  inputs: ActionInputs,
  written: Digests | undefined
): Promise<PublishedDigests | null> {
  if (written === undefined)
    return findPublished({ discover: true, preferred: inputs.digestsPath }, inputs.workspace)
  if (!inputs.dryRun) return readPublishedDigests(inputs.digestsPath, inputs.digestsRepoPath)
  return parsePublishedDigests(
    JSON.stringify(written),
    `${inputs.digestsRepoPath} (as this dry run would write it)`
  )
}

/**
 * `nix-oci-hashes check` over the paths of the `check` input: every finding becomes an
 * annotation on its file and line, so it shows on the pull request's diff. `written` is what
 * the update phase wrote, when it ran.
 */
export async function checkReferences(
  inputs: ActionInputs,
  credentials: CredentialLookup,
  written?: Digests
): Promise<CheckResult> {
  const published = await publishedData(inputs, written)
  if (published) {
    publish.info(`imageTrack and lib.image references are looked up in ${published.source}`)
    for (const line of refusalLines(published))
      publish.warning(line, { title: 'nix-oci-hashes published data' })
  }
  // The update's registry settings, content mirrors and pull reserve included.
  const client = new RegistryClient(commandRegistryOptions({ ...inputs, credentials }))
  let result: CheckResult
  try {
    result = await runCheck({
      paths: inputs.checkPaths,
      cwd: inputs.workspace,
      exclude: inputs.checkExclude,
      client,
      published
    })
  } finally {
    await client.close()
  }
  if (result.missing.length > 0) {
    throw new Error(
      `input check: no such file or folder in the workspace: ${result.missing.join(', ')}`
    )
  }
  const annotate = {
    error: publish.error,
    warning: publish.warning,
    info: publish.notice
  } as const
  for (const finding of result.findings) {
    annotate[finding.severity](finding.message, {
      title: `nix-oci-hashes ${finding.rule}`,
      file: finding.file,
      startLine: finding.line,
      ...(finding.column ? { startColumn: finding.column } : {})
    })
  }
  publish.info(formatCheckSummary(result))
  publish.setOutput('check-errors', String(countBySeverity(result.findings).errors))
  return result
}

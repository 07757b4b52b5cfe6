// The check phase: the `check` input's paths, every finding an annotation on its line.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { CredentialLookup } from '../registry/docker-credentials.js'
import { runCheck, type CheckResult } from '../check/run-check.js'
import { countBySeverity, formatSummary } from '../check/report.js'
import { RegistryClient } from '../registry/client.js'
import { commandRegistryOptions } from '../registry/settings.js'

/**
 * `nix-oci-hashes check` over the paths of the `check` input: every finding becomes an
 * annotation on its file and line, so it shows on the pull request's diff.
 */
export async function checkReferences(
  inputs: ActionInputs,
  credentials: CredentialLookup
): Promise<CheckResult> {
  // The update's registry settings, content mirrors and pull reserve included.
  const client = new RegistryClient(commandRegistryOptions({ ...inputs, credentials }))
  let result: CheckResult
  try {
    result = await runCheck({
      paths: inputs.checkPaths,
      cwd: inputs.workspace,
      exclude: inputs.checkExclude,
      client
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
  publish.info(formatSummary(result))
  publish.setOutput('check-errors', String(countBySeverity(result.findings).errors))
  return result
}

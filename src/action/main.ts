// The action's phases in order (update, check, summary) and the one place errors become
// setFailed.
import * as core from '@actions/core'
import { getInputs } from './inputs.js'
import * as publish from './publish.js'
import { rememberLogin } from './secrets.js'
import { loadRegistryCredentials } from '../registry/docker-credentials.js'
import { withGhcrToken } from './ghcr-credentials.js'
import { countBySeverity } from '../check/report.js'
import { plural } from '../common/plural.js'
import { updateDigests } from './update-phase.js'
import { checkReferences } from './check-phase.js'
import { writeSummary } from './summary.js'

/** The action's entry point: errors from every module end here, and only here. */
export async function run(): Promise<void> {
  try {
    await act()
  } catch (error) {
    publish.setFailed(error instanceof Error ? error.message : String(error))
  }
}

async function act(): Promise<void> {
  const inputs = getInputs()
  // Helpers run when a registry is first asked for, so each secret is masked as it is found.
  const found = loadRegistryCredentials(rememberLogin)
  // The token is masked already (inputs.ts); its Basic form is masked when first used.
  const credentials = withGhcrToken(found, inputs.token, process.env.GITHUB_ACTOR, rememberLogin)

  const updated = inputs.update ? await updateDigests(inputs, credentials) : undefined
  const checked =
    inputs.checkPaths.length > 0
      ? await core.group('Check image references', () =>
          checkReferences(inputs, credentials, updated?.result.digests)
        )
      : undefined
  await writeSummary(inputs, updated, checked)

  const failures = updated?.result.failures ?? []
  for (const failure of failures) {
    publish.error(`${failure.image}: ${failure.message}`, { title: 'Image failed' })
  }
  // The update finished and its summary and outputs are written; the proposal's failure is
  // still the step's.
  const problems: string[] = updated?.proposalError ? [updated.proposalError.message] : []
  if (failures.length > 0) {
    const names = failures.map((failure) => failure.image).join(', ')
    const proposal = updated?.proposal
    const pull = proposal?.operation === 'closed' ? undefined : proposal?.pull
    const others = inputs.dryRun
      ? 'the other images were still checked'
      : pull
        ? `the other images' changes are in pull request #${pull.number}`
        : 'the other images were still updated'
    const count = failures.length
    problems.push(
      `${count === 1 ? '1 image failed and kept its' : `${count} images failed and kept their`} ` +
        `previous entries (${names}); ${others}`
    )
  }
  const checkErrors = checked ? countBySeverity(checked.findings).errors : 0
  if (checkErrors > 0) {
    problems.push(
      `${plural(checkErrors, 'image reference problem')} in ` +
        `${inputs.checkPaths.join(', ')}; see the annotations`
    )
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
}

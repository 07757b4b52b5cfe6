// The job summary: what the run did, the change table and the check's findings.
import type { ActionInputs } from './inputs.js'
import { SUMMARY_LIMIT, renderReport } from './pull-request-body.js'
import * as publish from './publish.js'
import type { CheckResult } from '../check/run-check.js'
import { formatCheckSummary } from './check-phase.js'
import { formatRequestCounts } from '../registry/request-counts.js'
import type { Proposal } from './propose.js'
import type { Updated } from './update-phase.js'

function statusLine(inputs: ActionInputs, proposal: Proposal): string {
  const pull = proposal.pull
  const link = pull ? `[#${pull.number}](${pull.url})` : ''
  if (inputs.dryRun) {
    return proposal.changed
      ? 'Dry run: nothing was written to GitHub. A pull request would propose the changes below.'
      : `Dry run: nothing was written to GitHub. \`${inputs.digestsRepoPath}\` is up to date.`
  }
  const current = `\`${inputs.digestsRepoPath}\` on \`${proposal.base}\``
  if (pull && proposal.operation === 'closed') {
    const branch = proposal.deletedBranch
      ? ` and deleted \`${proposal.deletedBranch}\``
      : proposal.stateOnlyBranch
        ? `; \`${proposal.stateOnlyBranch}\` is kept for the manifests in its \`${inputs.stateRepoPath}\``
        : ''
    return (
      `${current} already holds what pull request ${link} proposed, or what the registries ` +
      `serve now: closed it with a comment saying why${branch}.`
    )
  }
  if (!pull && proposal.deletedBranch)
    return (
      `${current} is up to date; no pull request needed. Deleted \`${proposal.deletedBranch}\`: ` +
      'nothing on it was missing from the base branch.'
    )
  if (!pull && proposal.stateOnlyBranch)
    return (
      `\`${inputs.digestsRepoPath}\` on \`${proposal.base}\` is up to date; no pull request ` +
      `needed. The manifests this run read are kept in \`${inputs.stateRepoPath}\` on ` +
      `\`${proposal.stateOnlyBranch}\`, so the next run does not read them again.`
    )
  if (!pull)
    return `\`${inputs.digestsRepoPath}\` on \`${proposal.base}\` is up to date; no pull request needed.`
  if (proposal.operation === 'created')
    return `Opened pull request ${link} into \`${proposal.base}\`.`
  if (proposal.operation === 'updated') return `Updated pull request ${link}.`
  return `Pull request ${link} already proposes exactly these changes.`
}

export async function writeSummary(
  inputs: ActionInputs,
  updated: Updated | undefined,
  checked: CheckResult | undefined
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    publish.info('GITHUB_STEP_SUMMARY is not set; no job summary written')
    return
  }
  const sections = ['## nix-oci-hashes', '']
  if (updated) {
    const { result, proposal, proposalError, branchStateIgnored } = updated
    const requests = Object.entries(result.requestCounts).map(
      ([host, counts]) => `- ${formatRequestCounts(host, counts)}`
    )
    sections.push(
      proposalError
        ? `The update finished, but proposing it failed: ${proposalError.message}`
        : statusLine(inputs, proposal),
      '',
      ...(branchStateIgnored ? [`> [!WARNING]\n> ${branchStateIgnored}.`, ''] : []),
      renderReport(
        {
          digestsPath: inputs.digestsRepoPath,
          before: proposal.before,
          after: result.digests,
          stale: result.stale,
          failures: result.failures,
          deferred: result.deferred,
          waiting: result.waiting,
          states: result.states,
          manifests: { path: inputs.manifestsRepoPath, added: proposal.manifestsAdded ?? 0 }
        },
        { limit: SUMMARY_LIMIT, fullListAt: 'the step log' }
      ),
      ...(requests.length > 0
        ? ['<details><summary>Registry requests</summary>', '', ...requests, '', '</details>', '']
        : [])
    )
  }
  if (checked) sections.push('### Image references', '', formatCheckSummary(checked), '')
  await publish.writeJobSummary(sections.join('\n'))
}

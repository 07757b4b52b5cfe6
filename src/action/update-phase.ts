// The update phase: run the engine on the workspace, log its changes and counts, propose
// them, and set the pull request outputs.
import * as core from '@actions/core'
import { formatWaiting } from '../update/tracks/release-age.js'
import type { ActionInputs } from './inputs.js'
import type { CredentialLookup } from '../registry/docker-credentials.js'
import { formatChange } from '../update/change-line.js'
import { formatTrackChanges, trackChanges } from '../update/track-changes.js'
import { formatPullsSaved, formatRequestCounts } from '../registry/request-counts.js'
import { runUpdate, type UpdateResult } from '../update/run-update.js'
import { propose, type Proposal } from './propose.js'
import * as publish from './publish.js'
import { GitHubApi } from './github/api.js'
import { GitData } from './github/git-data.js'
import { readUpdateBranch } from './update-branch.js'
import { adoptBranchState } from './branch-state.js'
import { adoptBranchManifests } from './branch-manifests.js'
import { formatManifestsReport } from '../update/manifest-publishing.js'
import { deferralAnnotation, deferredManifests } from './deferral-report.js'

export interface Updated {
  result: UpdateResult
  proposal: Proposal
  /** Why the finished update could not be proposed; the step fails after its summary. */
  proposalError?: Error
  /** Why the update branch's state file was not used. */
  branchStateIgnored?: string
}

/**
 * The update and its pull request; sets the outputs. A failure while proposing does not throw:
 * the update finished, so the outputs and the summary still say what it found.
 */
export async function updateDigests(
  inputs: ActionInputs,
  credentials: CredentialLookup
): Promise<Updated> {
  // A dry run makes no GitHub request at all, so it starts from the workspace's state alone.
  const github = inputs.dryRun
    ? undefined
    : new GitHubApi(inputs.token, inputs.apiUrl, inputs.owner, inputs.repo, {
        debug: publish.debug,
        info: publish.info
      })
  const git = github ? new GitData(github) : undefined
  // Read once: what is adopted now and what the proposal later keeps come from one commit.
  const { branch, adopted } =
    github && git
      ? await core.group('State from the update branch', async () => {
          const branch = await readUpdateBranch(inputs, github, git)
          return { branch, adopted: await adoptBranchState(inputs, branch) }
        })
      : { branch: undefined, adopted: undefined }
  // Every entry is checked against its digest as it is read, so the branch need not be trusted.
  if (inputs.manifests) await adoptBranchManifests(inputs, branch)
  const result = await core.group('Update digests', async () => {
    const result = await runUpdate({
      imagesPath: inputs.imagesPath,
      digestsPath: inputs.digestsPath,
      statePath: inputs.statePath,
      manifestsPath: inputs.manifestsPath,
      publishManifests: inputs.manifests,
      mirrors: inputs.mirrors,
      network: inputs.network,
      contentMirrors: inputs.contentMirrors,
      ...(inputs.pullReserve !== undefined ? { pullReserve: inputs.pullReserve } : {}),
      ...(inputs.minimumReleaseAge !== undefined
        ? { minimumReleaseAge: inputs.minimumReleaseAge }
        : {}),
      dryRun: inputs.dryRun,
      credentials,
      // Stale tracks, failures and track warnings become annotations, once each.
      log: { info: publish.info, warning: publish.info }
    })
    for (const change of result.changes) publish.info(formatChange(change))
    for (const line of formatTrackChanges(trackChanges(result.previous, result.digests))) {
      publish.info(line)
    }
    for (const entry of result.waiting) publish.info(formatWaiting(entry))
    for (const [host, counts] of Object.entries(result.requestCounts)) {
      publish.info(formatRequestCounts(host, counts))
    }
    for (const line of formatPullsSaved(result.pullsSaved)) publish.info(line)
    if (result.manifests) publish.info(formatManifestsReport(result.manifests, inputs.dryRun))
    return result
  })
  for (const { image, track } of result.stale) {
    publish.warning(
      `${image} ${track}: no tag of this track exists upstream any more; kept its last value`,
      { title: 'Stale track' }
    )
  }
  for (const message of result.warnings) publish.warning(message, { title: 'Tracks' })

  // Deferral is not failure: a warning per registry, and the next run continues.
  for (const deferral of result.deferred) {
    publish.warning(deferralAnnotation(deferral), { title: 'Pull quota: update partial' })
  }

  const unproposed: Proposal = {
    changed: result.changed || result.manifests?.changed === true,
    before: result.previous,
    operation: 'none'
  }
  let proposal = unproposed
  let proposalError: Error | undefined
  if (github && git) {
    try {
      proposal = await core.group('Pull request', () =>
        propose(inputs, { github, git, branch }, result)
      )
    } catch (error) {
      proposalError = error instanceof Error ? error : new Error(String(error))
    }
  }

  publish.setOutput('changed', String(proposal.changed))
  publish.setOutput('pull-request-number', proposal.pull ? String(proposal.pull.number) : '')
  publish.setOutput('pull-request-url', proposal.pull?.url ?? '')
  publish.setOutput('pull-request-operation', proposal.operation)
  publish.setOutput('deferred', String(deferredManifests(result.deferred)))
  return {
    result,
    proposal,
    ...(proposalError ? { proposalError } : {}),
    ...(adopted?.ignored ? { branchStateIgnored: adopted.ignored } : {})
  }
}

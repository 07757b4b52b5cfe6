// The update phase: run the engine on the workspace, log its changes and counts, propose
// them, and set the pull request outputs.
import * as core from '@actions/core'
import { formatWaiting } from '../update/release-age.js'
import type { ActionInputs } from './inputs.js'
import type { CredentialLookup } from '../registry/docker-credentials.js'
import { formatChange } from '../update/report.js'
import { formatTrackChanges, trackChanges } from '../update/track-changes.js'
import { formatPullsSaved, formatRequestCounts } from '../registry/request-counts.js'
import { runUpdate, type UpdateResult } from '../update/run-update.js'
import { propose, type Proposal } from './propose.js'
import { GitHubApi } from './github/api.js'
import { adoptBranchState } from './branch-state.js'
import { adoptBranchManifests } from './branch-manifests.js'
import { formatManifestsReport } from '../update/manifest-publishing.js'
import { deferralAnnotation, deferredManifests } from './deferral-report.js'

export interface Updated {
  result: UpdateResult
  proposal: Proposal
}

/** The update and its pull request; sets the pull request outputs. */
export async function updateDigests(
  inputs: ActionInputs,
  credentials: CredentialLookup,
  secrets: string[]
): Promise<Updated> {
  // A dry run makes no GitHub request at all, so it starts from the workspace's state alone.
  const github = inputs.dryRun
    ? undefined
    : new GitHubApi(inputs.token, inputs.apiUrl, inputs.owner, inputs.repo, {
        debug: (message) => core.debug(message),
        info: (message) => core.info(message)
      })
  if (github) {
    await core.group('State from the update branch', () => adoptBranchState(inputs, github))
    if (inputs.manifests) await adoptBranchManifests(inputs, github)
  }
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
      log: { info: (message) => core.info(message), warning: (message) => core.info(message) }
    })
    for (const change of result.changes) core.info(formatChange(change))
    for (const line of formatTrackChanges(trackChanges(result.previous, result.digests))) {
      core.info(line)
    }
    for (const entry of result.waiting) core.info(formatWaiting(entry))
    for (const [host, counts] of Object.entries(result.requestCounts)) {
      core.info(formatRequestCounts(host, counts))
    }
    for (const line of formatPullsSaved(result.pullsSaved)) core.info(line)
    if (result.manifests) core.info(formatManifestsReport(result.manifests, inputs.dryRun))
    return result
  })
  for (const { image, track } of result.stale) {
    core.warning(
      `${image} ${track}: no tag of this track exists upstream any more; kept its last value`,
      { title: 'Stale track' }
    )
  }
  for (const message of result.warnings) core.warning(message, { title: 'Tracks' })

  // Deferral is not failure: a warning per registry, and the next run continues.
  for (const deferral of result.deferred) {
    core.warning(deferralAnnotation(deferral), { title: 'Pull quota: update partial' })
  }

  const proposal: Proposal = github
    ? await core.group('Pull request', () => propose(inputs, github, result, secrets))
    : {
        changed: result.changed || result.manifests?.changed === true,
        before: result.previous,
        operation: 'none'
      }

  core.setOutput('changed', String(proposal.changed))
  core.setOutput('pull-request-number', proposal.pull ? String(proposal.pull.number) : '')
  core.setOutput('pull-request-url', proposal.pull?.url ?? '')
  core.setOutput('pull-request-operation', proposal.operation)
  core.setOutput('deferred', String(deferredManifests(result.deferred)))
  return { result, proposal }
}

// The proposal phase: commit the updated files to the update branch and open or refresh the
// pull request, writing nothing when the branch already holds exactly this change.
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import type { ActionInputs } from './inputs.js'
import { parseDigests, readTextIfPresent, type Digests } from '../update/digests-document.js'
import { GitHubApi, GitHubError } from './github/api.js'
import { GitData, gitBlobSha, type RepositoryFile } from './github/git-data.js'
import { PullRequests, type PullRequest, type PullRequestOperation } from './github/pull-request.js'
import { redact, renderPullRequestBody, type DigestsReport } from './pull-request-body.js'
import type { UpdateResult } from '../update/run-update.js'

export interface Proposal {
  /** digests.json differs from the base branch (in a dry run: from the workspace). */
  changed: boolean
  /** digests.json as the diff starts from: the base branch's, or the workspace's in a dry run. */
  before: Digests
  base?: string
  pull?: PullRequest
  operation: PullRequestOperation
}

/**
 * Compares the updated workspace files with the base branch and, when digests.json differs,
 * commits them onto the update branch through the Git Data API and opens or updates the pull
 * request. The state file rides along when it differs too, but is never a reason on its own for
 * a pull request: it only saves requests on the next run.
 */
export async function propose(
  inputs: ActionInputs,
  result: UpdateResult,
  secrets: string[]
): Promise<Proposal> {
  const github = new GitHubApi(inputs.token, inputs.apiUrl, inputs.owner, inputs.repo, {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message)
  })
  const git = new GitData(github)
  const pulls = new PullRequests(github)
  const baseName = inputs.base ?? (await github.defaultBranch())
  const base = await git.branchHead(baseName)
  if (!base) {
    throw new GitHubError(
      `the base branch ${baseName} does not exist in ${inputs.owner}/${inputs.repo}`
    )
  }

  const digestsText = await readFile(inputs.digestsPath, 'utf8')
  const baseDigestsSha = await git.blobShaAt(base.treeSha, inputs.digestsRepoPath)
  if (baseDigestsSha === gitBlobSha(digestsText)) {
    core.info(`${inputs.digestsRepoPath} on ${baseName} is already current; no pull request needed`)
    return { changed: false, before: result.digests, base: baseName, operation: 'none' }
  }
  const before = baseDigestsSha
    ? parseDigests(await git.readBlob(baseDigestsSha), `${baseName}:${inputs.digestsRepoPath}`)
    : {}

  const files: RepositoryFile[] = [{ path: inputs.digestsRepoPath, content: digestsText }]
  const stateText = await readTextIfPresent(inputs.statePath)
  if (
    stateText !== undefined &&
    (await git.blobShaAt(base.treeSha, inputs.stateRepoPath)) !== gitBlobSha(stateText)
  ) {
    files.push({ path: inputs.stateRepoPath, content: stateText })
  }
  const commit = await git.commitToBranch({
    branch: inputs.branch,
    base,
    files,
    message: inputs.commitMessage
  })
  core.info(
    commit.pushed
      ? `committed ${files.map((file) => file.path).join(' and ')} to ${inputs.branch} as ${commit.sha}`
      : `${inputs.branch} already holds exactly this change on top of ${baseName} (${commit.sha})`
  )

  const report: DigestsReport = {
    digestsPath: inputs.digestsRepoPath,
    before,
    after: result.digests,
    stale: result.stale,
    failures: result.failures
  }
  const pull = await pulls.openOrUpdatePull({
    branch: inputs.branch,
    base: baseName,
    title: redact(inputs.title, secrets),
    body: redact(renderPullRequestBody(report, inputs.branch), secrets)
  })
  const labelled = await pulls.addLabels(pull, inputs.labels)
  const operation: PullRequestOperation =
    pull.operation === 'created'
      ? 'created'
      : commit.pushed || pull.operation === 'updated' || labelled.length > 0
        ? 'updated'
        : 'none'
  core.info(
    operation === 'created'
      ? `opened pull request #${pull.number}: ${pull.url}`
      : operation === 'updated'
        ? `updated pull request #${pull.number}: ${pull.url}`
        : `pull request #${pull.number} already proposes exactly this: ${pull.url}`
  )

  if (inputs.autoMerge && !pull.autoMerge) {
    const outcome = await pulls.enableAutoMerge(pull, inputs.autoMerge)
    if (outcome.enabled) {
      core.info(`auto-merge (${inputs.autoMerge.toLowerCase()}) enabled on #${pull.number}`)
    } else {
      core.warning(
        `auto-merge could not be enabled on pull request #${pull.number}: ${outcome.reason}. ` +
          'Allow it under Settings → General → "Allow auto-merge", and protect the base branch ' +
          'with required status checks so there is something to wait for.',
        { title: 'Auto-merge not enabled' }
      )
    }
  }
  return { changed: true, before, base: baseName, pull, operation }
}

// The proposal phase: commit the updated files to the update branch and open or refresh the
// pull request, writing nothing when the branch already holds exactly this change.
import * as publish from './publish.js'
import { readFile } from 'node:fs/promises'
import type { ActionInputs } from './inputs.js'
import { parseDigests, readTextIfPresent, type Digests } from '../update/digests-document.js'
import { stateOverBase, tidyUpdateBranch, type BaseCurrent } from './housekeeping.js'
import { plural } from '../common/plural.js'
import { GitHubError, type GitHubApi } from './github/api.js'
import type { BranchFile, UpdateBranch } from './update-branch.js'
import {
  gitBlobSha,
  type BranchHead,
  type GitData,
  type RepositoryFile
} from './github/git-data.js'
import { PullRequests, type PullRequest, type PullRequestOperation } from './github/pull-request.js'
import { renderPullRequestBody, type DigestsReport } from './pull-request-body.js'
import type { UpdateResult } from '../update/run-update.js'
import { manifestsOverBase, wouldTakeBackProposal } from './manifests-over-base.js'

export interface Proposal {
  /** digests.json differs from the base branch (in a dry run: from the workspace). */
  changed: boolean
  /** digests.json as the diff starts from: the base branch's, or the workspace's in a dry run. */
  before: Digests
  base?: string
  pull?: PullRequest
  operation: PullRequestOperation
  /** The update branch, when only the state file went there (digests.json was current). */
  stateOnlyBranch?: string
  /** The update branch, when this run deleted it: the base branch holds all it had. */
  deletedBranch?: string
  /** Image manifests the proposal adds to manifests.json over the base branch's. */
  manifestsAdded?: number
}

/** What the run knows of GitHub when it proposes. */
export interface ProposalContext {
  github: GitHubApi
  /** The run's one Git Data reader: a tree read once is not read again. */
  git: GitData
  /** The update branch as the run read it before updating; undefined when it did not exist. */
  branch: UpdateBranch | undefined
}

/**
 * Compares the updated workspace files with the base branch and, when digests.json differs,
 * commits them onto the update branch through the Git Data API and opens or updates the pull
 * request. The state file rides along when it differs too. On its own it is never a reason to
 * open a pull request, but when the run paid for manifests the base branch's state does not
 * know (or deferred work), it still goes to the update branch so the next run need not pay again.
 */
export async function propose(
  inputs: ActionInputs,
  context: ProposalContext,
  result: UpdateResult
): Promise<Proposal> {
  const { github, git, branch } = context
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
  const digestsCurrent = baseDigestsSha === gitBlobSha(digestsText)
  const manifests = await manifestsOverBase(inputs, git, base)
  const manifestsOnly =
    digestsCurrent &&
    manifests?.differs === true &&
    !(await wouldTakeBackProposal(inputs, git, base, branch, result))
  if (digestsCurrent && !manifestsOnly) {
    publish.info(
      `${inputs.digestsRepoPath} on ${baseName} is already current; no pull request needed`
    )
    const state = await stateOverBase(inputs, git, base)
    const current: BaseCurrent = { inputs, git, pulls, base, branch, result, state }
    const tidied = await tidyUpdateBranch(current)
    // The pull request the run found is not open any more once housekeeping closed it.
    const carried = await carryState(current, tidied.closed ? undefined : await branch?.openPull())
    const proposal = carried ?? {
      changed: false,
      before: result.digests,
      base: baseName,
      operation: 'none'
    }
    if (tidied.deleted) proposal.deletedBranch = inputs.branch
    return tidied.closed ? { ...proposal, pull: tidied.closed, operation: 'closed' } : proposal
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
  if (manifests?.differs) files.push({ path: inputs.manifestsRepoPath, content: manifests.text })
  const manifestsAdded = manifests?.added ?? 0
  const pushed = await commit(inputs, git, base, files)
  const pull = await pulls.openOrUpdatePull({
    branch: inputs.branch,
    base: baseName,
    title: inputs.title,
    body: pullRequestBody(inputs, before, result.digests, result, manifestsAdded),
    // No pull request stays open without its head branch (GitHub closes it when the branch is
    // deleted), so a run that found no branch has none to look up. One opened since then is
    // met when opening ours fails with "already exists".
    open: await branch?.openPull()
  })
  const labelled = await pulls.addLabels(pull, inputs.labels)
  const operation: PullRequestOperation =
    pull.operation === 'created'
      ? 'created'
      : pushed || pull.operation === 'updated' || labelled.length > 0
        ? 'updated'
        : 'none'
  logPull(pull, operation)

  if (inputs.autoMerge && !pull.autoMerge) {
    const outcome = await pulls.enableAutoMerge(pull, inputs.autoMerge)
    if (outcome.enabled) {
      publish.info(`auto-merge (${inputs.autoMerge.toLowerCase()}) enabled on #${pull.number}`)
    } else {
      publish.warning(
        `auto-merge could not be enabled on pull request #${pull.number}: ${outcome.reason}. ` +
          'Allow it under Settings → General → "Allow auto-merge", and protect the base branch ' +
          'with required status checks so there is something to wait for.',
        { title: 'Auto-merge not enabled' }
      )
    }
  }
  return { changed: true, before, base: baseName, pull, operation, manifestsAdded }
}

/**
 * digests.json is current, but the run may have read manifests the base branch's state does not
 * know (a cold state, or quota-deferred work it began). The runner checks out the base branch
 * afresh next time, so those reads survive only on the update branch: commit the state file
 * there. An open pull request keeps what it proposes (its digests.json rides along unchanged)
 * and gets its body refreshed; without one, none is opened, since nothing a consumer sees
 * changed. Undefined when there is nothing to carry.
 */
async function carryState(
  options: BaseCurrent,
  open: PullRequest | undefined
): Promise<Proposal | undefined> {
  const { inputs, git, pulls, base, branch, result, state } = options
  const { text: stateText, paid } = state
  if (stateText === undefined || paid === 0) return undefined

  const files: RepositoryFile[] = [{ path: inputs.stateRepoPath, content: stateText }]
  // What rides along goes out in the action's own (Verified) commit: only what it wrote itself,
  // taken from the very commit the trust check examined.
  const own = open && branch && (await branch.trust()).trusted ? branch : undefined
  const overBase = async (file: BranchFile, path: string): Promise<string | undefined> =>
    own?.blobs[file] && own.blobs[file] !== (await git.blobShaAt(base.treeSha, path))
      ? own.text(file)
      : undefined
  let after = result.digests
  const proposedText = await overBase('digests', inputs.digestsRepoPath)
  if (proposedText !== undefined) {
    after = parseDigests(proposedText, `${inputs.branch}:${inputs.digestsRepoPath}`)
    files.push({ path: inputs.digestsRepoPath, content: proposedText })
    const manifestsText = await overBase('manifests', inputs.manifestsRepoPath)
    if (manifestsText !== undefined)
      files.push({ path: inputs.manifestsRepoPath, content: manifestsText })
  }
  publish.info(
    `${plural(paid, 'manifest digest')} this run read ${paid === 1 ? 'is' : 'are'} not in ` +
      `${inputs.stateRepoPath} on ${base.branch}; keeping them on ${inputs.branch}`
  )
  const pushed = await commit(inputs, git, base, files)
  const proposal: Proposal = {
    changed: false,
    before: result.digests,
    base: base.branch,
    operation: 'none',
    stateOnlyBranch: inputs.branch
  }
  if (!open) {
    publish.info(`no pull request: ${inputs.digestsRepoPath} on ${base.branch} is current`)
    return proposal
  }
  // Not looked up again after the commit: it changed the branch, not the pull request, and one
  // closed by hand meanwhile could as well be closed right after a second look.
  const pull = await pulls.openOrUpdatePull({
    branch: inputs.branch,
    base: base.branch,
    title: inputs.title,
    body: pullRequestBody(inputs, result.digests, after, result),
    open
  })
  const operation = pushed || pull.operation === 'updated' ? 'updated' : 'none'
  logPull(pull, operation)
  return { ...proposal, before: result.digests, pull, operation }
}

/** One commit of `files` on top of `base` on the update branch; false when it was already so. */
async function commit(
  inputs: ActionInputs,
  git: GitData,
  base: BranchHead,
  files: RepositoryFile[]
): Promise<boolean> {
  const { sha, pushed } = await git.commitToBranch({
    branch: inputs.branch,
    base,
    files,
    message: inputs.commitMessage
  })
  publish.info(
    pushed
      ? `committed ${files.map((file) => file.path).join(' and ')} to ${inputs.branch} as ${sha}`
      : `${inputs.branch} already holds exactly this change on top of ${base.branch} (${sha})`
  )
  return pushed
}

function pullRequestBody(
  inputs: ActionInputs,
  before: Digests,
  after: Digests,
  result: UpdateResult,
  manifestsAdded = 0
): string {
  const report: DigestsReport = {
    digestsPath: inputs.digestsRepoPath,
    manifests: { path: inputs.manifestsRepoPath, added: manifestsAdded },
    before,
    after,
    stale: result.stale,
    failures: result.failures,
    deferred: result.deferred,
    waiting: result.waiting,
    states: result.states
  }
  return renderPullRequestBody(report, inputs.branch)
}

function logPull(pull: PullRequest, operation: PullRequestOperation): void {
  publish.info(
    operation === 'created'
      ? `opened pull request #${pull.number}: ${pull.url}`
      : operation === 'updated'
        ? `updated pull request #${pull.number}: ${pull.url}`
        : `pull request #${pull.number} already proposes exactly this: ${pull.url}`
  )
}

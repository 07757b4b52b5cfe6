// When the base branch already holds what the update branch proposes (someone merged it by
// hand, or upstream went back), the pull request is noise: close it, saying why, and delete the
// branch unless its state file still saves the next run some pulls.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import { parseState, readTextIfPresent } from '../update/digests-document.js'
import { countNewStateEntries } from '../update/state-merge.js'
import { plural } from '../common/plural.js'
import { gitBlobSha, type BranchHead, type GitData } from './github/git-data.js'
import type { PullRequest, PullRequests } from './github/pull-request.js'
import { GitHubError } from './github/api.js'
import type { UpdateResult } from '../update/run-update.js'
import type { UpdateBranch } from './update-branch.js'

/** The workspace's state file and the manifest digests in it the base branch's lacks. */
export interface StateOverBase {
  text: string | undefined
  /** Image and index digests the base branch's state file does not know: pulls it saves. */
  paid: number
}

export async function stateOverBase(
  inputs: ActionInputs,
  git: GitData,
  base: BranchHead
): Promise<StateOverBase> {
  const text = await readTextIfPresent(inputs.statePath)
  const baseSha = await git.blobShaAt(base.treeSha, inputs.stateRepoPath)
  if (text === undefined || baseSha === gitBlobSha(text)) return { text, paid: 0 }
  const baseState = parseState(
    baseSha ? await git.readBlob(baseSha) : undefined,
    `${base.branch}:${inputs.stateRepoPath}`
  )
  return { text, paid: countNewStateEntries(parseState(text, inputs.statePath), baseState) }
}

/** What a run that found digests.json on the base branch current knows when it tidies up. */
export interface BaseCurrent {
  inputs: ActionInputs
  git: GitData
  pulls: PullRequests
  base: BranchHead
  /** The update branch as the run read it before updating. */
  branch: UpdateBranch | undefined
  result: UpdateResult
  state: StateOverBase
}

export interface Housekeeping {
  /** The pull request this run closed. */
  closed?: PullRequest
  /** True when this run deleted the update branch. */
  deleted: boolean
}

/**
 * Runs when digests.json on the base branch is what this run computed. An open pull request is
 * closed when its digests.json is the base's (merged by other means), or when this run resolved
 * every image without failure or deferral, so the base's digests are what the registries serve
 * and the pull request's are not (upstream went back). A run that left work undone cannot tell,
 * so it leaves the pull request open. The branch is deleted once nothing on it is worth keeping:
 * no open pull request and a state file that adds nothing to the base's. When it does add
 * something, the caller rewrites the branch as a state-only branch instead.
 */
export async function tidyUpdateBranch(options: BaseCurrent): Promise<Housekeeping> {
  const { inputs, git, pulls, base, branch, result, state } = options
  if (!branch) return { deleted: false }
  const baseSha = await git.blobShaAt(base.treeSha, inputs.digestsRepoPath)
  const mergedElsewhere = branch.blobs.digests === baseSha
  const open = await branch.openPull()
  const complete = result.failures.length === 0 && result.deferred.length === 0
  if (open && !mergedElsewhere && !complete) {
    publish.info(
      `pull request #${open.number} stays open: this run left work undone, so it cannot tell ` +
        `whether ${inputs.digestsRepoPath} on ${base.branch} is what the registries serve`
    )
    return { deleted: false }
  }
  if (!open && !mergedElsewhere) return { deleted: false }
  const keep = state.paid > 0
  const closed =
    open &&
    (await pulls.closeWithComment(
      open,
      closingComment(inputs, base.branch, mergedElsewhere, state)
    ))
  if (closed) publish.info(`closed pull request #${closed.number}: ${closed.url}`)
  if (keep) return closed ? { closed, deleted: false } : { deleted: false }
  const deleted = await deleteBranch(git, inputs.branch, base.branch)
  return closed ? { closed, deleted } : { deleted }
}

/** Tidying up is not the run's purpose: a branch that cannot be deleted is a warning. */
async function deleteBranch(git: GitData, branch: string, base: string): Promise<boolean> {
  try {
    const deleted = await git.deleteBranch(branch)
    if (deleted) publish.info(`deleted branch ${branch}: nothing on it is missing from ${base}`)
    return deleted
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error
    publish.warning(`${error.message}; the branch stays`, { title: 'Update branch not deleted' })
    return false
  }
}

function closingComment(
  inputs: ActionInputs,
  base: string,
  mergedElsewhere: boolean,
  state: StateOverBase
): string {
  const digests = `\`${inputs.digestsRepoPath}\``
  const why = mergedElsewhere
    ? `${digests} on \`${base}\` already holds everything this pull request proposes: the ` +
      'change reached the base branch by other means.'
    : `${digests} on \`${base}\` is what the registries serve now, for every image, and this ` +
      'pull request proposes something else: upstream went back, or the base branch got the ' +
      'current digests by other means.'
  const branch =
    state.paid > 0
      ? `The branch \`${inputs.branch}\` is kept without a pull request: its ` +
        `\`${inputs.stateRepoPath}\` holds ${plural(state.paid, 'manifest digest')} the base ` +
        'branch lacks, so the next run does not read them again.'
      : `The branch \`${inputs.branch}\` is deleted: nothing on it is missing from \`${base}\`.`
  return (
    `${why} Closing it.\n\n${branch} The next run opens a new pull request when a digest ` +
    'changes.\n\n<sub>Closed by nix-oci-hashes.</sub>'
  )
}

// Before resolving: fold the update branch's state file into the workspace's. The runner checks
// out the base branch afresh each time, so without this a run while the pull request waits would
// pay again for every manifest an earlier run read, and a registry's pull quota would let the
// pull request grow by at most one window's worth and then lose it.
import * as core from '@actions/core'
import type { ActionInputs } from './inputs.js'
import type { GitHubApi } from './github/api.js'
import { GitData } from './github/git-data.js'
import {
  DocumentError,
  parseState,
  readTextIfPresent,
  renderDocument,
  writeFileAtomic
} from '../update/digests-document.js'
import { countNewStateEntries, mergeStates } from '../update/state-merge.js'
import { plural } from '../common/plural.js'

/**
 * Merges the state file at the head of the update branch (when the branch and the file exist)
 * into the workspace's, the workspace winning per digest. Returns how many image or index
 * digests the branch added.
 */
export async function adoptBranchState(inputs: ActionInputs, github: GitHubApi): Promise<number> {
  const git = new GitData(github)
  const head = await git.branchHead(inputs.branch)
  const sha = head ? await git.blobShaAt(head.treeSha, inputs.stateRepoPath) : undefined
  if (!sha) {
    core.info(`no ${inputs.stateRepoPath} on ${inputs.branch}; starting from the workspace's`)
    return 0
  }
  const source = `${inputs.branch}:${inputs.stateRepoPath}`
  let branchState
  try {
    branchState = parseState(await git.readBlob(sha), source)
  } catch (error) {
    // Only a cache: a broken copy costs requests, never correctness, so it must not stop the run.
    if (!(error instanceof DocumentError)) throw error
    core.warning(`${error.message}; ignored, so this run reads those manifests again`, {
      title: 'Update branch state ignored'
    })
    return 0
  }
  const workspace = parseState(await readTextIfPresent(inputs.statePath), inputs.statePath)
  const merged = mergeStates(workspace, branchState)
  const added = countNewStateEntries(merged, workspace)
  if (added > 0) await writeFileAtomic(inputs.statePath, renderDocument(merged))
  core.info(
    `${source}: ${plural(added, 'manifest digest')} the workspace did not know, ` +
      `merged into ${inputs.stateRepoPath}`
  )
  return added
}

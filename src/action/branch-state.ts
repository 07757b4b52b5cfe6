// Before resolving: fold the update branch's state file into the workspace's. The runner checks
// out the base branch afresh each time, so without this a run while the pull request waits would
// pay again for every manifest an earlier run read, and a registry's pull quota would let the
// pull request grow by at most one window's worth and then lose it.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { GitHubApi } from './github/api.js'
import { GitData } from './github/git-data.js'
import { branchTrust } from './branch-trust.js'
import {
  DocumentError,
  parseState,
  readTextIfPresent,
  renderDocument,
  writeFileAtomic
} from '../update/digests-document.js'
import { countNewStateEntries, mergeStates } from '../update/state-merge.js'
import { plural } from '../common/plural.js'

/** The paths in the repository the action commits to its branch, and nothing else. */
export function writtenPaths(inputs: ActionInputs): string[] {
  return [
    inputs.digestsRepoPath,
    inputs.stateRepoPath,
    ...(inputs.manifests ? [inputs.manifestsRepoPath] : [])
  ]
}

export interface AdoptedState {
  /** Image and index digests the branch's state file added to the workspace's. */
  added: number
  /** Why the branch's state file was not used, when it was there but not the action's own. */
  ignored?: string
}

/**
 * Merges the state file at the head of the update branch (when the branch and the file exist,
 * and the branch holds only what this action wrote) into the workspace's, the workspace
 * winning per digest.
 */
export async function adoptBranchState(
  inputs: ActionInputs,
  github: GitHubApi
): Promise<AdoptedState> {
  const git = new GitData(github)
  const head = await git.branchHead(inputs.branch)
  const sha = head ? await git.blobShaAt(head.treeSha, inputs.stateRepoPath) : undefined
  if (!head || !sha) {
    publish.info(`no ${inputs.stateRepoPath} on ${inputs.branch}; starting from the workspace's`)
    return { added: 0 }
  }
  // The state maps index digests to what they hold, and digests.json is built from it without
  // reading those manifests again: an entry someone else wrote would be proposed as fact.
  const trust = await branchTrust({
    github,
    base: inputs.base ?? (await github.defaultBranch()),
    branch: inputs.branch,
    headSha: head.sha,
    files: writtenPaths(inputs)
  })
  if (!trust.trusted) {
    const ignored =
      `${inputs.stateRepoPath} on ${inputs.branch} ignored: ${trust.reason}. Only a state ` +
      "file the action wrote under the token's own account is trusted; this run reads those " +
      'manifests again'
    publish.warning(ignored, { title: 'Update branch state not trusted' })
    return { added: 0, ignored }
  }
  const source = `${inputs.branch}:${inputs.stateRepoPath}`
  let branchState
  try {
    branchState = parseState(await git.readBlob(sha), source)
  } catch (error) {
    // Only a cache: a broken copy costs requests, never correctness, so it must not stop the run.
    if (!(error instanceof DocumentError)) throw error
    publish.warning(`${error.message}; ignored, so this run reads those manifests again`, {
      title: 'Update branch state ignored'
    })
    return { added: 0 }
  }
  const workspace = parseState(await readTextIfPresent(inputs.statePath), inputs.statePath)
  const merged = mergeStates(workspace, branchState)
  const added = countNewStateEntries(merged, workspace)
  if (added > 0) await writeFileAtomic(inputs.statePath, renderDocument(merged))
  publish.info(
    `${source}: ${plural(added, 'manifest digest')} the workspace did not know, ` +
      `merged into ${inputs.stateRepoPath}`
  )
  return { added }
}

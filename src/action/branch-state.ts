// Before resolving: fold the update branch's state file into the workspace's. The runner checks
// out the base branch afresh each time, so without this a run while the pull request waits would
// pay again for every manifest an earlier run read, and a registry's pull quota would let the
// pull request grow by at most one window's worth and then lose it.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { UpdateBranch } from './update-branch.js'
import {
  DocumentError,
  parseState,
  readTextIfPresent,
  renderDocument,
  writeFileAtomic
} from '../update/digests-document.js'
import { countNewStateEntries, mergeStates } from '../update/state-merge.js'
import { plural } from '../common/plural.js'

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
  branch: UpdateBranch | undefined
): Promise<AdoptedState> {
  if (!branch?.blobs.state) {
    publish.info(`no ${inputs.stateRepoPath} on ${inputs.branch}; starting from the workspace's`)
    return { added: 0 }
  }
  // The state maps index digests to what they hold, and digests.json is built from it without
  // reading those manifests again: an entry someone else wrote would be proposed as fact.
  const trust = await branch.trust()
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
    branchState = parseState(await branch.text('state'), source)
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

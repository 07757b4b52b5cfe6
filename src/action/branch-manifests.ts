// Before resolving: the manifests the update branch already holds, added to the workspace's
// manifests.json. The runner checks out the base branch afresh each time, so without this every
// run while the pull request waits would read again (and pay again for) what it published.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { UpdateBranch } from './update-branch.js'
import { readTextIfPresent, writeFileAtomic } from '../update/digests-document.js'
import { parseManifests, renderManifests, type Manifests } from '../update/manifests-document.js'
import { plural } from '../common/plural.js'

/**
 * Adds every entry of the branch's manifests.json that hashes to its key and that the
 * workspace's file lacks; the workspace's own entries are left as they are (the run verifies
 * them). Returns how many were added.
 */
export async function adoptBranchManifests(
  inputs: ActionInputs,
  branch: UpdateBranch | undefined
): Promise<number> {
  const text = await branch?.text('manifests')
  if (text === undefined) return 0
  const source = `${inputs.branch}:${inputs.manifestsRepoPath}`
  const held = parseManifests(text, source)
  for (const line of held.warnings)
    publish.warning(line, { title: 'Update branch manifest ignored' })
  const workspace = workspaceEntries(await readTextIfPresent(inputs.manifestsPath))
  if (!workspace) return 0
  const missing = Object.keys(held.manifests).filter((digest) => !Object.hasOwn(workspace, digest))
  if (missing.length === 0) return 0
  for (const digest of missing) workspace[digest] = held.manifests[digest]!
  await writeFileAtomic(inputs.manifestsPath, renderManifests(workspace as Manifests))
  publish.info(
    `${source}: ${plural(missing.length, 'image manifest')} the workspace did not have, ` +
      `added to ${inputs.manifestsRepoPath}`
  )
  return missing.length
}

/** The workspace file's entries as written, or undefined when it is not a JSON object. */
function workspaceEntries(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return {}
  try {
    const document: unknown = JSON.parse(text)
    return typeof document === 'object' && document !== null && !Array.isArray(document)
      ? (document as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

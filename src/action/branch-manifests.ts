// Before resolving: the manifests the update branch already holds, added to the workspace's
// manifests.json. The runner checks out the base branch afresh each time, so without this every
// run while the pull request waits would read again (and pay again for) what it published.
import * as publish from './publish.js'
import type { ActionInputs } from './inputs.js'
import type { GitHubApi } from './github/api.js'
import { GitData } from './github/git-data.js'
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
  github: GitHubApi
): Promise<number> {
  const git = new GitData(github)
  const head = await git.branchHead(inputs.branch)
  const sha = head ? await git.blobShaAt(head.treeSha, inputs.manifestsRepoPath) : undefined
  if (!sha) return 0
  const source = `${inputs.branch}:${inputs.manifestsRepoPath}`
  const branch = parseManifests(await git.readBlob(sha), source)
  for (const line of branch.warnings)
    publish.warning(line, { title: 'Update branch manifest ignored' })
  const workspace = workspaceEntries(await readTextIfPresent(inputs.manifestsPath))
  if (!workspace) return 0
  const missing = Object.keys(branch.manifests).filter(
    (digest) => !Object.hasOwn(workspace, digest)
  )
  if (missing.length === 0) return 0
  for (const digest of missing) workspace[digest] = branch.manifests[digest]!
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

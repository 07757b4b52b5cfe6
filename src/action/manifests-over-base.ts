// manifests.json against the base branch: a run in which only manifest data arrived still
// changes what consumers can do (lib.fetchImage can build those images now), so it is proposed
// like a digest change, and the body counts what was added.
import type { ActionInputs } from './inputs.js'
import { readTextIfPresent } from '../update/digests-document.js'
import { parseManifests } from '../update/manifests-document.js'
import { gitBlobSha, type BranchHead, type GitData } from './github/git-data.js'
import type { UpdateBranch } from './update-branch.js'
import type { UpdateResult } from '../update/run-update.js'

export interface ManifestsOverBase {
  text: string
  /** The workspace's file differs from the base branch's. */
  differs: boolean
  /** Entries the workspace's file holds and the base branch's does not. */
  added: number
}

/** Undefined when publishing is off or the run wrote no manifests.json. */
export async function manifestsOverBase(
  inputs: ActionInputs,
  git: GitData,
  base: BranchHead
): Promise<ManifestsOverBase | undefined> {
  if (!inputs.manifests) return undefined
  const text = await readTextIfPresent(inputs.manifestsPath)
  if (text === undefined) return undefined
  const baseSha = await git.blobShaAt(base.treeSha, inputs.manifestsRepoPath)
  if (baseSha === gitBlobSha(text)) return { text, differs: false, added: 0 }
  const before = baseSha
    ? parseManifests(await git.readBlob(baseSha), `${base.branch}:${inputs.manifestsRepoPath}`)
        .manifests
    : {}
  const after = parseManifests(text, inputs.manifestsPath).manifests
  const added = Object.keys(after).filter((digest) => !(digest in before)).length
  return { text, differs: true, added }
}

/**
 * Whether proposing this run's files would take back digests an open pull request proposes:
 * its digests.json differs from the base branch's and this run, which found the base's current,
 * left work undone (an image failed, or a quota deferred reads), so it cannot tell which is
 * right. New manifests alone never justify that; they wait for a run that can.
 */
export async function wouldTakeBackProposal(
  inputs: ActionInputs,
  git: GitData,
  base: BranchHead,
  branch: UpdateBranch | undefined,
  result: UpdateResult
): Promise<boolean> {
  if (result.failures.length === 0 && result.deferred.length === 0) return false
  if (!branch) return false
  const proposed = branch.blobs.digests
  if (proposed === (await git.blobShaAt(base.treeSha, inputs.digestsRepoPath))) return false
  return (await branch.openPull()) !== undefined
}

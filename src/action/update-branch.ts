// The update branch as this run found it. Its head is read once, before anything is taken from
// it, and every judgement made on it (whose state to adopt, which manifests to take, what an open
// pull request proposes, whether the branch is obsolete) is made on that one commit, pinned by
// SHA: a push that lands while the run resolves cannot have the run take one commit's files on
// another commit's verdict. Writing is different: commitToBranch reads the head afresh, so what a
// push left there is replaced, never kept because an older snapshot looked current.
// The branch's open pull request is looked up once too, on first use, and every step of the
// proposal decides on that one answer.
import type { ActionInputs } from './inputs.js'
import type { GitHubApi } from './github/api.js'
import type { BranchHead, GitData } from './github/git-data.js'
import { branchTrust, type BranchTrust } from './branch-trust.js'
import { PullRequests, type PullRequest } from './github/pull-request.js'

/** The files the action writes to its branch, by role. */
export type BranchFile = 'digests' | 'state' | 'manifests'

/** Where in the repository each file the action commits to its branch lives. */
function branchFiles(inputs: ActionInputs): Array<[BranchFile, string]> {
  return [
    ['digests', inputs.digestsRepoPath],
    ['state', inputs.stateRepoPath],
    ...(inputs.manifests ? [['manifests', inputs.manifestsRepoPath] as [BranchFile, string]] : [])
  ]
}

/** The paths in the repository the action commits to its branch, and nothing else. */
function writtenPaths(inputs: ActionInputs): string[] {
  return branchFiles(inputs).map(([, path]) => path)
}

export interface UpdateBranch {
  head: BranchHead
  /** Blob SHAs of the action's files at `head`; undefined where the commit has no such file. */
  blobs: Partial<Record<BranchFile, string>>
  /** A file's text at `head`, read from GitHub on first use only; undefined when it is missing. */
  text(file: BranchFile): Promise<string | undefined>
  /**
   * Whether every commit up to `head` since the base branch is the action's own. Asked of GitHub
   * on first use only, and always about `head`, so what is read from `blobs` is what was judged.
   */
  trust(): Promise<BranchTrust>
  /**
   * The open pull request from the branch into the base, asked of GitHub on first use only.
   * That is after the update, so the answer is as fresh as the proposal that acts on it.
   */
  openPull(): Promise<PullRequest | undefined>
}

/** The branch's head and the action's files in it; undefined when the branch does not exist. */
export async function readUpdateBranch(
  inputs: ActionInputs,
  github: GitHubApi,
  git: GitData
): Promise<UpdateBranch | undefined> {
  const head = await git.branchHead(inputs.branch)
  if (!head) return undefined
  const blobs: UpdateBranch['blobs'] = {}
  for (const [file, path] of branchFiles(inputs)) {
    const sha = await git.blobShaAt(head.treeSha, path)
    if (sha) blobs[file] = sha
  }
  const texts = new Map<BranchFile, Promise<string>>()
  const base = async () => inputs.base ?? (await github.defaultBranch())
  let open: Promise<PullRequest | undefined> | undefined
  let trusted: Promise<BranchTrust> | undefined
  return {
    head,
    blobs,
    text(file) {
      const sha = blobs[file]
      if (!sha) return Promise.resolve(undefined)
      const text = texts.get(file) ?? git.readBlob(sha)
      texts.set(file, text)
      return text
    },
    trust() {
      trusted ??= base().then((name) =>
        branchTrust({
          github,
          base: name,
          branch: inputs.branch,
          headSha: head.sha,
          files: writtenPaths(inputs)
        })
      )
      return trusted
    },
    openPull() {
      open ??= base().then((name) => new PullRequests(github).openPull(inputs.branch, name))
      return open
    }
  }
}

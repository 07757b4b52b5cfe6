// The Git Data API side of the action: read the base branch, and write the update as one
// commit on its own branch (blobs, a tree, a commit, a ref) without a clone.
import { createHash } from 'node:crypto'
import { describe, statusOf, type GitHubApi } from './api.js'
import { redact } from '../secrets.js'

/** One file to commit: its path inside the repository and its full text. */
export interface RepositoryFile {
  path: string
  content: string
}

export interface BranchHead {
  branch: string
  /** Commit SHA the branch points at. */
  sha: string
  treeSha: string
  parents: string[]
}

/** Git's object ID of a blob: what `git hash-object` prints and what trees list. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

interface TreeEntry {
  path?: string
  mode?: string
  type?: string
  sha?: string
}

/**
 * Git's object ID of a tree with these entries, as `git write-tree` computes it: entries sorted
 * by name (a tree's name compared as if it ended in "/"), modes without leading zeros.
 */
function gitTreeSha(
  entries: Array<Required<Pick<TreeEntry, 'path' | 'mode' | 'type' | 'sha'>>>
): string {
  const sortKey = (entry: { path: string; type: string }): string =>
    entry.type === 'tree' ? `${entry.path}/` : entry.path
  const sorted = [...entries].sort((a, b) =>
    sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0
  )
  const body = Buffer.concat(
    sorted.map((entry) =>
      Buffer.concat([
        Buffer.from(`${entry.mode.replace(/^0+/, '')} ${entry.path}\0`, 'utf8'),
        Buffer.from(entry.sha, 'hex')
      ])
    )
  )
  return createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex')
}

export class GitData {
  private readonly trees = new Map<string, TreeEntry[]>()
  private readonly commits = new Map<string, Omit<BranchHead, 'branch' | 'sha'>>()

  constructor(private readonly api: GitHubApi) {}

  /**
   * The branch's head commit, or undefined when the branch does not exist. The ref is read every
   * time (a branch moves); a commit already read is not (a commit never changes).
   */
  async branchHead(branch: string): Promise<BranchHead | undefined> {
    let sha: string
    try {
      const { data } = await this.api.octokit.rest.git.getRef({
        ...this.api.repository,
        ref: `heads/${branch}`
      })
      sha = data.object.sha
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw this.api.error(`read branch ${branch}`, error)
    }
    const known = this.commits.get(sha)
    if (known) return { branch, sha, ...known }
    const { data } = await this.api.call(`read commit ${sha}`, () =>
      this.api.octokit.rest.git.getCommit({ ...this.api.repository, commit_sha: sha })
    )
    const commit = { treeSha: data.tree.sha, parents: data.parents.map((parent) => parent.sha) }
    this.commits.set(sha, commit)
    return { branch, sha, ...commit }
  }

  private async treeEntries(sha: string): Promise<TreeEntry[]> {
    const cached = this.trees.get(sha)
    if (cached) return cached
    const { data } = await this.api.call(`read tree ${sha}`, () =>
      this.api.octokit.rest.git.getTree({ ...this.api.repository, tree_sha: sha })
    )
    this.trees.set(sha, data.tree)
    return data.tree
  }

  /** The blob SHA of `path` in a tree, or undefined when there is no such file. */
  async blobShaAt(treeSha: string, path: string): Promise<string | undefined> {
    const parts = path.split('/')
    let current = treeSha
    for (const [index, part] of parts.entries()) {
      const entry = (await this.treeEntries(current)).find((item) => item.path === part)
      if (!entry?.sha) return undefined
      if (index === parts.length - 1) return entry.type === 'blob' ? entry.sha : undefined
      if (entry.type !== 'tree') return undefined
      current = entry.sha
    }
    return undefined
  }

  async readBlob(sha: string): Promise<string> {
    const { data } = await this.api.call(`read blob ${sha}`, () =>
      this.api.octokit.rest.git.getBlob({ ...this.api.repository, file_sha: sha })
    )
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString(
      'utf8'
    )
  }

  /**
   * The tree SHA that `baseTree` with `files` written over it will have, computed from trees
   * GitHub already holds, so a rerun can tell the branch is current without writing anything.
   */
  async plannedTreeSha(baseTree: string | undefined, files: RepositoryFile[]): Promise<string> {
    const here = new Map<string, string>()
    const below = new Map<string, RepositoryFile[]>()
    for (const file of files) {
      const slash = file.path.indexOf('/')
      if (slash === -1) here.set(file.path, gitBlobSha(file.content))
      else {
        const folder = file.path.slice(0, slash)
        below.set(folder, [
          ...(below.get(folder) ?? []),
          { path: file.path.slice(slash + 1), content: file.content }
        ])
      }
    }
    const existing = baseTree ? await this.treeEntries(baseTree) : []
    const entries = existing
      .filter((entry) => entry.path && !here.has(entry.path) && !below.has(entry.path))
      .map((entry) => ({
        path: entry.path!,
        mode: entry.mode!,
        type: entry.type!,
        sha: entry.sha!
      }))
    for (const [path, sha] of here) entries.push({ path, mode: '100644', type: 'blob', sha })
    for (const [folder, nested] of below) {
      const current = existing.find((entry) => entry.path === folder && entry.type === 'tree')
      const sha = await this.plannedTreeSha(current?.sha, nested)
      entries.push({ path: folder, mode: '40000', type: 'tree', sha })
    }
    return gitTreeSha(entries)
  }

  /** Blobs for `files`, then a tree of `baseTree` with them replaced; returns the tree SHA. */
  private async createTree(baseTree: string, files: RepositoryFile[]): Promise<string> {
    const entries: Array<{ path: string; mode: '100644'; type: 'blob'; sha: string }> = []
    for (const file of files) {
      const { data } = await this.api.call(`create a blob for ${file.path}`, () =>
        this.api.octokit.rest.git.createBlob({
          ...this.api.repository,
          content: Buffer.from(file.content, 'utf8').toString('base64'),
          encoding: 'base64'
        })
      )
      entries.push({
        path: file.path,
        mode: '100644' as const,
        type: 'blob' as const,
        sha: data.sha
      })
    }
    const { data } = await this.api.call('create a tree', () =>
      this.api.octokit.rest.git.createTree({
        ...this.api.repository,
        base_tree: baseTree,
        tree: entries
      })
    )
    return data.sha
  }

  /**
   * Makes `branch` one commit on top of `base` holding `files`. Writes nothing when the branch
   * already is exactly that (a rerun while the pull request waits for review).
   */
  async commitToBranch(options: {
    branch: string
    base: BranchHead
    files: RepositoryFile[]
    message: string
  }): Promise<{ sha: string; pushed: boolean }> {
    const { branch, base, files, message } = options
    const current = await this.branchHead(branch)
    if (
      current &&
      current.parents.length === 1 &&
      current.parents[0] === base.sha &&
      current.treeSha === (await this.plannedTreeSha(base.treeSha, files))
    ) {
      return { sha: current.sha, pushed: false }
    }
    const treeSha = await this.createTree(base.treeSha, files)
    const { data: commit } = await this.api.call('create a commit', () =>
      this.api.octokit.rest.git.createCommit({
        ...this.api.repository,
        message: redact(message),
        tree: treeSha,
        parents: [base.sha]
      })
    )
    if (current) {
      await this.forceBranch(branch, commit.sha)
    } else {
      try {
        await this.api.octokit.rest.git.createRef({
          ...this.api.repository,
          ref: `refs/heads/${branch}`,
          sha: commit.sha
        })
      } catch (error) {
        // 422 "Reference already exists": created since we looked (a concurrent run).
        if (statusOf(error) !== 422) {
          throw this.api.error(`create branch ${branch}`, error)
        }
        await this.forceBranch(branch, commit.sha)
      }
    }
    return { sha: commit.sha, pushed: true }
  }

  /**
   * Deletes the branch; false when it was already gone (GitHub answers 422 "Reference does not
   * exist" for a missing ref, not 404).
   */
  async deleteBranch(branch: string): Promise<boolean> {
    try {
      await this.api.octokit.rest.git.deleteRef({
        ...this.api.repository,
        ref: `heads/${branch}`
      })
      return true
    } catch (error) {
      if (statusOf(error) === 422 && /does not exist/i.test(describe(error))) return false
      throw this.api.error(`delete branch ${branch}`, error)
    }
  }

  private async forceBranch(branch: string, sha: string): Promise<void> {
    await this.api.call(`move branch ${branch}`, () =>
      this.api.octokit.rest.git.updateRef({
        ...this.api.repository,
        ref: `heads/${branch}`,
        sha,
        force: true
      })
    )
  }
}

import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { Octokit } from '@octokit/rest'
import type { MergeMethod } from './inputs.js'

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

export type PullRequestOperation = 'created' | 'updated' | 'none'

export interface PullRequest {
  number: number
  url: string
  nodeId: string
  labels: string[]
  /** True when GitHub auto-merge is already enabled on it. */
  autoMerge: boolean
  operation: PullRequestOperation
}

export type AutoMergeOutcome = { enabled: true } | { enabled: false; reason: string }

export class GitHubError extends Error {
  override name = 'GitHubError'
}

const REQUEST_TIMEOUT_MS = 30_000
const GET_RETRIES = 2
const RETRY_STATUSES = new Set([500, 502, 503, 504])

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

/**
 * fetch with a deadline per attempt; GETs (and only GETs) are retried a bounded number of times
 * on a network error or a 5xx, since repeating them is harmless.
 */
const boundedFetch: typeof fetch = async (input, init) => {
  const method = (init?.method ?? 'GET').toUpperCase()
  const retries = method === 'GET' ? GET_RETRIES : 0
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    try {
      const response = await fetch(input, { ...init, signal })
      if (attempt < retries && RETRY_STATUSES.has(response.status)) {
        await response.body?.cancel()
        await sleep(500 * (attempt + 1))
        continue
      }
      return response
    } catch (error) {
      if (attempt >= retries || init?.signal?.aborted) throw error
      await sleep(500 * (attempt + 1))
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? status : undefined
}

/** The message and the `errors[].message` details of a GitHub error response. */
function describe(error: unknown): string {
  const status = statusOf(error)
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> }
    | undefined
  const details = (data?.errors ?? [])
    .map((item) => item.message ?? [item.field, item.code].filter(Boolean).join(' '))
    .filter((text) => text !== '')
  const message = data?.message ?? (error as Error).message
  return [status ? `${status} ${message}` : message, ...details].join(': ')
}

function hint(error: unknown): string {
  const text = describe(error)
  if (/not permitted to create or approve pull requests/i.test(text)) {
    return ' (allow it under Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests", or pass a personal access token)'
  }
  const status = statusOf(error)
  if (status === 401) return ' (the token is invalid or expired)'
  if (status === 403 || status === 404) {
    return ' (give the job `permissions: contents: write` and `pull-requests: write`, and check the token can reach this repository)'
  }
  return ''
}

/** Every GitHub call the action makes, against the API at `apiUrl` (github.com or GHES). */
export class GitHubHelper {
  private readonly octokit: Octokit
  private readonly trees = new Map<string, TreeEntry[]>()

  constructor(
    token: string,
    apiUrl: string,
    private readonly owner: string,
    private readonly repo: string,
    log: { debug(message: string): void; info(message: string): void }
  ) {
    this.octokit = new Octokit({
      auth: token,
      baseUrl: apiUrl,
      userAgent: 'nix-oci-hashes',
      request: { fetch: boundedFetch },
      // The request log reports every 4xx, expected ones (404 for a new branch) included; the
      // errors that matter are thrown with context instead.
      log: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.debug(message),
        warn: (message: string) => log.info(message),
        error: (message: string) => log.debug(message)
      }
    })
  }

  private get repository(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request()
    } catch (error) {
      throw new GitHubError(
        `GitHub API: ${what} in ${this.owner}/${this.repo}: ${describe(error)}${hint(error)}`
      )
    }
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.call('read the repository', () =>
      this.octokit.rest.repos.get(this.repository)
    )
    return data.default_branch
  }

  /** The branch's head commit, or undefined when the branch does not exist. */
  async branchHead(branch: string): Promise<BranchHead | undefined> {
    let sha: string
    try {
      const { data } = await this.octokit.rest.git.getRef({
        ...this.repository,
        ref: `heads/${branch}`
      })
      sha = data.object.sha
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw new GitHubError(
        `GitHub API: read branch ${branch} in ${this.owner}/${this.repo}: ${describe(error)}${hint(error)}`
      )
    }
    const { data } = await this.call(`read commit ${sha}`, () =>
      this.octokit.rest.git.getCommit({ ...this.repository, commit_sha: sha })
    )
    return {
      branch,
      sha,
      treeSha: data.tree.sha,
      parents: data.parents.map((parent) => parent.sha)
    }
  }

  private async treeEntries(sha: string): Promise<TreeEntry[]> {
    const cached = this.trees.get(sha)
    if (cached) return cached
    const { data } = await this.call(`read tree ${sha}`, () =>
      this.octokit.rest.git.getTree({ ...this.repository, tree_sha: sha })
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
    const { data } = await this.call(`read blob ${sha}`, () =>
      this.octokit.rest.git.getBlob({ ...this.repository, file_sha: sha })
    )
    return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString(
      'utf8'
    )
  }

  /** Blobs for `files`, then a tree of `baseTree` with them replaced; returns the tree SHA. */
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

  private async createTree(baseTree: string, files: RepositoryFile[]): Promise<string> {
    const entries: Array<{ path: string; mode: '100644'; type: 'blob'; sha: string }> = []
    for (const file of files) {
      const { data } = await this.call(`create a blob for ${file.path}`, () =>
        this.octokit.rest.git.createBlob({
          ...this.repository,
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
    const { data } = await this.call('create a tree', () =>
      this.octokit.rest.git.createTree({ ...this.repository, base_tree: baseTree, tree: entries })
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
    const { data: commit } = await this.call('create a commit', () =>
      this.octokit.rest.git.createCommit({
        ...this.repository,
        message,
        tree: treeSha,
        parents: [base.sha]
      })
    )
    if (current) {
      await this.forceBranch(branch, commit.sha)
    } else {
      try {
        await this.octokit.rest.git.createRef({
          ...this.repository,
          ref: `refs/heads/${branch}`,
          sha: commit.sha
        })
      } catch (error) {
        // 422 "Reference already exists": created since we looked (a concurrent run).
        if (statusOf(error) !== 422) {
          throw new GitHubError(
            `GitHub API: create branch ${branch} in ${this.owner}/${this.repo}: ${describe(error)}${hint(error)}`
          )
        }
        await this.forceBranch(branch, commit.sha)
      }
    }
    return { sha: commit.sha, pushed: true }
  }

  private async forceBranch(branch: string, sha: string): Promise<void> {
    await this.call(`move branch ${branch}`, () =>
      this.octokit.rest.git.updateRef({
        ...this.repository,
        ref: `heads/${branch}`,
        sha,
        force: true
      })
    )
  }

  private async findOpenPull(branch: string, base: string) {
    const { data } = await this.call(`list pull requests from ${branch}`, () =>
      this.octokit.rest.pulls.list({
        ...this.repository,
        state: 'open',
        head: `${this.owner}:${branch}`,
        base,
        per_page: 10
      })
    )
    return data[0]
  }

  /**
   * Opens the pull request from `branch` into `base`, or brings the open one's title and body up
   * to date. `operation` is `created`, `updated` when the title or body changed, else `none`.
   */
  async openOrUpdatePull(options: {
    branch: string
    base: string
    title: string
    body: string
  }): Promise<PullRequest> {
    const { branch, base, title, body } = options
    let open = await this.findOpenPull(branch, base)
    if (!open) {
      try {
        const { data } = await this.octokit.rest.pulls.create({
          ...this.repository,
          head: branch,
          base,
          title,
          body,
          maintainer_can_modify: false
        })
        return {
          number: data.number,
          url: data.html_url,
          nodeId: data.node_id,
          labels: data.labels.map((label) => label.name),
          autoMerge: data.auto_merge !== null,
          operation: 'created'
        }
      } catch (error) {
        // 422 "A pull request already exists for owner:branch": opened since we looked.
        if (!(statusOf(error) === 422 && /already exists/i.test(describe(error)))) {
          throw new GitHubError(
            `GitHub API: open a pull request from ${branch} into ${base} in ${this.owner}/${this.repo}: ${describe(error)}${hint(error)}`
          )
        }
        open = await this.findOpenPull(branch, base)
        if (!open) {
          throw new GitHubError(
            `GitHub API: a pull request from ${branch} into ${base} is said to exist, but none is open`
          )
        }
      }
    }
    const existing = open
    const stale = existing.title !== title || (existing.body ?? '') !== body
    if (stale) {
      await this.call(`update pull request #${existing.number}`, () =>
        this.octokit.rest.pulls.update({
          ...this.repository,
          pull_number: existing.number,
          title,
          body
        })
      )
    }
    return {
      number: existing.number,
      url: existing.html_url,
      nodeId: existing.node_id,
      labels: existing.labels.map((label) => label.name ?? '').filter((name) => name !== ''),
      autoMerge: existing.auto_merge !== null,
      operation: stale ? 'updated' : 'none'
    }
  }

  /** Adds the labels the pull request lacks; GitHub creates a label that does not exist yet. */
  async addLabels(pull: PullRequest, labels: string[]): Promise<string[]> {
    const missing = labels.filter((label) => !pull.labels.includes(label))
    if (missing.length === 0) return []
    await this.call(`label pull request #${pull.number}`, () =>
      this.octokit.rest.issues.addLabels({
        ...this.repository,
        issue_number: pull.number,
        labels: missing
      })
    )
    return missing
  }

  /**
   * Turns on GitHub auto-merge (GraphQL; REST has no endpoint for it). A repository that does not
   * allow auto-merge, or a pull request that could be merged at once, is an outcome, not an error.
   */
  async enableAutoMerge(pull: PullRequest, method: MergeMethod): Promise<AutoMergeOutcome> {
    try {
      await this.octokit.graphql(
        `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
          enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
            pullRequest { number }
          }
        }`,
        { pullRequestId: pull.nodeId, mergeMethod: method }
      )
      return { enabled: true }
    } catch (error) {
      const errors = (error as { errors?: Array<{ message?: string }> }).errors
      const reason = errors?.length
        ? errors.map((item) => item.message ?? '').join('; ')
        : describe(error)
      return { enabled: false, reason }
    }
  }
}

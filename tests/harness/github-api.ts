// A loopback GitHub REST (and a sliver of GraphQL) server over an in-memory repository, for
// testing the action end to end: real HTTP, real git object IDs, and the status codes and bodies
// GitHub documents for the endpoints the action calls. Every request is recorded so a test can
// assert exactly what was (or was not) written, and with which credentials.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  /** Path below the API root (the GHES `/api/v3` prefix taken off), percent-decoded. */
  path: string
  query: Record<string, string>
  body: unknown
  authorization: string | undefined
  status: number
}

export interface FakeCommit {
  sha: string
  tree: string
  parents: string[]
  message: string
  author: { name: string; email: string; date: string }
  committer: { name: string; email: string; date: string }
  verified: boolean
  /** The GitHub accounts GitHub matches the author and committer to (null: none). */
  authorLogin: string | null
  committerLogin: string | null
}

/** Who made a seeded commit, as GitHub would show it. */
export interface CommitAuthor {
  name: string
  email: string
  /** The account the author's email belongs to; null when none. */
  login: string | null
  /** The committer's account; the author's when left out. */
  committerLogin?: string | null
  /** Signed by a key GitHub verifies. */
  verified: boolean
}

/** An answer the fake gives instead of handling a request, as GitHub's limits and outages do. */
export interface InjectedFailure {
  method: string
  path: RegExp
  status: number
  message: string
  /** Made when the answer is sent, so a reset time can be relative to it. */
  headers?: () => Record<string, string>
  /** How many matching requests get it; default 1. */
  times?: number
}

export interface FakeLabel {
  id: number
  node_id: string
  name: string
  color: string
  default: boolean
}

export interface FakePull {
  number: number
  node_id: string
  state: 'open' | 'closed'
  merged: boolean
  title: string
  body: string | null
  head: string
  base: string
  labels: string[]
  autoMerge: { mergeMethod: string } | null
  /** Issue comments, oldest first. */
  comments: string[]
}

interface TreeEntry {
  name: string
  mode: string
  type: 'blob' | 'tree'
  sha: string
}

export interface FakeGitHubOptions {
  /** The only token accepted; anything else gets 401 Bad credentials. */
  token: string
  owner?: string
  repo?: string
  defaultBranch?: string
  /** `/api/v3` serves the REST API as GitHub Enterprise Server does, GraphQL at `/api/graphql`. */
  enterprise?: boolean
  allowAutoMerge?: boolean
  /** The token's own account (GraphQL `viewer`), the author of the commits it writes. */
  login?: string
}

export interface FakeGitHub {
  /** What GITHUB_API_URL is set to. */
  readonly apiUrl: string
  readonly owner: string
  readonly repo: string
  requests(): RecordedRequest[]
  /** Every request but GET, HEAD and GraphQL queries (GraphQL mutations included). */
  writes(): RecordedRequest[]
  resetRequests(): void
  /**
   * Seeds a commit of `files` on top of `branch` (created from the default branch if missing),
   * by default as someone pushing with git: unsigned, with no GitHub account.
   */
  commitFiles(
    branch: string,
    files: Record<string, string>,
    message?: string,
    by?: CommitAuthor
  ): string
  /** Answers matching requests with `failure` (after authentication), `times` times. */
  injectFailure(failure: InjectedFailure): void
  branchSha(branch: string): string | undefined
  commit(sha: string): FakeCommit
  /** A file's text at a branch or commit, or undefined. */
  readFile(ref: string, path: string): string | undefined
  /** Every file path and text at a branch or commit. */
  files(ref: string): Record<string, string>
  pulls(): FakePull[]
  /** Squash-merges an open pull request into its base and closes it. */
  mergePull(number: number): void
  setAllowAutoMerge(allowed: boolean): void
  stop(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest'
const MAX_BODY_BYTES = 10 * 1024 * 1024

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>
  ) {
    super(String(body.message))
  }
}

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new HttpError(status, {
    message,
    ...extra,
    documentation_url: DOCS,
    status: String(status)
  })
}

function validationFailed(errors: Array<Record<string, unknown>>): never {
  fail(422, 'Validation Failed', { errors })
}

function gitHash(type: string, content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex')
}

/** Git's tree order: byte order of names, a tree's name compared as if it ended in `/`. */
function sortEntries(entries: TreeEntry[]): TreeEntry[] {
  const key = (entry: TreeEntry): string => (entry.type === 'tree' ? `${entry.name}/` : entry.name)
  return [...entries].sort((a, b) =>
    Buffer.compare(Buffer.from(key(a), 'utf8'), Buffer.from(key(b), 'utf8'))
  )
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const owner = options.owner ?? 'owner'
  const repo = options.repo ?? 'repo'
  const defaultBranch = options.defaultBranch ?? 'main'
  const prefix = options.enterprise ? '/api/v3' : ''
  const graphqlPath = options.enterprise ? '/api/graphql' : '/graphql'
  let allowAutoMerge = options.allowAutoMerge ?? true
  const login = options.login ?? 'github-actions[bot]'
  const failures: Array<InjectedFailure & { left: number }> = []

  const blobs = new Map<string, Buffer>()
  const trees = new Map<string, TreeEntry[]>()
  const commits = new Map<string, FakeCommit>()
  const refs = new Map<string, string>()
  const pulls: FakePull[] = []
  const labelIds = new Map<string, number>()
  const recorded: RecordedRequest[] = []
  let clock = Date.parse('2026-01-01T00:00:00Z')
  let origin = ''

  const putBlob = (content: Buffer): string => {
    const sha = gitHash('blob', content)
    blobs.set(sha, content)
    return sha
  }
  const putTree = (entries: TreeEntry[]): string => {
    const sorted = sortEntries(entries)
    const content = Buffer.concat(
      sorted.flatMap((entry) => [
        Buffer.from(`${entry.type === 'tree' ? '40000' : entry.mode} ${entry.name}\0`, 'utf8'),
        Buffer.from(entry.sha, 'hex')
      ])
    )
    const sha = gitHash('tree', content)
    trees.set(sha, sorted)
    return sha
  }
  const emptyTree = putTree([])
  const putCommit = (
    tree: string,
    parents: string[],
    message: string,
    author?: { name: string; email: string },
    by?: CommitAuthor
  ): FakeCommit => {
    clock += 1000
    const date = new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const who = author ?? { name: login, email: `${login}@example.test` }
    const stamp = `${Math.floor(clock / 1000)} +0000`
    const text =
      `tree ${tree}\n` +
      parents.map((parent) => `parent ${parent}\n`).join('') +
      `author ${who.name} <${who.email}> ${stamp}\ncommitter ${who.name} <${who.email}> ${stamp}\n\n${message}`
    const sha = gitHash('commit', Buffer.from(text, 'utf8'))
    const commit: FakeCommit = {
      sha,
      tree,
      parents,
      message,
      author: { ...who, date },
      committer: { ...who, date },
      // GitHub signs commits it writes itself, i.e. when no author or committer is given, as
      // its own account web-flow, for the token's account.
      verified: by ? by.verified : author === undefined,
      authorLogin: by ? by.login : author === undefined ? login : null,
      committerLogin: by
        ? by.committerLogin !== undefined
          ? by.committerLogin
          : by.login
        : author === undefined
          ? 'web-flow'
          : null
    }
    commits.set(sha, commit)
    return commit
  }

  /** The tree `treeSha` with `path` set to `entry` (or removed when null). */
  const withPath = (
    treeSha: string | undefined,
    parts: string[],
    entry: Omit<TreeEntry, 'name'> | null
  ): string => {
    const entries = [...(treeSha ? (trees.get(treeSha) ?? []) : [])]
    const [name, ...rest] = parts as [string, ...string[]]
    const index = entries.findIndex((item) => item.name === name)
    const existing = index >= 0 ? entries[index] : undefined
    let replacement: TreeEntry | null
    if (rest.length === 0) {
      replacement = entry ? { name, ...entry } : null
    } else {
      const subtree = withPath(existing?.type === 'tree' ? existing.sha : undefined, rest, entry)
      replacement =
        (trees.get(subtree) ?? []).length > 0
          ? { name, mode: '040000', type: 'tree', sha: subtree }
          : null
    }
    if (index >= 0) entries.splice(index, 1)
    if (replacement) entries.push(replacement)
    return putTree(entries)
  }

  const lookup = (treeSha: string, path: string): TreeEntry | undefined => {
    let current: TreeEntry | undefined = { name: '', mode: '040000', type: 'tree', sha: treeSha }
    for (const part of path.split('/')) {
      if (current?.type !== 'tree') return undefined
      current = trees.get(current.sha)?.find((entry) => entry.name === part)
    }
    return current
  }

  const walk = (treeSha: string, base = ''): Array<TreeEntry & { path: string }> =>
    (trees.get(treeSha) ?? []).flatMap((entry) => {
      const path = base ? `${base}/${entry.name}` : entry.name
      return entry.type === 'tree'
        ? [{ ...entry, path }, ...walk(entry.sha, path)]
        : [{ ...entry, path }]
    })

  const commitOf = (ref: string): FakeCommit | undefined => {
    const sha = refs.get(`refs/heads/${ref}`) ?? ref
    return commits.get(sha)
  }

  const isAncestor = (ancestor: string, sha: string): boolean => {
    const queue = [sha]
    const seen = new Set<string>()
    while (queue.length > 0) {
      const next = queue.shift()!
      if (next === ancestor) return true
      if (seen.has(next)) continue
      seen.add(next)
      queue.push(...(commits.get(next)?.parents ?? []))
    }
    return false
  }

  // The initial commit of the default branch.
  refs.set(`refs/heads/${defaultBranch}`, putCommit(emptyTree, [], 'Initial commit').sha)

  // ---- JSON shapes, as GitHub returns them --------------------------------------------------
  const api = (path: string): string => `${origin}${prefix}/repos/${owner}/${repo}${path}`
  const refJson = (ref: string, sha: string) => ({
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: api(`/git/${ref}`),
    object: { sha, type: 'commit', url: api(`/git/commits/${sha}`) }
  })
  const commitJson = (commit: FakeCommit) => ({
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: api(`/git/commits/${commit.sha}`),
    html_url: `${origin}/${owner}/${repo}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: api(`/git/trees/${commit.tree}`) },
    parents: commit.parents.map((sha) => ({
      sha,
      url: api(`/git/commits/${sha}`),
      html_url: `${origin}/${owner}/${repo}/commit/${sha}`
    })),
    verification: commit.verified
      ? {
          verified: true,
          reason: 'valid',
          signature: '-----BEGIN PGP SIGNATURE-----\n…\n-----END PGP SIGNATURE-----',
          payload: 'tree …',
          verified_at: commit.committer.date
        }
      : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
  })
  const treeJson = (sha: string, recursive: boolean) => ({
    sha,
    url: api(`/git/trees/${sha}`),
    tree: (recursive
      ? walk(sha)
      : (trees.get(sha) ?? []).map((entry) => ({ ...entry, path: entry.name }))
    ).map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob' ? { size: blobs.get(entry.sha)?.length ?? 0 } : {}),
      url: api(`/git/${entry.type}s/${entry.sha}`)
    })),
    truncated: false
  })
  const labelJson = (name: string): FakeLabel => {
    if (!labelIds.has(name)) labelIds.set(name, labelIds.size + 1)
    const id = labelIds.get(name)!
    return { id, node_id: `LA_${id}`, name, color: 'ededed', default: false }
  }
  const pullJson = (pull: FakePull) => ({
    url: api(`/pulls/${pull.number}`),
    id: 1000 + pull.number,
    node_id: pull.node_id,
    html_url: `${origin}/${owner}/${repo}/pull/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    user: { login: 'github-actions[bot]', type: 'Bot' },
    labels: pull.labels.map(labelJson),
    draft: false,
    merged: pull.merged,
    auto_merge: pull.autoMerge
      ? {
          enabled_by: { login: 'github-actions[bot]' },
          merge_method: pull.autoMerge.mergeMethod.toLowerCase(),
          commit_title: pull.title,
          commit_message: ''
        }
      : null,
    head: {
      label: `${owner}:${pull.head}`,
      ref: pull.head,
      sha: refs.get(`refs/heads/${pull.head}`) ?? null,
      repo: { full_name: `${owner}/${repo}` }
    },
    base: {
      label: `${owner}:${pull.base}`,
      ref: pull.base,
      sha: refs.get(`refs/heads/${pull.base}`) ?? null,
      repo: { full_name: `${owner}/${repo}` }
    }
  })

  // ---- Routes -------------------------------------------------------------------------------
  type Handler = (
    match: RegExpMatchArray,
    body: Record<string, unknown>,
    query: URLSearchParams
  ) => [number, unknown]
  const routes: Array<[string, RegExp, Handler]> = []
  const route = (method: string, pattern: string, handler: Handler): void => {
    routes.push([method, new RegExp(`^${pattern}$`), handler])
  }
  const repoPath = `/repos/${owner}/${repo}`

  route('GET', repoPath, () => [
    200,
    {
      id: 1,
      node_id: 'R_1',
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { login: owner },
      private: false,
      default_branch: defaultBranch,
      allow_auto_merge: allowAutoMerge,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true
    }
  ])

  route('GET', `${repoPath}/git/ref/(.+)`, (match) => {
    const ref = `refs/${match[1]}`
    const sha = refs.get(ref)
    if (!sha) fail(404, 'Not Found')
    return [200, refJson(ref, sha)]
  })

  route('POST', `${repoPath}/git/refs`, (_, body) => {
    const ref = body.ref
    const sha = body.sha
    if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref)) {
      fail(422, `${String(ref)} is not a valid ref name.`)
    }
    if (typeof sha !== 'string' || !commits.has(sha)) fail(422, 'Object does not exist')
    if (refs.has(ref)) fail(422, 'Reference already exists')
    refs.set(ref, sha)
    return [201, refJson(ref, sha)]
  })

  route('PATCH', `${repoPath}/git/refs/(.+)`, (match, body) => {
    const ref = `refs/${match[1]}`
    const sha = body.sha
    const current = refs.get(ref)
    if (!current) fail(422, 'Reference does not exist')
    if (typeof sha !== 'string' || !commits.has(sha)) fail(422, 'Object does not exist')
    if (body.force !== true && !isAncestor(current, sha)) fail(422, 'Update is not a fast forward')
    refs.set(ref, sha)
    return [200, refJson(ref, sha)]
  })

  // 204 with no body; a missing ref is 422, not 404. Like GitHub, deleting a branch closes the
  // open pull requests from it.
  route('DELETE', `${repoPath}/git/refs/(.+)`, (match) => {
    const ref = `refs/${match[1]}`
    if (!refs.has(ref)) fail(422, 'Reference does not exist')
    refs.delete(ref)
    for (const pull of pulls) {
      if (pull.state === 'open' && `refs/heads/${pull.head}` === ref) pull.state = 'closed'
    }
    return [204, undefined]
  })

  const ancestors = (sha: string): string[] => {
    const order: string[] = []
    const seen = new Set<string>()
    const queue = [sha]
    while (queue.length > 0) {
      const next = queue.shift()!
      if (seen.has(next)) continue
      seen.add(next)
      order.push(next)
      queue.push(...(commits.get(next)?.parents ?? []))
    }
    return order
  }
  const blobPaths = (treeSha: string): Map<string, string> =>
    new Map(
      walk(treeSha)
        .filter((entry) => entry.type === 'blob')
        .map((entry) => [entry.path, entry.sha])
    )
  // The Commits API's shape: git's commit under `commit`, GitHub's accounts beside it.
  const account = (name: string | null) =>
    name === null ? null : { login: name, type: name.endsWith('[bot]') ? 'Bot' : 'User' }
  const repoCommitJson = (commit: FakeCommit) => {
    const git = commitJson(commit)
    return {
      sha: commit.sha,
      node_id: git.node_id,
      url: api(`/commits/${commit.sha}`),
      html_url: git.html_url,
      commit: {
        author: git.author,
        committer: git.committer,
        message: git.message,
        tree: git.tree,
        comment_count: 0,
        verification: git.verification
      },
      author: account(commit.authorLogin),
      committer: account(commit.committerLogin),
      parents: git.parents
    }
  }

  // Three-dot comparison: the commits and the file changes on `head` since its merge base with
  // `base`, oldest commit first.
  route('GET', `${repoPath}/compare/(.+?)\\.\\.\\.(.+)`, (match) => {
    const base = commitOf(match[1]!)
    const head = commitOf(match[2]!)
    if (!base || !head) fail(404, 'Not Found')
    const fromBase = new Set(ancestors(base.sha))
    const fromHead = ancestors(head.sha)
    const mergeBase = fromHead.find((sha) => fromBase.has(sha))
    if (!mergeBase) fail(404, `No common ancestor between ${match[1]} and ${match[2]}.`)
    const ahead = fromHead.filter((sha) => !fromBase.has(sha)).reverse()
    const headSet = new Set(fromHead)
    const behind = [...fromBase].filter((sha) => !headSet.has(sha)).length
    const before = blobPaths(commits.get(mergeBase)!.tree)
    const after = blobPaths(head.tree)
    const files = [...new Set([...before.keys(), ...after.keys()])]
      .sort()
      .filter((path) => before.get(path) !== after.get(path))
      .map((path) => ({
        sha: after.get(path) ?? before.get(path),
        filename: path,
        status: !before.has(path) ? 'added' : !after.has(path) ? 'removed' : 'modified',
        additions: 0,
        deletions: 0,
        changes: 0
      }))
    return [
      200,
      {
        url: api(`/compare/${match[1]}...${match[2]}`),
        status:
          ahead.length > 0 && behind > 0
            ? 'diverged'
            : ahead.length > 0
              ? 'ahead'
              : behind > 0
                ? 'behind'
                : 'identical',
        ahead_by: ahead.length,
        behind_by: behind,
        total_commits: ahead.length,
        base_commit: repoCommitJson(base),
        merge_base_commit: repoCommitJson(commits.get(mergeBase)!),
        commits: ahead.map((sha) => repoCommitJson(commits.get(sha)!)),
        files
      }
    ]
  })

  route('GET', `${repoPath}/git/commits/([0-9a-f]{40})`, (match) => {
    const commit = commits.get(match[1]!)
    if (!commit) fail(404, 'Not Found')
    return [200, commitJson(commit)]
  })

  route('POST', `${repoPath}/git/commits`, (_, body) => {
    const {
      message,
      tree,
      parents = [],
      author,
      committer
    } = body as {
      message?: unknown
      tree?: unknown
      parents?: unknown
      author?: { name: string; email: string }
      committer?: { name: string; email: string }
    }
    if (typeof message !== 'string' || typeof tree !== 'string' || !Array.isArray(parents)) {
      fail(422, 'Invalid request.\n\n"message" and "tree" are required.')
    }
    if (!trees.has(tree)) fail(422, 'Tree SHA does not exist')
    for (const parent of parents) {
      if (typeof parent !== 'string' || !commits.has(parent)) {
        fail(422, 'Parent SHA does not exist or is not a commit object')
      }
    }
    return [201, commitJson(putCommit(tree, parents as string[], message, committer ?? author))]
  })

  route('GET', `${repoPath}/git/trees/([0-9a-f]{40})`, (match, _, query) => {
    if (!trees.has(match[1]!)) fail(404, 'Not Found')
    return [200, treeJson(match[1]!, query.has('recursive'))]
  })

  route('POST', `${repoPath}/git/trees`, (_, body) => {
    const baseTree = body.base_tree
    const entries = body.tree
    if (!Array.isArray(entries)) fail(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
    if (baseTree !== undefined && (typeof baseTree !== 'string' || !trees.has(baseTree))) {
      fail(422, 'base_tree is not a valid tree oid')
    }
    let sha = (baseTree as string | undefined) ?? emptyTree
    for (const item of entries as Array<Record<string, unknown>>) {
      const { path, mode, type } = item
      if (typeof path !== 'string' || path === '' || path.startsWith('/')) {
        fail(422, 'tree.path is invalid')
      }
      if (mode !== '100644' && mode !== '100755' && mode !== '040000' && mode !== '120000') {
        fail(422, 'tree.mode is invalid')
      }
      let blobSha: string | null
      if (typeof item.content === 'string') blobSha = putBlob(Buffer.from(item.content, 'utf8'))
      else if (item.sha === null) blobSha = null
      else if (typeof item.sha === 'string' && blobs.has(item.sha)) blobSha = item.sha
      else fail(422, `tree.sha ${String(item.sha)} is not a valid blob`)
      sha = withPath(
        sha,
        path.split('/'),
        blobSha === null ? null : { mode, type: (type as 'blob') ?? 'blob', sha: blobSha }
      )
    }
    return [201, treeJson(sha, false)]
  })

  route('GET', `${repoPath}/git/blobs/([0-9a-f]{40})`, (match) => {
    const blob = blobs.get(match[1]!)
    if (!blob) fail(404, 'Not Found')
    return [
      200,
      {
        sha: match[1],
        node_id: `B_${match[1]}`,
        size: blob.length,
        url: api(`/git/blobs/${match[1]}`),
        // GitHub wraps base64 at 60 characters.
        content: (blob.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
        encoding: 'base64'
      }
    ]
  })

  route('POST', `${repoPath}/git/blobs`, (_, body) => {
    if (typeof body.content !== 'string')
      fail(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
    const encoding = body.encoding ?? 'utf-8'
    if (encoding !== 'utf-8' && encoding !== 'base64') {
      fail(422, `encoding must be utf-8 or base64`)
    }
    const sha = putBlob(Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8'))
    return [201, { url: api(`/git/blobs/${sha}`), sha }]
  })

  route('GET', `${repoPath}/contents/(.+)`, (match, _, query) => {
    const commit = commitOf(query.get('ref') ?? defaultBranch)
    const entry = commit ? lookup(commit.tree, match[1]!) : undefined
    if (!entry || entry.type !== 'blob') fail(404, 'Not Found')
    const blob = blobs.get(entry.sha)!
    return [
      200,
      {
        type: 'file',
        encoding: 'base64',
        size: blob.length,
        name: entry.name,
        path: match[1],
        content: (blob.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
        sha: entry.sha
      }
    ]
  })

  route('GET', `${repoPath}/pulls`, (_, __, query) => {
    const state = query.get('state') ?? 'open'
    const head = query.get('head')
    const base = query.get('base')
    const found = pulls.filter(
      (pull) =>
        (state === 'all' || pull.state === state) &&
        (!head || `${owner}:${pull.head}` === head) &&
        (!base || pull.base === base)
    )
    return [200, found.map(pullJson)]
  })

  route('POST', `${repoPath}/pulls`, (_, body) => {
    const { title, head, base } = body as Record<string, unknown>
    if (typeof title !== 'string' || typeof head !== 'string' || typeof base !== 'string') {
      validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }])
    }
    const branch = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head
    const headSha = refs.get(`refs/heads/${branch}`)
    const baseSha = refs.get(`refs/heads/${base}`)
    if (!headSha) validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
    if (!baseSha) validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
    if (pulls.some((pull) => pull.state === 'open' && pull.head === branch && pull.base === base)) {
      validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${owner}:${branch}.`
        }
      ])
    }
    if (isAncestor(headSha, baseSha)) {
      validationFailed([
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${branch}`
        }
      ])
    }
    const number = pulls.length + 1
    const pull: FakePull = {
      number,
      node_id: `PR_kwDO${number}`,
      state: 'open',
      merged: false,
      title,
      body: typeof body.body === 'string' ? body.body : null,
      head: branch,
      base,
      labels: [],
      autoMerge: null,
      comments: []
    }
    pulls.push(pull)
    return [201, pullJson(pull)]
  })

  route('GET', `${repoPath}/pulls/(\\d+)`, (match) => {
    const pull = pulls.find((item) => item.number === Number(match[1]))
    if (!pull) fail(404, 'Not Found')
    return [200, pullJson(pull)]
  })

  route('PATCH', `${repoPath}/pulls/(\\d+)`, (match, body) => {
    const pull = pulls.find((item) => item.number === Number(match[1]))
    if (!pull) fail(404, 'Not Found')
    if (typeof body.title === 'string') pull.title = body.title
    if (typeof body.body === 'string') pull.body = body.body
    if (body.state === 'closed' || body.state === 'open') pull.state = body.state
    return [200, pullJson(pull)]
  })

  route('POST', `${repoPath}/issues/(\\d+)/labels`, (match, body) => {
    const pull = pulls.find((item) => item.number === Number(match[1]))
    if (!pull) fail(404, 'Not Found')
    const labels = body.labels
    if (!Array.isArray(labels) || labels.some((label) => typeof label !== 'string')) {
      validationFailed([{ resource: 'Label', code: 'invalid', field: 'labels' }])
    }
    for (const label of labels as string[])
      if (!pull.labels.includes(label)) pull.labels.push(label)
    return [200, pull.labels.map(labelJson)]
  })

  route('POST', `${repoPath}/issues/(\\d+)/comments`, (match, body) => {
    const pull = pulls.find((item) => item.number === Number(match[1]))
    if (!pull) fail(404, 'Not Found')
    if (typeof body.body !== 'string' || body.body === '') {
      validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }])
    }
    pull.comments.push(body.body)
    const id = 5000 + pull.comments.length + pull.number * 100
    const at = new Date(clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return [
      201,
      {
        id,
        node_id: `IC_${id}`,
        url: api(`/issues/comments/${id}`),
        html_url: `${origin}/${owner}/${repo}/pull/${pull.number}#issuecomment-${id}`,
        issue_url: api(`/issues/${pull.number}`),
        body: body.body,
        user: { login: 'github-actions[bot]', type: 'Bot' },
        created_at: at,
        updated_at: at,
        author_association: 'NONE'
      }
    ]
  })

  const graphql = (body: Record<string, unknown>): [number, unknown] => {
    const query = typeof body.query === 'string' ? body.query : ''
    const variables = (body.variables ?? {}) as Record<string, unknown>
    if (/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) {
      return [200, { data: { viewer: { login } } }]
    }
    if (!/enablePullRequestAutoMerge/.test(query)) {
      return [
        200,
        {
          errors: [
            { message: 'this fake only knows viewer { login } and enablePullRequestAutoMerge' }
          ]
        }
      ]
    }
    const pull = pulls.find((item) => item.node_id === variables.pullRequestId)
    const error = (message: string): [number, unknown] => [
      200,
      {
        data: { enablePullRequestAutoMerge: null },
        errors: [
          {
            type: 'UNPROCESSABLE',
            path: ['enablePullRequestAutoMerge'],
            locations: [{ line: 2, column: 3 }],
            message
          }
        ]
      }
    ]
    if (!pull) {
      return [
        200,
        {
          data: { enablePullRequestAutoMerge: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['enablePullRequestAutoMerge'],
              message: `Could not resolve to a node with the global id of '${String(variables.pullRequestId)}'`
            }
          ]
        }
      ]
    }
    if (!allowAutoMerge) return error('Pull request Auto merge is not allowed for this repository')
    if (pull.state !== 'open')
      return error('Pull request is not in the correct state to enable auto-merge')
    const method = String(variables.mergeMethod ?? 'MERGE')
    if (!['MERGE', 'SQUASH', 'REBASE'].includes(method)) {
      return [
        200,
        {
          errors: [
            {
              message: `Variable $mergeMethod of type PullRequestMergeMethod was provided invalid value`
            }
          ]
        }
      ]
    }
    pull.autoMerge = { mergeMethod: method }
    return [
      200,
      {
        data: {
          enablePullRequestAutoMerge: {
            pullRequest: { number: pull.number, autoMergeRequest: { mergeMethod: method } }
          }
        }
      }
    ]
  }

  // ---- Server -------------------------------------------------------------------------------
  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_BODY_BYTES) fail(413, 'Payload too large')
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorization: req.headers.authorization,
      status: 0
    }
    recorded.push(record)
    let status: number
    let payload: unknown
    let extraHeaders: Record<string, string> = {}
    try {
      const raw = await readBody(req)
      let body: Record<string, unknown> = {}
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
        } catch {
          fail(400, 'Problems parsing JSON')
        }
      }
      record.body = raw.length > 0 ? body : undefined
      const auth = req.headers.authorization ?? ''
      if (
        auth !== `token ${options.token}` &&
        auth !== `bearer ${options.token}` &&
        auth !== `Bearer ${options.token}`
      ) {
        fail(401, 'Bad credentials')
      }
      const target = url.pathname === graphqlPath ? '/graphql' : url.pathname.slice(prefix.length)
      const injected = failures.find(
        (failure) =>
          failure.left > 0 && failure.method === record.method && failure.path.test(target)
      )
      if (injected) {
        injected.left--
        extraHeaders = injected.headers?.() ?? {}
        fail(injected.status, injected.message)
      }
      if (url.pathname === graphqlPath && record.method === 'POST') {
        record.path = '/graphql'
        ;[status, payload] = graphql(body)
      } else {
        if (!url.pathname.startsWith(`${prefix}/`)) fail(404, 'Not Found')
        const path = decodeURIComponent(url.pathname.slice(prefix.length))
        record.path = path
        const found = routes
          .filter(([method]) => method === record.method)
          .map(([, pattern, handler]) => [path.match(pattern), handler] as const)
          .find(([match]) => match !== null)
        if (!found) fail(404, 'Not Found')
        ;[status, payload] = found[1](found[0]!, body, url.searchParams)
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status
        payload = error.body
      } else {
        status = 500
        payload = { message: `fake GitHub: ${(error as Error).message}` }
      }
    }
    record.status = status
    const text = status === 204 ? '' : JSON.stringify(payload)
    res.writeHead(status, {
      // GitHub's 204 has no body and so no content type.
      ...(status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(text),
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      ...extraHeaders
    })
    res.end(text)
  }

  const server = createServer((req, res) => {
    void handle(req, res)
  })
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    apiUrl: `${origin}${prefix}`,
    owner,
    repo,
    requests: () => recorded.map((request) => ({ ...request })),
    writes: () =>
      recorded.filter(
        (request) =>
          !['GET', 'HEAD'].includes(request.method) &&
          // A GraphQL query reads; only a mutation writes.
          !(
            request.path === '/graphql' &&
            !/^\s*mutation\b/.test(String((request.body as { query?: unknown })?.query ?? ''))
          )
      ),
    resetRequests: () => {
      recorded.length = 0
    },
    commitFiles(branch, files, message = 'Seed', by) {
      const ref = `refs/heads/${branch}`
      const parent = refs.get(ref) ?? refs.get(`refs/heads/${defaultBranch}`)!
      let tree = commits.get(parent)!.tree
      for (const [path, content] of Object.entries(files)) {
        const sha = putBlob(Buffer.from(content, 'utf8'))
        tree = withPath(tree, path.split('/'), { mode: '100644', type: 'blob', sha })
      }
      const author = by ?? {
        name: 'Seed',
        email: 'seed@example.test',
        login: null,
        verified: false
      }
      const commit = putCommit(tree, [parent], message, author, author)
      refs.set(ref, commit.sha)
      return commit.sha
    },
    injectFailure(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 })
    },
    branchSha: (branch) => refs.get(`refs/heads/${branch}`),
    commit(sha) {
      const commit = commits.get(sha)
      if (!commit) throw new Error(`fake GitHub: no commit ${sha}`)
      return commit
    },
    readFile(ref, path) {
      const commit = commitOf(ref)
      const entry = commit ? lookup(commit.tree, path) : undefined
      return entry?.type === 'blob' ? blobs.get(entry.sha)!.toString('utf8') : undefined
    },
    files(ref) {
      const commit = commitOf(ref)
      if (!commit) throw new Error(`fake GitHub: no branch or commit ${ref}`)
      return Object.fromEntries(
        walk(commit.tree)
          .filter((entry) => entry.type === 'blob')
          .map((entry) => [entry.path, blobs.get(entry.sha)!.toString('utf8')])
      )
    },
    pulls: () =>
      pulls.map((pull) => ({ ...pull, labels: [...pull.labels], comments: [...pull.comments] })),

    mergePull(number) {
      const pull = pulls.find((item) => item.number === number && item.state === 'open')
      if (!pull) throw new Error(`fake GitHub: no open pull request #${number}`)
      const head = commits.get(refs.get(`refs/heads/${pull.head}`)!)!
      const base = refs.get(`refs/heads/${pull.base}`)!
      refs.set(
        `refs/heads/${pull.base}`,
        putCommit(head.tree, [base], `${pull.title} (#${number})`).sha
      )
      pull.state = 'closed'
      pull.merged = true
    },
    setAllowAutoMerge(allowed) {
      allowAutoMerge = allowed
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

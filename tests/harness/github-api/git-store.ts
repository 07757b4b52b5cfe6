// The in-memory repository: git objects addressed by their real git object IDs, so a sha the
// action computes or compares is the one git itself would give, and branch refs over them.
import { createHash } from 'node:crypto'
import type { CommitAuthor, FakeCommit, TreeEntry } from './types.js'

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

/** GitHub's timestamps: ISO 8601 to the second. */
function isoSeconds(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>()
  readonly trees = new Map<string, TreeEntry[]>()
  readonly commits = new Map<string, FakeCommit>()
  readonly refs = new Map<string, string>()
  readonly emptyTree: string
  // A fixed clock that ticks a second per commit keeps every commit sha the same run to run.
  private clock = Date.parse('2026-01-01T00:00:00Z')

  /** `login` is the token's account: the author of commits written through the API. */
  constructor(private readonly login: string) {
    this.emptyTree = this.putTree([])
  }

  /** The clock's current time, as GitHub stamps a comment. */
  now(): string {
    return isoSeconds(this.clock)
  }

  putBlob(content: Buffer): string {
    const sha = gitHash('blob', content)
    this.blobs.set(sha, content)
    return sha
  }

  putTree(entries: TreeEntry[]): string {
    const sorted = sortEntries(entries)
    const content = Buffer.concat(
      sorted.flatMap((entry) => [
        Buffer.from(`${entry.type === 'tree' ? '40000' : entry.mode} ${entry.name}\0`, 'utf8'),
        Buffer.from(entry.sha, 'hex')
      ])
    )
    const sha = gitHash('tree', content)
    this.trees.set(sha, sorted)
    return sha
  }

  putCommit(
    tree: string,
    parents: string[],
    message: string,
    author?: { name: string; email: string },
    by?: CommitAuthor
  ): FakeCommit {
    this.clock += 1000
    const date = isoSeconds(this.clock)
    const login = this.login
    const who = author ?? { name: login, email: `${login}@example.test` }
    const stamp = `${Math.floor(this.clock / 1000)} +0000`
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
    this.commits.set(sha, commit)
    return commit
  }

  /** The tree `treeSha` with `path` set to `entry` (or removed when null). */
  withPath(
    treeSha: string | undefined,
    parts: string[],
    entry: Omit<TreeEntry, 'name'> | null
  ): string {
    const entries = [...(treeSha ? (this.trees.get(treeSha) ?? []) : [])]
    const [name, ...rest] = parts as [string, ...string[]]
    const index = entries.findIndex((item) => item.name === name)
    const existing = index >= 0 ? entries[index] : undefined
    let replacement: TreeEntry | null
    if (rest.length === 0) {
      replacement = entry ? { name, ...entry } : null
    } else {
      const subtree = this.withPath(
        existing?.type === 'tree' ? existing.sha : undefined,
        rest,
        entry
      )
      replacement =
        (this.trees.get(subtree) ?? []).length > 0
          ? { name, mode: '040000', type: 'tree', sha: subtree }
          : null
    }
    if (index >= 0) entries.splice(index, 1)
    if (replacement) entries.push(replacement)
    return this.putTree(entries)
  }

  lookup(treeSha: string, path: string): TreeEntry | undefined {
    let current: TreeEntry | undefined = { name: '', mode: '040000', type: 'tree', sha: treeSha }
    for (const part of path.split('/')) {
      if (current?.type !== 'tree') return undefined
      current = this.trees.get(current.sha)?.find((entry) => entry.name === part)
    }
    return current
  }

  walk(treeSha: string, base = ''): Array<TreeEntry & { path: string }> {
    return (this.trees.get(treeSha) ?? []).flatMap((entry) => {
      const path = base ? `${base}/${entry.name}` : entry.name
      return entry.type === 'tree'
        ? [{ ...entry, path }, ...this.walk(entry.sha, path)]
        : [{ ...entry, path }]
    })
  }

  /** Every blob below a tree, by path. */
  blobPaths(treeSha: string): Map<string, string> {
    return new Map(
      this.walk(treeSha)
        .filter((entry) => entry.type === 'blob')
        .map((entry) => [entry.path, entry.sha])
    )
  }

  /** The commit a branch name or a commit sha names. */
  commitOf(ref: string): FakeCommit | undefined {
    const sha = this.refs.get(`refs/heads/${ref}`) ?? ref
    return this.commits.get(sha)
  }

  isAncestor(ancestor: string, sha: string): boolean {
    return this.ancestors(sha).includes(ancestor)
  }

  /** A commit and its ancestors, breadth first, each once. */
  ancestors(sha: string): string[] {
    const order: string[] = []
    const seen = new Set<string>()
    const queue = [sha]
    while (queue.length > 0) {
      const next = queue.shift()!
      if (seen.has(next)) continue
      seen.add(next)
      order.push(next)
      queue.push(...(this.commits.get(next)?.parents ?? []))
    }
    return order
  }
}

// The stand-in's public shapes: what a test seeds, injects and reads back.

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

/** One entry of a git tree object. */
export interface TreeEntry {
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
  /**
   * Runs `then` once, right after the stand-in has answered the next request matching `method`
   * and `path` (below the API root, percent-decoded) and before the client can send another: a
   * push that races the run, landing between two of its requests.
   */
  afterAnswer(method: string, path: RegExp, then: () => void): void
  branchSha(branch: string): string | undefined
  commit(sha: string): FakeCommit
  /** A file's text at a branch or commit, or undefined. */
  readFile(ref: string, path: string): string | undefined
  /** Every file path and text at a branch or commit. */
  files(ref: string): Record<string, string>
  pulls(): FakePull[]
  /**
   * Opens a pull request from `head` into `base` as a person would (or another run), refused as
   * POST /pulls refuses it; its number.
   */
  openPull(head: string, base: string, title: string, body?: string): number
  /** Squash-merges an open pull request into its base and closes it. */
  mergePull(number: number): void
  setAllowAutoMerge(allowed: boolean): void
  stop(): Promise<void>
}

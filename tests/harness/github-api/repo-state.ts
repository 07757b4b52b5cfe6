// What every endpoint module shares: the repository's identity and settings, its git objects,
// its pull requests, and how its URLs are spelled.
import { GitStore } from './git-store.js'
import type { FakeGitHubOptions, FakePull } from './types.js'

export interface RepoState {
  readonly owner: string
  readonly repo: string
  readonly defaultBranch: string
  /** The token's own account. */
  readonly login: string
  /** The REST API's root below the origin: empty, or `/api/v3` for GitHub Enterprise Server. */
  readonly prefix: string
  /** `/repos/{owner}/{repo}`, the root of every repository route. */
  readonly repoPath: string
  allowAutoMerge: boolean
  /** `http://127.0.0.1:{port}`, known once the server listens. */
  origin: string
  readonly store: GitStore
  readonly pulls: FakePull[]
  /** Label ids in order of first use, as GitHub numbers them. */
  readonly labelIds: Map<string, number>
}

export function createRepoState(options: FakeGitHubOptions): RepoState {
  const owner = options.owner ?? 'owner'
  const repo = options.repo ?? 'repo'
  const defaultBranch = options.defaultBranch ?? 'main'
  const login = options.login ?? 'github-actions[bot]'
  const store = new GitStore(login)
  // The initial commit of the default branch.
  store.refs.set(
    `refs/heads/${defaultBranch}`,
    store.putCommit(store.emptyTree, [], 'Initial commit').sha
  )
  return {
    owner,
    repo,
    defaultBranch,
    login,
    prefix: options.enterprise ? '/api/v3' : '',
    repoPath: `/repos/${owner}/${repo}`,
    allowAutoMerge: options.allowAutoMerge ?? true,
    origin: '',
    store,
    pulls: [],
    labelIds: new Map()
  }
}

/** The API URL of a path below the repository, as GitHub puts in `url` fields. */
export function apiUrl(state: RepoState, path: string): string {
  return `${state.origin}${state.prefix}${state.repoPath}${path}`
}

/** The web URL of a path below the repository, as GitHub puts in `html_url` fields. */
export function htmlUrl(state: RepoState, path: string): string {
  return `${state.origin}/${state.owner}/${state.repo}${path}`
}

export function findPull(state: RepoState, number: number): FakePull | undefined {
  return state.pulls.find((item) => item.number === number)
}

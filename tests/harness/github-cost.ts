// What a run asked of the GitHub stand-in, counted by what each request was for, so a test can
// pin the action's GitHub cost per run from the stand-in's own request log and say where every
// request went (docs/action.md gives the same figures).
import type { FakeGitHub, RecordedRequest } from './github-api/index.js'

export interface GitHubCost {
  /** GET of the update branch's ref (a 404 while the branch does not exist counts too). */
  branchRef?: number
  /** GET of the base branch's ref. */
  baseRef?: number
  commit?: number
  tree?: number
  blob?: number
  /** The trust check's comparison of the update branch with the base. */
  compare?: number
  /** The GraphQL query for the token's own account. */
  viewer?: number
  /** The repository, for its default branch. */
  repository?: number
  /** Listing the update branch's open pull requests. */
  pulls?: number
  /** Everything else: the writes (blobs, tree, commit, ref, pull request, labels, auto-merge). */
  writes?: number
  total: number
}

/**
 * What a run on an existing update branch reads whatever else it does: the branch's head once
 * (ref, commit, tree) and its trust check once (the token's account, one comparison with the
 * base); right before writing, the branch's ref again (its commit, when the ref has not moved,
 * is not read again); the base's ref, commit and tree; the repository, for its default branch.
 * A run that gets nothing to write reads the branch's ref once: override `branchRef`.
 */
export const BRANCH_READ_ONCE = {
  branchRef: 2,
  commit: 2,
  tree: 2,
  viewer: 1,
  compare: 1,
  repository: 1,
  baseRef: 1
} as const

function kindOf(request: RecordedRequest, fake: FakeGitHub, branch: string): keyof GitHubCost {
  const repo = `/repos/${fake.owner}/${fake.repo}`
  const { method, path } = request
  if (method === 'POST' && path === '/graphql') {
    const query = String((request.body as { query?: unknown } | undefined)?.query ?? '')
    return /^\s*mutation\b/.test(query) ? 'writes' : 'viewer'
  }
  if (method !== 'GET') return 'writes'
  if (path === `${repo}/git/ref/heads/${branch}`) return 'branchRef'
  if (path.startsWith(`${repo}/git/ref/heads/`)) return 'baseRef'
  if (path.startsWith(`${repo}/git/commits/`)) return 'commit'
  if (path.startsWith(`${repo}/git/trees/`)) return 'tree'
  if (path.startsWith(`${repo}/git/blobs/`)) return 'blob'
  if (path.startsWith(`${repo}/compare/`)) return 'compare'
  if (path === repo) return 'repository'
  if (path === `${repo}/pulls`) return 'pulls'
  throw new Error(`github-cost: no kind for GET ${path}; name it here`)
}

/** The requests the stand-in logged since its last reset, by kind, and their total. */
export function githubCost(fake: FakeGitHub, branch: string): GitHubCost {
  const requests = fake.requests()
  const cost: GitHubCost = { total: requests.length }
  for (const request of requests) {
    const kind = kindOf(request, fake, branch)
    cost[kind] = (cost[kind] ?? 0) + 1
  }
  return cost
}

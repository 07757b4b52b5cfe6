// Whether what is on the update branch is the action's own. Anyone who may push to the
// repository may push to that branch, and whatever the action adopts from it (its state file)
// goes back out in the action's next commit, which GitHub shows as Verified. So before adopting
// anything, every commit the branch has beyond the base branch must be one this action could
// have written through the Git Data API with the same token.
import type { GitHubApi } from './github/api.js'

export type BranchTrust = { trusted: true } | { trusted: false; reason: string }

/** The account GitHub names as committer of what it signs for others (API and web commits). */
const GITHUB_SIGNER = 'web-flow'
/** More commits than the action ever leaves on its branch: not worth paging through. */
const MAX_COMMITS = 100

interface ComparedCommit {
  sha: string
  commit: { verification?: { verified: boolean; reason: string } | null }
  author: { login?: string } | null
  committer: { login?: string } | null
  parents: unknown[]
}

/**
 * Why one commit cannot be the action's, or undefined when it can: GitHub verified its
 * signature, its author is the token's own account, and its committer that account or GitHub
 * itself. GitHub signs a commit it creates only when the request names no author or committer,
 * and a signature of one's own key verifies only for one's own committer address, so no one
 * else can make a commit that passes.
 */
function distrust(commit: ComparedCommit, identity: string): string | undefined {
  const short = commit.sha.slice(0, 12)
  const author = commit.author?.login
  const committer = commit.committer?.login
  if (commit.parents.length !== 1) return `commit ${short} is a merge`
  const verification = commit.commit.verification
  if (!verification?.verified) {
    return `commit ${short} is not verified by GitHub (${verification?.reason ?? 'unsigned'})`
  }
  if (author !== identity) {
    return `commit ${short} is by ${author ?? 'an author with no GitHub account'}, not ${identity}`
  }
  if (committer !== identity && committer !== GITHUB_SIGNER) {
    return `commit ${short} was committed by ${committer ?? 'someone with no GitHub account'}`
  }
  return undefined
}

export interface TrustQuestion {
  github: GitHubApi
  base: string
  branch: string
  headSha: string
  /** Paths in the repository the action writes to its branch. */
  files: readonly string[]
}

/**
 * Whether every commit on `headSha` since it left `base` was written by this action's token,
 * and together they change nothing but `files`. One request to the Commits API's three-dot
 * comparison, plus one (once per run) for the token's own account.
 */
export async function branchTrust(question: TrustQuestion): Promise<BranchTrust> {
  const { github, base, branch, headSha, files } = question
  let identity: string
  try {
    identity = await github.login()
  } catch (error) {
    return { trusted: false, reason: (error as Error).message }
  }
  let data
  try {
    ;({ data } = await github.octokit.rest.repos.compareCommitsWithBasehead({
      ...github.repository,
      basehead: `${base}...${headSha}`,
      per_page: MAX_COMMITS
    }))
  } catch (error) {
    if ((error as { status?: unknown }).status === 404) {
      return { trusted: false, reason: `${branch} shares no history with ${base}` }
    }
    throw github.error(`compare ${branch} with ${base}`, error)
  }
  if (data.commits.length === 0) return { trusted: true }
  if (data.total_commits > data.commits.length) {
    return {
      trusted: false,
      reason: `${branch} has ${data.total_commits} commits beyond ${base}; the action writes one`
    }
  }
  for (const commit of data.commits) {
    const reason = distrust(commit, identity)
    if (reason) return { trusted: false, reason }
  }
  const allowed = new Set(files)
  const foreign = (data.files ?? [])
    .flatMap((file) => [file.filename, file.previous_filename ?? file.filename])
    .filter((path) => !allowed.has(path))
  if (foreign.length > 0) {
    return {
      trusted: false,
      reason: `${branch} changes ${[...new Set(foreign)].join(', ')}, which the action never writes`
    }
  }
  return { trusted: true }
}

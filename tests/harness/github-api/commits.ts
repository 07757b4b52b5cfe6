// Commits as GitHub shows them: the Git Data shape with its signature verification, the Commits
// API shape with the matched accounts beside it, and the three-dot comparison the action reads
// to decide whether a branch holds only its own commits.
import { fail } from './http-error.js'
import { apiUrl, htmlUrl, type RepoState } from './repo-state.js'
import type { Route } from './server.js'
import type { FakeCommit } from './types.js'

function verificationJson(commit: FakeCommit) {
  return commit.verified
    ? {
        verified: true,
        reason: 'valid',
        signature: '-----BEGIN PGP SIGNATURE-----\n…\n-----END PGP SIGNATURE-----',
        payload: 'tree …',
        verified_at: commit.committer.date
      }
    : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
}

/** The Git Data API's commit. */
export function commitJson(state: RepoState, commit: FakeCommit) {
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: apiUrl(state, `/git/commits/${commit.sha}`),
    html_url: htmlUrl(state, `/commit/${commit.sha}`),
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: apiUrl(state, `/git/trees/${commit.tree}`) },
    parents: commit.parents.map((sha) => ({
      sha,
      url: apiUrl(state, `/git/commits/${sha}`),
      html_url: htmlUrl(state, `/commit/${sha}`)
    })),
    verification: verificationJson(commit)
  }
}

const account = (name: string | null) =>
  name === null ? null : { login: name, type: name.endsWith('[bot]') ? 'Bot' : 'User' }

/** The Commits API's shape: git's commit under `commit`, GitHub's accounts beside it. */
function repoCommitJson(state: RepoState, commit: FakeCommit) {
  const git = commitJson(state, commit)
  return {
    sha: commit.sha,
    node_id: git.node_id,
    url: apiUrl(state, `/commits/${commit.sha}`),
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

function compareStatus(ahead: number, behind: number): string {
  if (ahead > 0 && behind > 0) return 'diverged'
  if (ahead > 0) return 'ahead'
  return behind > 0 ? 'behind' : 'identical'
}

export function commitRoutes(route: Route, state: RepoState): void {
  const { store } = state

  // Three-dot comparison: the commits and the file changes on `head` since its merge base with
  // `base`, oldest commit first.
  route('GET', `${state.repoPath}/compare/(.+?)\\.\\.\\.(.+)`, (match) => {
    const base = store.commitOf(match[1]!)
    const head = store.commitOf(match[2]!)
    if (!base || !head) fail(404, 'Not Found')
    const fromBase = new Set(store.ancestors(base.sha))
    const fromHead = store.ancestors(head.sha)
    const mergeBase = fromHead.find((sha) => fromBase.has(sha))
    if (!mergeBase) fail(404, `No common ancestor between ${match[1]} and ${match[2]}.`)
    const ahead = fromHead.filter((sha) => !fromBase.has(sha)).reverse()
    const headSet = new Set(fromHead)
    const behind = [...fromBase].filter((sha) => !headSet.has(sha)).length
    const before = store.blobPaths(store.commits.get(mergeBase)!.tree)
    const after = store.blobPaths(head.tree)
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
        url: apiUrl(state, `/compare/${match[1]}...${match[2]}`),
        status: compareStatus(ahead.length, behind),
        ahead_by: ahead.length,
        behind_by: behind,
        total_commits: ahead.length,
        base_commit: repoCommitJson(state, base),
        merge_base_commit: repoCommitJson(state, store.commits.get(mergeBase)!),
        commits: ahead.map((sha) => repoCommitJson(state, store.commits.get(sha)!)),
        files
      }
    ]
  })
}

// Pull requests, their labels and comments (GitHub serves the last two as issue endpoints), and
// the repository settings that decide how a pull request may merge. Creating a pull request is
// refused as GitHub refuses it: a duplicate for the same head and base, or one with no commits.
import { fail, validationFailed } from './http-error.js'
import { apiUrl, findPull, htmlUrl, type RepoState } from './repo-state.js'
import type { Route } from './server.js'
import type { FakeLabel, FakePull } from './types.js'

const BOT = { login: 'github-actions[bot]', type: 'Bot' }

export function pullRoutes(route: Route, state: RepoState): void {
  const { owner, repo, repoPath, store } = state
  const labelJson = (name: string): FakeLabel => {
    if (!state.labelIds.has(name)) state.labelIds.set(name, state.labelIds.size + 1)
    const id = state.labelIds.get(name)!
    return { id, node_id: `LA_${id}`, name, color: 'ededed', default: false }
  }
  const branchJson = (branch: string) => ({
    label: `${owner}:${branch}`,
    ref: branch,
    sha: store.refs.get(`refs/heads/${branch}`) ?? null,
    repo: { full_name: `${owner}/${repo}` }
  })
  const pullJson = (pull: FakePull) => ({
    url: apiUrl(state, `/pulls/${pull.number}`),
    id: 1000 + pull.number,
    node_id: pull.node_id,
    html_url: htmlUrl(state, `/pull/${pull.number}`),
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    user: BOT,
    labels: pull.labels.map(labelJson),
    draft: false,
    merged: pull.merged,
    auto_merge: pull.autoMerge
      ? {
          enabled_by: { login: BOT.login },
          merge_method: pull.autoMerge.mergeMethod.toLowerCase(),
          commit_title: pull.title,
          commit_message: ''
        }
      : null,
    head: branchJson(pull.head),
    base: branchJson(pull.base)
  })
  const existingPull = (number: string | undefined): FakePull => {
    const pull = findPull(state, Number(number))
    if (!pull) fail(404, 'Not Found')
    return pull
  }

  route('GET', repoPath, () => [
    200,
    {
      id: 1,
      node_id: 'R_1',
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: { login: owner },
      private: false,
      default_branch: state.defaultBranch,
      allow_auto_merge: state.allowAutoMerge,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true
    }
  ])

  route('GET', `${repoPath}/pulls`, (_, __, query) => {
    const wanted = query.get('state') ?? 'open'
    const head = query.get('head')
    const base = query.get('base')
    const found = state.pulls.filter(
      (pull) =>
        (wanted === 'all' || pull.state === wanted) &&
        (!head || `${owner}:${pull.head}` === head) &&
        (!base || pull.base === base)
    )
    return [200, found.map(pullJson)]
  })

  route('POST', `${repoPath}/pulls`, (_, body) => [
    201,
    pullJson(openPull(state, body as Record<string, unknown>))
  ])

  route('GET', `${repoPath}/pulls/(\\d+)`, (match) => [200, pullJson(existingPull(match[1]))])

  route('PATCH', `${repoPath}/pulls/(\\d+)`, (match, body) => {
    const pull = existingPull(match[1])
    if (typeof body.title === 'string') pull.title = body.title
    if (typeof body.body === 'string') pull.body = body.body
    if (body.state === 'closed' || body.state === 'open') pull.state = body.state
    return [200, pullJson(pull)]
  })

  route('POST', `${repoPath}/issues/(\\d+)/labels`, (match, body) => {
    const pull = existingPull(match[1])
    const labels = body.labels
    if (!Array.isArray(labels) || labels.some((label) => typeof label !== 'string')) {
      validationFailed([{ resource: 'Label', code: 'invalid', field: 'labels' }])
    }
    for (const label of labels as string[]) {
      if (!pull.labels.includes(label)) pull.labels.push(label)
    }
    return [200, pull.labels.map(labelJson)]
  })

  route('POST', `${repoPath}/issues/(\\d+)/comments`, (match, body) => {
    const pull = existingPull(match[1])
    if (typeof body.body !== 'string' || body.body === '') {
      validationFailed([{ resource: 'IssueComment', code: 'missing_field', field: 'body' }])
    }
    pull.comments.push(body.body)
    const id = 5000 + pull.comments.length + pull.number * 100
    const at = store.now()
    return [
      201,
      {
        id,
        node_id: `IC_${id}`,
        url: apiUrl(state, `/issues/comments/${id}`),
        html_url: htmlUrl(state, `/pull/${pull.number}#issuecomment-${id}`),
        issue_url: apiUrl(state, `/issues/${pull.number}`),
        body: body.body,
        user: BOT,
        created_at: at,
        updated_at: at,
        author_association: 'NONE'
      }
    ]
  })
}

/**
 * Opens a pull request from the fields of a POST /pulls body (`head` may be `owner:branch`),
 * refused as GitHub refuses it: a missing field or branch, a duplicate for the same head and
 * base, or one with no commits. The route and a test opening one by hand both come here.
 */
export function openPull(state: RepoState, body: Record<string, unknown>): FakePull {
  const { owner, store } = state
  const { title, head, base } = body
  if (typeof title !== 'string' || typeof head !== 'string' || typeof base !== 'string') {
    validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }])
  }
  const branch = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head
  const headSha = store.refs.get(`refs/heads/${branch}`)
  const baseSha = store.refs.get(`refs/heads/${base}`)
  if (!headSha) validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
  if (!baseSha) validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
  const refused = (message: string): never =>
    validationFailed([{ resource: 'PullRequest', code: 'custom', message }])
  if (
    state.pulls.some((pull) => pull.state === 'open' && pull.head === branch && pull.base === base)
  ) {
    refused(`A pull request already exists for ${owner}:${branch}.`)
  }
  if (store.isAncestor(headSha, baseSha)) refused(`No commits between ${base} and ${branch}`)
  const number = state.pulls.length + 1
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
  state.pulls.push(pull)
  return pull
}

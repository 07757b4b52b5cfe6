// The sliver of GraphQL the action uses: `viewer { login }` and enabling auto-merge on a pull
// request. GraphQL reports failures as `errors` in a 200 answer, and so does this.
import type { RepoState } from './repo-state.js'

type Answer = [number, unknown]

const MERGE_METHODS = ['MERGE', 'SQUASH', 'REBASE']

function errorsOnly(message: string): Answer {
  return [200, { errors: [{ message }] }]
}

function autoMergeError(error: Record<string, unknown>): Answer {
  return [200, { data: { enablePullRequestAutoMerge: null }, errors: [error] }]
}

export function answerGraphql(state: RepoState, body: Record<string, unknown>): Answer {
  const query = typeof body.query === 'string' ? body.query : ''
  const variables = (body.variables ?? {}) as Record<string, unknown>
  if (/^\s*(query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query)) {
    return [200, { data: { viewer: { login: state.login } } }]
  }
  if (!/enablePullRequestAutoMerge/.test(query)) {
    return errorsOnly('this fake only knows viewer { login } and enablePullRequestAutoMerge')
  }
  const pull = state.pulls.find((item) => item.node_id === variables.pullRequestId)
  const refused = (message: string): Answer =>
    autoMergeError({
      type: 'UNPROCESSABLE',
      path: ['enablePullRequestAutoMerge'],
      locations: [{ line: 2, column: 3 }],
      message
    })
  if (!pull) {
    return autoMergeError({
      type: 'NOT_FOUND',
      path: ['enablePullRequestAutoMerge'],
      message: `Could not resolve to a node with the global id of '${String(variables.pullRequestId)}'`
    })
  }
  if (!state.allowAutoMerge) {
    return refused('Pull request Auto merge is not allowed for this repository')
  }
  if (pull.state !== 'open') {
    return refused('Pull request is not in the correct state to enable auto-merge')
  }
  const method = String(variables.mergeMethod ?? 'MERGE')
  if (!MERGE_METHODS.includes(method)) {
    return errorsOnly(
      `Variable $mergeMethod of type PullRequestMergeMethod was provided invalid value`
    )
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

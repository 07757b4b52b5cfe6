// A loopback GitHub REST (and a sliver of GraphQL) server over an in-memory repository, for
// testing the action end to end: real HTTP, real git object IDs, and the status codes and bodies
// GitHub documents for the endpoints the action calls. Every request is recorded so a test can
// assert exactly what was (or was not) written, and with which credentials.
import { commitRoutes } from './commits.js'
import { gitDataRoutes } from './git-data.js'
import { answerGraphql } from './graphql.js'
import { InjectedFailures } from './injected-failures.js'
import { openPull, pullRoutes } from './pulls.js'
import { RecordedRequests } from './recorded-requests.js'
import { createRepoState } from './repo-state.js'
import { listen, Router } from './server.js'
import type { FakeGitHub, FakeGitHubOptions } from './types.js'

export type {
  CommitAuthor,
  FakeCommit,
  FakeGitHub,
  FakeGitHubOptions,
  FakeLabel,
  FakePull,
  InjectedFailure,
  RecordedRequest
} from './types.js'

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const state = createRepoState(options)
  const { store, owner, repo, defaultBranch } = state
  const router = new Router()
  pullRoutes(router.route, state)
  gitDataRoutes(router.route, state)
  commitRoutes(router.route, state)
  const recorded = new RecordedRequests()
  const failures = new InjectedFailures()
  const races: Array<{ method: string; path: RegExp; then: () => void }> = []
  const server = await listen({
    token: options.token,
    prefix: state.prefix,
    graphqlPath: options.enterprise ? '/api/graphql' : '/graphql',
    router,
    graphql: (body) => answerGraphql(state, body),
    recorded,
    failures,
    answered(method, path) {
      const index = races.findIndex((race) => race.method === method && race.path.test(path))
      if (index !== -1) races.splice(index, 1)[0]!.then()
    }
  })
  state.origin = server.origin

  return {
    apiUrl: `${state.origin}${state.prefix}`,
    owner,
    repo,
    requests: () => recorded.all(),
    writes: () => recorded.writes(),
    resetRequests: () => recorded.reset(),
    commitFiles(branch, files, message = 'Seed', by) {
      const ref = `refs/heads/${branch}`
      const parent = store.refs.get(ref) ?? store.refs.get(`refs/heads/${defaultBranch}`)!
      let tree = store.commits.get(parent)!.tree
      for (const [path, content] of Object.entries(files)) {
        const sha = store.putBlob(Buffer.from(content, 'utf8'))
        tree = store.withPath(tree, path.split('/'), { mode: '100644', type: 'blob', sha })
      }
      const author = by ?? {
        name: 'Seed',
        email: 'seed@example.test',
        login: null,
        verified: false
      }
      const commit = store.putCommit(tree, [parent], message, author, author)
      store.refs.set(ref, commit.sha)
      return commit.sha
    },
    injectFailure: (failure) => failures.add(failure),
    afterAnswer: (method, path, then) => races.push({ method, path, then }),
    branchSha: (branch) => store.refs.get(`refs/heads/${branch}`),
    commit(sha) {
      const commit = store.commits.get(sha)
      if (!commit) throw new Error(`fake GitHub: no commit ${sha}`)
      return commit
    },
    readFile(ref, path) {
      const commit = store.commitOf(ref)
      const entry = commit ? store.lookup(commit.tree, path) : undefined
      return entry?.type === 'blob' ? store.blobs.get(entry.sha)!.toString('utf8') : undefined
    },
    files(ref) {
      const commit = store.commitOf(ref)
      if (!commit) throw new Error(`fake GitHub: no branch or commit ${ref}`)
      return Object.fromEntries(
        [...store.blobPaths(commit.tree)].map(([path, sha]) => [
          path,
          store.blobs.get(sha)!.toString('utf8')
        ])
      )
    },
    pulls: () =>
      state.pulls.map((pull) => ({
        ...pull,
        labels: [...pull.labels],
        comments: [...pull.comments]
      })),
    openPull: (head, base, title, body) => openPull(state, { head, base, title, body }).number,
    mergePull(number) {
      const pull = state.pulls.find((item) => item.number === number && item.state === 'open')
      if (!pull) throw new Error(`fake GitHub: no open pull request #${number}`)
      const head = store.commits.get(store.refs.get(`refs/heads/${pull.head}`)!)!
      const base = store.refs.get(`refs/heads/${pull.base}`)!
      const merged = store.putCommit(head.tree, [base], `${pull.title} (#${number})`)
      store.refs.set(`refs/heads/${pull.base}`, merged.sha)
      pull.state = 'closed'
      pull.merged = true
    },
    setAllowAutoMerge(allowed) {
      state.allowAutoMerge = allowed
    },
    stop: () => server.stop()
  }
}

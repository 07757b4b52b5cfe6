// The Git Data API (refs, commits, trees, blobs) and the Contents API over the in-memory
// repository, with the status codes GitHub documents: a bad object is 422, not 404; a ref update
// that is not a fast forward is refused unless forced.
import { commitJson } from './commits.js'
import { fail } from './http-error.js'
import { apiUrl, type RepoState } from './repo-state.js'
import type { Route } from './server.js'

/** A blob's content as GitHub sends it: base64 wrapped at 60 characters. */
function wrappedBase64(blob: Buffer): string {
  return (blob.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n'
}

const TREE_MODES = ['100644', '100755', '040000', '120000']

export function gitDataRoutes(route: Route, state: RepoState): void {
  const { store, repoPath } = state
  const api = (path: string): string => apiUrl(state, path)
  const refJson = (ref: string, sha: string) => ({
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: api(`/git/${ref}`),
    object: { sha, type: 'commit', url: api(`/git/commits/${sha}`) }
  })
  const treeJson = (sha: string, recursive: boolean) => ({
    sha,
    url: api(`/git/trees/${sha}`),
    tree: (recursive
      ? store.walk(sha)
      : (store.trees.get(sha) ?? []).map((entry) => ({ ...entry, path: entry.name }))
    ).map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.type === 'blob' ? { size: store.blobs.get(entry.sha)?.length ?? 0 } : {}),
      url: api(`/git/${entry.type}s/${entry.sha}`)
    })),
    truncated: false
  })

  route('GET', `${repoPath}/git/ref/(.+)`, (match) => {
    const ref = `refs/${match[1]}`
    const sha = store.refs.get(ref)
    if (!sha) fail(404, 'Not Found')
    return [200, refJson(ref, sha)]
  })

  route('POST', `${repoPath}/git/refs`, (_, body) => {
    const ref = body.ref
    const sha = body.sha
    if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref)) {
      fail(422, `${String(ref)} is not a valid ref name.`)
    }
    if (typeof sha !== 'string' || !store.commits.has(sha)) fail(422, 'Object does not exist')
    if (store.refs.has(ref)) fail(422, 'Reference already exists')
    store.refs.set(ref, sha)
    return [201, refJson(ref, sha)]
  })

  route('PATCH', `${repoPath}/git/refs/(.+)`, (match, body) => {
    const ref = `refs/${match[1]}`
    const sha = body.sha
    const current = store.refs.get(ref)
    if (!current) fail(422, 'Reference does not exist')
    if (typeof sha !== 'string' || !store.commits.has(sha)) fail(422, 'Object does not exist')
    if (body.force !== true && !store.isAncestor(current, sha)) {
      fail(422, 'Update is not a fast forward')
    }
    store.refs.set(ref, sha)
    return [200, refJson(ref, sha)]
  })

  // 204 with no body; a missing ref is 422, not 404. Like GitHub, deleting a branch closes the
  // open pull requests from it.
  route('DELETE', `${repoPath}/git/refs/(.+)`, (match) => {
    const ref = `refs/${match[1]}`
    if (!store.refs.has(ref)) fail(422, 'Reference does not exist')
    store.refs.delete(ref)
    for (const pull of state.pulls) {
      if (pull.state === 'open' && `refs/heads/${pull.head}` === ref) pull.state = 'closed'
    }
    return [204, undefined]
  })

  route('GET', `${repoPath}/git/commits/([0-9a-f]{40})`, (match) => {
    const commit = store.commits.get(match[1]!)
    if (!commit) fail(404, 'Not Found')
    return [200, commitJson(state, commit)]
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
    if (!store.trees.has(tree)) fail(422, 'Tree SHA does not exist')
    for (const parent of parents) {
      if (typeof parent !== 'string' || !store.commits.has(parent)) {
        fail(422, 'Parent SHA does not exist or is not a commit object')
      }
    }
    const commit = store.putCommit(tree, parents as string[], message, committer ?? author)
    return [201, commitJson(state, commit)]
  })

  route('GET', `${repoPath}/git/trees/([0-9a-f]{40})`, (match, _, query) => {
    if (!store.trees.has(match[1]!)) fail(404, 'Not Found')
    return [200, treeJson(match[1]!, query.has('recursive'))]
  })

  route('POST', `${repoPath}/git/trees`, (_, body) => {
    const baseTree = body.base_tree
    const entries = body.tree
    if (!Array.isArray(entries)) fail(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
    if (baseTree !== undefined && (typeof baseTree !== 'string' || !store.trees.has(baseTree))) {
      fail(422, 'base_tree is not a valid tree oid')
    }
    let sha = (baseTree as string | undefined) ?? store.emptyTree
    for (const item of entries as Array<Record<string, unknown>>) {
      const { path, mode, type } = item
      if (typeof path !== 'string' || path === '' || path.startsWith('/')) {
        fail(422, 'tree.path is invalid')
      }
      if (typeof mode !== 'string' || !TREE_MODES.includes(mode)) fail(422, 'tree.mode is invalid')
      let blobSha: string | null
      if (typeof item.content === 'string') {
        blobSha = store.putBlob(Buffer.from(item.content, 'utf8'))
      } else if (item.sha === null) blobSha = null
      else if (typeof item.sha === 'string' && store.blobs.has(item.sha)) blobSha = item.sha
      else fail(422, `tree.sha ${String(item.sha)} is not a valid blob`)
      sha = store.withPath(
        sha,
        path.split('/'),
        blobSha === null ? null : { mode, type: (type as 'blob') ?? 'blob', sha: blobSha }
      )
    }
    return [201, treeJson(sha, false)]
  })

  route('GET', `${repoPath}/git/blobs/([0-9a-f]{40})`, (match) => {
    const blob = store.blobs.get(match[1]!)
    if (!blob) fail(404, 'Not Found')
    return [
      200,
      {
        sha: match[1],
        node_id: `B_${match[1]}`,
        size: blob.length,
        url: api(`/git/blobs/${match[1]}`),
        content: wrappedBase64(blob),
        encoding: 'base64'
      }
    ]
  })

  route('POST', `${repoPath}/git/blobs`, (_, body) => {
    if (typeof body.content !== 'string') {
      fail(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
    }
    const encoding = body.encoding ?? 'utf-8'
    if (encoding !== 'utf-8' && encoding !== 'base64') {
      fail(422, `encoding must be utf-8 or base64`)
    }
    const sha = store.putBlob(Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8'))
    return [201, { url: api(`/git/blobs/${sha}`), sha }]
  })

  route('GET', `${repoPath}/contents/(.+)`, (match, _, query) => {
    const commit = store.commitOf(query.get('ref') ?? state.defaultBranch)
    const entry = commit ? store.lookup(commit.tree, match[1]!) : undefined
    if (!entry || entry.type !== 'blob') fail(404, 'Not Found')
    const blob = store.blobs.get(entry.sha)!
    return [
      200,
      {
        type: 'file',
        encoding: 'base64',
        size: blob.length,
        name: entry.name,
        path: match[1],
        content: wrappedBase64(blob),
        sha: entry.sha
      }
    ]
  })
}

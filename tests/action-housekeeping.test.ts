// The action's housekeeping, run from dist/index.js against the loopback GitHub API and the real
// registry: a pull request whose change reached the base branch by other means (or that
// upstream took back) is closed with a comment, and its branch deleted unless its state file
// still saves pulls.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import {
  BRANCH,
  WITHOUT_MANIFESTS,
  scheduledRun as runScheduled,
  testSecrets
} from './harness/action-runner.js'
import { BRANCH_READ_ONCE, githubCost } from './harness/github-cost.js'
import type { Digests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()

let registry: TestRegistry
const scratch = mkdtempSync(join(tmpdir(), 'action-housekeeping-'))

const imagesJson = (): string =>
  JSON.stringify([{ image: `${registry.host}/team/web`, tracks: ['major'] }])

/** A scheduled run of this suite's repository and registry. */
const scheduledRun = (fake: FakeGitHub, inputs: Record<string, string> = {}, code = 0) =>
  runScheduled(
    registry,
    {
      fake,
      scratch,
      token: TOKEN,
      registryPassword: REGISTRY_PASSWORD,
      inputs: { ...WITHOUT_MANIFESTS, ...inputs }
    },
    code
  )

/** What the action wrote, as `METHOD path` in order. */
const writes = (fake: FakeGitHub): string[] =>
  fake.writes().map((request) => `${request.method} ${request.path}`)

async function openPullRequest(fake: FakeGitHub): Promise<void> {
  const response = await fetch(`${fake.apiUrl}/repos/${fake.owner}/${fake.repo}/pulls`, {
    method: 'POST',
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Update container image digests', head: BRANCH, base: 'main' })
  })
  expect(response.status).toBe(201)
}

/** A repository whose main has images.json and an empty digests.json, as a new user starts. */
async function freshRepository(): Promise<FakeGitHub> {
  const github = await startFakeGitHub({ token: TOKEN })
  github.commitFiles('main', { 'images.json': imagesJson(), 'digests.json': '{}\n' })
  return github
}

beforeAll(async () => {
  registry = await startRegistry()
  for (const version of ['1.0.0', '2.0.0']) {
    await pushIndex(registry, 'team/web', version, [AMD64, ARM64], { salt: version })
  }
}, 180_000)

afterAll(async () => {
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe('the loopback GitHub API, as GitHub documents the endpoints housekeeping uses', () => {
  let github: FakeGitHub
  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN })
    github.commitFiles(BRANCH, { 'a.txt': 'a\n' })
    await openPullRequest(github)
  })
  afterAll(async () => github?.stop())

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${github.apiUrl}/repos/${github.owner}/${github.repo}${path}`, {
      method,
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })

  test('a comment is 201 with the comment; one without a body is 422', async () => {
    const created = await call('POST', '/issues/1/comments', { body: 'why' })
    expect(created.status).toBe(201)
    expect(await created.json()).toMatchObject({
      body: 'why',
      html_url: expect.stringMatching(/\/pull\/1#issuecomment-\d+$/)
    })
    expect((await call('POST', '/issues/1/comments', {})).status).toBe(422)
    expect((await call('POST', '/issues/9/comments', { body: 'x' })).status).toBe(404)
    expect(github.pulls()[0]!.comments).toEqual(['why'])
  })

  test('deleting a branch is 204 with no body and closes its pull request; again, 422', async () => {
    const deleted = await call('DELETE', `/git/refs/heads/${BRANCH}`)
    expect(deleted.status).toBe(204)
    expect(await deleted.text()).toBe('')
    expect(github.branchSha(BRANCH)).toBeUndefined()
    expect(github.pulls()[0]!.state).toBe('closed')
    const again = await call('DELETE', `/git/refs/heads/${BRANCH}`)
    expect(again.status).toBe(422)
    expect(await again.json()).toMatchObject({ message: 'Reference does not exist' })
  })
})

describe('a pull request merged by hand', () => {
  let github: FakeGitHub
  beforeAll(async () => (github = await freshRepository()))
  afterAll(async () => github?.stop())

  test('is closed with a comment and its branch deleted when main has its files', async () => {
    const { run: opened } = await scheduledRun(github)
    expect(opened.outputs['pull-request-operation']).toBe('created')
    // Someone copies the branch's files onto main by hand; the pull request stays open.
    github.commitFiles('main', {
      'digests.json': github.readFile(BRANCH, 'digests.json')!,
      'digests.state.json': github.readFile(BRANCH, 'digests.state.json')!
    })

    const { run, reads } = await scheduledRun(github)
    expect(reads.getManifests).toBe(0)
    expect(writes(github)).toEqual([
      `POST /repos/owner/repo/issues/1/comments`,
      `PATCH /repos/owner/repo/pulls/1`,
      `DELETE /repos/owner/repo/git/refs/heads/${BRANCH}`
    ])
    const [pull] = github.pulls()
    expect(pull!.state).toBe('closed')
    expect(pull!.merged).toBe(false)
    expect(pull!.comments).toHaveLength(1)
    expect(pull!.comments[0]).toContain(
      '`digests.json` on `main` already holds everything this pull request proposes'
    )
    expect(pull!.comments[0]).toContain(`The branch \`${BRANCH}\` is deleted`)
    expect(github.branchSha(BRANCH)).toBeUndefined()
    expect(run.outputs).toMatchObject({
      changed: 'false',
      'pull-request-number': '1',
      'pull-request-operation': 'closed'
    })
    expect(run.summary).toContain(`and deleted \`${BRANCH}\``)
  })

  test('the next run writes nothing', async () => {
    const { run } = await scheduledRun(github)
    expect(github.writes()).toEqual([])
    expect(run.outputs['pull-request-operation']).toBe('none')
  })
})

describe('a pull request whose digests reached main without its state', () => {
  let github: FakeGitHub
  beforeAll(async () => (github = await freshRepository()))
  afterAll(async () => github?.stop())

  test('is closed, and the branch kept for the manifests its state saves', async () => {
    await scheduledRun(github)
    const state = github.readFile(BRANCH, 'digests.state.json')!
    github.commitFiles('main', { 'digests.json': github.readFile(BRANCH, 'digests.json')! })
    const mainSha = github.branchSha('main')!
    const bodyBefore = github.pulls()[0]!.body

    const { run, reads } = await scheduledRun(github)
    // The branch's state was merged first: nothing is read again.
    expect(reads.getManifests).toBe(0)
    const [pull] = github.pulls()
    expect(pull!.state).toBe('closed')
    expect(pull!.comments[0]).toContain(
      `The branch \`${BRANCH}\` is kept without a pull request: its \`digests.state.json\` ` +
        'holds 2 manifest digests the base branch lacks'
    )
    expect(run.outputs['pull-request-operation']).toBe('closed')
    // A state-only branch: one commit on main, main's files and the state.
    expect(github.commit(github.branchSha(BRANCH)!).parents).toEqual([mainSha])
    expect(github.files(BRANCH)).toEqual({ ...github.files('main'), 'digests.state.json': state })
    expect(writes(github).filter((write) => write.startsWith('DELETE'))).toEqual([])
    // The pull request the run found open is closed, and not written to again while the state
    // goes to the branch: the close (PATCH) after its comment is all it gets.
    expect(writes(github).filter((write) => /\/(pulls|issues)\//.test(write))).toEqual([
      'POST /repos/owner/repo/issues/1/comments',
      'PATCH /repos/owner/repo/pulls/1'
    ])
    expect(github.pulls()[0]!.body).toBe(bodyBefore)
    expect(run.summary).toContain(`\`${BRANCH}\` is kept for the manifests`)
  })

  test('once main has the state too, the branch is deleted with no pull request involved', async () => {
    github.commitFiles('main', {
      'digests.state.json': github.readFile(BRANCH, 'digests.state.json')!
    })
    const { run } = await scheduledRun(github)
    expect(writes(github)).toEqual([`DELETE /repos/owner/repo/git/refs/heads/${BRANCH}`])
    expect(github.branchSha(BRANCH)).toBeUndefined()
    expect(run.outputs['pull-request-operation']).toBe('none')
    expect(run.summary).toContain(`Deleted \`${BRANCH}\``)
  })
})

describe('a pull request upstream took back', () => {
  let github: FakeGitHub
  let current: { digests: string; state: string }
  beforeAll(async () => {
    // main holds what the registry serves now, digests and state, as a merged run leaves it.
    const seeding = await freshRepository()
    const { run } = await scheduledRun(seeding)
    current = {
      digests: readFileSync(join(run.workspace, 'digests.json'), 'utf8'),
      state: readFileSync(join(run.workspace, 'digests.state.json'), 'utf8')
    }
    await seeding.stop()
  }, 120_000)

  beforeEach(async () => {
    github = await startFakeGitHub({ token: TOKEN })
    github.commitFiles('main', {
      'images.json': imagesJson(),
      'digests.json': current.digests,
      'digests.state.json': current.state
    })
    // An earlier run proposed a major 3 that the registry no longer lists.
    const proposed = JSON.parse(current.digests) as Digests
    const web = `${registry.host}/team/web`
    proposed[web]!['3'] = proposed[web]!['2']!
    github.commitFiles(BRANCH, { 'digests.json': JSON.stringify(proposed, null, 2) + '\n' })
    await openPullRequest(github)
  })
  afterEach(async () => github?.stop())

  test('is closed and its branch deleted after a run that resolved every image', async () => {
    const { run } = await scheduledRun(github)
    const [pull] = github.pulls()
    expect(pull!.state).toBe('closed')
    expect(pull!.comments[0]).toContain(
      '`digests.json` on `main` is what the registries serve now, for every image'
    )
    expect(github.branchSha(BRANCH)).toBeUndefined()
    expect(run.outputs['pull-request-operation']).toBe('closed')
  })

  test('stays open after a run in which an image failed, which cannot tell', async () => {
    const head = github.branchSha(BRANCH)
    const { run } = await scheduledRun(
      github,
      { 'registry-mirrors': `${registry.host}=http://127.0.0.1:1` },
      1
    )
    expect(run.stdout).toContain('stays open: this run left work undone')
    expect(github.pulls()[0]!.state).toBe('open')
    expect(github.pulls()[0]!.comments).toEqual([])
    expect(github.branchSha(BRANCH)).toBe(head)
    expect(github.writes()).toEqual([])
    // The branch read and judged once (its state file is not the action's: seeded by someone
    // else, so never read); with nothing to write, its ref is not read again. One look at the
    // open pull request.
    expect(githubCost(github, BRANCH)).toEqual({
      ...BRANCH_READ_ONCE,
      branchRef: 1,
      pulls: 1,
      total: 10
    })
  })
})

// A state file pushed to the update branch by someone other than the action: the action merges
// the branch's state file before resolving, and what it holds would go into the next commit the
// action makes, which GitHub shows as Verified. Each forged branch below must change nothing the
// action proposes, and be reported; the action's own branch is still used.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type CommitAuthor, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import {
  BRANCH,
  digestRows,
  scheduledRun as runScheduled,
  tableRows,
  testSecrets
} from './harness/action-runner.js'
import type { Digests, DigestsState } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const FORGED = `sha256:${'e'.repeat(64)}`

let registry: TestRegistry
const scratch = mkdtempSync(join(tmpdir(), 'action-branch-trust-'))

const scheduledRun = (fake: FakeGitHub, code = 0) =>
  runScheduled(registry, { fake, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }, code)

/** The branch's state file with every platform of every index mapped to FORGED. */
function forgedState(fake: FakeGitHub): string {
  const state = JSON.parse(fake.readFile(BRANCH, 'digests.state.json')!) as DigestsState
  for (const indexes of Object.values(state.images)) {
    for (const platforms of Object.values(indexes)) {
      for (const platform of Object.keys(platforms)) platforms[platform] = FORGED
    }
  }
  return JSON.stringify(state, null, 2) + '\n'
}

/** Nothing the run wrote or published holds the forged digest. */
function expectNothingForged(fake: FakeGitHub, run: { summary: string; stdout: string }): void {
  expect(fake.readFile(BRANCH, 'digests.json')).not.toContain(FORGED)
  for (const pull of fake.pulls()) expect(pull.body).not.toContain('eeeeeeeeeeee')
  expect(run.summary).not.toContain('eeeeeeeeeeee')
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

describe('the update branch, pushed to by someone else', () => {
  let github: FakeGitHub
  let honest: Digests
  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN })
    github.commitFiles('main', {
      'images.json': JSON.stringify([{ image: `${registry.host}/team/web`, tracks: ['major'] }]),
      'digests.json': '{}\n'
    })
  })
  afterAll(async () => github?.stop())

  test("the action's own branch: its state is used, so the next run reads no manifest", async () => {
    await scheduledRun(github)
    honest = JSON.parse(github.readFile(BRANCH, 'digests.json')!) as Digests
    expect(digestRows(honest)).toHaveLength(4)
    const { run, reads } = await scheduledRun(github)
    expect(reads.getManifests).toBe(0)
    expect(run.stdout).not.toContain('Update branch state not trusted')
    expect(run.outputs['pull-request-operation']).toBe('none')
    // The check costs two requests: the token's account, and one comparison with main.
    const asked = github.requests().map((request) => `${request.method} ${request.path}`)
    expect(asked.filter((request) => request === 'POST /graphql')).toHaveLength(1)
    expect(asked.filter((request) => request.startsWith('GET /repos/owner/repo/compare/'))).toEqual(
      [`GET /repos/owner/repo/compare/main...${github.branchSha(BRANCH)}`]
    )
  })

  const mallory = { name: 'Mallory', email: 'mallory@example.test' }
  const bot = { name: 'github-actions[bot]', email: 'github-actions[bot]@example.test' }
  const cases: Array<{
    name: string
    by: CommitAuthor
    extra?: Record<string, string>
    reason: RegExp
  }> = [
    {
      name: 'pushed with git by a collaborator',
      by: { ...mallory, login: 'mallory', verified: false },
      reason: /commit [0-9a-f]{12} is not verified by GitHub \(unsigned\)/
    },
    {
      name: 'made on github.com by a collaborator, so Verified',
      by: { ...mallory, login: 'mallory', committerLogin: 'web-flow', verified: true },
      reason: /commit [0-9a-f]{12} is by mallory, not github-actions\[bot\]/
    },
    {
      name: "pushed with git under the bot's name and address",
      by: { ...bot, login: 'github-actions[bot]', verified: false },
      reason: /commit [0-9a-f]{12} is not verified by GitHub \(unsigned\)/
    },
    {
      name: "authored as the bot, signed with the pusher's own key",
      by: { ...bot, login: 'github-actions[bot]', committerLogin: 'mallory', verified: true },
      reason: /commit [0-9a-f]{12} was committed by mallory/
    },
    {
      name: "another workflow's token, changing a file the action never writes",
      by: { ...bot, login: 'github-actions[bot]', committerLogin: 'web-flow', verified: true },
      extra: { '.github/workflows/x.yml': 'on: push\n' },
      reason: /changes \.github\/workflows\/x\.yml, which the action never writes/
    }
  ]

  test.each(cases)(
    '$name: the state is ignored, said why, and nothing forged is proposed',
    async ({ by, extra, reason }) => {
      github.commitFiles(
        BRANCH,
        { 'digests.state.json': forgedState(github), ...extra },
        'Update container image digests',
        by
      )
      const { run, reads } = await scheduledRun(github)
      // Both indexes read again, as if the branch had no state.
      expect(reads.getManifests).toBe(2)
      const warning = run.stdout
        .split('\n')
        .find((line) => line.startsWith('::warning title=Update branch state not trusted::'))
      expect(warning).toMatch(reason)
      expect(warning).toContain(`digests.state.json on ${BRANCH} ignored`)
      expect(run.summary).toMatch(reason)
      expectNothingForged(github, run)
      expect(JSON.parse(github.readFile(BRANCH, 'digests.json')!)).toEqual(honest)
      expect(tableRows(github.pulls()[0]!.body!)).toEqual(digestRows(honest))
      // The branch is the action's own again: one verified commit on main.
      const head = github.commit(github.branchSha(BRANCH)!)
      expect(head.parents).toEqual([github.branchSha('main')])
      expect(head.verified).toBe(true)
      expect(github.readFile(BRANCH, 'digests.state.json')).not.toContain(FORGED)
    }
  )
})

describe('a forged branch whose pull request the action keeps open', () => {
  test("the branch's digests.json does not ride along with the state the action carries", async () => {
    // main holds the current digests.json but no state: the run carries its state to the branch,
    // and, with a pull request open, would keep the branch's digests.json as the proposal.
    const seeding = await startFakeGitHub({ token: TOKEN })
    const images = JSON.stringify([{ image: `${registry.host}/team/web`, tracks: ['major'] }])
    seeding.commitFiles('main', { 'images.json': images, 'digests.json': '{}\n' })
    const { run: seeded } = await scheduledRun(seeding)
    const current = seeding.readFile(BRANCH, 'digests.json')!
    const state = seeding.readFile(BRANCH, 'digests.state.json')!
    await seeding.stop()

    const github = await startFakeGitHub({ token: TOKEN })
    try {
      github.commitFiles('main', { 'images.json': images, 'digests.json': current })
      const forgedDigests = current.replace(/sha256:[0-9a-f]{64}/g, FORGED)
      github.commitFiles(
        BRANCH,
        { 'digests.json': forgedDigests, 'digests.state.json': state },
        'Update container image digests',
        { name: 'Mallory', email: 'mallory@example.test', login: 'mallory', verified: false }
      )
      const opened = await fetch(`${github.apiUrl}/repos/owner/repo/pulls`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Update', head: BRANCH, base: 'main', body: '' })
      })
      expect(opened.status).toBe(201)

      const { run } = await scheduledRun(github)
      expect(seeded.code).toBe(0)
      expect(run.stdout).toContain('::warning title=Update branch state not trusted::')
      expect(github.readFile(BRANCH, 'digests.json')).toBe(current)
      expectNothingForged(github, run)
      expect(github.commit(github.branchSha(BRANCH)!).verified).toBe(true)
    } finally {
      await github.stop()
    }
  })
})

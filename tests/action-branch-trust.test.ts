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
  WITHOUT_MANIFESTS,
  digestRows,
  scheduledRun as runScheduled,
  tableRows,
  testSecrets
} from './harness/action-runner.js'
import { BRANCH_READ_ONCE, githubCost } from './harness/github-cost.js'
import type { Digests, DigestsState } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const FORGED = `sha256:${'e'.repeat(64)}`

let registry: TestRegistry
const scratch = mkdtempSync(join(tmpdir(), 'action-branch-trust-'))

const scheduledRun = (fake: FakeGitHub, code = 0, inputs: Record<string, string> = {}) =>
  runScheduled(
    registry,
    { fake, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD, inputs },
    code
  )
const MALLORY: CommitAuthor = {
  name: 'Mallory',
  email: 'mallory@example.test',
  login: 'mallory',
  verified: false
}

/**
 * A run on the action's own branch that changes nothing: the branch read and judged once, its
 * state and manifests.json and main's digests.json, and the lookup of an open pull request.
 */
const OWN_BRANCH_COST = { ...BRANCH_READ_ONCE, blob: 3, pulls: 1, total: 14 }

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

/** The branch is the action's own again: one verified commit on main, no forged state. */
function expectReplacedByOwnCommit(fake: FakeGitHub): void {
  const head = fake.commit(fake.branchSha(BRANCH)!)
  expect(head.parents).toEqual([fake.branchSha('main')])
  expect(head.verified).toBe(true)
  expect(fake.readFile(BRANCH, 'digests.state.json')).not.toContain(FORGED)
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
    expect(githubCost(github, BRANCH)).toEqual(OWN_BRANCH_COST)
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
      expectReplacedByOwnCommit(github)
      // As on the action's own branch, but the untrusted state file is never read (two blobs:
      // the branch's manifests.json, main's digests.json), and six writes replace the branch.
      expect(githubCost(github, BRANCH)).toEqual({
        ...OWN_BRANCH_COST,
        blob: 2,
        writes: 6,
        total: 19
      })
    }
  )
})

describe('a forged branch whose pull request the action keeps open', () => {
  test("the branch's digests.json does not ride along with the state the action carries", async () => {
    // main holds the current digests.json but no state, and one image fails: the run carries its
    // state to the branch and, since it cannot judge the open pull request, would keep the
    // branch's digests.json as the proposal, were the branch the action's own.
    const seeding = await startFakeGitHub({ token: TOKEN })
    const images = JSON.stringify([
      { image: `${registry.host}/team/web`, tracks: ['major'] },
      { image: `${registry.host}/team/missing` }
    ])
    seeding.commitFiles('main', { 'images.json': images, 'digests.json': '{}\n' })
    await scheduledRun(seeding, 1, WITHOUT_MANIFESTS)
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
        MALLORY
      )
      const opened = await fetch(`${github.apiUrl}/repos/owner/repo/pulls`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Update', head: BRANCH, base: 'main', body: '' })
      })
      expect(opened.status).toBe(201)

      const { run } = await scheduledRun(github, 1, WITHOUT_MANIFESTS)
      expect(run.stdout).toContain('::warning title=Update branch state not trusted::')
      expect(run.stdout).toContain(`keeping them on ${BRANCH}`)
      expect(github.pulls()[0]!.state).toBe('open')
      expect(github.readFile(BRANCH, 'digests.json')).toBe(current)
      expectNothingForged(github, run)
      const head = github.commit(github.branchSha(BRANCH)!)
      expect(head.verified).toBe(true)
      expect(head.parents).toEqual([github.branchSha('main')])
    } finally {
      await github.stop()
    }
  })
})

describe('a push that lands on the update branch while the run reads it', () => {
  // Right after the run has read where the branch points, or right after its trust check:
  // either way, the run takes nothing from the pushed commit, because everything it takes comes
  // from the one commit it read first and judged, pinned by SHA.
  const moments: Array<{ name: string; after: RegExp }> = [
    {
      name: 'after the branch ref is read',
      after: new RegExp(`^/repos/owner/repo/git/ref/heads/${BRANCH}$`)
    },
    { name: 'after the trust check', after: /^\/repos\/owner\/repo\/compare\// }
  ]

  test.each(moments)(
    '$name: state and manifests come from the commit judged',
    async ({ after }) => {
      const github = await startFakeGitHub({ token: TOKEN })
      try {
        github.commitFiles('main', {
          'images.json': JSON.stringify([
            { image: `${registry.host}/team/web`, tracks: ['major'] }
          ]),
          'digests.json': '{}\n'
        })
        await scheduledRun(github)
        const judged = github.branchSha(BRANCH)!
        const published = github.readFile(BRANCH, 'manifests.json')!
        const manifests = JSON.parse(published) as Record<string, { text: string }>
        const [victim] = Object.keys(manifests).sort()
        manifests[victim!]!.text = manifests[victim!]!.text.replace('"layers"', '"layers" ')
        let pushed: string | undefined
        github.afterAnswer('GET', after, () => {
          pushed = github.commitFiles(
            BRANCH,
            {
              'digests.state.json': forgedState(github),
              'manifests.json': JSON.stringify(manifests)
            },
            'Update container image digests',
            MALLORY
          )
        })

        const { run, reads } = await scheduledRun(github)
        expect(github.commit(pushed!).parents).toEqual([judged])
        // The state and manifests.json of the commit the check passed: nothing is read again, and
        // the pushed commit's forged manifest is never seen, let alone dropped with a warning.
        expect(reads.getManifests).toBe(0)
        expect(run.stdout).not.toContain('Update branch state not trusted')
        expect(run.stdout).not.toContain('Update branch manifest ignored')
        const asked = github.requests().map((request) => `${request.method} ${request.path}`)
        expect(
          asked.filter((request) => request.startsWith('GET /repos/owner/repo/compare/'))
        ).toEqual([`GET /repos/owner/repo/compare/main...${judged}`])
        expect(asked).not.toContain(
          `GET /repos/owner/repo/git/trees/${github.commit(pushed!).tree}`
        )
        // Writing reads the head afresh, finds the push, and replaces it with the action's commit.
        expectNothingForged(github, run)
        expectReplacedByOwnCommit(github)
        expect(github.readFile(BRANCH, 'manifests.json')).toBe(published)
        // The own branch's cost, plus the pushed commit, which the read before writing finds,
        // and the six writes that replace it.
        expect(githubCost(github, BRANCH)).toEqual({
          ...OWN_BRANCH_COST,
          commit: 3,
          writes: 6,
          total: 21
        })
      } finally {
        await github.stop()
      }
    }
  )
})

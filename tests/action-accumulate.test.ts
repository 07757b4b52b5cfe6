// The action across scheduled runs that nobody merges in between: each run starts from a fresh
// checkout of the base branch (as actions/checkout gives), so what an earlier run read survives
// only on the update branch. Manifest GETs are counted at the real registry's access log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, pushSingle } from './harness/seed.js'
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
import { branchDigests, type Digests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()

let registry: TestRegistry
const scratch = mkdtempSync(join(tmpdir(), 'action-accumulate-'))

function imagesJson(): string {
  return JSON.stringify([
    { image: `${registry.host}/team/web`, tracks: ['major', 'major-minor'] },
    { image: `${registry.host}/team/cli`, platforms: ['linux/amd64'], tracks: ['major'] }
  ])
}

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

beforeAll(async () => {
  registry = await startRegistry()
  for (const version of ['1.0.0', '1.1.0', '2.0.0']) {
    await pushIndex(registry, 'team/web', version, [AMD64, ARM64], { salt: version })
  }
  for (const version of ['3.0.0', '4.0.0']) {
    await pushSingle(registry, 'team/cli', version, AMD64, { salt: version })
  }
}, 180_000)

afterAll(async () => {
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe('a pull request that waits while scheduled runs continue', () => {
  let github: FakeGitHub
  beforeAll(async () => {
    github = await startFakeGitHub({ token: TOKEN })
    github.commitFiles('main', { 'images.json': imagesJson(), 'digests.json': '{}\n' })
  })
  afterAll(async () => github?.stop())

  let proposed: Digests
  test('the first run reads every manifest and opens the pull request', async () => {
    const { run, reads } = await scheduledRun(github)
    expect(run.outputs['pull-request-operation']).toBe('created')
    // 3 indexes of web; 2 manifests and 2 config blobs of cli.
    expect(reads.getManifests).toBe(5)
    expect(reads.getBlobs).toBe(2)
    proposed = branchDigests(github, BRANCH)
    // web: 1, 1.0, 1.1, 2 and 2.0 on two platforms; cli: 3 and 4 on one.
    expect(digestRows(proposed)).toHaveLength(12)
    expect(github.readFile(BRANCH, 'digests.state.json')).toBe(
      readFileSync(join(run.workspace, 'digests.state.json'), 'utf8')
    )
  })

  test('a second run from a fresh main reads no manifest again and keeps the pull request', async () => {
    expect(github.readFile('main', 'digests.state.json')).toBeUndefined()
    const { run, reads } = await scheduledRun(github)
    expect(reads.getManifests).toBe(0)
    expect(reads.getBlobs).toBe(0)
    // HEADs are free under Docker Hub's quota; they still tell the run nothing moved.
    expect(reads.headManifests).toBe(5)
    expect(run.stdout).toContain(`${BRANCH}:digests.state.json: 5 manifest digests the workspace`)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'pull-request-number': '1',
      'pull-request-operation': 'none',
      deferred: '0'
    })
    expect(github.writes()).toEqual([])
    expect(branchDigests(github, BRANCH)).toEqual(proposed)
    expect(github.pulls()).toHaveLength(1)
  })

  test('a run after an upstream release pays only for it, and the pull request only grows', async () => {
    await pushIndex(registry, 'team/web', '2.1.0', [AMD64, ARM64], { salt: '2.1.0' })
    const { run, reads } = await scheduledRun(github)
    expect(reads.getManifests).toBe(1)
    expect(run.outputs['pull-request-operation']).toBe('updated')
    const now = branchDigests(github, BRANCH)
    const web = `${registry.host}/team/web`
    expect(now[web]!['2.1']).toBeDefined()
    expect(now[web]!['2']!['linux/amd64']).toMatch(new RegExp(`^${web}:2\\.1\\.0@sha256:`))
    // Every track proposed before is still proposed.
    expect(digestRows(now)).toEqual(expect.arrayContaining(digestRows(proposed)))
    expect(github.pulls().filter((pull) => pull.state === 'open')).toHaveLength(1)
    expect(tableRows(github.pulls()[0]!.body!)).toEqual(digestRows(now))
    proposed = now
  })

  test('a run whose every image fails keeps what the pull request proposes', async () => {
    // Nothing listens on port 1: every image fails, so digests.json stays as main has it, while
    // the state the run started from (the branch's) is newer than main's.
    const head = github.branchSha(BRANCH)
    const { run } = await scheduledRun(
      github,
      { 'registry-mirrors': `${registry.host}=http://127.0.0.1:1` },
      1
    )
    expect(run.stdout).toMatch(/::error::2 images failed and kept their previous entries/)
    expect(run.outputs.changed).toBe('false')
    // The branch read and judged once; its state (adopted) and digests.json (kept as the
    // proposal) both from that commit; nothing to push. One look at the open pull request, which
    // housekeeping, the state carry and the body refresh share, and the body's write.
    expect(githubCost(github, BRANCH)).toEqual({
      ...BRANCH_READ_ONCE,
      blob: 2,
      pulls: 1,
      writes: 1,
      total: 14
    })
    expect(branchDigests(github, BRANCH)).toEqual(proposed)
    expect(github.branchSha(BRANCH)).toBe(head)
    const pull = github.pulls()[0]!
    expect(pull.state).toBe('open')
    expect(tableRows(pull.body!)).toEqual(digestRows(proposed))
    expect(pull.body).toContain('### Failed images')
  })
})

describe('state that grew while digests.json stayed current', () => {
  let github: FakeGitHub
  beforeAll(async () => {
    // A repository whose digests.json is current but that has no state file yet (adopted from
    // another tool, or the state was deleted): every manifest must be read once.
    const seeding = await startFakeGitHub({ token: TOKEN })
    seeding.commitFiles('main', { 'images.json': imagesJson(), 'digests.json': '{}\n' })
    const { run } = await scheduledRun(seeding)
    const current = readFileSync(join(run.workspace, 'digests.json'), 'utf8')
    await seeding.stop()
    github = await startFakeGitHub({ token: TOKEN })
    github.commitFiles('main', { 'images.json': imagesJson(), 'digests.json': current })
  }, 120_000)
  afterAll(async () => github?.stop())

  test('is committed to the update branch, without a pull request', async () => {
    const mainSha = github.branchSha('main')!
    const { run, reads } = await scheduledRun(github)
    // web's 4 indexes (2.1.0 came out above) and cli's 2 manifests.
    expect(reads.getManifests).toBe(6)
    // digests.json on main is current: nothing changed that a pull request would show.
    expect(run.outputs.changed).toBe('false')
    expect(run.outputs['pull-request-number']).toBe('')
    expect(run.outputs['pull-request-operation']).toBe('none')
    expect(github.pulls()).toEqual([])
    const head = github.commit(github.branchSha(BRANCH)!)
    expect(head.parents).toEqual([mainSha])
    expect(github.files(BRANCH)).toEqual({
      ...github.files('main'),
      'digests.state.json': readFileSync(join(run.workspace, 'digests.state.json'), 'utf8')
    })
    expect(run.summary).toContain('no pull request needed')
    expect(run.summary).toContain(`kept in \`digests.state.json\` on \`${BRANCH}\``)
  })

  test('so the next run from a fresh main reads none of them and writes nothing', async () => {
    const { run, reads } = await scheduledRun(github)
    expect(reads.getManifests).toBe(0)
    expect(reads.getBlobs).toBe(0)
    expect(github.writes()).toEqual([])
    expect(github.pulls()).toEqual([])
    expect(run.outputs['pull-request-operation']).toBe('none')
  })

  test('a pull-reserve that is not a whole number fails the step before any request', async () => {
    const { run, reads } = await scheduledRun(github, { 'pull-reserve': '-1' }, 1)
    expect(run.stdout).toContain(
      '::error::input pull-reserve: "-1" is not a whole number of 0 or more'
    )
    expect(github.requests()).toEqual([])
    expect(reads.getManifests + reads.headManifests + reads.tagListPages).toBe(0)
  })
})

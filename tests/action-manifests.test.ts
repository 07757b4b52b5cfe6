// manifests.json through the bundled action (issue 22, the updater's half): each scheduled run
// a fresh checkout of the base branch, the real registry behind the Docker-Hub-like quota
// stand-in (10 GETs per window, the default reserve of 2), the loopback GitHub API. Platform
// manifest GETs are counted at the stand-in by the digests the seeding returned.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { ProxyPool, answeredGets } from './harness/proxy-pool.js'
import type { QuotaProxy } from './harness/quota-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import { pushIndex } from './harness/seed.js'
import { BRANCH, digestRows, scheduledRun, testSecrets } from './harness/action-runner.js'
import { BRANCH_READ_ONCE, githubCost } from './harness/github-cost.js'
import type { Digests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const REPOSITORIES = ['fetch/a', 'fetch/b']
/** 2 × 3 indexes of two platforms: 6 index GETs and 12 platform manifests, 18 pulls in all. */
const TAGS = ['2.2.0', '2.1.0', '2.0.0']
const MAX_RUNS = 5

type ManifestsFile = Record<string, { mediaType: string; text: string }>

const sha256 = (text: string): string =>
  `sha256:${createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')}`

let registry: TestRegistry
const proxies = new ProxyPool()
const platformDigests = new Set<string>()
const scratch = mkdtempSync(join(tmpdir(), 'action-manifests-'))

beforeAll(async () => {
  registry = await startRegistry()
  for (const repository of REPOSITORIES)
    for (const tag of TAGS) {
      const index = await pushIndex(registry, repository, tag, [AMD64, ARM64], {
        salt: `${repository} ${tag}`
      })
      for (const digest of Object.values(index.manifests)) platformDigests.add(digest)
    }
}, 120_000)

afterAll(async () => {
  await proxies.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

async function repository(quota: QuotaProxy): Promise<FakeGitHub> {
  const github = proxies.add(await startFakeGitHub({ token: TOKEN }))
  const images = REPOSITORIES.map((name) => ({
    image: `${quota.host}/${name}`,
    tracks: ['major-minor-patch']
  }))
  github.commitFiles('main', { 'images.json': JSON.stringify(images), 'digests.json': '{}\n' })
  return github
}

const platformGets = (quota: QuotaProxy, since: number): number =>
  answeredGets(quota.proxy, platformDigests, since)

function readJson<T>(github: FakeGitHub, ref: string, path: string): T | undefined {
  const text = github.readFile(ref, path)
  return text === undefined ? undefined : (JSON.parse(text) as T)
}

/** The branch's manifests.json, each text checked against its key and against digests.json. */
function branchManifests(github: FakeGitHub, digests: Digests): ManifestsFile {
  const manifests = readJson<ManifestsFile>(github, BRANCH, 'manifests.json') ?? {}
  const referenced = new Set(
    Object.values(digests).flatMap((tracks) =>
      Object.values(tracks).flatMap((platforms) =>
        Object.values(platforms).map((reference) => reference.split('@')[1])
      )
    )
  )
  for (const [digest, entry] of Object.entries(manifests)) {
    expect(sha256(entry.text)).toBe(digest)
    expect(referenced.has(digest)).toBe(true)
  }
  return manifests
}

test('under the pull quota the digests come first; runs that only bring manifests update the pull request', async () => {
  const quota = await proxies.quota(registry.url, 10)
  const github = await repository(quota)
  const options = { fake: github, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }
  let rows: string[] = []
  let published: string[] = []
  let runs = 0
  let manifestsOnlyRuns = 0
  while (runs < MAX_RUNS) {
    quota.newWindow()
    const mark = quota.proxy.log().length
    const { run } = await scheduledRun(registry, options)
    runs++
    expect(quota.refused()).toBe(0)
    const digests = readJson<Digests>(github, BRANCH, 'digests.json') ?? {}
    const nowRows = digestRows(digests)
    const manifests = branchManifests(github, digests)
    // Nothing the pull request proposed is ever taken back.
    expect(nowRows).toEqual(expect.arrayContaining(rows))
    expect(Object.keys(manifests)).toEqual(expect.arrayContaining(published))
    // Every digest is published before any manifest is read.
    if (nowRows.length < 12) expect(platformGets(quota, mark)).toBe(0)
    const pulls = github.pulls()
    expect(pulls).toHaveLength(1)
    const body = pulls[0]!.body!
    const count = Object.keys(manifests).length
    if (count > 0)
      expect(body).toContain(
        `${count} image manifest${count === 1 ? '' : 's'} added to \`manifests.json\``
      )
    if (nowRows.length === rows.length && count > published.length) {
      manifestsOnlyRuns++
      expect(run.outputs['pull-request-operation']).toBe('updated')
      expect(run.outputs.changed).toBe('true')
    }
    rows = nowRows
    published = Object.keys(manifests)
    if (run.outputs.deferred === '0') break
    expect(body).toContain('image manifests for manifests.json')
    expect(run.summary).toContain('**Partial update:**')
  }
  // 18 pulls at 8 a run; the first run publishes every digest.
  expect(runs).toBe(3)
  expect(manifestsOnlyRuns).toBe(2)
  expect(rows).toHaveLength(12)
  expect(published).toHaveLength(12)
  expect(quota.served()).toBe(18)
  expect(github.pulls()[0]!.body).toContain('12 image manifests added to `manifests.json`')

  // The next scheduled run, from a fresh checkout of main again, reads no manifest at all.
  const mark = quota.proxy.log().length
  quota.newWindow()
  const { run } = await scheduledRun(registry, options)
  expect(run.outputs['pull-request-operation']).toBe('none')
  expect(
    quota.proxy
      .log()
      .slice(mark)
      .filter((entry) => entry.method === 'GET' && entry.url.includes('/manifests/'))
  ).toHaveLength(0)
}, 300_000)

test('digests.json current but manifests.json missing: a pull request for the manifests alone', async () => {
  const quota = await proxies.quota(registry.url, 100)
  const github = await repository(quota)
  const options = { fake: github, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }
  // A first run without publishing, merged: main holds current digests and no manifests.json.
  const { run: first } = await scheduledRun(registry, {
    ...options,
    inputs: { manifests: 'false' }
  })
  expect(first.outputs['pull-request-operation']).toBe('created')
  expect(github.readFile(BRANCH, 'manifests.json')).toBeUndefined()
  expect(platformGets(quota, 0)).toBe(0)
  github.mergePull(Number(first.outputs['pull-request-number']))

  const { run } = await scheduledRun(registry, options)
  expect(run.outputs['pull-request-operation']).toBe('created')
  expect(run.outputs.changed).toBe('true')
  const pulls = github.pulls().filter((pull) => pull.state === 'open')
  expect(pulls).toHaveLength(1)
  expect(pulls[0]!.body).toContain('No reference in `digests.json` changed.')
  expect(pulls[0]!.body).toContain('12 image manifests added to `manifests.json`')
  expect(run.summary).toContain('12 image manifests added to `manifests.json`')
  const digests = readJson<Digests>(github, BRANCH, 'digests.json')!
  expect(github.readFile(BRANCH, 'digests.json')).toBe(github.readFile('main', 'digests.json'))
  expect(Object.keys(branchManifests(github, digests))).toHaveLength(12)
}, 180_000)

test('a run in which every image fails takes back neither the digests nor the manifests proposed', async () => {
  const quota = await proxies.quota(registry.url, 100)
  const github = await repository(quota)
  const options = { fake: github, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }
  const { run: first } = await scheduledRun(registry, options)
  expect(first.outputs['pull-request-operation']).toBe('created')
  const digests = github.readFile(BRANCH, 'digests.json')
  const manifests = github.readFile(BRANCH, 'manifests.json')
  expect(Object.keys(JSON.parse(manifests!) as object)).toHaveLength(12)

  // Every tag list now fails: each image keeps main's (empty) entries, and the manifests the
  // branch holds are referenced by nothing this run wrote.
  quota.proxy.setRules([{ path: /\/tags\/list/, fault: { kind: 'status', status: 500 } }])
  try {
    const { run } = await scheduledRun(registry, options, 1)
    expect(run.stdout).toContain('stays open: this run left work undone')
    // The branch read and judged once; its state, manifests.json and digests.json each read
    // once from that commit, though manifests.json serves twice (adopted before the update,
    // kept in the proposal after); nothing to push. One look at the open pull request, which the
    // take-back check, housekeeping, the state carry and the body refresh share, and the body's
    // write.
    expect(githubCost(github, BRANCH)).toEqual({
      ...BRANCH_READ_ONCE,
      blob: 3,
      pulls: 1,
      writes: 1,
      total: 15
    })
  } finally {
    quota.proxy.setRules([])
  }
  expect(github.readFile(BRANCH, 'digests.json')).toBe(digests)
  expect(github.readFile(BRANCH, 'manifests.json')).toBe(manifests)
  const pulls = github.pulls()
  expect(pulls).toHaveLength(1)
  expect(pulls[0]!.state).toBe('open')
}, 180_000)

test('a forged entry in the update branch is dropped with a warning and read again', async () => {
  const quota = await proxies.quota(registry.url, 100)
  const github = await repository(quota)
  const options = { fake: github, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }
  await scheduledRun(registry, options)
  const published = github.readFile(BRANCH, 'manifests.json')!
  const manifests = JSON.parse(published) as ManifestsFile
  const [victim] = Object.keys(manifests).sort()
  const forged = structuredClone(manifests)
  forged[victim!]!.text = forged[victim!]!.text.replace('"layers"', '"layers" ')
  github.commitFiles(BRANCH, { 'manifests.json': JSON.stringify(forged) })

  const mark = quota.proxy.log().length
  const { run } = await scheduledRun(registry, options)
  expect(run.stdout).toMatch(
    new RegExp(
      `^::warning title=Update branch manifest ignored::.*manifests.json: \\$\\["${victim}"\\]: ` +
        'the text hashes to sha256:[0-9a-f]{64} \\(rule: text hashes to its key\\)',
      'm'
    )
  )
  // The eleven others came from the branch; only the forged one is read again.
  expect(platformGets(quota, mark)).toBe(1)
  expect(github.readFile(BRANCH, 'manifests.json')).toBe(published)
}, 180_000)

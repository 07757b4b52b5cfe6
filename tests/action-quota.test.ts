// Issue 9's "Done when" for the action: a cold start of 30 manifests behind Docker Hub's pull
// quota (the stand-in in front of the real registry, 10 GETs per window, the default pull
// reserve), one scheduled run per window, nobody merging in between, each run from a fresh
// checkout of the base branch. GETs and 429s are counted at the stand-in.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api.js'
import { startQuotaProxy, type QuotaProxy } from './harness/quota-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import {
  BRANCH,
  digestRows,
  scheduledRun,
  tableRows,
  testSecrets
} from './harness/action-runner.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const REPOSITORIES = ['quota/a', 'quota/b', 'quota/c']
const TAGS = Array.from({ length: 10 }, (_, minor) => `1.${minor}.0`)
const MAX_RUNS = 6

type Digests = Record<string, Record<string, Record<string, string>>>

let registry: TestRegistry
let quota: QuotaProxy
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-quota-'))

beforeAll(async () => {
  registry = await startRegistry()
  for (const repository of REPOSITORIES)
    for (const tag of TAGS)
      await pushIndex(registry, repository, tag, [AMD64, ARM64], { salt: `${repository} ${tag}` })
  quota = await startQuotaProxy(registry.url, { limit: 10 })
  github = await startFakeGitHub({ token: TOKEN })
  const images = REPOSITORIES.map((repository) => ({
    image: `${quota.host}/${repository}`,
    tracks: ['major-minor-patch']
  }))
  github.commitFiles('main', { 'images.json': JSON.stringify(images), 'digests.json': '{}\n' })
}, 240_000)

afterAll(async () => {
  await github?.stop()
  await quota?.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

test('a cold start under the pull quota converges into one pull request that only grows', async () => {
  const options = { fake: github, scratch, token: TOKEN, registryPassword: REGISTRY_PASSWORD }
  const everything = REPOSITORIES.flatMap((repository) =>
    TAGS.flatMap((tag) =>
      ['linux/amd64', 'linux/arm64'].map(
        (platform) => `${quota.host}/${repository} ${tag} ${platform}`
      )
    )
  ).sort()
  const annotation = new RegExp(
    `^::warning title=Pull quota%3A update partial::${quota.host.replace(/[.[\]]/g, '\\$&')}: ` +
      `(\\d+) manifests? deferred: 2 of 10 per 3600 s left, 2 kept in reserve; ` +
      'the next run continues$',
    'm'
  )
  let proposed: string[] = []
  let runs = 0
  while (runs < MAX_RUNS) {
    quota.newWindow()
    const servedBefore = quota.served()
    // scheduledRun throws unless the step exits 0: it never fails.
    const { run } = await scheduledRun(registry, options)
    runs++
    // The default reserve leaves 2 of the window's 10 pulls to the machines that pull the images.
    expect(quota.served() - servedBefore).toBeLessThanOrEqual(8)
    const branch = JSON.parse(github.readFile(BRANCH, 'digests.json') ?? '{}') as Digests
    const rows = digestRows(branch)
    // The pull request never drops what it already proposed, and there is only ever one.
    expect(rows).toEqual(expect.arrayContaining(proposed))
    expect(rows.length).toBeGreaterThan(proposed.length)
    proposed = rows
    const pulls = github.pulls()
    expect(pulls).toHaveLength(1)
    expect(pulls[0]!.state).toBe('open')
    expect(run.outputs['pull-request-number']).toBe(String(pulls[0]!.number))
    expect(tableRows(pulls[0]!.body!)).toEqual(rows)
    for (const [image, tracks] of Object.entries(branch))
      for (const [tag, platforms] of Object.entries(tracks))
        for (const reference of Object.values(platforms))
          expect(reference).toMatch(
            new RegExp(`^${image.replace(/[.[\]]/g, '\\$&')}:${tag}@sha256:[0-9a-f]{64}$`)
          )

    const deferred = Number(run.outputs.deferred)
    if (rows.length === everything.length) {
      expect(run.outputs.deferred).toBe('0')
      expect(run.stdout).not.toMatch(annotation)
      expect(pulls[0]!.body).not.toContain('Partial update')
      break
    }
    expect(deferred).toBeGreaterThan(0)
    expect(run.stdout.match(annotation)?.[1]).toBe(String(deferred))
    expect(pulls[0]!.body).toContain(
      `**Partial update:** registry pull quotas deferred ${deferred} manifest`
    )
    expect(pulls[0]!.body).toContain('2 of 10 per 3600 s left, 2 kept in reserve')
  }
  expect(proposed).toEqual(everything)
  expect(runs).toBeLessThanOrEqual(4)
  expect(quota.served()).toBeLessThanOrEqual(30)
  expect(quota.refused()).toBe(0)
  expect(github.pulls()).toHaveLength(1)
}, 300_000)

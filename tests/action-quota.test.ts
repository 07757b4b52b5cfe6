// Issue 9's "Done when" for the action: a cold start of 30 manifests behind Docker Hub's pull
// quota (the stand-in in front of the real registry, 10 GETs per window, the default pull
// reserve), one scheduled run per window, nobody merging in between, each run from a fresh
// checkout of the base branch. GETs and 429s are counted at the stand-in. Then issue 15's: the
// same cold start with the `content-mirrors` input naming a pull-through cache that holds the
// same images converges in one run with no manifest GET at the quota'd registry.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startQuotaProxy, type QuotaProxy } from './harness/quota-proxy.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { commitQuotaImages, quotaRows, seedQuotaImages } from './harness/quota-images.js'
import {
  BRANCH,
  WITHOUT_MANIFESTS,
  digestRows,
  scheduledRun,
  tableRows,
  testSecrets
} from './harness/action-runner.js'
import { branchDigests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const MAX_RUNS = 6

let registry: TestRegistry
let cacheRegistry: TestRegistry
let quota: QuotaProxy
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-quota-'))

beforeAll(async () => {
  registry = await startRegistry()
  cacheRegistry = await startRegistry()
  // The cache holds what the registry's users pulled: the same bytes, under the same names.
  await seedQuotaImages([registry, cacheRegistry])
  quota = await startQuotaProxy(registry.url, { limit: 10 })
  github = await startFakeGitHub({ token: TOKEN })
  commitQuotaImages(github, quota.host)
}, 240_000)

afterAll(async () => {
  await github?.stop()
  await quota?.stop()
  await cacheRegistry?.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

test('a cold start under the pull quota converges into one pull request that only grows', async () => {
  const options = {
    fake: github,
    scratch,
    token: TOKEN,
    registryPassword: REGISTRY_PASSWORD,
    inputs: WITHOUT_MANIFESTS
  }
  const everything = quotaRows(quota.host)
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
    const branch = branchDigests(github, BRANCH)
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

test('content-mirrors: a cold start of 30 manifests in one run, no GET at the quota', async () => {
  // A repository of its own, and a quota'd front that has served nobody yet.
  const fake = await startFakeGitHub({ token: TOKEN })
  const front = await startQuotaProxy(registry.url, { limit: 10 })
  const cache = await startFaultProxy(cacheRegistry.url)
  try {
    commitQuotaImages(fake, front.host)
    await contentMirrorRun(fake, front, cache)
  } finally {
    await cache.stop()
    await front.stop()
    await fake.stop()
  }
}, 120_000)

async function contentMirrorRun(fake: FakeGitHub, quota: QuotaProxy, cache: FaultProxy) {
  const { run, reads } = await scheduledRun(registry, {
    fake,
    scratch,
    token: TOKEN,
    registryPassword: REGISTRY_PASSWORD,
    inputs: { ...WITHOUT_MANIFESTS, 'content-mirrors': `${quota.host}=${cache.url}` }
  })
  const everything = quotaRows(quota.host)
  const branch = branchDigests(fake, BRANCH)
  expect(digestRows(branch)).toEqual(everything)
  const pulls = fake.pulls()
  expect(pulls).toHaveLength(1)
  expect(tableRows(pulls[0]!.body!)).toEqual(everything)
  expect(run.outputs.deferred).toBe('0')
  // The quota'd registry answered tag lists and HEADs only; the cache read every index once.
  expect(quota.served()).toBe(0)
  expect(quota.refused()).toBe(0)
  expect(reads.getManifests).toBe(0)
  expect(quota.heads()).toBe(30)
  const cacheGets = cache
    .log()
    .filter((entry) => entry.method === 'GET' && entry.url.includes('/manifests/sha256:'))
  expect(cacheGets).toHaveLength(30)
  expect(cache.log().filter((entry) => entry.method !== 'GET')).toHaveLength(0)
  expect(run.stdout).toContain(`pulls saved at ${quota.host}: 30 manifest GETs`)
  expect(run.stdout).toContain(
    `requests to ${cache.host} (content mirror): 0 tag-list pages, 0 manifest HEADs, 30 manifest GETs`
  )
  expect(run.stdout).toMatch(
    new RegExp(`requests to ${quota.host}: \\d+ tag-list pages, 30 manifest HEADs, 0 manifest GETs`)
  )
}

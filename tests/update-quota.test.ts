// Docker Hub's pull quota (issue 9): the bundled CLI against the real registry behind a
// stand-in that counts manifest GETs and answers 429 TOOMANYREQUESTS past the quota, as Docker
// Hub documents it. GETs and 429s are counted at the stand-in.
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { renderDocument } from '../src/update/digests-document.js'
import { runCli, workspace } from './harness/cli.js'
import { startFaultProxy } from './harness/fault-proxy.js'
import { startQuotaProxy, type QuotaProxy } from './harness/quota-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'
import { expectedDocument, type Seeded } from './harness/digests-expected.js'
import { readDigests, readDigestsState, type Digests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const REPOSITORIES = ['quota/a', 'quota/b', 'quota/c']
/** Newest first, as the tracks of each image are. */
const TAGS = Array.from({ length: 10 }, (_, minor) => `1.${9 - minor}.0`)
const MAX_RUNS = 6

/** Every (image, track, platform) of `before` is in `after` with the same value. */
function expectNothingLost(before: Digests, after: Digests): void {
  for (const [image, tracks] of Object.entries(before))
    for (const [track, platforms] of Object.entries(tracks))
      for (const [platform, reference] of Object.entries(platforms))
        expect(after[image]?.[track]?.[platform]).toBe(reference)
}

/** An entry published by an earlier run for every tag, each tag since moved upstream. */
function publishedEarlier(name: string): Digests {
  const published: Digests = { [name]: {} }
  TAGS.forEach((tag, index) => {
    const old = `sha256:${String(index).repeat(64)}`
    published[name]![tag] = {
      'linux/amd64': `${name}:${tag}@${old}`,
      'linux/arm64': `${name}:${tag}@${old}`
    }
  })
  return published
}

function imagesFor(host: string, repositories: string[]): unknown {
  return repositories.map((repository) => ({
    image: `${host}/${repository}`,
    tracks: ['major-minor-patch']
  }))
}

/** Manifest GETs the stand-in saw in its log, by URL. */
function manifestGets(quota: QuotaProxy): Map<string, number> {
  const counts = new Map<string, number>()
  for (const entry of quota.proxy.log()) {
    if (entry.method !== 'GET' || !entry.url.includes('/manifests/')) continue
    counts.set(entry.url, (counts.get(entry.url) ?? 0) + 1)
  }
  return counts
}

describe("Docker Hub's pull quota", () => {
  let registry: TestRegistry
  const seeded: Seeded = {}
  /** repository → tag → index digest */
  const indexes: Record<string, Record<string, string>> = {}
  const stopping: QuotaProxy[] = []

  beforeAll(async () => {
    registry = await startRegistry()
    for (const repository of REPOSITORIES) {
      seeded[repository] = {}
      indexes[repository] = {}
      for (const tag of TAGS) {
        const index = await pushIndex(registry, repository, tag, [AMD64, ARM64], {
          salt: `${repository} ${tag}`
        })
        seeded[repository][tag] = index.manifests
        indexes[repository][tag] = index.digest
      }
    }
  })
  afterAll(async () => {
    for (const quota of stopping) await quota.stop()
    await registry?.stop()
  })

  const quotaProxy = async (options: Parameters<typeof startQuotaProxy>[1]) => {
    const quota = await startQuotaProxy(registry.url, options)
    stopping.push(quota)
    return quota
  }

  test('a cold start of 30 manifests at 10 GETs per window converges in 4 runs, no 429', async () => {
    const quota = await quotaProxy({ limit: 10 })
    const folder = workspace(imagesFor(quota.host, REPOSITORIES))
    const expected = expectedDocument(seeded, quota.host, REPOSITORIES)
    let before: Digests = {}
    let runs = 0
    for (; runs < MAX_RUNS;) {
      quota.newWindow()
      const run = await runCli(['update', '--no-manifests'], { cwd: folder })
      runs++
      expect(run.stderr).not.toContain('error:')
      expect(run.code).toBe(0)
      const after = readDigests(folder)
      expectNothingLost(before, after)
      before = after
      if (isDeepStrictEqual(after, expected)) break
      expect(run.stderr).toMatch(
        new RegExp(
          `warning: ${quota.host}: \\d+ manifests? deferred by its pull quota ` +
            `\\(2 of 10 per 3600 s left, 2 kept in reserve\\); .*the next run continues`
        )
      )
      if (runs === 1) {
        // 8 pulls spent (10 less the reserve): the first image's 8 newest versions.
        expect(run.stderr).toContain('22 manifests deferred')
        const first = after[`${quota.host}/quota/a`] ?? {}
        expect(Object.keys(first).sort()).toEqual(TAGS.slice(0, 8).sort())
        expect(Object.keys(after)).toEqual([`${quota.host}/quota/a`])
      }
    }
    expect(readDigests(folder)).toEqual(expected)
    expect(runs).toBeLessThanOrEqual(4)
    expect(quota.served()).toBeLessThanOrEqual(30)
    expect(quota.refused()).toBe(0)
  })

  test.each([404, 405])(
    'a registry whose HEAD answers %i while GET works: resolved through GET, nothing removed',
    async (status) => {
      const quota = await quotaProxy({ limit: 1000, refuseHead: status })
      const repositories = ['quota/a']
      const folder = workspace(imagesFor(quota.host, repositories))
      const expected = expectedDocument(seeded, quota.host, repositories)
      writeFileSync(join(folder, 'digests.json'), renderDocument(expected))
      const run = await runCli(['update', '--no-manifests'], { cwd: folder })
      expect(run.stderr).not.toContain('error:')
      expect(run.code).toBe(0)
      expect(readDigests(folder)).toEqual(expected)
      // Each tag read once, by tag: the refusal is not retried as a deletion.
      const gets = manifestGets(quota)
      expect([...gets.keys()].sort()).toEqual(
        TAGS.map((tag) => `/v2/quota/a/manifests/${tag}`).sort()
      )
      expect([...gets.values()].every((count) => count === 1)).toBe(true)
    }
  )

  test('a 429 TOOMANYREQUESTS without ratelimit headers: nothing lost, no retry, next run catches up', async () => {
    const quota = await quotaProxy({ limit: 6, announce: false })
    const repositories = ['quota/a']
    const name = `${quota.host}/quota/a`
    const folder = workspace(imagesFor(quota.host, repositories))
    const expected = expectedDocument(seeded, quota.host, repositories)
    // Published earlier, every tag since moved: the fixes users wait for.
    const published = publishedEarlier(name)
    writeFileSync(join(folder, 'digests.json'), renderDocument(published))

    const first = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(first.stderr).not.toContain('error:')
    expect(first.code).toBe(0)
    expect(first.stderr).toContain(
      'TOOMANYREQUESTS: You have reached your unauthenticated pull rate limit.'
    )
    expect(first.stderr).toMatch(/\d+ manifests deferred by its pull quota.*next run continues/)
    const after = readDigests(folder)
    // Every track is there: either its new value or, deferred, its published one.
    expect(Object.keys(after[name]!).sort()).toEqual([...TAGS].sort())
    for (const tag of TAGS) {
      expect([published[name]![tag], expected[name]![tag]]).toContainEqual(after[name]![tag])
    }
    const updated = TAGS.filter(
      (tag) => after[name]![tag]!['linux/amd64'] !== published[name]![tag]!['linux/amd64']
    )
    expect(updated).toHaveLength(6)
    // No GET asked twice: a spent window is not retried.
    const gets = manifestGets(quota)
    expect([...gets.values()].every((count) => count === 1)).toBe(true)
    expect(quota.served()).toBe(6)
    expect(quota.refused()).toBeGreaterThan(0)
    // Only GETs already in flight when the first 429 came back could meet one.
    expect(quota.refused()).toBeLessThanOrEqual(TAGS.length - 6)

    quota.newWindow()
    quota.proxy.resetLog()
    const second = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(second.code).toBe(0)
    expect(second.stderr).not.toContain('deferred')
    expect(readDigests(folder)).toEqual(expected)
    expect(quota.served()).toBe(10)
  })

  test('--plan makes no manifest GET and says what a real run costs at the current quota', async () => {
    const quota = await quotaProxy({ limit: 10 })
    const folder = workspace(imagesFor(quota.host, REPOSITORIES))
    const plan = async (): Promise<string> => {
      quota.proxy.resetLog()
      const run = await runCli(['update', '--no-manifests', '--plan'], { cwd: folder })
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(manifestGets(quota).size).toBe(0)
      return run.stdout
    }
    expect(await plan()).toBe(
      `plan: ${quota.host}: 30 manifest GETs; quota 10 of 10 per 3600 s left, 8 to spend now ` +
        `with 2 kept in reserve; 4 runs, one per full window\n`
    )
    expect(readdirSync(folder)).toEqual(['images.json'])
    expect(quota.served()).toBe(0)

    // After a run spent 8 of the window, the plan counts what is left and what the window holds.
    expect((await runCli(['update', '--no-manifests'], { cwd: folder })).code).toBe(0)
    expect(await plan()).toBe(
      `plan: ${quota.host}: 22 manifest GETs; quota 2 of 10 per 3600 s left, 0 to spend now ` +
        `with 2 kept in reserve; 3 runs, one per full window\n`
    )
    expect(quota.served()).toBe(8)
  })

  test('a short budget goes to published tracks whose tag moved first, newest first', async () => {
    const quota = await quotaProxy({ limit: 10 })
    // The new image comes first in images.json; the published one must still be served first.
    const folder = workspace(imagesFor(quota.host, ['quota/b', 'quota/a']))
    const name = `${quota.host}/quota/a`
    const published = publishedEarlier(name)
    writeFileSync(join(folder, 'digests.json'), renderDocument(published))
    const expected = expectedDocument(seeded, quota.host, ['quota/a'])
    const run = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(run.code).toBe(0)
    expect(quota.served()).toBe(8)
    const after = readDigests(folder)
    expect(Object.keys(after)).toEqual([name])
    for (const [index, tag] of TAGS.entries()) {
      const source = index < 8 ? expected : published
      expect(after[name]![tag]).toEqual(source[name]![tag])
    }
    expect(run.stderr).toContain('12 manifests deferred')
  })

  test('an image that fails keeps every manifest it read in the state file', async () => {
    const proxy = await startFaultProxy(registry.url)
    try {
      const name = `${proxy.host}/quota/a`
      const folder = workspace(imagesFor(proxy.host, ['quota/a']))
      const broken = indexes['quota/a']!['1.0.0']!
      proxy.setRules([
        {
          method: 'GET',
          path: new RegExp(`/manifests/${broken}$`),
          fault: { kind: 'status', status: 500 }
        }
      ])
      const first = await runCli(['update', '--no-manifests', '--retries', '0'], { cwd: folder })
      expect(first.code).toBe(1)
      expect(first.stderr).toMatch(`error: ${name}: GET `)
      const state = readDigestsState(folder)
      const read = TAGS.filter((tag) => tag !== '1.0.0').map((tag) => indexes['quota/a']![tag]!)
      expect(Object.keys(state.images[name]!).sort()).toEqual(read.sort())

      proxy.setRules([])
      proxy.resetLog()
      const second = await runCli(['update', '--no-manifests'], { cwd: folder })
      expect(second.code).toBe(0)
      const gets = proxy
        .log()
        .filter((entry) => entry.method === 'GET' && entry.url.includes('/manifests/'))
      expect(gets.map((entry) => entry.url)).toEqual([`/v2/quota/a/manifests/${broken}`])
      expect(readDigests(folder)).toEqual(expectedDocument(seeded, proxy.host, ['quota/a']))
    } finally {
      await proxy.stop()
    }
  })
})

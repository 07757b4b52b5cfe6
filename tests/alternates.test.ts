// By-digest reads from wherever the same bytes live (issue 15): the bundled CLI against two real
// registries holding the same images, the image's own behind the Docker-Hub-like quota stand-in
// and the alternate behind the fault proxy, which counts its requests and tampers on request.
import { dockerConfig, runCli, workspace } from './harness/cli.js'
import { ProxyPool } from './harness/proxy-pool.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import type { QuotaProxy } from './harness/quota-proxy.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'
import { expectedDocument, type Seeded } from './harness/digests-expected.js'
import { readDigests, type Digests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const REPOSITORIES = ['same/a', 'same/b', 'same/c']
const TAGS = Array.from({ length: 10 }, (_, minor) => `1.${9 - minor}.0`)
const MANIFEST_GET = /^\/v2\/.+\/manifests\/sha256:[0-9a-f]{64}$/

const manifestGetCount = (proxy: FaultProxy): number =>
  proxy.log().filter((entry) => entry.method === 'GET' && MANIFEST_GET.test(entry.url)).length

describe('alternates and content mirrors', () => {
  let origin: TestRegistry
  let other: TestRegistry
  const seeded: Seeded = {}
  const indexDigests: string[] = []
  const proxies = new ProxyPool()

  beforeAll(async () => {
    origin = await startRegistry()
    other = await startRegistry()
    for (const repository of REPOSITORIES) {
      seeded[repository] = {}
      for (const tag of TAGS) {
        const salt = { salt: `${repository} ${tag}` }
        const pushed = await pushIndex(origin, repository, tag, [AMD64, ARM64], salt)
        // The same build pushed to a second registry: the same bytes, the same digests.
        const copy = await pushIndex(other, `alt/${repository}`, tag, [AMD64, ARM64], salt)
        expect(copy.digest).toBe(pushed.digest)
        seeded[repository][tag] = pushed.manifests
        indexDigests.push(pushed.digest)
      }
    }
  })
  afterAll(async () => {
    await proxies.stop()
    await other?.stop()
    await origin?.stop()
  })

  const quotaProxy = (limit: number): Promise<QuotaProxy> => proxies.quota(origin.url, limit)
  const alternateProxy = (): Promise<FaultProxy> => proxies.fault(other.url)
  const images = (host: string, alternateHost?: string): unknown =>
    REPOSITORIES.map((repository) => ({
      image: `${host}/${repository}`,
      tracks: ['major-minor-patch'],
      ...(alternateHost ? { alternates: [`${alternateHost}/alt/${repository}`] } : {})
    }))
  const expected = (host: string): Digests => expectedDocument(seeded, host, REPOSITORIES)
  const manifestGets = manifestGetCount
  const nonManifestRequests = (proxy: FaultProxy): string[] =>
    proxy
      .log()
      .filter((entry) => entry.url.includes('/tags/') || entry.method === 'HEAD')
      .map((entry) => `${entry.method} ${entry.url}`)

  test('a cold start of 30 manifests completes in one run with zero manifest GETs at the quota', async () => {
    const quota = await quotaProxy(10)
    const alternate = await alternateProxy()
    const folder = workspace(images(quota.host, alternate.host))
    const run = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(quota.host))
    expect(quota.served()).toBe(0)
    expect(quota.refused()).toBe(0)
    expect(manifestGets(alternate)).toBe(30)
    // Tags and what they point at come from the image's own registry only.
    expect(nonManifestRequests(alternate)).toEqual([])
    expect(quota.heads()).toBe(30)
    expect(run.stderr).not.toContain('deferred')
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 30 manifest GETs`)
    expect(run.stderr).toMatch(
      new RegExp(
        `requests to ${quota.host}: \\d+ tag-list pages, 30 manifest HEADs, 0 manifest GETs`
      )
    )
    expect(run.stderr).toMatch(
      new RegExp(
        `requests to ${alternate.host}: 0 tag-list pages, 0 manifest HEADs, 30 manifest GETs`
      )
    )
  })

  test('--plan stays honest: no GET anywhere, the worst case counted, alternates mentioned', async () => {
    const quota = await quotaProxy(10)
    const alternate = await alternateProxy()
    const folder = workspace(images(quota.host, alternate.host))
    const run = await runCli(['update', '--no-manifests', '--plan'], { cwd: folder })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      `plan: ${quota.host}: 30 manifest GETs; quota 10 of 10 per 3600 s left`
    )
    expect(run.stdout).toContain('; alternates configured: GETs may be read there instead')
    expect(quota.served()).toBe(0)
    expect(alternate.log()).toEqual([])
  })

  test('a tampered alternate is named and skipped; the origin serves the rest within its budget', async () => {
    const quota = await quotaProxy(40)
    const alternate = await alternateProxy()
    alternate.setRules([{ method: 'GET', path: /\/manifests\//, fault: { kind: 'corrupt' } }])
    const folder = workspace(images(quota.host, alternate.host))
    // One request at a time, so "skipped for the rest of the run" is exact.
    const run = await runCli(
      ['update', '--no-manifests', '--concurrency', '1', '--requests-per-registry', '1'],
      {
        cwd: folder
      }
    )
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(quota.host))
    const named = run.stderr
      .split('\n')
      .filter((line) => line.includes('served bytes that do not match their digest'))
    expect(named).toHaveLength(1)
    expect(named[0]).toMatch(new RegExp(`^warning: ${alternate.host}/alt/same/[abc] served`))
    expect(manifestGets(alternate)).toBe(1)
    expect(quota.served()).toBe(30)
    expect(quota.refused()).toBe(0)
    expect(run.stderr).not.toContain('pulls saved')
  })

  test('an alternate answering 404 for half the digests: the origin reads only that half', async () => {
    const quota = await quotaProxy(20)
    const alternate = await alternateProxy()
    const missing = new Set(indexDigests.filter((_, index) => index % 2 === 0))
    alternate.setRules([
      {
        method: 'GET',
        path: MANIFEST_GET,
        when: (req) => missing.has(req.url!.split('/').pop()!),
        fault: {
          kind: 'status',
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'not here' }] })
        }
      }
    ])
    const folder = workspace(images(quota.host, alternate.host))
    const run = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(quota.host))
    expect(manifestGets(alternate)).toBe(30)
    expect(quota.served()).toBe(15)
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 15 manifest GETs`)
    expect(run.stderr).not.toContain('do not match their digest')
  })

  test('--content-mirror does the same for every image of a registry, never for tags', async () => {
    const quota = await quotaProxy(10)
    // A pull-through cache holding the registry's repositories under their own names.
    const cacheRegistry = await startRegistry()
    proxies.add(cacheRegistry)
    for (const repository of REPOSITORIES)
      for (const tag of TAGS)
        await pushIndex(cacheRegistry, repository, tag, [AMD64, ARM64], {
          salt: `${repository} ${tag}`
        })
    const cache = await proxies.fault(cacheRegistry.url)
    const folder = workspace(images(quota.host))
    const run = await runCli(
      [
        'update',
        '--no-manifests',
        '--content-mirror',
        `${quota.host}=http://127.0.0.1:1`,
        '--content-mirror',
        `${quota.host}=${cache.url}`
      ],
      { cwd: folder }
    )
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(quota.host))
    expect(quota.served()).toBe(0)
    expect(manifestGets(cache)).toBe(30)
    expect(nonManifestRequests(cache)).toEqual([])
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 30 manifest GETs`)
    expect(run.stderr).toContain(`requests to ${cache.host} (content mirror): 0 tag-list pages`)
  })

  test('an alternate naming the image itself is bad input, with its JSON path', async () => {
    const folder = workspace([{ image: 'ghcr.io/org/app', alternates: ['ghcr.io/org/app'] }])
    const run = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('$[0].alternates[0]: "ghcr.io/org/app" is the image itself')
  })
})

describe("an alternate's credentials are its own registry's", () => {
  const USER = 'robot'
  const PASSWORD = 'origin-only-Passw0rd'
  let origin: TestRegistry
  let other: TestRegistry
  const seeded: Seeded = {}
  const stopping: Array<{ stop(): Promise<void> }> = []

  beforeAll(async () => {
    // A private origin (token auth, no anonymous pulls) and a public alternate that wants
    // tokens too, as GHCR does: each host must see only tokens from its own token server.
    origin = await startRegistry({
      auth: 'token',
      anonymousPull: false,
      users: { [USER]: PASSWORD }
    })
    other = await startRegistry({ auth: 'token', anonymousPull: true })
    for (const repository of REPOSITORIES.slice(0, 2)) {
      seeded[repository] = {}
      for (const tag of TAGS.slice(0, 3)) {
        const salt = { salt: `private ${repository} ${tag}` }
        const pushed = await pushIndex(origin, repository, tag, [AMD64, ARM64], salt)
        await pushIndex(other, `alt/${repository}`, tag, [AMD64, ARM64], salt)
        seeded[repository][tag] = pushed.manifests
      }
    }
  })
  afterAll(async () => {
    for (const server of stopping) await server.stop()
    await other?.stop()
    await origin?.stop()
  })

  test("the origin's password and tokens never reach the alternate", async () => {
    const front = await startFaultProxy(origin.url)
    const alternate = await startFaultProxy(other.url)
    stopping.push(front, alternate)
    const repositories = Object.keys(seeded)
    const folder = workspace(
      repositories.map((repository) => ({
        image: `${front.host}/${repository}`,
        tracks: ['major-minor-patch'],
        alternates: [`${alternate.host}/alt/${repository}`]
      }))
    )
    const config = dockerConfig(folder, { [front.host]: [USER, PASSWORD] })
    await origin.resetRequests()
    const run = await runCli(['update', '--no-manifests'], {
      cwd: folder,
      env: { DOCKER_CONFIG: config }
    })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expectedDocument(seeded, front.host, repositories))
    // Every manifest came from the alternate; the origin answered tag lists and HEADs only.
    expect(countByKind(await origin.requests()).getManifests).toBe(0)
    // Its challenge is learnt by the first GET alone (a 401 costs no pull): the GETs sent
    // meanwhile wait for that answer, not each for a 401 of its own. Each of the 6 index
    // manifests is then read once with the alternate's own token.
    expect(alternate.log().filter((entry) => !entry.bearer)).toHaveLength(1)
    const authorized = alternate
      .log()
      .filter((entry) => entry.bearer && entry.method === 'GET' && MANIFEST_GET.test(entry.url))
    expect(authorized).toHaveLength(6)
    const originTokens = new Set(
      front.log().flatMap((entry) => (entry.bearer ? [entry.authorization] : []))
    )
    expect(originTokens.size).toBeGreaterThan(0)
    const atAlternate = alternate.log().map((entry) => entry.authorization)
    expect(
      atAlternate.filter((header) => header !== undefined && originTokens.has(header))
    ).toHaveLength(0)
    expect(atAlternate.filter((header) => /^basic /i.test(header ?? ''))).toHaveLength(0)
    // The alternate's token server was asked anonymously, never with the origin's user.
    const asked = other.tokenServer!.requests()
    expect(asked.length).toBeGreaterThan(0)
    expect(asked.filter((request) => request.user !== undefined)).toHaveLength(0)
    expect(origin.tokenServer!.requests().every((request) => request.user === USER)).toBe(true)
  })
})

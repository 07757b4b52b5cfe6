// By-digest reads from wherever the same bytes live (issue 15): the bundled CLI against two real
// registries holding the same images, the image's own behind the Docker-Hub-like quota stand-in
// and the alternate behind the fault proxy, which counts its requests and tampers on request.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startQuotaProxy, type QuotaProxy } from './harness/quota-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const REPOSITORIES = ['same/a', 'same/b', 'same/c']
const TAGS = Array.from({ length: 10 }, (_, minor) => `1.${9 - minor}.0`)
const MANIFEST_GET = /^\/v2\/.+\/manifests\/sha256:[0-9a-f]{64}$/

type Document = Record<string, Record<string, Record<string, string>>>

describe('alternates and content mirrors', () => {
  let origin: TestRegistry
  let other: TestRegistry
  /** repository → tag → platform → image manifest digest */
  const seeded: Record<string, Record<string, Record<string, string>>> = {}
  const indexDigests: string[] = []
  const stopping: Array<{ stop(): Promise<void> }> = []

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
    for (const server of stopping) await server.stop()
    await other?.stop()
    await origin?.stop()
  })

  const quotaProxy = async (limit: number): Promise<QuotaProxy> => {
    const quota = await startQuotaProxy(origin.url, { limit })
    stopping.push(quota)
    return quota
  }
  const alternateProxy = async (): Promise<FaultProxy> => {
    const proxy = await startFaultProxy(other.url)
    stopping.push(proxy)
    return proxy
  }
  const images = (host: string, alternateHost?: string): unknown =>
    REPOSITORIES.map((repository) => ({
      image: `${host}/${repository}`,
      tracks: ['major-minor-patch'],
      ...(alternateHost ? { alternates: [`${alternateHost}/alt/${repository}`] } : {})
    }))
  const expected = (host: string): Document => {
    const document: Document = {}
    for (const repository of REPOSITORIES) {
      const name = `${host}/${repository}`
      document[name] = {}
      for (const tag of TAGS) {
        const manifests = seeded[repository]![tag]!
        document[name][tag] = {
          'linux/amd64': `${name}:${tag}@${manifests['linux/amd64']}`,
          'linux/arm64': `${name}:${tag}@${manifests['linux/arm64/v8']}`
        }
      }
    }
    return document
  }
  const readDocument = (folder: string): Document =>
    JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8')) as Document
  const manifestGets = (proxy: FaultProxy): number =>
    proxy.log().filter((entry) => entry.method === 'GET' && MANIFEST_GET.test(entry.url)).length
  const nonManifestRequests = (proxy: FaultProxy): string[] =>
    proxy
      .log()
      .filter((entry) => entry.url.includes('/tags/') || entry.method === 'HEAD')
      .map((entry) => `${entry.method} ${entry.url}`)

  test('a cold start of 30 manifests completes in one run with zero manifest GETs at the quota', async () => {
    const quota = await quotaProxy(10)
    const alternate = await alternateProxy()
    const folder = workspace(images(quota.host, alternate.host))
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDocument(folder)).toEqual(expected(quota.host))
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

  test('a tampered alternate is named and skipped; the origin serves the rest within its budget', async () => {
    const quota = await quotaProxy(40)
    const alternate = await alternateProxy()
    alternate.setRules([{ method: 'GET', path: /\/manifests\//, fault: { kind: 'corrupt' } }])
    const folder = workspace(images(quota.host, alternate.host))
    // One request at a time, so "skipped for the rest of the run" is exact.
    const run = await runCli(['update', '--concurrency', '1', '--requests-per-registry', '1'], {
      cwd: folder
    })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDocument(folder)).toEqual(expected(quota.host))
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
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDocument(folder)).toEqual(expected(quota.host))
    expect(manifestGets(alternate)).toBe(30)
    expect(quota.served()).toBe(15)
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 15 manifest GETs`)
    expect(run.stderr).not.toContain('do not match their digest')
  })

  test('--content-mirror does the same for every image of a registry, never for tags', async () => {
    const quota = await quotaProxy(10)
    // A pull-through cache holding the registry's repositories under their own names.
    const cacheRegistry = await startRegistry()
    stopping.push(cacheRegistry)
    for (const repository of REPOSITORIES)
      for (const tag of TAGS)
        await pushIndex(cacheRegistry, repository, tag, [AMD64, ARM64], {
          salt: `${repository} ${tag}`
        })
    const cache = await startFaultProxy(cacheRegistry.url)
    stopping.push(cache)
    const folder = workspace(images(quota.host))
    const run = await runCli(
      [
        'update',
        '--content-mirror',
        `${quota.host}=http://127.0.0.1:1`,
        '--content-mirror',
        `${quota.host}=${cache.url}`
      ],
      { cwd: folder }
    )
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(readDocument(folder)).toEqual(expected(quota.host))
    expect(quota.served()).toBe(0)
    expect(manifestGets(cache)).toBe(30)
    expect(nonManifestRequests(cache)).toEqual([])
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 30 manifest GETs`)
    expect(run.stderr).toContain(`requests to ${cache.host} (content mirror): 0 tag-list pages`)
  })

  test('an alternate naming the image itself is bad input, with its JSON path', async () => {
    const folder = workspace([{ image: 'ghcr.io/org/app', alternates: ['ghcr.io/org/app'] }])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('$[0].alternates[0]: "ghcr.io/org/app" is the image itself')
  })
})

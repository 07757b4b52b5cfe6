// manifests.json (issue 22, the updater's half): the bundled CLI against the real registry on
// loopback, behind the Docker-Hub-like quota stand-in, which logs every request it forwards.
// Platform-manifest GETs are counted there, by the digests pushIndex returned.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { renderDocument } from '../src/update/digests-document.js'
import { runCli, workspace } from './harness/cli.js'
import { nixSandbox, nixString } from './harness/nix.js'
import type { FaultProxy } from './harness/fault-proxy.js'
import { ProxyPool, answeredGets } from './harness/proxy-pool.js'
import type { QuotaProxy } from './harness/quota-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, pushSingle, type Platform } from './harness/seed.js'
import { expectedDocument, type Seeded } from './harness/digests-expected.js'
import { readDigests, type Digests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const REPOSITORIES = ['several/a', 'several/b', 'several/c']
/** Newest first. 3 × 4 indexes of two platforms: 12 index GETs and 24 platform manifests. */
const TAGS = ['1.3.0', '1.2.0', '1.1.0', '1.0.0']
const MAX_RUNS = 8

type ManifestsFile = Record<string, { mediaType: string; text: string }>

const sha256 = (text: string): string =>
  `sha256:${createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex')}`

const readManifests = (folder: string): ManifestsFile =>
  JSON.parse(readFileSync(join(folder, 'manifests.json'), 'utf8')) as ManifestsFile

/** Every platform digest digests.json references (after the `@`). */
function referencedDigests(document: Digests): string[] {
  const digests = new Set<string>()
  for (const tracks of Object.values(document))
    for (const platforms of Object.values(tracks))
      for (const reference of Object.values(platforms)) digests.add(reference.split('@')[1]!)
  return [...digests].sort()
}

/** manifests.json as the rules say: its keys, each text's hash, its exact layout. */
function expectWellFormed(folder: string): ManifestsFile {
  const text = readFileSync(join(folder, 'manifests.json'), 'utf8')
  const manifests = JSON.parse(text) as ManifestsFile
  expect(text).toBe(renderDocument(manifests))
  for (const [digest, entry] of Object.entries(manifests)) {
    expect(sha256(entry.text)).toBe(digest)
    expect(entry.mediaType).toBe(
      (JSON.parse(entry.text) as { mediaType: string }).mediaType ??
        'application/vnd.oci.image.manifest.v1+json'
    )
  }
  return manifests
}

describe('manifests.json', () => {
  let registry: TestRegistry
  let other: TestRegistry
  const seeded: Seeded = {}
  /** Every platform-manifest digest seeded. */
  const platformDigests = new Set<string>()
  const proxies = new ProxyPool()

  beforeAll(async () => {
    registry = await startRegistry()
    other = await startRegistry()
    for (const repository of REPOSITORIES) {
      seeded[repository] = {}
      for (const tag of TAGS) {
        const salt = { salt: `${repository} ${tag}` }
        const index = await pushIndex(registry, repository, tag, [AMD64, ARM64], salt)
        // The same build in a second registry: the alternate.
        await pushIndex(other, `alt/${repository}`, tag, [AMD64, ARM64], salt)
        seeded[repository][tag] = index.manifests
        for (const digest of Object.values(index.manifests)) platformDigests.add(digest)
      }
    }
  })
  afterAll(async () => {
    await proxies.stop()
    await other?.stop()
    await registry?.stop()
  })

  const quotaProxy = (limit: number): Promise<QuotaProxy> => proxies.quota(registry.url, limit)
  const alternateProxy = (): Promise<FaultProxy> => proxies.fault(other.url)
  const images = (host: string, extra: Record<string, unknown> = {}): unknown =>
    REPOSITORIES.map((repository) => ({
      image: `${host}/${repository}`,
      tracks: ['major-minor-patch'],
      ...extra
    }))
  const expected = (host: string): Digests => expectedDocument(seeded, host, REPOSITORIES)
  /** Platform-manifest GETs a proxy answered (not refused), from its log, from `since` on. */
  const platformGets = (proxy: FaultProxy, since = 0): number =>
    answeredGets(proxy, platformDigests, since)
  const manifestGets = (proxy: FaultProxy, since = 0): number =>
    proxy
      .log()
      .slice(since)
      .filter((entry) => entry.method === 'GET' && entry.url.includes('/manifests/')).length

  test('a cold run publishes exactly the platform manifests digests.json references; a warm one reads none', async () => {
    const quota = await quotaProxy(1000)
    const folder = workspace(images(quota.host))
    const cold = await runCli(['update'], { cwd: folder })
    expect(cold.stderr).not.toContain('error:')
    expect(cold.code).toBe(0)
    const digests = readDigests(folder)
    expect(digests).toEqual(expected(quota.host))
    const manifests = expectWellFormed(folder)
    expect(Object.keys(manifests).sort()).toEqual(referencedDigests(digests))
    expect(Object.keys(manifests)).toHaveLength(24)
    // 12 indexes, then each platform manifest once.
    expect(manifestGets(quota.proxy)).toBe(36)
    expect(platformGets(quota.proxy)).toBe(24)
    expect(cold.stderr).toContain('manifests.json: 24 image manifests added (24 in all)')

    const mark = quota.proxy.log().length
    const warm = await runCli(['update'], { cwd: folder })
    expect(warm.code).toBe(0)
    expect(manifestGets(quota.proxy, mark)).toBe(0)
    expect(readManifests(folder)).toEqual(manifests)
    expect(warm.stderr).toContain('is up to date')
  })

  test('under a pull quota of 10, every digest is published first and the manifests follow in later runs', async () => {
    const quota = await quotaProxy(10)
    const folder = workspace(images(quota.host))
    const want = expected(quota.host)
    let digestsBefore: Digests = {}
    let manifestsBefore: ManifestsFile = {}
    let runs = 0
    for (; runs < MAX_RUNS;) {
      quota.newWindow()
      const mark = quota.proxy.log().length
      const run = await runCli(['update'], { cwd: folder })
      runs++
      expect(run.stderr).not.toContain('error:')
      expect(run.code).toBe(0)
      expect(quota.refused()).toBe(0)
      const digests = readDigests(folder)
      const manifests = existsSync(join(folder, 'manifests.json')) ? expectWellFormed(folder) : {}
      // Nothing published is taken back, neither a reference nor a manifest.
      for (const [image, tracks] of Object.entries(digestsBefore))
        for (const [track, platforms] of Object.entries(tracks))
          expect(digests[image]?.[track]).toEqual(platforms)
      for (const digest of Object.keys(manifestsBefore)) expect(manifests[digest]).toBeDefined()
      // Only what digests.json references, and no platform manifest read while a digest waits.
      const referenced = new Set(referencedDigests(digests))
      for (const digest of Object.keys(manifests)) expect(referenced.has(digest)).toBe(true)
      if (!isDeepStrictEqual(digests, want)) expect(platformGets(quota.proxy, mark)).toBe(0)
      digestsBefore = digests
      manifestsBefore = manifests
      if (isDeepStrictEqual(digests, want) && Object.keys(manifests).length === 24) break
      expect(run.stderr).toMatch(
        new RegExp(
          `warning: ${quota.host}: \\d+ manifests? deferred by its pull quota ` +
            `\\(2 of 10 per 3600 s left, 2 kept in reserve\\)` +
            `( \\(\\d+ of them image manifests for manifests.json\\))?; .*the next run continues`
        )
      )
    }
    // 12 index GETs and 24 platform GETs at 8 a run (10 less the reserve of 2).
    expect(runs).toBe(5)
    expect(quota.served()).toBe(36)
    const settled = quota.proxy.log().length
    const after = await runCli(['update'], { cwd: folder })
    expect(after.code).toBe(0)
    expect(manifestGets(quota.proxy, settled)).toBe(0)
  })

  test('alternates serve the manifests: no origin GET; a lying alternate is skipped', async () => {
    const quota = await quotaProxy(10)
    const alternate = await alternateProxy()
    const withAlternates = (host: string): unknown =>
      REPOSITORIES.map((repository) => ({
        image: `${host}/${repository}`,
        tracks: ['major-minor-patch'],
        alternates: [`${alternate.host}/alt/${repository}`]
      }))
    const folder = workspace(withAlternates(quota.host))
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(quota.host))
    expect(Object.keys(expectWellFormed(folder))).toHaveLength(24)
    expect(quota.served()).toBe(0)
    expect(platformGets(alternate)).toBe(24)
    expect(run.stderr).toContain(`pulls saved at ${quota.host}: 36 manifest GETs`)

    // A second alternate that alters every platform manifest it serves: named once, skipped,
    // and the origin serves what it would not.
    const roomy = await quotaProxy(100)
    const liar = await alternateProxy()
    liar.setRules([
      {
        method: 'GET',
        path: /\/manifests\/sha256:/,
        when: (req) => platformDigests.has(req.url!.split('/').pop()!),
        fault: { kind: 'corrupt' }
      }
    ])
    const lied = workspace(
      REPOSITORIES.map((repository) => ({
        image: `${roomy.host}/${repository}`,
        tracks: ['major-minor-patch'],
        alternates: [`${liar.host}/alt/${repository}`]
      }))
    )
    const honest = await runCli(['update', '--requests-per-registry', '1'], { cwd: lied })
    expect(honest.stderr).not.toContain('error:')
    expect(honest.code).toBe(0)
    expect(readDigests(lied)).toEqual(expected(roomy.host))
    const published = expectWellFormed(lied)
    expect(Object.keys(published)).toHaveLength(24)
    const named = honest.stderr
      .split('\n')
      .filter((line) => line.includes('served bytes that do not match their digest'))
    expect(named).toHaveLength(1)
    expect(platformGets(liar)).toBe(1)
    expect(platformGets(roomy.proxy)).toBe(24)
  })

  test('a tampered entry is dropped with a warning and read again; nothing else is', async () => {
    const quota = await quotaProxy(1000)
    const folder = workspace(images(quota.host))
    expect((await runCli(['update'], { cwd: folder })).code).toBe(0)
    const manifests = readManifests(folder)
    const [victim] = Object.keys(manifests).sort()
    const forged = { ...manifests }
    forged[victim!] = {
      ...forged[victim!]!,
      text: forged[victim!]!.text.replace('layers', 'layerz')
    }
    writeFileSync(join(folder, 'manifests.json'), renderDocument(forged))
    const mark = quota.proxy.log().length
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(
      new RegExp(
        `warning: .*manifests.json: \\$\\["${victim}"\\]: the text hashes to sha256:[0-9a-f]{64} ` +
          '\\(rule: text hashes to its key\\); dropped, to be read again from the registry'
      )
    )
    expect(manifestGets(quota.proxy, mark)).toBe(1)
    expect(readManifests(folder)).toEqual(manifests)
  })

  test('switched off per entry or for the run: those manifests are neither read nor kept', async () => {
    const quota = await quotaProxy(1000)
    const [first, ...rest] = REPOSITORIES
    const folder = workspace([
      { image: `${quota.host}/${first}`, tracks: ['major-minor-patch'], manifests: false },
      ...rest.map((repository) => ({
        image: `${quota.host}/${repository}`,
        tracks: ['major-minor-patch']
      }))
    ])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(0)
    const digests = readDigests(folder)
    const manifests = expectWellFormed(folder)
    const offDigests = referencedDigests({ x: digests[`${quota.host}/${first}`]! })
    expect(Object.keys(manifests)).toHaveLength(16)
    for (const digest of offDigests) expect(manifests[digest]).toBeUndefined()
    expect(platformGets(quota.proxy)).toBe(16)

    const dry = workspace(images(quota.host))
    const dryRun = await runCli(['update', '--dry-run'], { cwd: dry })
    expect(dryRun.code).toBe(0)
    expect(dryRun.stderr).toContain('manifests.json: 24 image manifests would be added (24 in all)')
    expect(existsSync(join(dry, 'manifests.json'))).toBe(false)

    const off = workspace(images(quota.host))
    const mark = quota.proxy.log().length
    const quiet = await runCli(['update', '--no-manifests'], { cwd: off })
    expect(quiet.code).toBe(0)
    expect(existsSync(join(off, 'manifests.json'))).toBe(false)
    expect(platformGets(quota.proxy, mark)).toBe(0)
    const both = await runCli(['update', '--no-manifests', '--manifests', 'x.json'], { cwd: off })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--manifests and --no-manifests contradict each other')
  })

  test('a single-manifest tag and --manifests FILE: the manifest the run read costs nothing more', async () => {
    const single = await pushSingle(registry, 'single/app', '2.0.0', AMD64, { salt: 'single' })
    const quota = await quotaProxy(1000)
    const folder = workspace([
      {
        image: `${quota.host}/single/app`,
        tracks: ['major-minor-patch'],
        platforms: ['linux/amd64']
      }
    ])
    const run = await runCli(['update', '--manifests', 'm.json'], { cwd: folder })
    expect(run.stderr).not.toContain('error:')
    expect(run.code).toBe(0)
    expect(manifestGets(quota.proxy)).toBe(1)
    const manifests = JSON.parse(readFileSync(join(folder, 'm.json'), 'utf8')) as ManifestsFile
    expect(Object.keys(manifests)).toEqual([single.digest])
    expect(sha256(manifests[single.digest]!.text)).toBe(single.digest)
    expect(existsSync(join(folder, 'manifests.json'))).toBe(false)
  })

  test('a manifest served corrupted is not published, its reference is; the next run publishes it', async () => {
    // A plain fault proxy: the quota stand-in decides every manifest answer itself.
    const front = await proxies.fault(registry.url)
    const [victim] = [...platformDigests].sort()
    front.setRules([
      { method: 'GET', path: new RegExp(`/manifests/${victim}$`), fault: { kind: 'corrupt' } }
    ])
    const folder = workspace(images(front.host))
    const first = await runCli(['update'], { cwd: folder })
    front.setRules([])
    expect(first.code).toBe(0)
    expect(readDigests(folder)).toEqual(expected(front.host))
    expect(first.stderr).toMatch(
      new RegExp(
        `warning: ${front.host}/several/[abc]: platform manifest ${victim} not published: ` +
          '.*content does not match its digest.*the next run tries again'
      )
    )
    const partial = expectWellFormed(folder)
    expect(Object.keys(partial)).toHaveLength(23)
    expect(partial[victim!]).toBeUndefined()

    const mark = front.log().length
    const second = await runCli(['update'], { cwd: folder })
    expect(second.code).toBe(0)
    expect(manifestGets(front, mark)).toBe(1)
    expect(Object.keys(expectWellFormed(folder))).toHaveLength(24)
  })

  test('an image that fails keeps its published manifests and its registry is not asked for them', async () => {
    const quota = await quotaProxy(1000)
    const folder = workspace(images(quota.host))
    expect((await runCli(['update'], { cwd: folder })).code).toBe(0)
    const published = readManifests(folder)
    // Its published references point at digests missing from the file now.
    const trimmed = Object.fromEntries(
      Object.entries(published).filter(
        ([digest]) =>
          !Object.values(seeded['several/a']!).some((platforms) =>
            Object.values(platforms).includes(digest)
          )
      )
    )
    expect(Object.keys(trimmed)).toHaveLength(16)
    const kept = Object.keys(published).find((digest) => !(digest in trimmed))!
    writeFileSync(
      join(folder, 'manifests.json'),
      renderDocument({ ...trimmed, [kept]: published[kept] })
    )
    quota.proxy.setRules([
      { path: /^\/v2\/several\/a\/tags\//, fault: { kind: 'status', status: 500 } }
    ])
    const mark = quota.proxy.log().length
    try {
      const run = await runCli(['update', '--retries', '0'], { cwd: folder })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`error: ${quota.host}/several/a: `)
    } finally {
      quota.proxy.setRules([])
    }
    expect(readDigests(folder)).toEqual(expected(quota.host))
    const after = expectWellFormed(folder)
    expect(Object.keys(after).sort()).toEqual([...Object.keys(trimmed), kept].sort())
    expect(manifestGets(quota.proxy, mark)).toBe(0)
  })

  test('real Nix reads every text back to its digest, non-ASCII and escapes included', async () => {
    const title = 'café ✓ 😀 \u2028 "quoted" \\ ${not.nix} \t tab'
    const single = await pushSingle(registry, 'unicode/app', '3.0.0', AMD64, {
      salt: 'unicode',
      annotations: { 'org.opencontainers.image.title': title }
    })
    const quota = await quotaProxy(1000)
    const folder = workspace(images(quota.host))
    writeFileSync(
      join(folder, 'images.json'),
      JSON.stringify([
        ...(images(quota.host) as object[]),
        { image: `${quota.host}/unicode/app`, tracks: ['major'], platforms: ['linux/amd64'] }
      ])
    )
    expect((await runCli(['update'], { cwd: folder })).code).toBe(0)
    const manifests = expectWellFormed(folder)
    const published = JSON.parse(manifests[single.digest]!.text) as {
      annotations: Record<string, string>
    }
    expect(published.annotations['org.opencontainers.image.title']).toBe(title)
    const nix = await nixSandbox('manifests')
    try {
      const path = join(folder, 'manifests.json')
      const checked = await nix.nixJson<Record<string, boolean>>(
        folder,
        '--impure',
        '--expr',
        `let m = builtins.fromJSON (builtins.readFile ${nixString(path)}); in ` +
          'builtins.mapAttrs (digest: entry: "sha256:" + builtins.hashString "sha256" entry.text == digest) m'
      )
      expect(Object.keys(checked)).toHaveLength(25)
      expect(Object.values(checked).every(Boolean)).toBe(true)
    } finally {
      await nix.cleanup()
    }
  }, 120_000)

  test('--plan counts the platform manifests a cold run would read, and none once published', async () => {
    const quota = await quotaProxy(10)
    const folder = workspace(images(quota.host))
    const plan = await runCli(['update', '--plan'], { cwd: folder })
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain(
      `plan: ${quota.host}: 36 manifest GETs (24 of them image manifests for manifests.json); ` +
        'quota 10 of 10 per 3600 s left, 8 to spend now with 2 kept in reserve; 5 runs'
    )
    const off = await runCli(['update', '--plan', '--no-manifests'], { cwd: folder })
    expect(off.stdout).toContain(`plan: ${quota.host}: 12 manifest GETs; quota`)
    expect(quota.served()).toBe(0)
  })
})

// Registries misbehave: every fault public registries show, injected by a proxy in front of the
// real registry. Each scenario runs the bundled CLI over two images: one reached through the
// faulty proxy, one straight from the registry. The faulty one must recover with correct output
// or fail alone with a clear message and its previous entries; the healthy one must update; and
// digests.json must be exactly the expected document after every scenario.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderDocument } from '../src/update/digests-document.js'
import { runCli, workspace, type CliRun } from './harness/cli.js'
import {
  startFaultProxy,
  type FaultProxy,
  type FaultRule,
  type ProxyEntry
} from './harness/fault-proxy.js'
import { streamLazily } from './harness/hostile.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, pushSingle, type Platform } from './harness/seed.js'
import type { Digests, ImageEntry } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const MIB = 1024 * 1024

/** What a repository holds, as `name → expected entry`. */
type Expected = (written: string) => ImageEntry

/**
 * Every request kind a run makes: tag-list pages, HEADs, index and manifest GETs, and a config
 * blob GET (2.1.0 is single-arch, amd64 only, so track 2's arm64 comes from 2.0.0).
 */
async function seedApp(registry: TestRegistry, repo: string): Promise<Expected> {
  const v110 = await pushIndex(registry, repo, ['1.0.0', '1.1.0'], [AMD64, ARM64], {
    attestations: true,
    salt: `${repo} 1.1.0`
  })
  const v200 = await pushIndex(registry, repo, '2.0.0', [AMD64, ARM64], {
    mediaType: 'docker',
    salt: `${repo} 2.0.0`
  })
  const v210 = await pushSingle(registry, repo, '2.1.0', AMD64, { salt: `${repo} 2.1.0` })
  return (written) => ({
    '1': {
      'linux/amd64': `${written}:1.1.0@${v110.manifests['linux/amd64']}`,
      'linux/arm64': `${written}:1.1.0@${v110.manifests['linux/arm64/v8']}`
    },
    '2': {
      'linux/amd64': `${written}:2.1.0@${v210.digest}`,
      'linux/arm64': `${written}:2.0.0@${v200.manifests['linux/arm64/v8']}`
    }
  })
}

/** An entry from an earlier run: the digests users have pinned and must not lose. */
function previousEntry(written: string): ImageEntry {
  const old = (n: string): string => `sha256:${n.repeat(64)}`
  return {
    '1': {
      'linux/amd64': `${written}:1.0.0@${old('1')}`,
      'linux/arm64': `${written}:1.0.0@${old('2')}`
    },
    '2': { 'linux/amd64': `${written}:2.0.0@${old('3')}` }
  }
}

// Every run leaves manifests.json out (--no-manifests): these scenarios are about digests.json;
// tests/manifests.test.ts puts faults on the platform-manifest reads.

/** Small limits keep the suite fast: 1 s per attempt, 2 retries, 6 s per request. */
const FAST = ['--timeout', '1', '--retries', '2', '--deadline', '6']

interface Setup {
  registry: TestRegistry
  proxy: FaultProxy
  /** Names as written in images.json. */
  faulty: string
  healthy: string
  expected: { faulty: ImageEntry; healthy: ImageEntry }
}

interface Outcome {
  run: CliRun
  folder: string
}

/** A workspace with both images and the previous digests.json, run once under `rules`. */
async function scenario(
  setup: Setup,
  rules: FaultRule[],
  args: string[] = FAST,
  timeoutMs = 60_000
): Promise<Outcome> {
  const folder = workspace([
    { image: setup.faulty, tracks: ['major'] },
    { image: setup.healthy, tracks: ['major'] }
  ])
  writeFileSync(join(folder, 'digests.json'), renderDocument(previous(setup)))
  setup.proxy.setRules(rules)
  setup.proxy.resetLog()
  try {
    const run = await runCli(['update', '--no-manifests', '--page-size', '2', ...args], {
      cwd: folder,
      timeoutMs
    })
    return { run, folder }
  } finally {
    setup.proxy.setRules([])
  }
}

const previous = (setup: Setup): Digests => ({
  [setup.faulty]: previousEntry(setup.faulty),
  [setup.healthy]: previousEntry(setup.healthy)
})

/** digests.json is byte for byte the canonical rendering of `document`, and nothing is left over. */
function expectDocument(folder: string, document: Digests): void {
  const text = readFileSync(join(folder, 'digests.json'), 'utf8')
  expect(JSON.parse(text)).toEqual(document)
  expect(text).toBe(renderDocument(document))
  expect(readdirSync(folder).sort()).toEqual(['digests.json', 'digests.state.json', 'images.json'])
  JSON.parse(readFileSync(join(folder, 'digests.state.json'), 'utf8'))
}

function expectRecovered(setup: Setup, outcome: Outcome): void {
  expect(outcome.run.stderr).not.toContain('error:')
  expect(outcome.run.code).toBe(0)
  expectDocument(outcome.folder, {
    [setup.faulty]: setup.expected.faulty,
    [setup.healthy]: setup.expected.healthy
  })
}

function expectFailed(setup: Setup, outcome: Outcome, message: RegExp): void {
  expect(outcome.run.code).toBe(1)
  const errors = outcome.run.stderr.split('\n').filter((line) => line.startsWith('error:'))
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(`error: ${setup.faulty}: `)
  expect(errors[0]).toMatch(message)
  expect(errors[0]).toMatch(/\(previous entries kept\)$/)
  expectDocument(outcome.folder, {
    [setup.faulty]: previousEntry(setup.faulty),
    [setup.healthy]: setup.expected.healthy
  })
}

/**
 * The requests that met a stall were all in flight at once (every one's first attempt came before
 * any retry), each was tried exactly 3 times at least `timeoutMs` apart (the client's lower bound,
 * not the machine's speed), and no request the proxy saw after the first stall was a new one.
 */
function expectStalledTogether(log: ProxyEntry[], timeoutMs: number): void {
  const first = log.findIndex((entry) => entry.action === 'stall')
  expect(first).toBeGreaterThanOrEqual(0)
  const after = log.slice(first)
  expect(after.every((entry) => entry.action === 'stall')).toBe(true)
  const urls = [...new Set(after.map((entry) => `${entry.method} ${entry.url}`))]
  expect(after.slice(0, urls.length).map((entry) => `${entry.method} ${entry.url}`)).toEqual(urls)
  for (const url of urls) {
    const attempts = after.filter((entry) => `${entry.method} ${entry.url}` === url)
    expect(attempts).toHaveLength(3)
    for (let i = 1; i < attempts.length; i++)
      expect(attempts[i]!.at - attempts[i - 1]!.at).toBeGreaterThanOrEqual(timeoutMs - 1)
  }
}

const TAGS = /\/tags\/list/
const FIRST_TAG_PAGE = /\/tags\/list\?n=2$/
const MANIFEST_BY_DIGEST = /\/manifests\/sha256:/
const MANIFEST = /\/manifests\//
const BLOB = /\/blobs\//
const ANY = /./

/** Seeds the faulty image (reached through `proxy`) and the healthy one (reached directly). */
async function seedSetup(registry: TestRegistry, proxy: FaultProxy): Promise<Setup> {
  const faultyApp = await seedApp(registry, 'faulty/app')
  const healthyApp = await seedApp(registry, 'healthy/app')
  const faulty = `${proxy.host}/faulty/app`
  const healthy = `${registry.host}/healthy/app`
  return {
    registry,
    proxy,
    faulty,
    healthy,
    expected: { faulty: faultyApp(faulty), healthy: healthyApp(healthy) }
  }
}

describe('faults from a registry without auth', () => {
  let registry: TestRegistry
  let proxy: FaultProxy
  let setup: Setup

  beforeAll(async () => {
    registry = await startRegistry({ paginateTags: true })
    proxy = await startFaultProxy(registry.url)
    setup = await seedSetup(registry, proxy)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  test('no fault: both images update (the baseline every scenario departs from)', async () => {
    const outcome = await scenario(setup, [])
    expectRecovered(setup, outcome)
    expect(outcome.run.stdout).toContain(`updated ${setup.faulty} 1 linux/amd64:`)
  })

  describe('429 Too Many Requests', () => {
    test('Retry-After in seconds is waited out, then the run recovers', async () => {
      const rule = { method: 'GET', path: FIRST_TAG_PAGE, times: 1 }
      const outcome = await scenario(setup, [
        { ...rule, fault: { kind: 'status', status: 429, headers: { 'retry-after': '2' } } }
      ])
      expectRecovered(setup, outcome)
      const pages = proxy.log().filter((entry) => FIRST_TAG_PAGE.test(entry.url))
      expect(pages.map((entry) => entry.action)).toEqual(['status', 'forward'])
      // The retry came no sooner than the 2 s asked for: the proxy stamps both arrivals, and the
      // client's wait starts after the first one (less 1 ms for the clock's whole milliseconds).
      expect(pages[1]!.at - pages[0]!.at).toBeGreaterThanOrEqual(2000 - 1)
    })

    test('Retry-After as an HTTP-date is waited out, then the run recovers', async () => {
      // HTTP-dates have whole seconds: 3 s ahead is at least 2 s away.
      const date = new Date(Date.now() + 3000).toUTCString()
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          times: 1,
          fault: { kind: 'status', status: 429, headers: { 'retry-after': date } }
        }
      ])
      expectRecovered(setup, outcome)
      // The refused manifest was asked for again, and not before the date it was told.
      const log = proxy.log()
      const refused = log.find((entry) => entry.action === 'status')!
      const retry = log.find((entry) => entry !== refused && entry.url === refused.url)
      expect(retry).toMatchObject({ method: 'GET', action: 'forward' })
      expect(retry!.at).toBeGreaterThanOrEqual(Date.parse(date) - 1)
    })

    test('a Retry-After past the deadline fails the image at once instead of waiting', async () => {
      const outcome = await scenario(setup, [
        {
          path: MANIFEST,
          fault: { kind: 'status', status: 429, headers: { 'retry-after': '3600' } }
        }
      ])
      expectFailed(setup, outcome, /429 Too Many Requests, Retry-After 3600 s is past the deadline/)
      // Each refused request was sent once: no wait, no retry (waiting would also outlast the
      // run's 60 s limit in scenario()).
      const refused = proxy.log().filter((entry) => entry.action === 'status')
      expect(refused.length).toBeGreaterThan(0)
      expect(new Set(refused.map((entry) => `${entry.method} ${entry.url}`)).size).toBe(
        refused.length
      )
    })
  })

  describe('500, 502 and 503', () => {
    test('one of each on different request kinds: retried, the run recovers', async () => {
      const outcome = await scenario(setup, [
        { path: TAGS, times: 1, fault: { kind: 'status', status: 500 } },
        { method: 'HEAD', path: MANIFEST, times: 1, fault: { kind: 'status', status: 502 } },
        { path: BLOB, times: 1, fault: { kind: 'status', status: 503 } }
      ])
      expectRecovered(setup, outcome)
      expect(proxy.log().filter((entry) => entry.action === 'status')).toHaveLength(3)
    })

    test.each([500, 502, 503])('%i on every manifest GET: the image fails', async (status) => {
      const outcome = await scenario(setup, [
        { method: 'GET', path: MANIFEST, fault: { kind: 'status', status } }
      ])
      expectFailed(
        setup,
        outcome,
        new RegExp(
          `GET http://${setup.faulty.split('/')[0]}/v2/faulty/app/manifests/sha256:[0-9a-f]{64}: ${status} \\w.*\\(3 attempts\\)`
        )
      )
    })
  })

  describe('connection resets', () => {
    test('a reset on a HEAD and on a blob is retried, the run recovers', async () => {
      const outcome = await scenario(setup, [
        { method: 'HEAD', path: MANIFEST, times: 1, fault: { kind: 'reset' } },
        { path: BLOB, times: 1, fault: { kind: 'reset' } }
      ])
      expectRecovered(setup, outcome)
    })

    test('every connection reset: the image fails, naming the network error', async () => {
      const outcome = await scenario(setup, [{ path: ANY, fault: { kind: 'reset' } }])
      expectFailed(
        setup,
        outcome,
        /tags\/list: connection (closed by the registry|reset) \((UND_ERR_SOCKET|ECONNRESET)\) \(3 attempts\)/
      )
    })
  })

  describe('stalls', () => {
    test('one stalled manifest GET times out and is retried, the run recovers', async () => {
      const outcome = await scenario(setup, [
        { method: 'GET', path: MANIFEST_BY_DIGEST, times: 1, fault: { kind: 'stall' } }
      ])
      expectRecovered(setup, outcome)
    })

    test('a registry that stops answering fails its image within the deadline', async () => {
      const outcome = await scenario(setup, [{ path: ANY, fault: { kind: 'stall' } }])
      // The last attempt's bound is what the request's deadline leaves of 1 s: on a loaded
      // machine the backoff can eat into it, so 0.9 s is as right as 1 s.
      expectFailed(setup, outcome, /no answer within (1|0\.\d) s \(3 attempts\)/)
      // The first request, the tag list, was the only one: 3 attempts, then the image gave up.
      expectStalledTogether(proxy.log(), 1000)
      expect(proxy.log().map((entry) => entry.url)).toEqual(Array(3).fill(proxy.log()[0]!.url))
      expect(proxy.log()[0]!.url).toMatch(TAGS)
    })

    test('once the registry is marked unreachable, its later requests fail at once', async () => {
      // The tag list answers; every HEAD stalls. One request at a time, so the second track's
      // HEAD waits its turn behind the first: once the first gives up, the second is never sent.
      const outcome = await scenario(
        setup,
        [{ method: 'HEAD', path: ANY, fault: { kind: 'stall' } }],
        [...FAST, '--requests-per-registry', '1']
      )
      expectFailed(setup, outcome, /no answer within (1|0\.\d) s/)
      expectStalledTogether(proxy.log(), 1000)
      const heads = new Set(
        proxy.log().flatMap((entry) => (entry.method === 'HEAD' ? [entry.url] : []))
      )
      expect(heads.size).toBe(1)
    })
  })

  describe('truncated bodies', () => {
    test('a connection cut mid-body is retried, the run recovers', async () => {
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          times: 1,
          fault: { kind: 'truncate', bytes: 40, keepLength: true }
        },
        { path: TAGS, times: 1, fault: { kind: 'truncate', bytes: 10, keepLength: true } }
      ])
      expectRecovered(setup, outcome)
    })

    test('every manifest cut mid-body: the image fails', async () => {
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          fault: { kind: 'truncate', bytes: 40, keepLength: true }
        }
      ])
      expectFailed(
        setup,
        outcome,
        /manifests\/sha256:[0-9a-f]{64}: body: connection closed by the registry \(UND_ERR_SOCKET\) \(3 attempts\)/
      )
    })

    test('a manifest that ends cleanly but short fails its digest check', async () => {
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          fault: { kind: 'truncate', bytes: 40, keepLength: false }
        }
      ])
      expectFailed(setup, outcome, /content does not match its digest/)
    })

    test('a tag list that ends cleanly but short is refused as not JSON', async () => {
      const outcome = await scenario(setup, [
        { path: TAGS, fault: { kind: 'truncate', bytes: 20, keepLength: false } }
      ])
      expectFailed(setup, outcome, /tags\/list: tag list is not JSON/)
    })

    test('a cut body on one repository does not fail the other images on that registry', async () => {
      // A third image on the same faulty host, resolved after the failing one.
      const other = `${proxy.host}/healthy/app`
      const folder = workspace([
        { image: setup.faulty, tracks: ['major'] },
        { image: other, tracks: ['major'] },
        { image: setup.healthy, tracks: ['major'] }
      ])
      const before = { ...previous(setup), [other]: previousEntry(other) }
      writeFileSync(join(folder, 'digests.json'), renderDocument(before))
      proxy.setRules([
        {
          method: 'GET',
          path: /\/faulty\/app\/manifests\/sha256:/,
          fault: { kind: 'truncate', bytes: 40, keepLength: true }
        }
      ])
      try {
        const run = await runCli(['update', '--no-manifests', '--concurrency', '1', ...FAST], {
          cwd: folder
        })
        expect(run.code).toBe(1)
        expect(run.stderr).toMatch(`error: ${setup.faulty}: `)
        expect(run.stderr).not.toMatch(`error: ${other}: `)
        expectDocument(folder, {
          [setup.faulty]: previousEntry(setup.faulty),
          [other]: rename(setup.expected.healthy, setup.healthy, other),
          [setup.healthy]: setup.expected.healthy
        })
      } finally {
        proxy.setRules([])
      }
    })
  })

  describe('content that is not what it claims', () => {
    test('a manifest whose bytes do not match its digest fails the image', async () => {
      const outcome = await scenario(setup, [
        { method: 'GET', path: MANIFEST_BY_DIGEST, fault: { kind: 'corrupt' } }
      ])
      expectFailed(
        setup,
        outcome,
        /content does not match its digest: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64}/
      )
    })

    test('a config blob whose bytes do not match its digest fails the image', async () => {
      const outcome = await scenario(setup, [{ path: BLOB, fault: { kind: 'corrupt' } }])
      expectFailed(setup, outcome, /blobs\/sha256:[0-9a-f]{64}: content does not match its digest/)
    })

    test('an oversized manifest is refused from its Content-Length', async () => {
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          fault: {
            kind: 'respond',
            handler: (_req, res) => {
              res.writeHead(200, {
                'content-type': 'application/vnd.oci.image.index.v1+json',
                'content-length': String(5 * MIB)
              })
              res.on('error', () => undefined)
              res.end(Buffer.alloc(5 * MIB, 0x20))
            }
          }
        }
      ])
      expectFailed(setup, outcome, /response of 5242880 bytes exceeds the 4194304-byte limit/)
    })

    test('an oversized manifest without Content-Length is cut off at the limit', async () => {
      const outcome = await scenario(setup, [
        {
          method: 'GET',
          path: MANIFEST_BY_DIGEST,
          fault: {
            kind: 'respond',
            handler: (_req, res) =>
              void streamLazily(res, { prefix: '{"manifests":[', limit: 64 * MIB })
          }
        }
      ])
      expectFailed(setup, outcome, /response exceeds the 4194304-byte limit/)
    })
  })

  describe('tag lists that do not end', () => {
    test('a Link header that loops back to an earlier page', async () => {
      const outcome = await scenario(setup, [
        {
          path: /\/tags\/list\?.*last=/,
          fault: {
            kind: 'headers',
            rewrite: (headers, url) => {
              headers.link = `<${url.pathname}?n=2>; rel="next"`
            }
          }
        }
      ])
      expectFailed(setup, outcome, /Link header points back to a page already read/)
    })

    test('an endless chain of new pages stops at the page limit', async () => {
      const outcome = await scenario(setup, [
        {
          path: TAGS,
          fault: {
            kind: 'respond',
            handler: (_req, res, url) => {
              const page = Number(url.searchParams.get('last')?.replace('endless-', '') ?? 0) + 1
              res.writeHead(200, {
                'content-type': 'application/json',
                link: `<${url.pathname}?n=2&last=endless-${page}>; rel="next"`
              })
              res.end(JSON.stringify({ name: 'faulty/app', tags: [`endless-${page}`] }))
            }
          }
        }
      ])
      expectFailed(setup, outcome, /tag list did not end within 1000 pages/)
      expect(proxy.log().filter((entry) => TAGS.test(entry.url))).toHaveLength(1000)
    })

    test('an endless tag list body is cut off at the size limit', async () => {
      const outcome = await scenario(setup, [
        {
          path: TAGS,
          fault: {
            kind: 'respond',
            handler: (_req, res) =>
              void streamLazily(res, { prefix: '{"tags":["', limit: 64 * MIB })
          }
        }
      ])
      expectFailed(setup, outcome, /response exceeds the 16777216-byte limit/)
    })
  })

  describe('a run killed part way', () => {
    /** Loaded into the CLI: SIGKILL itself when it is about to rename a temp file onto `target`. */
    const KILL_AT_RENAME = [
      "import { createRequire, syncBuiltinESMExports } from 'node:module'",
      'const fsp = createRequire(import.meta.url)("node:fs/promises")',
      'const rename = fsp.rename',
      'fsp.rename = async (from, to) => {',
      '  if (String(to).endsWith(process.env.KILL_AT_RENAME)) process.kill(process.pid, "SIGKILL")',
      '  return rename(from, to)',
      '}',
      'syncBuiltinESMExports()'
    ].join('\n')

    test.each(['digests.state.json', 'digests.json'])(
      'killed just before renaming %s over the old file: the old digests.json is intact',
      async (target) => {
        const folder = workspace([
          { image: setup.faulty, tracks: ['major'] },
          { image: setup.healthy, tracks: ['major'] }
        ])
        const old = renderDocument(previous(setup))
        writeFileSync(join(folder, 'digests.json'), old)
        const preload = join(folder, 'kill-at-rename.mjs')
        writeFileSync(preload, KILL_AT_RENAME)
        const killed = await spawnCli(folder, ['--import', preload], { KILL_AT_RENAME: target })
        expect(killed).toBe('SIGKILL')
        expect(readFileSync(join(folder, 'digests.json'), 'utf8')).toBe(old)
        // The next run finishes the job from whatever the killed one left behind.
        const run = await runCli(['update', '--no-manifests', ...FAST], { cwd: folder })
        expect(run.code).toBe(0)
        expect(JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))).toEqual({
          [setup.faulty]: setup.expected.faulty,
          [setup.healthy]: setup.expected.healthy
        })
      }
    )

    test('killed at any moment of a slow run: digests.json is the old or the new document', async () => {
      const old = renderDocument(previous(setup))
      const updated = renderDocument({
        [setup.faulty]: setup.expected.faulty,
        [setup.healthy]: setup.expected.healthy
      })
      // Every request through the proxy takes 40 ms, so the run lasts about a second.
      proxy.setRules([{ path: ANY, fault: { kind: 'stall', ms: 40 } }])
      const seen = new Set<string>()
      try {
        for (const delay of [50, 200, 400, 600, 800, 1000, 1300, 2000]) {
          const folder = workspace([
            { image: setup.faulty, tracks: ['major'] },
            { image: setup.healthy, tracks: ['major'] }
          ])
          writeFileSync(join(folder, 'digests.json'), old)
          await spawnCli(folder, [], {}, delay)
          const text = readFileSync(join(folder, 'digests.json'), 'utf8')
          expect([old, updated]).toContain(text)
          seen.add(text === old ? 'old' : 'new')
        }
      } finally {
        proxy.setRules([])
      }
      // The kill points span the run: some runs were cut short, the last one finished.
      expect([...seen].sort()).toEqual(['new', 'old'])
    })
  })
})

describe('faults from a registry with token auth', () => {
  let registry: TestRegistry
  let tokenProxy: FaultProxy
  let proxy: FaultProxy
  let setup: Setup

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', paginateTags: true })
    tokenProxy = await startFaultProxy(new URL(registry.tokenUrl!).origin)
    // The faulty image's challenges send it to the token service through its own proxy.
    proxy = await startFaultProxy(registry.url, {
      rewriteHeaders: (headers) => {
        const challenge = headers['www-authenticate']
        if (challenge)
          headers['www-authenticate'] = challenge.replace(
            registry.tokenUrl!,
            `${tokenProxy.url}/token`
          )
      }
    })
    setup = await seedSetup(registry, proxy)
  })
  afterAll(async () => {
    await proxy?.stop()
    await tokenProxy?.stop()
    await registry?.stop()
  })

  beforeEach(() => {
    tokenProxy.setRules([])
    tokenProxy.resetLog()
  })

  test('no fault: one token for the faulty image, fetched through its proxy', async () => {
    const outcome = await scenario(setup, [])
    expectRecovered(setup, outcome)
    expect(tokenProxy.log()).toHaveLength(1)
  })

  test('a token service that fails once is retried, the run recovers', async () => {
    tokenProxy.setRules([{ path: /\/token/, times: 1, fault: { kind: 'status', status: 503 } }])
    const outcome = await scenario(setup, [])
    expectRecovered(setup, outcome)
    expect(tokenProxy.log().map((entry) => entry.action)).toEqual(['status', 'forward'])
  })

  test('a token service that keeps failing fails the image, naming the token service', async () => {
    tokenProxy.setRules([{ path: /\/token/, fault: { kind: 'status', status: 500 } }])
    const outcome = await scenario(setup, [])
    expectFailed(
      setup,
      outcome,
      new RegExp(`GET ${tokenProxy.url}/token: 500 Internal Server Error \\(3 attempts\\)`)
    )
  })

  test('a token service that refuses fails the image with the refusal', async () => {
    tokenProxy.setRules([{ path: /\/token/, fault: { kind: 'status', status: 401 } }])
    const outcome = await scenario(setup, [])
    expectFailed(setup, outcome, /token service answered 401 Unauthorized/)
  })

  test('a 401 after the token expired costs one re-authentication, the run recovers', async () => {
    const challenge = `Bearer realm="${tokenProxy.url}/token",service="${registry.service}",scope="repository:faulty/app:pull",error="invalid_token"`
    const outcome = await scenario(setup, [
      {
        method: 'GET',
        path: MANIFEST_BY_DIGEST,
        when: (req) => /^bearer /i.test(req.headers.authorization ?? ''),
        times: 1,
        fault: { kind: 'status', status: 401, headers: { 'www-authenticate': challenge } }
      }
    ])
    expectRecovered(setup, outcome)
    // The first token, then exactly one more after the injected 401.
    expect(tokenProxy.log()).toHaveLength(2)
    const refused = proxy.log().findIndex((entry) => entry.action === 'status')
    expect(refused).toBeGreaterThan(0)
    expect(proxy.log()[refused + 1]).toMatchObject({
      method: 'GET',
      action: 'forward',
      bearer: true
    })
  })
})

describe('the default policy', () => {
  let registry: TestRegistry
  let proxy: FaultProxy
  let setup: Setup

  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.url)
    setup = await seedSetup(registry, proxy)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  test('a registry that stops answering costs a run at most about two minutes', async () => {
    // The tag list answers, then every manifest request stalls: several requests are in flight
    // when the registry goes quiet, and none may add its own two minutes to the run.
    const outcome = await scenario(
      setup,
      [{ path: MANIFEST, fault: { kind: 'stall' } }],
      [],
      150_000
    )
    expectFailed(setup, outcome, /no answer within 30 s \(3 attempts\)/)
    // What bounds the run: the stalled requests wait out their 30 s together, 3 attempts each,
    // and nothing new is sent once they give up; so no request adds its own minutes.
    expectStalledTogether(proxy.log(), 30_000)
  }, 160_000)
})

/** The same entry for the same repository reached under another name. */
function rename(entry: ImageEntry, from: string, to: string): ImageEntry {
  return JSON.parse(JSON.stringify(entry).split(`${from}:`).join(`${to}:`)) as ImageEntry
}

/** Runs the CLI with extra node arguments; resolves with the signal that ended it, if any. */
function spawnCli(
  folder: string,
  nodeArgs: string[],
  env: Record<string, string>,
  killAfterMs?: number
): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs, join(process.cwd(), 'dist/cli.js'), 'update', ...FAST],
      { cwd: folder, env: { PATH: process.env.PATH, HOME: folder, ...env }, stdio: 'ignore' }
    )
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (_code, signal) => {
      clearTimeout(timer)
      resolve(signal)
    })
  })
}

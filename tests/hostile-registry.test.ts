// A registry that means harm, or is broken past what any fault of a real one looks like: one
// repository that never answers, bodies of gigabytes, tag lists without end, realms and
// redirects to file: URLs, malformed challenges and indexes. Each scenario runs the bundled
// CLI against the real registry behind a fault proxy; what the hostile repository does must
// cost only its own image, in bounded memory, with an error naming the request and the reason.
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { Credentials } from '../src/registry/credentials.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { RegistryClient } from '../src/registry/client.js'
import { runCli, workspace, type CliRun } from './harness/cli.js'
import { startFaultProxy, type FaultProxy, type FaultRule } from './harness/fault-proxy.js'
import {
  runCliMeasured,
  startRecordingHost,
  streamLazily,
  type RecordingHost
} from './harness/hostile.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { MEDIA_TYPES, pushIndex, pushSingle, sha256 } from './harness/seed.js'
import { readDigests, type ImageEntry } from './harness/documents.js'

const AMD64 = { os: 'linux', architecture: 'amd64' }
const MIB = 1024 * 1024
const GIB = 1024 * MIB
/** Small limits keep the suite fast: 1 s per attempt, 2 retries, 6 s per request. */
const FAST = ['--timeout', '1', '--retries', '2', '--deadline', '6']
/** What "a few hundred MB" means for the whole CLI process, node itself included. */
const RSS_CAP = 300 * MIB

interface Image {
  written: string
  expected: ImageEntry
}

/** A repository with 1.0.0 and 1.1.0 (single amd64 images); track 1 is 1.1.0. */
async function seedImage(registry: TestRegistry, host: string, repo: string): Promise<Image> {
  await pushSingle(registry, repo, '1.0.0', AMD64, { salt: `${repo} 1.0.0` })
  const newest = await pushSingle(registry, repo, '1.1.0', AMD64, { salt: `${repo} 1.1.0` })
  const written = `${host}/${repo}`
  return { written, expected: { '1': { 'linux/amd64': `${written}:1.1.0@${newest.digest}` } } }
}

function imagesJson(images: Image[]): string {
  return workspace(
    images.map((image) => ({ image: image.written, tracks: ['major'], platforms: ['linux/amd64'] }))
  )
}

function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.startsWith('error:'))
}

/** The run failed `faulty` alone, with `message`, and wrote every other image. */
function expectFailedAlone(
  run: CliRun,
  folder: string,
  faulty: Image,
  others: Image[],
  message: RegExp
): void {
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(`error: ${faulty.written}: `)
  expect(errors[0]).toMatch(message)
  expect(run.code).toBe(1)
  const document = readDigests(folder)
  expect(document[faulty.written]).toBeUndefined()
  for (const other of others) expect(document[other.written]).toEqual(other.expected)
}

/** Answers a tags/list page of `count` tags named `prefix-<n>`, linking to the next page. */
function tagPage(res: ServerResponse, url: URL, count: number, extra: string[] = []): void {
  const page = Number(url.searchParams.get('page') ?? 0)
  const tags = [...extra]
  for (let i = 0; i < count; i++) tags.push(`p${page}-${i}`)
  res.writeHead(200, {
    'content-type': 'application/json',
    link: `<${url.pathname}?page=${page + 1}>; rel="next"`
  })
  res.end(JSON.stringify({ name: 'faulty/app', tags }))
}

describe('a hostile registry without auth', () => {
  let registry: TestRegistry
  let proxy: FaultProxy
  let faulty: Image
  let healthy: Image
  let stalled: Image
  let neighbours: Image[]

  beforeAll(async () => {
    registry = await startRegistry()
    proxy = await startFaultProxy(registry.url)
    faulty = await seedImage(registry, proxy.host, 'faulty/app')
    healthy = await seedImage(registry, registry.host, 'healthy/app')
    stalled = await seedImage(registry, proxy.host, 'stall/app')
    neighbours = []
    for (let i = 0; i < 10; i++)
      neighbours.push(await seedImage(registry, proxy.host, `neighbour/app-${i}`))
  }, 120_000)
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })
  beforeEach(() => {
    proxy.setRules([])
    proxy.resetLog()
  })

  /** The faulty image through the proxy under `rules`, the healthy one straight. */
  async function run(
    rules: FaultRule[],
    args: string[] = FAST,
    measured = false,
    images = [faulty, healthy]
  ): Promise<{ run: CliRun & { peakRssBytes?: number }; folder: string }> {
    const folder = imagesJson(images)
    proxy.setRules(rules)
    const cli = measured ? runCliMeasured : runCli
    return { run: await cli(['update', ...args], { cwd: folder, timeoutMs: 120_000 }), folder }
  }

  describe('one stalled repository', () => {
    const STALL: FaultRule = { path: /^\/v2\/stall\//, fault: { kind: 'stall' } }

    /**
     * How each case shows the neighbours did not wait out the stalled request: sent within its
     * one 10 s attempt (the wait for a first answer is 5 s); sent before its first retry; or,
     * with one short attempt and no retry, not failed by its silence once they were answered.
     */
    test.each([
      ['stalls past the wait for it', ['--timeout', '10', '--retries', '0', '--deadline', '10']],
      ['times out, no retries', ['--timeout', '1', '--retries', '0', '--deadline', '6']],
      ['times out and is retried', FAST]
    ])(
      "as the registry's first request, it costs only its own image: it %s",
      async (_case, args) => {
        const folder = imagesJson([stalled, ...neighbours])
        proxy.setRules([STALL])
        const cli = await runCli(['update', ...args], { cwd: folder, timeoutMs: 60_000 })
        expectFailedAlone(cli, folder, stalled, neighbours, /tags\/list: no answer within/)
        const log = proxy.log()
        const stalls = log.filter((entry) => entry.action === 'stall')
        expect(log[0]).toBe(stalls[0])
        expect(stalls).toHaveLength(Number(args[3]) + 1)
        for (const neighbour of neighbours) {
          const repo = neighbour.written.slice(proxy.host.length)
          const lists = log.filter((entry) => entry.url.startsWith(`/v2${repo}/tags/list`))
          expect(lists).toHaveLength(1)
          if (args[1] === '10') expect(lists[0]!.at - stalls[0]!.at).toBeLessThan(10_000)
          if (stalls.length > 1)
            expect(log.indexOf(lists[0]!)).toBeLessThan(log.indexOf(stalls[1]!))
        }
      }
    )
  })

  describe('bodies and tag lists without end', () => {
    /** The faulty image's tag list answered by `handler`: it fails alone, in bounded memory. */
    async function expectBoundedFailure(
      handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void,
      message: RegExp
    ): Promise<void> {
      const outcome = await run(
        [{ path: /\/tags\/list/, fault: { kind: 'respond', handler } }],
        FAST,
        true
      )
      expectFailedAlone(outcome.run, outcome.folder, faulty, [healthy], message)
      expect(outcome.run.peakRssBytes).toBeLessThan(RSS_CAP)
    }

    test('a 429 with a 3 GB body is read no further than 64 KiB', async () => {
      const sent: Array<Promise<number>> = []
      await expectBoundedFailure((_req, res) => {
        sent.push(streamLazily(res, { status: 429, prefix: '{"errors":[', limit: 3 * GIB }))
      }, /tags\/list: 429 Too Many Requests \(3 attempts\)/)
      const bytes = await Promise.all(sent)
      expect(bytes).toHaveLength(3)
      // What the stand-in got to write before the client hung up: socket buffers, not gigabytes.
      for (const count of bytes) expect(count).toBeLessThan(64 * MIB)
    }, 120_000)

    test('endless pages of 100,000 tags stop at the tag limit, in bounded memory', async () => {
      await expectBoundedFailure(
        (_req, res, url) => tagPage(res, url, 100_000),
        /tag list holds more than 1000000 tags after 11 pages/
      )
      expect(proxy.log().filter((entry) => /tags\/list/.test(entry.url))).toHaveLength(11)
    }, 120_000)

    test('pages that trickle in without end stop at the image deadline', async () => {
      const outcome = await run(
        [
          {
            path: /\/tags\/list/,
            fault: {
              kind: 'respond',
              handler: (_req, res, url) => void setTimeout(() => tagPage(res, url, 1), 200)
            }
          }
        ],
        [...FAST, '--image-deadline', '3']
      )
      expectFailedAlone(
        outcome.run,
        outcome.folder,
        faulty,
        [healthy],
        /tags\/list: stopped: the image's 3 s deadline passed \(--image-deadline\)/
      )
      // About 3 s of pages at 200 ms each, nowhere near the 1000-page limit.
      const pages = proxy.log().filter((entry) => /tags\/list/.test(entry.url)).length
      expect(pages).toBeGreaterThan(3)
      expect(pages).toBeLessThan(100)
    })

    test('a page of 130,000 tags is read like any other', async () => {
      const outcome = await run([
        {
          path: /\/tags\/list/,
          fault: {
            kind: 'respond',
            handler: (_req, res) => {
              const tags = ['1.0.0', '1.1.0']
              for (let i = 0; i < 130_000; i++) tags.push(`build-${i}`)
              res.writeHead(200, { 'content-type': 'application/json' })
              res.end(JSON.stringify({ name: 'faulty/app', tags }))
            }
          }
        }
      ])
      expect(errorLines(outcome.run)).toEqual([])
      expect(outcome.run.code).toBe(0)
      expect(readDigests(outcome.folder)).toEqual({
        [faulty.written]: faulty.expected,
        [healthy.written]: healthy.expected
      })
    })
  })

  describe('URLs and headers a registry must not get away with', () => {
    const TAGS = /^\/v2\/faulty\/app\/tags\/list/
    const challenge = (value: string): FaultRule => ({
      path: TAGS,
      fault: { kind: 'status', status: 401, headers: { 'www-authenticate': value } }
    })

    test.each([
      [
        'a file: realm',
        challenge('Bearer realm="file:///etc/passwd",service="x"'),
        /the WWW-Authenticate realm names a file: URL; only http and https URLs are followed/
      ],
      [
        'a data: realm',
        challenge('Bearer realm="data:text/plain,token",service="x"'),
        /the WWW-Authenticate realm names a data: URL/
      ],
      [
        'a file: Location',
        {
          path: TAGS,
          fault: { kind: 'status', status: 302, headers: { location: 'file:///etc/passwd' } }
        } as FaultRule,
        /the redirect Location names a file: URL; only http and https URLs are followed/
      ],
      [
        'an unterminated realm',
        challenge('Bearer realm="http://127.0.0.1:9/token'),
        /malformed WWW-Authenticate header: the quoted value of realm is not terminated/
      ]
    ])('%s fails the image at once, naming the request', async (_case, rule, message) => {
      const outcome = await run([rule])
      expectFailedAlone(outcome.run, outcome.folder, faulty, [healthy], message)
      expect(errorLines(outcome.run)[0]).toMatch(
        `GET http://${proxy.host}/v2/faulty/app/tags/list: `
      )
      // Not retried: asking again cannot change what the registry named.
      expect(proxy.log().filter((entry) => TAGS.test(entry.url))).toHaveLength(1)
    })

    /** Serves `bytes` as the manifest of `tag` (HEAD and GET, by tag and by digest). */
    function serveManifest(repo: string, tag: string, bytes: Buffer, mediaType: string): FaultRule {
      const digest = sha256(bytes)
      return {
        path: new RegExp(`^/v2/${repo}/manifests/(${tag.replace(/\./g, '\\.')}|${digest})$`),
        fault: {
          kind: 'respond',
          handler: (req: IncomingMessage, res: ServerResponse) => {
            res.writeHead(200, {
              'content-type': mediaType,
              'content-length': String(bytes.length),
              'docker-content-digest': digest
            })
            res.end(req.method === 'HEAD' ? undefined : bytes)
          }
        }
      }
    }

    test('an index entry whose platform.os is a number is named, field and digest', async () => {
      const child = `sha256:${'a'.repeat(64)}`
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [
            {
              mediaType: MEDIA_TYPES.ociManifest,
              digest: child,
              size: 1,
              platform: { os: 7, architecture: 'amd64' }
            }
          ]
        })
      )
      const outcome = await run([serveManifest('faulty/app', '1.1.0', index, MEDIA_TYPES.ociIndex)])
      expectFailedAlone(
        outcome.run,
        outcome.folder,
        faulty,
        [healthy],
        new RegExp(
          `GET http://${proxy.host}/v2/faulty/app/manifests/${sha256(index)}: index entry manifests\\[0\\] \\(${child}\\): platform\\.os is a number; it must be a string`
        )
      )
    })

    test('an entry without mediaType that names an index is never published as a platform image', async () => {
      const nested = await seedImage(registry, proxy.host, 'nested/app')
      const inner = await pushIndex(registry, 'nested/app', [], [AMD64], { salt: 'nested' })
      const outer = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [{ digest: inner.digest, size: inner.size, platform: AMD64 }]
        })
      )
      // 1.2.0 is the outer index; track 1 then takes amd64 from the next tag down, 1.1.0.
      await pushSingle(registry, 'nested/app', '1.2.0', AMD64, { salt: 'replaced by the proxy' })
      const outcome = await run(
        [serveManifest('nested/app', '1.2.0', outer, MEDIA_TYPES.ociIndex)],
        FAST,
        false,
        [nested, healthy]
      )
      expect(errorLines(outcome.run)).toEqual([])
      const text = readFileSync(join(outcome.folder, 'digests.json'), 'utf8')
      expect(text).not.toContain(inner.digest)
      expect(readDigests(outcome.folder)[nested.written]).toEqual(nested.expected)
      // The untyped entry was read once to learn what it is.
      expect(proxy.log().filter((entry) => entry.url.endsWith(inner.digest))).toHaveLength(1)
    })
  })
})

describe('a token service that redirects', () => {
  const USER = 'robot'
  const PASSWORD = 'hostile-Passw0rd'
  const REFRESH_TOKEN = 'refresh-token-that-must-stay-home'
  const identity: Credentials = { username: '', password: REFRESH_TOKEN, identityToken: true }
  const basic: Credentials = { username: USER, password: PASSWORD }
  let registry: TestRegistry
  let tokenFront: FaultProxy
  let front: FaultProxy
  let recorder: RecordingHost

  beforeEach(() => {
    tokenFront.setRules([])
  })

  beforeAll(async () => {
    registry = await startRegistry({
      auth: 'token',
      anonymousPull: false,
      users: { [USER]: PASSWORD },
      refreshTokens: { [REFRESH_TOKEN]: USER }
    })
    await pushSingle(registry, 'team/app', '1.0.0', AMD64, { salt: 'token redirect' })
    recorder = await startRecordingHost()
    tokenFront = await startFaultProxy(new URL(registry.tokenUrl!).origin)
    front = await startFaultProxy(registry.url, {
      rewriteHeaders: (headers) => {
        const value = headers['www-authenticate']
        if (value)
          headers['www-authenticate'] = value.replace(registry.tokenUrl!, `${tokenFront.url}/token`)
      }
    })
  })
  afterAll(async () => {
    await front?.stop()
    await tokenFront?.stop()
    await recorder?.stop()
    await registry?.stop()
  })

  async function tags(credentials: Credentials): Promise<string[]> {
    const client = new RegistryClient({
      http: { retries: 0, backoffMs: 10 },
      credentials: { get: (name) => (name === front.host ? credentials : undefined) }
    })
    try {
      return await client.listTags(parseImageReference(`${front.host}/team/app`))
    } finally {
      await client.close()
    }
  }

  /** What reached the recording host that it must never see. */
  const leaks = (): string[] =>
    recorder
      .requests()
      .flatMap((request) => [
        ...(request.body.includes(REFRESH_TOKEN) ? [`${request.method} body: refresh token`] : []),
        ...(request.headers.authorization ? [`${request.method} Authorization`] : [])
      ])

  const redirect = (method: string, status: number, location: string): FaultRule => ({
    method,
    path: /^\/token/,
    times: 1,
    fault: { kind: 'status', status, headers: { location } }
  })

  test.each([307, 308])(
    'a %i to another host is not followed with the identity token',
    async (status) => {
      tokenFront.setRules([redirect('POST', status, `${recorder.url}/token`)])
      const outcome = await tags(identity).then(String, (error: Error) => error.message)
      expect(leaks()).toEqual([])
      expect(recorder.requests()).toEqual([])
      expect(outcome).toBe(
        `POST ${tokenFront.url}/token: token service answered ${status} to ${recorder.url}, another origin; not followed, as the request carries the identity token in its body`
      )
    }
  )

  test.each([302, 307])(
    'a %i to another host is not followed with Basic credentials',
    async (status) => {
      tokenFront.setRules([redirect('GET', status, `${recorder.url}/token`)])
      const outcome = await tags(basic).then(String, (error: Error) => error.message)
      expect(leaks()).toEqual([])
      expect(recorder.requests()).toEqual([])
      expect(outcome).toBe(
        `GET ${tokenFront.url}/token: token service answered ${status} to ${recorder.url}, another origin; not followed, as the request carries credentials`
      )
    }
  )

  test('a 307 on the same host keeps the form, and the token comes back', async () => {
    tokenFront.setRules([redirect('POST', 307, '/token?moved=1')])
    tokenFront.resetLog()
    expect(await tags(identity)).toEqual(['1.0.0'])
    expect(tokenFront.log().map((entry) => `${entry.method} ${entry.url} ${entry.action}`)).toEqual(
      ['POST /token status', 'POST /token?moved=1 forward']
    )
  })
})

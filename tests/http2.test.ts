// HTTP/2 against the real registry over TLS: distribution (Go's net/http) offers h2 by ALPN, so
// one connection must carry every request to it; with h2 disabled in its config the client
// falls back to HTTP/1.1 on a bounded number of connections. Connections are counted by a TCP
// relay in front of each registry, protocols by the registry's own access log.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RegistryClient } from '../src/registry/client.js'
import { HTTP1_CONNECTIONS_PER_ORIGIN } from '../src/registry/connection-limits.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { startRegistry, type TestRegistry, type TlsFiles } from './harness/registry.js'
import { pushMany, type IndexResult, type Platform } from './harness/seed.js'
import { startTcpRelay, type TcpRelay } from './harness/tcp-relay.js'
import { makeTestCa } from './harness/test-ca.js'

const PLATFORMS: Platform[] = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' }
]
const TAGS = Array.from({ length: 12 }, (_, i) => `1.0.${i}`)
const IMAGE = parseImageReference('secure.example/team/app')

interface Served {
  registry: TestRegistry
  counter: TcpRelay
  indexes: Record<string, IndexResult>
}

describe('HTTP/2 over TLS against the real registry', () => {
  let tls: TlsFiles
  let h2: Served
  let h1: Served
  const noCertsD = mkdtempSync(join(tmpdir(), 'no-certs-d-'))

  const serve = async (http2: boolean): Promise<Served> => {
    const registry = await startRegistry({ tls, http2 })
    const indexes = await pushMany(registry, 'team/app', TAGS, PLATFORMS, {
      salt: http2 ? 'h2' : 'h1'
    })
    const counter = await startTcpRelay(Number(registry.host.split(':')[1]))
    return { registry, counter, indexes }
  }

  beforeAll(async () => {
    tls = await makeTestCa(mkdtempSync(join(tmpdir(), 'test-ca-')), ['secure.example'])
    ;[h2, h1] = await Promise.all([serve(true), serve(false)])
  })
  afterAll(async () => {
    for (const served of [h2, h1]) {
      await served?.counter.stop()
      await served?.registry.stop()
    }
  })

  /**
   * The tag list, a HEAD per tag (unless `heads` is false) and a GET per platform manifest, up to
   * 32 at once: more than the HTTP/1.1 connection bound, so the bound is what limits them.
   */
  const readAll = async (
    { registry, counter, indexes }: Served,
    heads: boolean
  ): Promise<number> => {
    await registry.resetRequests()
    const client = new RegistryClient({
      requestsPerRegistry: 32,
      mirrors: { 'secure.example': `https://${counter.host}` },
      network: { caFiles: [tls.caPath], certsDirectory: noCertsD }
    })
    try {
      expect(await client.listTags(IMAGE)).toHaveLength(TAGS.length)
      if (heads) {
        const found = await Promise.all(TAGS.map((tag) => client.headTag(IMAGE, tag)))
        expect(found.map((head) => head?.digest)).toEqual(TAGS.map((tag) => indexes[tag]!.digest))
      }
      const digests = TAGS.flatMap((tag) => Object.values(indexes[tag]!.manifests))
      const manifests = await Promise.all(digests.map((digest) => client.manifest(IMAGE, digest)))
      expect(manifests).toHaveLength(TAGS.length * PLATFORMS.length)
    } finally {
      await client.close()
    }
    return 1 + (heads ? TAGS.length : 0) + TAGS.length * PLATFORMS.length
  }

  test('a registry offering h2 gets every request on one HTTP/2 connection', async () => {
    const before = h2.counter.connections()
    const sent = await readAll(h2, true)
    expect(await h2.registry.protocols()).toEqual({ 'HTTP/2.0': sent })
    expect(h2.counter.connections() - before).toBe(1)
  })

  test('a registry with h2 disabled is read over HTTP/1.1 on a bounded number of connections', async () => {
    const before = h1.counter.connections()
    // GETs only: over HTTP/1.1 distribution answers a manifest HEAD with `Connection: close`, so
    // HEADs would add connections that say nothing about the bound.
    const sent = await readAll(h1, false)
    expect(await h1.registry.protocols()).toEqual({ 'HTTP/1.1': sent })
    const opened = h1.counter.connections() - before
    expect(opened).toBeGreaterThan(1)
    expect(opened).toBeLessThanOrEqual(HTTP1_CONNECTIONS_PER_ORIGIN)
  })

  test('over HTTP/1.1 HEADs work too', async () => {
    const sent = await readAll(h1, true)
    expect(await h1.registry.protocols()).toEqual({ 'HTTP/1.1': sent })
  })

  test('a first connection that fails decides nothing: the requests waiting on it fail too, none hangs', async () => {
    // No CA given: every handshake is refused. The requests queued behind the first connection
    // must each get an answer (here the certificate error), not wait for a protocol forever.
    const client = new RegistryClient({
      mirrors: { 'secure.example': `https://${h2.counter.host}` },
      network: { certsDirectory: noCertsD }
    })
    const before = h2.counter.connections()
    try {
      const results = await Promise.allSettled(
        TAGS.slice(0, 4).map((t) => client.headTag(IMAGE, t))
      )
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
      for (const result of results)
        expect(String((result as PromiseRejectedResult).reason)).toMatch(/certificate/i)
    } finally {
      await client.close()
    }
    // One handshake per request at most: they are tried one after another, not all at once.
    expect(h2.counter.connections() - before).toBeLessThanOrEqual(4)
  })
})

// `check` and `pin` take the same registry settings as `update`: a content mirror serves their
// reads by digest, verified, while tags are still asked of the image's own registry. Two real
// registries hold the same index; fault proxies in front of each count what they are asked.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import type { FaultProxy } from './harness/fault-proxy.js'
import { ProxyPool } from './harness/proxy-pool.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const MANIFEST_GET = /^\/v2\/.+\/manifests\/sha256:[0-9a-f]{64}$/

const requests = (proxy: FaultProxy): string[] =>
  proxy.log().map((entry) => `${entry.method} ${entry.url}`)
const manifestGets = (proxy: FaultProxy): number =>
  proxy.log().filter((entry) => entry.method === 'GET' && MANIFEST_GET.test(entry.url)).length

describe('check and pin read by digest from a content mirror', () => {
  let origin: TestRegistry
  let cache: TestRegistry
  let indexDigest: string
  let arm64Digest: string
  const proxies = new ProxyPool()

  beforeAll(async () => {
    origin = await startRegistry()
    cache = await startRegistry()
    const salt = { salt: 'check content mirror' }
    const pushed = await pushIndex(origin, 'acme/app', '1.2.3', [AMD64, ARM64], salt)
    // A pull-through cache holding the same build under the same name: the same digests.
    const copy = await pushIndex(cache, 'acme/app', '1.2.3', [AMD64, ARM64], salt)
    expect(copy.digest).toBe(pushed.digest)
    indexDigest = pushed.digest
    arm64Digest = pushed.manifests['linux/arm64/v8']!
  })
  afterAll(async () => {
    await proxies.stop()
    await cache?.stop()
    await origin?.stop()
  })

  /** A Dockerfile naming one platform, so its index is read by digest for that platform. */
  const tree = (host: string): string => {
    const folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-check-mirror-'))
    writeFileSync(
      join(folder, 'Dockerfile'),
      `FROM --platform=linux/arm64 ${host}/acme/app:1.2.3\n`
    )
    return folder
  }

  test.each([
    ['check', ['--format', 'json']],
    ['pin', []]
  ])(
    '%s: the index comes from the content mirror, the tag from the registry',
    async (command, args) => {
      const front = await proxies.fault(origin.url)
      const mirror = await proxies.fault(cache.url)
      const folder = tree(front.host)
      const run = await runCli(
        [command, '--retries', '0', '--content-mirror', `${front.host}=${mirror.url}`, ...args],
        { cwd: folder }
      )
      expect(run.stderr).not.toContain('error:')
      // The registry answered the tag's HEAD and nothing by digest; the mirror only by digest.
      expect(requests(front)).toContain(`HEAD /v2/acme/app/manifests/1.2.3`)
      expect(manifestGets(front)).toBe(0)
      expect(requests(mirror)).toEqual([`GET /v2/acme/app/manifests/${indexDigest}`])
      expect(run.stderr).toContain(`requests to ${mirror.host} (content mirror)`)
      if (command === 'check') {
        const report = JSON.parse(run.stdout) as { findings: Array<{ rule: string; line: number }> }
        // What it found is what it finds without a mirror: the one unpinned reference.
        expect(run.code).toBe(1)
        expect(report.findings.map(({ rule, line }) => `${line} ${rule}`)).toEqual(['1 unpinned'])
      } else {
        expect(run.code).toBe(0)
        expect(readFileSync(join(folder, 'Dockerfile'), 'utf8')).toBe(
          `FROM --platform=linux/arm64 ${front.host}/acme/app:1.2.3@${arm64Digest}\n`
        )
      }
    }
  )

  test('without a content mirror the same check reads the index from the registry', async () => {
    const front = await proxies.fault(origin.url)
    const run = await runCli(['check', '--retries', '0', '--format', 'json'], {
      cwd: tree(front.host)
    })
    expect(run.stderr).not.toContain('error:')
    expect(manifestGets(front)).toBe(1)
  })
})

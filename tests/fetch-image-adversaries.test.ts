// lib.fetchImage against sources that misbehave, built for real with Nix 2.8 against real
// registries on loopback: a body without end, a certificate from a CA the build does not trust,
// and a token challenge asking for more than the blob's repository.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BLOB_PATH as BLOB,
  blobsOf,
  fetchImageBuilder,
  sourcesFor
} from './harness/fetch-image-build.js'
import { NIX_SYSTEMS, publish, seedImage, type SeededImage } from './harness/fetch-image-fixture.js'
import { startFaultProxy } from './harness/fault-proxy.js'
import { type NixSandbox, nixSandbox, nixString } from './harness/nix.js'
import { startRegistry, type TestRegistry, type TlsFiles } from './harness/registry.js'
import { makeTestCa } from './harness/test-ca.js'

const salt = randomBytes(8).toString('hex')
const amd64 = [NIX_SYSTEMS['x86_64-linux']!]

let sandbox: NixSandbox
let netrcDir = ''
let tls: TlsFiles
const registries: Record<'origin' | 'private' | 'secure', TestRegistry> = {} as never
let fetchImage: ReturnType<typeof fetchImageBuilder>
const images: Record<'sized' | 'chunked' | 'tls' | 'scoped', SeededImage> = {} as never

beforeAll(async () => {
  netrcDir = mkdtempSync(join(tmpdir(), 'fetch-image-netrc-'))
  writeFileSync(
    join(netrcDir, 'netrc'),
    'machine 127.0.0.1 login reader password reader-secret-1\n',
    { mode: 0o600 }
  )
  tls = await makeTestCa(netrcDir, ['localhost'])
  const [origin, priv, secure] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'token', anonymousPull: false, users: { reader: 'reader-secret-1' } }),
    startRegistry({ tls })
  ])
  Object.assign(registries, { origin, private: priv, secure })
  sandbox = await nixSandbox('fetch-image-adversaries', { build: true, sandboxPaths: [netrcDir] })
  const seeded = [
    await seedImage(origin!, 'team/sized', '5.0.0', '5', amd64, 'oci', salt),
    await seedImage(origin!, 'team/chunked', '6.0.0', '6', amd64, 'oci', salt),
    await seedImage(secure!, 'team/tls', '7.0.0', '7', amd64, 'oci', salt),
    await seedImage(priv!, 'team/scoped', '8.0.0', '8', amd64, 'docker', salt)
  ]
  const names = ['sized', 'chunked', 'tls', 'scoped'] as const
  names.forEach((name, i) => (images[name] = seeded[i]!.seeded))
  const published = publish(seeded)
  const upstream = await sandbox.flakeCopy('upstream', JSON.stringify(published.digests), {
    'manifests.json': JSON.stringify(published.manifests)
  })
  fetchImage = fetchImageBuilder(sandbox, upstream)
}, 300_000)

afterAll(async () => {
  await Promise.all([...Object.values(registries).map((r) => r?.stop()), sandbox?.cleanup()])
  rmSync(netrcDir, { recursive: true, force: true })
})

// A hostile source answers every blob with an endless body; the bound is what the test stops at.
const HOSTILE_CAP = 1024 * 1024 * 1024
test.each([
  ['announcing 10 GiB in Content-Length', 'sized', true],
  ['in endless chunks', 'chunked', false]
] as const)(
  'a source sending an endless body %s is cut off near the blob size, and the next source used',
  async (_label, name, withLength) => {
    const image = images[name]
    let sent = 0
    const hostile = await startFaultProxy(registries.origin.url)
    hostile.setRules([
      {
        path: BLOB,
        fault: {
          kind: 'respond',
          handler: (_req, res) => {
            res.writeHead(200, withLength ? { 'content-length': String(10 * 2 ** 30) } : {})
            const chunk = Buffer.alloc(64 * 1024, 0x61)
            let closed = false
            res.on('close', () => (closed = true))
            const pump = (): void => {
              while (!closed && sent < HOSTILE_CAP) {
                sent += chunk.length
                if (!res.write(chunk)) {
                  res.once('drain', pump)
                  return
                }
              }
              if (!closed) res.end()
            }
            pump()
          }
        }
      }
    ])
    try {
      const result = await fetchImage(
        image,
        sourcesFor(image, [hostile.url, registries.origin.url])
      )
      expect(result.stderr).not.toContain('error:')
      expect(result.code).toBe(0)
      expect(hostile.log().length).toBe(blobsOf(image).length)
      // Socket buffers aside, nothing near the cap was taken.
      expect(sent).toBeLessThan(64 * 1024 * 1024)
    } finally {
      await hostile.stop()
    }
  },
  300_000
)

test('TLS is checked against pkgs.cacert, or against the cacert given', async () => {
  const image = images.tls
  const sources = sourcesFor(image, [registries.secure.url])
  const untrusted = await fetchImage(image, sources)
  expect(untrusted.code).not.toBe(0)
  expect(untrusted.stderr).toContain('SSL certificate problem')

  const cacert = `(pkgs.runCommand "test-cacert" { } "mkdir -p $out/etc/ssl/certs && cp \${/. + ${nixString(tls.caPath)}} $out/etc/ssl/certs/ca-bundle.crt")`
  const trusted = await fetchImage(image, `(${sources} // { cacert = ${cacert}; })`)
  expect(trusted.stderr).not.toContain('error:')
  expect(trusted.code).toBe(0)
}, 300_000)

test('a challenge asking for a wider scope still gets a token for the blob repository only', async () => {
  const reg = registries.private
  const widening = await startFaultProxy(reg.url)
  widening.setRules([
    {
      path: BLOB,
      fault: {
        kind: 'headers',
        rewrite: (headers) => {
          const challenge = headers['www-authenticate']
          if (challenge)
            headers['www-authenticate'] = challenge.replace(
              /scope="[^"]*"/,
              'scope="repository:team/secret:pull,push,delete"'
            )
        }
      }
    }
  ])
  try {
    await reg.resetRequests()
    const result = await fetchImage(
      images.scoped,
      `(${sourcesFor(images.scoped, [widening.url])} // { netrcFile = ${nixString(join(netrcDir, 'netrc'))}; })`
    )
    expect(result.stderr).not.toContain('error:')
    expect(result.code).toBe(0)
    const scopes = reg.tokenServer!.requests().flatMap((r) => r.scopes)
    expect(scopes.length).toBe(blobsOf(images.scoped).length)
    for (const scope of scopes) {
      expect(scope).toEqual({ type: 'repository', name: 'team/scoped', actions: ['pull'] })
    }
  } finally {
    await widening.stop()
  }
}, 300_000)

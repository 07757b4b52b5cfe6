// Registries on private networks, through the CLI as a user runs it: the real registry serving
// TLS with a certificate from a test CA (trusted by --ca-file or Docker's certs.d layout, and
// refused at once otherwise), a plain-HTTP registry named by --insecure-registry, and both
// reached through a loopback proxy from HTTPS_PROXY / HTTP_PROXY.
import { mkdirSync, mkdtempSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { startConnectProxy, type ConnectProxy } from './harness/connect-proxy.js'
import { startRegistry, type TestRegistry, type TlsFiles } from './harness/registry.js'
import { pushSingle, type ImageResult, type Platform } from './harness/seed.js'
import { makeTestCa } from './harness/test-ca.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const SECURE = 'secure.example'
const PLAIN = 'registry.example:5000'

describe('private networks', () => {
  let tls: TlsFiles
  let secure: TestRegistry
  let plain: TestRegistry
  let proxy: ConnectProxy
  let secureImage: ImageResult
  let plainImage: ImageResult
  const empty = mkdtempSync(join(tmpdir(), 'no-certs-d-'))

  beforeAll(async () => {
    tls = await makeTestCa(mkdtempSync(join(tmpdir(), 'test-ca-')), [SECURE])
    secure = await startRegistry({ tls })
    plain = await startRegistry()
    secureImage = await pushSingle(secure, 'team/app', ['1.2.0'], AMD64, { salt: 'tls' })
    plainImage = await pushSingle(plain, 'team/app', ['3.0.0'], AMD64, { salt: 'plain' })
    const port = (registry: TestRegistry): number => Number(registry.host.split(':')[1])
    proxy = await startConnectProxy({ [`${SECURE}:443`]: port(secure), [PLAIN]: port(plain) })
  })
  afterAll(async () => {
    await proxy?.stop()
    await secure?.stop()
    await plain?.stop()
  })

  /** The TLS registry by its loopback address, as a mirror of a name that resolves nowhere. */
  const viaMirror = (extra: string[], env: NodeJS.ProcessEnv) => {
    const folder = workspace([{ image: `${SECURE}/team/app` }])
    const run = runCli(['update', '--mirror', `${SECURE}=${secure.url}`, ...extra], {
      cwd: folder,
      env: { NIX_OCI_HASHES_CERTS_D: empty, ...env }
    })
    return { folder, run }
  }

  test('an untrusted certificate fails at once, not retried, and says how to trust it', async () => {
    const { run } = viaMirror([], {})
    const result = await run
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `GET ${secure.url}/v2/team/app/tags/list: TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE); give its CA with --ca-file`
    )
    // One attempt although --retries defaults to 2.
    expect(result.stderr).toMatch(/: 1 tag-list pages/)
  })

  test('--ca-file trusts the CA', async () => {
    const { folder, run } = viaMirror(['--ca-file', tls.caPath], {})
    const result = await run
    expect(result.stderr).not.toContain('error')
    expect(result.code).toBe(0)
    expect(readDigests(folder)[`${SECURE}/team/app`]!['1']!['linux/amd64']).toBe(
      `${SECURE}/team/app:1.2.0@${secureImage.digest}`
    )
  })

  test("Docker's certs.d: a CA in the host's folder is trusted for that host only", async () => {
    const certsD = mkdtempSync(join(tmpdir(), 'certs-d-'))
    mkdirSync(join(certsD, 'elsewhere.example'))
    copyFileSync(tls.caPath, join(certsD, 'elsewhere.example', 'ca.crt'))
    const refused = await viaMirror([], { NIX_OCI_HASHES_CERTS_D: certsD }).run
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('TLS certificate not trusted')

    mkdirSync(join(certsD, secure.host))
    copyFileSync(tls.caPath, join(certsD, secure.host, 'ca.crt'))
    const trusted = await viaMirror([], { NIX_OCI_HASHES_CERTS_D: certsD }).run
    expect(trusted.stderr).not.toContain('error')
    expect(trusted.code).toBe(0)
  })

  test('--insecure-registry speaks plain HTTP, here through HTTP_PROXY', async () => {
    proxy.seen.length = 0
    const folder = workspace([{ image: `${PLAIN}/team/app` }])
    const result = await runCli(['update', '--insecure-registry', PLAIN], {
      cwd: folder,
      env: { HTTP_PROXY: proxy.url }
    })
    expect(result.stderr).not.toContain('error')
    expect(result.code).toBe(0)
    expect(readDigests(folder)[`${PLAIN}/team/app`]!['3']!['linux/amd64']).toBe(
      `${PLAIN}/team/app:3.0.0@${plainImage.digest}`
    )
    expect(proxy.seen).toContain(`GET http://${PLAIN}/v2/team/app/tags/list`)
  })

  test('HTTPS goes through the CONNECT proxy of HTTPS_PROXY, with the CA trusted', async () => {
    proxy.seen.length = 0
    const folder = workspace([{ image: `${SECURE}/team/app` }])
    const result = await runCli(['update', '--ca-file', tls.caPath], {
      cwd: folder,
      env: { HTTPS_PROXY: proxy.url, NIX_OCI_HASHES_CERTS_D: empty }
    })
    expect(result.stderr).not.toContain('error')
    expect(result.code).toBe(0)
    expect(readDigests(folder)[`${SECURE}/team/app`]!['1']!['linux/amd64']).toBe(
      `${SECURE}/team/app:1.2.0@${secureImage.digest}`
    )
    expect(proxy.seen[0]).toBe(`CONNECT ${SECURE}:443`)
  })
})

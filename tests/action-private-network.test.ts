// The action's private-network inputs and its ghcr.io token, run from dist/index.js as the runner
// runs it. Registries carry names that resolve nowhere (secure.example, registry.example:5000,
// ghcr.io itself) and are reached through a loopback proxy from HTTPS_PROXY / HTTP_PROXY, so
// the action's own host names and certificate checks are exercised with no test hook: the
// TLS registries present a certificate for their name from a test CA that only `ca-files` trusts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runActionBundle, tableRows, testSecrets, type ActionRun } from './harness/action-runner.js'
import { startConnectProxy, type ConnectProxy } from './harness/connect-proxy.js'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry, type TlsFiles } from './harness/registry.js'
import { pushSingle, type Platform } from './harness/seed.js'
import { makeTestCa } from './harness/test-ca.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
// Names as images.json writes them; none resolves, the proxy routes each to its registry.
const [SECURE, PLAIN, GHCR] = ['secure.example', 'registry.example:5000', 'ghcr.io']
const CA_IN_REPO = 'certs/private-ca.crt'
const [ACTOR, LOGIN_USER] = ['octocat', 'ghcr-robot']
const { token: TOKEN, registryPassword: LOGIN_PASSWORD } = testSecrets()

let tls: TlsFiles
let secure: TestRegistry, plain: TestRegistry, ghcr: TestRegistry
let proxy: ConnectProxy
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-private-network-test-'))
// No Docker certs.d on the test machine may trust the test CA behind the test's back.
const noCertsD = mkdtempSync(join(tmpdir(), 'no-certs-d-'))

beforeAll(async () => {
  tls = await makeTestCa(mkdtempSync(join(scratch, 'ca-')), [SECURE, GHCR])
  secure = await startRegistry({ tls })
  plain = await startRegistry()
  // ghcr.io's stand-in: token auth, nothing for anonymous clients, the workflow token good for
  // the actor (as GHCR takes it) and a separate robot login as docker/login-action would store.
  ghcr = await startRegistry({
    tls,
    auth: 'token',
    anonymousPull: false,
    users: { [ACTOR]: TOKEN, [LOGIN_USER]: LOGIN_PASSWORD }
  })
  await pushSingle(secure, 'team/app', ['1.2.0'], AMD64, { salt: 'tls' })
  await pushSingle(plain, 'team/app', ['3.0.0'], AMD64, { salt: 'plain' })
  await pushSingle(ghcr, 'owner/private', ['2.0.0'], AMD64, { salt: 'ghcr' })
  const port = (registry: TestRegistry): number => Number(registry.host.split(':')[1])
  proxy = await startConnectProxy({
    [`${SECURE}:443`]: port(secure),
    [`${GHCR}:443`]: port(ghcr),
    [PLAIN]: port(plain)
  })
  github = await startFakeGitHub({ token: TOKEN })
  const repository = (image: string) => ({
    'images.json': JSON.stringify([{ image, tracks: ['major'] }]),
    'digests.json': '{}\n',
    [CA_IN_REPO]: readFileSync(tls.caPath, 'utf8')
  })
  github.commitFiles('tls', repository(`${SECURE}/team/app`))
  github.commitFiles('plain', repository(`${PLAIN}/team/app`))
  github.commitFiles('ghcr', repository(`${GHCR}/owner/private`))
}, 180_000)

afterAll(async () => {
  await github?.stop()
  await proxy?.stop()
  await ghcr?.stop()
  await plain?.stop()
  await secure?.stop()
  rmSync(scratch, { recursive: true, force: true })
  rmSync(noCertsD, { recursive: true, force: true })
})

/** A dry run of branch `ref`, HTTPS through the CONNECT proxy. */
function dryRun(
  ref: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  proxy.seen.length = 0
  return runActionBundle({
    fake: github,
    scratch,
    ref,
    token: TOKEN,
    registryPassword: 'unused-password',
    inputs: { 'dry-run': 'true', ...inputs },
    env: { HTTPS_PROXY: proxy.url, NIX_OCI_HASHES_CERTS_D: noCertsD, ...env }
  })
}

describe('ca-files', () => {
  test('without it the private CA is not trusted: the image fails at once, saying why', async () => {
    await secure.resetRequests()
    const run = await dryRun('tls', {})
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      `GET https://${SECURE}/v2/team/app/tags/list: TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`
    )
    expect(tableRows(run.summary)).toEqual([])
    // The handshake failed, so the registry never saw a request (and none was retried).
    expect(await secure.requests()).toEqual([])
    expect(proxy.seen).toEqual([`CONNECT ${SECURE}:443`])
  })

  test('naming the CA file (relative to the workspace) lets the action reach the registry', async () => {
    const run = await dryRun('tls', { 'ca-files': CA_IN_REPO })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(tableRows(run.summary)).toEqual([`${SECURE}/team/app 1 linux/amd64`])
    expect(proxy.seen[0]).toBe(`CONNECT ${SECURE}:443`)
  })
})

test('insecure-registries: a plain-HTTP registry, here through HTTP_PROXY', async () => {
  const run = await dryRun('plain', { 'insecure-registries': PLAIN }, { HTTP_PROXY: proxy.url })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(tableRows(run.summary)).toEqual([`${PLAIN}/team/app 3 linux/amd64`])
  expect(proxy.seen).toContain(`GET http://${PLAIN}/v2/team/app/tags/list`)
  expect(proxy.seen.filter((line) => line.startsWith('CONNECT'))).toEqual([])
})

describe("ghcr.io and the workflow's token", () => {
  const ghcrInputs = { 'ca-files': CA_IN_REPO }
  const basic = (user: string, password: string): string =>
    Buffer.from(`${user}:${password}`).toString('base64')

  /** Every secret the run could leak, besides the `::add-mask::` lines that hide them. */
  function expectNothingInClear(run: ActionRun, secrets: string[]): void {
    const rest = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    for (const secret of secrets) {
      expect(rest).not.toContain(secret)
      expect(run.stderr).not.toContain(secret)
      expect(run.summary).not.toContain(secret)
      expect(JSON.stringify(run.outputs)).not.toContain(secret)
    }
  }

  /** A dry run of the ghcr.io image that must succeed; the user names its tokens went to. */
  async function ghcrRun(env: Record<string, string>) {
    await ghcr.resetRequests()
    const run = await dryRun('ghcr', ghcrInputs, { GITHUB_ACTOR: ACTOR, ...env })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(tableRows(run.summary)).toEqual([`${GHCR}/owner/private 2 linux/amd64`])
    const users = ghcr.tokenServer!.requests().map((request) => request.user)
    expect(users.length).toBeGreaterThan(0)
    return { run, users: new Set(users) }
  }

  test('no ghcr.io login: the workflow token is sent, as the actor, and masked', async () => {
    const { run, users } = await ghcrRun({})
    // The registry grants only the actor with the workflow token: every token was issued to it.
    expect(users).toEqual(new Set([ACTOR]))
    const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
    expect(masks).toContain(`::add-mask::${TOKEN}`)
    expect(masks).toContain(`::add-mask::${basic(ACTOR, TOKEN)}`)
    expectNothingInClear(run, [TOKEN, basic(ACTOR, TOKEN)])
  })

  test('a ghcr.io login in the Docker config wins: the workflow token is not sent', async () => {
    const dockerConfig = join(scratch, 'docker-with-ghcr-login')
    mkdirSync(dockerConfig, { recursive: true })
    writeFileSync(
      join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [GHCR]: { auth: basic(LOGIN_USER, LOGIN_PASSWORD) } } })
    )
    const { run, users } = await ghcrRun({ DOCKER_CONFIG: dockerConfig })
    expect(users).toEqual(new Set([LOGIN_USER]))
    expect(run.stdout).not.toContain(`::add-mask::${basic(ACTOR, TOKEN)}`)
    expectNothingInClear(run, [TOKEN, LOGIN_PASSWORD, basic(LOGIN_USER, LOGIN_PASSWORD)])
  })
})

// Credentials echoed back: registries and a token service on loopback that put the
// Authorization header (and the refresh token) they were sent into their error messages, and a
// GitHub API that does the same with its token. The messages reach the failed-images list of
// the pull request body, the job summary, annotations and the step's failure; no form of any
// secret may reach any of them, or anything else the action publishes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { forgetSecrets, redact, rememberLogin, rememberSecret } from '../src/action/secrets.js'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import { runActionBundle, testSecrets, type ActionRun } from './harness/action-runner.js'

describe('redact', () => {
  afterEach(forgetSecrets)
  const secret = 'p@ss/wörd+~ x'
  const basic = Buffer.from(`robot:${secret}`).toString('base64')
  const cases: Array<[string, string, string]> = [
    ['the value as sent', `refused ${secret}!`, 'refused ***!'],
    ['Basic of user:password', `got ${basic}`, 'got ***'],
    ['percent-encoded', `?password=${encodeURIComponent(secret)}`, '?password=***'],
    [
      'form-encoded',
      new URLSearchParams({ refresh_token: secret }).toString(),
      'refresh_token=***'
    ],
    ['JSON-escaped', JSON.stringify({ message: `"${secret}"` }), '{"message":"\\"***\\""}'],
    [
      'an unknown bearer token',
      'Authorization: Bearer eyJhbGciOi.J9eyJzdWIi.Ox_y-z',
      'Authorization: Bearer ***'
    ],
    [
      'a challenge stays readable',
      'Bearer realm="https://auth.example/token"',
      'Bearer realm="https://auth.example/token"'
    ],
    [
      'so does an image named after the word token',
      'the token ghcr.io/owner/private-image was refused',
      'the token ghcr.io/owner/private-image was refused'
    ]
  ]
  test.each(cases)('%s', (_, text, expected) => {
    rememberLogin({ username: 'robot', password: secret })
    expect(redact(text)).toBe(expected)
  })

  test('longest first, so a secret inside another leaves nothing of either', () => {
    rememberSecret('tok')
    rememberSecret('tok-long')
    expect(redact('a tok and tokens: tok-long')).toBe('a *** and ***ens: ***')
  })
})

const { token: TOKEN } = testSecrets()
// Characters that percent-encode differently in a URL and in a form, and a JSON escape.
const PASSWORD = `pw/${randomBytes(6).toString('hex')}+~ "x"`
const REFRESH_TOKEN = `rt/${randomBytes(6).toString('hex')}+=~`
const BEARER = `eyJ${randomBytes(24).toString('base64url')}`
const basic = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`).toString('base64')

let registry: TestRegistry
let github: FakeGitHub
const hostile: FaultProxy[] = []
const scratch = mkdtempSync(join(tmpdir(), 'action-secrets-'))

const deny = (res: ServerResponse, status: number, message: string, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify({ errors: [{ code: 'DENIED', message }] }))
}
const body = async (req: IncomingMessage): Promise<string> => {
  let text = ''
  for await (const chunk of req) text += (chunk as Buffer).toString('utf8')
  return text
}

/** A registry that asks for Basic and echoes what it got, decoded and percent-encoded too. */
function echoBasic(req: IncomingMessage, res: ServerResponse): void {
  const authorization = req.headers.authorization
  if (!authorization) {
    deny(res, 401, 'authentication required', { 'www-authenticate': 'Basic realm="hostile"' })
    return
  }
  const decoded = Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString('utf8')
  const password = decoded.slice(decoded.indexOf(':') + 1)
  deny(
    res,
    401,
    `Authorization: ${authorization} (${decoded}, ${encodeURIComponent(password)}) refused`
  )
}

/** A challenge to the token service on the registry's own origin. */
const challenge = (req: IncomingMessage) => ({
  'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="hostile"`
})

/** A registry and token service that issue a bearer token, then echo it on a 403. */
function echoBearer(req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname === '/token') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ token: BEARER, expires_in: 300 }))
  } else if (!/^Bearer /.test(req.headers.authorization ?? '')) {
    deny(res, 401, 'token required', challenge(req))
  } else deny(res, 403, `Authorization: ${req.headers.authorization} may not pull`)
}

/** A token service that refuses an identity token, echoing the form it was posted. */
function echoRefreshToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
  if (url.pathname !== '/token') {
    deny(res, 401, 'token required', challenge(req))
    return
  }
  void body(req).then((form) => {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'invalid_grant', error_description: `${form} is not valid` }))
  })
}

beforeAll(async () => {
  registry = await startRegistry()
  await pushIndex(registry, 'team/app', '1.0.0', [AMD64, ARM64], { salt: '1.0.0' })
  for (const handler of [echoBasic, echoBearer, echoRefreshToken]) {
    const proxy = await startFaultProxy(registry.url)
    proxy.setDecider(() => ({ kind: 'respond', handler }))
    hostile.push(proxy)
  }
  github = await startFakeGitHub({ token: TOKEN })
  github.commitFiles('main', {
    'images.json': JSON.stringify([
      { image: `${registry.host}/team/app`, tracks: ['major'] },
      ...hostile.map((proxy) => ({ image: `${proxy.host}/team/app`, tracks: ['major'] }))
    ]),
    'digests.json': '{}\n'
  })
}, 180_000)

afterAll(async () => {
  await github?.stop()
  for (const proxy of hostile) await proxy.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

test('no form of any secret reaches the pull request, summary, outputs, annotations or log', async () => {
  const dockerConfig = join(scratch, 'docker')
  mkdirSync(dockerConfig, { recursive: true })
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({
      auths: {
        [hostile[0]!.host]: { auth: basic('robot', PASSWORD) },
        [hostile[2]!.host]: { identitytoken: REFRESH_TOKEN }
      }
    })
  )
  // GitHub refuses the labels, naming the token it was sent.
  github.injectFailure({
    method: 'POST',
    path: /^\/repos\/owner\/repo\/issues\/\d+\/labels$/,
    status: 422,
    message: `Validation failed for Authorization: token ${TOKEN}`
  })
  const run: ActionRun = await runActionBundle({
    fake: github,
    scratch,
    token: TOKEN,
    registryPassword: 'unused',
    env: { DOCKER_CONFIG: dockerConfig }
  })
  expect(run.code).toBe(1)

  // The echoes did happen: each hostile image failed, and GitHub's refusal failed the step.
  const [pull] = github.pulls()
  expect(pull!.body).toContain('### Failed images')
  for (const proxy of hostile) expect(pull!.body).toContain(`${proxy.host}/team/app`)
  expect(pull!.body).toMatch(/Authorization: Basic \*\*\*/)
  expect(pull!.body).toMatch(/Authorization: Bearer \*\*\*/)
  expect(pull!.body).toMatch(/refresh_token=\*\*\*/)
  expect(run.stdout).toMatch(/^::error::.*Validation failed for Authorization: token \*\*\*/m)
  expect(run.summary).toContain('The update finished, but proposing it failed')

  const forms = (secret: string) => [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2)
  ]
  const secrets = [
    ...forms(PASSWORD),
    basic('robot', PASSWORD),
    ...forms(REFRESH_TOKEN),
    basic('<token>', REFRESH_TOKEN),
    BEARER,
    TOKEN
  ]
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  const published = {
    log,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    pulls: JSON.stringify(github.pulls()),
    'requests to GitHub': JSON.stringify(github.requests().map((request) => request.body))
  }
  for (const [where, text] of Object.entries(published)) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`the ${where} holds ${secret}`)
    }
  }
  // Each secret the run knew was masked in the log as it was learnt; the bearer token it never
  // saw whole was redacted by its scheme instead.
  // (A workflow command carries % as %25; the runner reads it back.)
  const masks = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
  for (const secret of [TOKEN, basic('robot', PASSWORD), encodeURIComponent(PASSWORD)]) {
    expect(masks).toContain(`::add-mask::${secret.replace(/%/g, '%25')}`)
  }
  expect(masks).not.toContain(`::add-mask::${BEARER}`)
})

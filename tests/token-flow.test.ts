// The token flow as registries other than the reference one run it, against the real registry
// in token auth mode: ACR's identity tokens and challenge scopes, relative realms, a 401 with
// no challenge except on /v2/, and a gateway that redirects to another registry.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import type { Credentials } from '../src/registry/credentials.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { RegistryClient } from '../src/registry/client.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushSingle, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const USER = 'robot'
const PASSWORD = 'token-flow-Passw0rd'
const REFRESH_TOKEN = 'acr-refresh-token-for-tests'

function clientFor(host: string, credentials?: Credentials): RegistryClient {
  return new RegistryClient({
    http: { retries: 0, backoffMs: 10 },
    ...(credentials
      ? { credentials: { get: (name) => (name === host ? credentials : undefined) } }
      : {})
  })
}

async function tagsOf(client: RegistryClient, image: string): Promise<string[]> {
  try {
    return await client.listTags(parseImageReference(image))
  } finally {
    await client.close()
  }
}

/** The scopes a Bearer JWT from the harness's token server grants. */
function grantedActions(req: IncomingMessage): string[] {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Bearer ')) return []
  const claims = JSON.parse(Buffer.from(header.split('.')[1]!, 'base64url').toString('utf8')) as {
    access: Array<{ actions: string[] }>
  }
  return claims.access.flatMap((entry) => entry.actions)
}

/** Forwards a request from the proxy to the token server, as a same-origin token path would. */
function forwardTo(
  tokenUrl: string,
  req: IncomingMessage,
  res: import('node:http').ServerResponse,
  url: URL
): void {
  const upstream = httpRequest(
    `${tokenUrl}${url.search}`,
    { method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    }
  )
  req.pipe(upstream)
}

describe('token flow', () => {
  let registry: TestRegistry
  let front: FaultProxy
  const identity: Credentials = { username: '', password: REFRESH_TOKEN, identityToken: true }

  beforeAll(async () => {
    registry = await startRegistry({
      auth: 'token',
      anonymousPull: false,
      users: { [USER]: PASSWORD },
      refreshTokens: { [REFRESH_TOKEN]: USER }
    })
    await pushSingle(registry, 'team/app', ['1.0.0', '1.1.0'], AMD64, { salt: 'token-flow' })
    front = await startFaultProxy(registry.url)
  })
  afterAll(async () => {
    await front?.stop()
    await registry?.stop()
  })
  beforeEach(async () => {
    front.setRules([])
    registry.tokenServer!.setPostSupported(true)
    await registry.resetRequests()
  })

  test('an identity token is exchanged by POST with grant_type=refresh_token', async () => {
    expect(
      (await tagsOf(clientFor(registry.host, identity), `${registry.host}/team/app`)).sort()
    ).toEqual(['1.0.0', '1.1.0'])
    expect(registry.tokenServer!.requests()).toEqual([
      {
        method: 'POST',
        user: USER,
        scopes: [{ type: 'repository', name: 'team/app', actions: ['pull'] }],
        status: 200
      }
    ])
  })

  test('a token service without the POST endpoint is asked by GET with Basic', async () => {
    registry.tokenServer!.setPostSupported(false)
    const client = clientFor(registry.host, identity)
    expect((await client.listTags(parseImageReference(`${registry.host}/team/app`))).length).toBe(2)
    // The POST that got 404 and the GET: two token requests.
    expect(client.requestCounts()[registry.host]!.tokens).toBe(2)
    await client.close()
    expect(
      registry.tokenServer!.requests().map(({ method, user, status }) => [method, user, status])
    ).toEqual([['GET', USER, 200]])
  })

  test('an unknown identity token is reported as refused, and never shown', async () => {
    const wrong: Credentials = { username: '', password: 'not-a-known-token', identityToken: true }
    const failure = tagsOf(clientFor(registry.host, wrong), `${registry.host}/team/app`)
    await expect(failure).rejects.toThrow(
      `POST ${registry.tokenUrl}: token service answered 401 Unauthorized (incorrect username or password): the identity token for ${registry.host} was refused (asked for repository:team/app:pull)`
    )
    await failure.catch((error: Error) => expect(error.message).not.toContain('not-a-known-token'))
  })

  test('the scope the challenge names is asked for, as ACR wants metadata_read for tags/list', async () => {
    front.setRules([
      {
        path: /\/tags\/list/,
        when: (req) => !grantedActions(req).includes('metadata_read'),
        fault: {
          kind: 'status',
          status: 401,
          headers: {
            'WWW-Authenticate': `Bearer realm="${registry.tokenUrl}",service="${registry.service}",scope="repository:team/app:metadata_read"`
          }
        }
      }
    ])
    const credentials = { username: USER, password: PASSWORD }
    expect(
      (await tagsOf(clientFor(front.host, credentials), `${front.host}/team/app`)).length
    ).toBe(2)
    expect(registry.tokenServer!.requests().map((r) => r.scopes)).toEqual([
      [
        { type: 'repository', name: 'team/app', actions: ['pull'] },
        { type: 'repository', name: 'team/app', actions: ['metadata_read'] }
      ]
    ])
  })

  test('a relative realm is resolved against the registry', async () => {
    const relative = await startFaultProxy(registry.url, {
      rewriteHeaders: (headers) => {
        const challenge = headers['www-authenticate']
        if (challenge)
          headers['www-authenticate'] = challenge.replace(/realm="[^"]*"/, 'realm="/token"')
      }
    })
    try {
      relative.setRules([
        {
          path: /^\/token/,
          fault: {
            kind: 'respond',
            handler: (req, res, url) => forwardTo(registry.tokenUrl!, req, res, url)
          }
        }
      ])
      const credentials = { username: USER, password: PASSWORD }
      expect(
        (await tagsOf(clientFor(relative.host, credentials), `${relative.host}/team/app`)).length
      ).toBe(2)
      expect(relative.log().filter((entry) => entry.url.startsWith('/token')).length).toBe(1)
      expect(registry.tokenServer!.requests().map((r) => [r.user, r.status])).toEqual([[USER, 200]])
    } finally {
      await relative.stop()
    }
  })

  test('a 401 without a challenge is answered with the one /v2/ sends', async () => {
    front.setRules([
      {
        path: /^\/v2\/.+/,
        fault: { kind: 'headers', rewrite: (headers) => delete headers['www-authenticate'] }
      }
    ])
    const client = clientFor(front.host, { username: USER, password: PASSWORD })
    expect((await client.listTags(parseImageReference(`${front.host}/team/app`))).length).toBe(2)
    // The ping to /v2/ and the token.
    expect(client.requestCounts()[front.host]!.tokens).toBe(2)
    await client.close()
    expect(front.log().filter((entry) => entry.url === '/v2/').length).toBe(1)
  })

  test('a redirect to another registry gets that registry’s own challenge, and none of our credentials', async () => {
    const other = await startRegistry({ auth: 'token', anonymousPull: true })
    try {
      await pushSingle(other, 'team/app', ['7.0.0'], AMD64, { salt: 'other' })
      await other.resetRequests()
      front.setRules([
        {
          path: /^\/v2\/.+/,
          fault: {
            kind: 'respond',
            handler: (_req, res, url) => {
              res.writeHead(307, { Location: `${other.url}${url.pathname}${url.search}` })
              res.end()
            }
          }
        }
      ])
      const client = clientFor(front.host, { username: USER, password: PASSWORD })
      const image = parseImageReference(`${front.host}/team/app`)
      expect(await client.listTags(image)).toEqual(['7.0.0'])
      expect(await client.headTag(image, '7.0.0')).not.toBeNull()
      await client.close()
      // One anonymous token from the other registry, reused for the HEAD; none from ours.
      expect(other.tokenServer!.requests().map((r) => [r.user, r.status])).toEqual([
        [undefined, 200]
      ])
      expect(registry.tokenServer!.requests()).toEqual([])
    } finally {
      await other.stop()
    }
  })
})

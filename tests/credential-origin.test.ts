// Security regression: a registry's credentials and tokens go to that registry's origin (and
// Basic credentials to its token service) and nowhere else. A tags/list `Link: rel="next"` or a
// redirect to another host is followed without them.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseImageReference } from '../src/registry/image-reference.js'
import { RegistryClient } from '../src/registry/client.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startRegistry, type AuthMode, type TestRegistry } from './harness/registry.js'
import { pushSingle, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const USER = 'robot'
const PASSWORD = 'origin-test-Passw0rd'

/** The other host: records what it was sent and answers a tags/list page, or a status. */
interface OtherHost {
  url: string
  seen: IncomingHttpHeaders[]
  status: number
  server: Server
}

async function startOtherHost(): Promise<OtherHost> {
  const host: OtherHost = { url: '', seen: [], status: 200, server: createServer() }
  host.server.on('request', (request, response) => {
    host.seen.push(request.headers)
    if (host.status !== 200) {
      response.writeHead(host.status, { 'WWW-Authenticate': 'Basic realm="other"' })
      response.end()
      return
    }
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.end(JSON.stringify({ name: 'team/app', tags: ['9.0.0'] }))
  })
  await new Promise<void>((resolve) => host.server.listen(0, '127.0.0.1', resolve))
  host.url = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`
  return host
}

describe.each<AuthMode>(['token', 'htpasswd'])('%s auth', (auth) => {
  let registry: TestRegistry
  let front: FaultProxy
  let other: OtherHost

  beforeAll(async () => {
    registry = await startRegistry({
      auth,
      users: { [USER]: PASSWORD },
      ...(auth === 'token' ? { anonymousPull: false } : {})
    })
    await pushSingle(registry, 'team/app', ['1.0.0'], AMD64, { salt: `origin-${auth}` })
    front = await startFaultProxy(registry.url)
    other = await startOtherHost()
  })
  afterAll(async () => {
    await front?.stop()
    await registry?.stop()
    await new Promise((resolve) => other?.server.close(resolve))
  })
  beforeEach(() => {
    other.seen = []
    other.status = 200
    front.resetLog()
  })

  const listTags = async (): Promise<string[]> => {
    const client = new RegistryClient({
      credentials: new Map([[front.host, { username: USER, password: PASSWORD }]])
    })
    try {
      return await client.listTags(parseImageReference(`${front.host}/team/app`))
    } finally {
      await client.close()
    }
  }
  /** The registry's first page names the other host as its next page. */
  const linkToOtherHost = (): void =>
    front.setRules([
      {
        path: /\/tags\/list/,
        fault: {
          kind: 'headers',
          rewrite: (headers) => {
            headers.link = `<${other.url}/v2/team/app/tags/list?last=1.0.0>; rel="next"`
          }
        }
      }
    ])
  const authorized = (headers: IncomingHttpHeaders): boolean => headers.authorization !== undefined

  test('a Link to another host gets no Authorization header', async () => {
    linkToOtherHost()
    expect((await listTags()).sort()).toEqual(['1.0.0', '9.0.0'])
    expect(other.seen).toHaveLength(1)
    expect(other.seen.filter(authorized)).toEqual([])
    // The registry itself did get credentials: the first page needed them.
    expect(front.log().some((entry) => entry.url.includes('tags/list'))).toBe(true)
  })

  test('a redirect to another host gets no Authorization header', async () => {
    front.setRules([
      {
        path: /\/tags\/list/,
        when: (request) => request.headers.authorization !== undefined,
        fault: {
          kind: 'respond',
          handler: (_request, response, url) => {
            response.writeHead(307, { Location: `${other.url}${url.pathname}` })
            response.end()
          }
        }
      }
    ])
    expect(await listTags()).toEqual(['9.0.0'])
    expect(other.seen).toHaveLength(1)
    expect(other.seen.filter(authorized)).toEqual([])
  })

  test('another host that asks for credentials is refused them, with the reason', async () => {
    other.status = 401
    linkToOtherHost()
    const failure = listTags()
    await expect(failure).rejects.toThrow(
      `GET ${other.url}/v2/team/app/tags/list: 401 Unauthorized: this host is not ${front.host}, so it gets no credentials or token`
    )
    await failure.catch((error: Error) => expect(error.message).not.toContain(PASSWORD))
    expect(other.seen).toHaveLength(1)
    expect(other.seen.filter(authorized)).toEqual([])
  })
})

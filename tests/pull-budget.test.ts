// The pull budget on its own: the quota headers as Docker Hub sends them, and a client against
// the real registry behind the fault proxy answering 429 with `ratelimit-remaining: 0`.
import { parseImageReference } from '../src/registry/image-reference.js'
import { RegistryClient } from '../src/registry/client.js'
import { PullQuotaDeferral } from '../src/registry/errors.js'
import { PullBudget } from '../src/registry/pull-budget.js'
import { parseRateLimit, spentWindowReason } from '../src/registry/rate-limit-headers.js'
import { startFaultProxy, type FaultProxy } from './harness/fault-proxy.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { TOO_MANY_REQUESTS_BODY } from './harness/quota-proxy.js'

const headers = (remaining: number, limit = 10): Record<string, string> => ({
  'ratelimit-limit': `${limit};w=3600`,
  'ratelimit-remaining': `${remaining};w=3600`
})

describe('the quota headers', () => {
  test('parses N;w=SECONDS and refuses anything else', () => {
    expect(parseRateLimit('100;w=21600')).toEqual({ count: 100, windowSeconds: 21600 })
    expect(parseRateLimit('7')).toEqual({ count: 7 })
    expect(parseRateLimit('many')).toBeUndefined()
    expect(parseRateLimit(undefined)).toBeUndefined()
  })

  test('a 429 means a spent window only with TOOMANYREQUESTS or remaining 0', () => {
    const body = Buffer.from(TOO_MANY_REQUESTS_BODY)
    expect(spentWindowReason({}, body)).toMatch(
      /^TOOMANYREQUESTS: You have reached your unauthenticated pull rate limit\./
    )
    expect(spentWindowReason(headers(0), Buffer.from(''))).toBe('0 of 10 per 3600 s left')
    expect(spentWindowReason(headers(0), body)).toMatch(/^0 of 10 per 3600 s left \(TOOMANY/)
    expect(spentWindowReason(headers(3), Buffer.from('{"errors":[]}'))).toBeUndefined()
    expect(spentWindowReason({}, Buffer.from('not json'))).toBeUndefined()
  })
})

describe('PullBudget', () => {
  const url = 'http://127.0.0.1:1/v2/x/manifests/sha256:00'

  test('spends down to the reserve, counting GETs not yet answered', () => {
    const budget = new PullBudget(2)
    expect(budget.spendable()).toBeUndefined()
    budget.observe(headers(5))
    expect(budget.spendable()).toBe(3)
    for (let i = 0; i < 3; i++) budget.take('GET', url, true)
    expect(() => budget.take('GET', url, true)).toThrow(PullQuotaDeferral)
    expect(budget.refusal()).toBe('2 of 10 per 3600 s left, 2 kept in reserve')
    // A late answer announcing more than we counted does not give pulls back.
    budget.observe(headers(4))
    expect(budget.spendable()).toBe(0)
  })

  test('blob GETs are refused with the window but not counted', () => {
    const budget = new PullBudget(0)
    budget.observe(headers(1))
    budget.take('GET', url, false)
    expect(budget.spendable()).toBe(1)
    budget.exhaust('TOOMANYREQUESTS: spent')
    expect(() => budget.take('GET', url, false)).toThrow('deferred: TOOMANYREQUESTS: spent')
  })

  test('a registry that announces nothing is not limited', () => {
    const budget = new PullBudget(2)
    for (let i = 0; i < 50; i++) budget.take('GET', url, true)
    expect(budget.refusal()).toBeUndefined()
  })
})

describe('a 429 with ratelimit-remaining: 0', () => {
  let registry: TestRegistry
  let proxy: FaultProxy
  beforeAll(async () => {
    registry = await startRegistry()
    await pushIndex(
      registry,
      'app/one',
      ['1.0.0', '1.1.0'],
      [{ os: 'linux', architecture: 'amd64' }],
      {
        salt: 'one'
      }
    )
    await pushIndex(registry, 'app/one', ['2.0.0'], [{ os: 'linux', architecture: 'arm64' }], {
      salt: 'two'
    })
    proxy = await startFaultProxy(registry.url)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  test('is not retried, and no later GET goes to that registry this run', async () => {
    const client = new RegistryClient({ http: { retries: 2, backoffMs: 10 } })
    const image = parseImageReference(`${proxy.host}/app/one`)
    proxy.setRules([
      {
        method: 'GET',
        path: /\/manifests\/sha256:/,
        fault: {
          kind: 'status',
          status: 429,
          headers: headers(0),
          body: '{"errors":[{"code":"DENIED","message":"slow down"}]}'
        }
      }
    ])
    try {
      const first = await client.headTag(image, '1.0.0')
      const second = await client.headTag(image, '2.0.0')
      await expect(client.manifest(image, first!.digest)).rejects.toThrow(
        /GET http:\/\/127\.0\.0\.1:\d+\/v2\/app\/one\/manifests\/sha256:[0-9a-f]{64}: deferred: 0 of 10 per 3600 s left$/
      )
      await expect(client.manifest(image, second!.digest)).rejects.toBeInstanceOf(PullQuotaDeferral)
    } finally {
      await client.close()
    }
    const gets = proxy
      .log()
      .filter((entry) => entry.method === 'GET' && entry.url.includes('/manifests/'))
    expect(gets).toHaveLength(1)
    expect(client.requestCounts()[proxy.host]?.getManifests).toBe(1)
  })
})

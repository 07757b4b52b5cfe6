// Proves the test harness itself: a real distribution registry, seeded over its API, read back
// over plain HTTP, with exact request counts from its access log.
import { createHash } from 'node:crypto'
import { Agent, request } from 'undici'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import {
  ACCEPT_ALL,
  MEDIA_TYPES,
  deleteTag,
  pushIndex,
  pushMany,
  pushSingle,
  type IndexResult,
  type ImageResult
} from './harness/seed.js'

const agent = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 })
afterAll(() => agent.close())

interface Reply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

async function http(
  url: string,
  init: { method?: 'GET' | 'HEAD'; headers?: Record<string, string> } = {}
): Promise<Reply> {
  const res = await request(url, {
    dispatcher: agent,
    method: init.method ?? 'GET',
    headers: init.headers
  })
  const body = Buffer.from(await res.body.arrayBuffer())
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(res.headers))
    headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '')
  return { status: res.statusCode, headers, body }
}

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`
const basic = (u: string, p: string): string =>
  `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
  { os: 'linux', architecture: 'arm', variant: 'v7' }
]

interface Seeded {
  oci: IndexResult
  docker: IndexResult
  single: ImageResult
}

async function seedAll(reg: TestRegistry, repo: string): Promise<Seeded> {
  const oci = await pushIndex(reg, repo, ['1.0.0', 'latest'], PLATFORMS, { attestations: true })
  const docker = await pushIndex(reg, repo, '2.0.0', PLATFORMS.slice(0, 2), { mediaType: 'docker' })
  const single = await pushSingle(reg, repo, 'single', { os: 'linux', architecture: 'amd64' })
  return { oci, docker, single }
}

/** Everything a reader should see for the three seeded kinds, with `headers` for auth. */
async function expectSeededReadable(
  reg: TestRegistry,
  repo: string,
  seeded: Seeded,
  headers: Record<string, string> = {}
): Promise<void> {
  const tags = await http(`${reg.url}/v2/${repo}/tags/list`, { headers })
  expect(tags.status).toBe(200)
  const list = JSON.parse(tags.body.toString()) as { name: string; tags: string[] }
  expect(list.name).toBe(repo)
  // Distribution 2.8 lists tags in directory order, not sorted.
  expect(list.tags.sort()).toEqual(['1.0.0', '2.0.0', 'latest', 'single'])

  const expected: Array<[string, string, string]> = [
    ['1.0.0', seeded.oci.digest, MEDIA_TYPES.ociIndex],
    ['latest', seeded.oci.digest, MEDIA_TYPES.ociIndex],
    ['2.0.0', seeded.docker.digest, MEDIA_TYPES.dockerList],
    ['single', seeded.single.digest, MEDIA_TYPES.ociManifest]
  ]
  for (const [tag, digest, mediaType] of expected) {
    const url = `${reg.url}/v2/${repo}/manifests/${tag}`
    const head = await http(url, { method: 'HEAD', headers: { ...headers, accept: ACCEPT_ALL } })
    expect([tag, head.status, head.headers['docker-content-digest']]).toEqual([tag, 200, digest])
    const get = await http(url, { headers: { ...headers, accept: ACCEPT_ALL } })
    expect(get.status).toBe(200)
    expect(get.headers['content-type']).toBe(mediaType)
    expect(sha(get.body)).toBe(digest)
  }

  // Child manifests by digest hash to what the index says.
  const children = [
    ...Object.values(seeded.oci.manifests),
    ...Object.values(seeded.oci.attestations),
    ...Object.values(seeded.docker.manifests)
  ]
  for (const digest of children) {
    const get = await http(`${reg.url}/v2/${repo}/manifests/${digest}`, {
      headers: { ...headers, accept: ACCEPT_ALL }
    })
    expect(get.status).toBe(200)
    expect(sha(get.body)).toBe(digest)
  }
}

describe('registry harness without auth', () => {
  let reg: TestRegistry
  let seeded: Seeded
  const repo = 'team/app'

  beforeAll(async () => {
    reg = await startRegistry()
    seeded = await seedAll(reg, repo)
  })
  afterAll(() => reg?.stop())

  test('exposes host and url on loopback', () => {
    expect(reg.host).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(reg.url).toBe(`http://${reg.host}`)
    expect(reg.tokenUrl).toBeUndefined()
  })

  test('seeded tags read back with matching digests and media types', async () => {
    await expectSeededReadable(reg, repo, seeded)
  })

  test('OCI index carries per-platform images then BuildKit attestation manifests', async () => {
    const res = await http(`${reg.url}/v2/${repo}/manifests/1.0.0`, {
      headers: { accept: MEDIA_TYPES.ociIndex }
    })
    const index = JSON.parse(res.body.toString()) as {
      mediaType: string
      manifests: Array<{ digest: string; platform: object; annotations?: Record<string, string> }>
    }
    expect(index.mediaType).toBe(MEDIA_TYPES.ociIndex)
    expect(index.manifests).toHaveLength(6)
    expect(index.manifests.slice(0, 3).map((m) => m.platform)).toEqual(PLATFORMS)
    for (const [i, att] of index.manifests.slice(3).entries()) {
      expect(att.platform).toEqual({ architecture: 'unknown', os: 'unknown' })
      expect(att.annotations).toEqual({
        'vnd.docker.reference.digest': index.manifests[i]?.digest,
        'vnd.docker.reference.type': 'attestation-manifest'
      })
    }
    expect(Object.keys(seeded.oci.manifests)).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
      'linux/arm/v7'
    ])
  })

  test('Accept header decides what the registry serves (distribution 2.8 behaviour)', async () => {
    const url = `${reg.url}/v2/${repo}/manifests`
    // Each index type is served when it is the accepted type.
    const docker = await http(`${url}/2.0.0`, { headers: { accept: MEDIA_TYPES.dockerList } })
    expect(sha(docker.body)).toBe(seeded.docker.digest)
    const single = await http(`${url}/single`, { headers: { accept: MEDIA_TYPES.ociManifest } })
    expect(sha(single.body)).toBe(seeded.single.digest)
    // An OCI index asked for with only Docker types is refused rather than converted.
    const refused = await http(`${url}/1.0.0`, { headers: { accept: MEDIA_TYPES.dockerManifest } })
    expect(refused.status).toBe(404)
    // A Docker list asked for with only the image type is narrowed to the linux/amd64 image.
    const narrowed = await http(`${url}/2.0.0`, { headers: { accept: MEDIA_TYPES.dockerManifest } })
    expect(narrowed.status).toBe(200)
    expect(narrowed.headers['docker-content-digest']).toBe(seeded.docker.manifests['linux/amd64'])
  })

  test('requests() counts exactly what was sent since resetRequests()', async () => {
    await reg.resetRequests()
    const url = `${reg.url}/v2/${repo}/manifests`
    for (const tag of ['1.0.0', '2.0.0', 'single']) {
      await http(`${url}/${tag}`, { method: 'HEAD', headers: { accept: ACCEPT_ALL } })
    }
    await http(`${url}/latest`, { headers: { accept: ACCEPT_ALL } })
    const entries = await reg.requests()
    expect(entries).toEqual([
      { method: 'HEAD', path: `/v2/${repo}/manifests/1.0.0`, status: 200 },
      { method: 'HEAD', path: `/v2/${repo}/manifests/2.0.0`, status: 200 },
      { method: 'HEAD', path: `/v2/${repo}/manifests/single`, status: 200 },
      { method: 'GET', path: `/v2/${repo}/manifests/latest`, status: 200 }
    ])
    expect(countByKind(entries)).toEqual({
      tagListPages: 0,
      headManifests: 3,
      getManifests: 1,
      getBlobs: 0,
      other: 0
    })
    // Asking again changes nothing: the sentinels themselves are not counted.
    expect(await reg.requests()).toEqual(entries)
  })

  test('seeding after resetRequests() is not counted either', async () => {
    await reg.resetRequests()
    await pushSingle(reg, 'other/repo', 'x', { os: 'linux', architecture: 'amd64' })
    const res = await http(`${reg.url}/v2/other/repo/blobs/${seeded.single.digest}`)
    expect(res.status).toBe(404) // a manifest digest is no blob here; the request still counts
    expect(countByKind(await reg.requests())).toEqual({
      tagListPages: 0,
      headManifests: 0,
      getManifests: 0,
      getBlobs: 1,
      other: 0
    })
  })

  test('bare distribution 2.8 ignores ?n= on tags/list and sends no Link header', async () => {
    const res = await http(`${reg.url}/v2/${repo}/tags/list?n=2`)
    expect(res.status).toBe(200)
    expect((JSON.parse(res.body.toString()) as { tags: string[] }).tags).toHaveLength(4)
    expect(res.headers.link).toBeUndefined()
  })

  test('deleteTag removes every tag on that digest (distribution 2.8 semantics)', async () => {
    const delRepo = 'del/app'
    const kept = await pushIndex(reg, delRepo, 'keep', PLATFORMS.slice(0, 1), { salt: 'keep' })
    const gone = await pushIndex(reg, delRepo, ['a', 'b'], PLATFORMS.slice(0, 1), { salt: 'gone' })
    // DELETE by tag name is not supported by 2.8.
    const byTag = await request(`${reg.url}/v2/${delRepo}/manifests/a`, {
      dispatcher: agent,
      method: 'DELETE'
    })
    await byTag.body.dump()
    expect(byTag.statusCode).not.toBe(202)

    expect(await deleteTag(reg, delRepo, 'a')).toBe(gone.digest)
    const list = await http(`${reg.url}/v2/${delRepo}/tags/list`)
    expect(JSON.parse(list.body.toString()).tags).toEqual(['keep'])
    const head = await http(`${reg.url}/v2/${delRepo}/manifests/keep`, {
      method: 'HEAD',
      headers: { accept: ACCEPT_ALL }
    })
    expect(head.headers['docker-content-digest']).toBe(kept.digest)
  })
})

describe('registry harness with paginateTags (token auth through the pager)', () => {
  let reg: TestRegistry
  const repo = 'paged/app'
  const tags = ['v1', 'v2', 'v3', 'v4', 'v5']

  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', paginateTags: true })
    // Seeding (uploads, manifest PUTs, token dance) all passes through the pager too.
    await pushMany(reg, repo, [...tags].reverse(), PLATFORMS.slice(0, 1), { concurrency: 3 })
  })
  afterAll(() => reg?.stop())

  async function pullToken(): Promise<string> {
    const res = await http(`${reg.tokenUrl}?service=${reg.service}&scope=repository:${repo}:pull`)
    return (JSON.parse(res.body.toString()) as { token: string }).token
  }

  test('?n=2 pages in lexical order, following Link headers', async () => {
    const authorization = `Bearer ${await pullToken()}`
    await reg.resetRequests()
    const seen: string[][] = []
    const links: string[] = []
    let next: string | undefined = `/v2/${repo}/tags/list?n=2`
    for (let page = 0; next !== undefined && page < 10; page++) {
      const res = await http(`${reg.url}${next}`, { headers: { authorization } })
      expect(res.status).toBe(200)
      seen.push((JSON.parse(res.body.toString()) as { tags: string[] }).tags)
      if (res.headers.link) links.push(res.headers.link)
      next = /^<([^>]+)>;\s*rel="next"$/.exec(res.headers.link ?? '')?.[1]
    }
    expect(seen).toEqual([['v1', 'v2'], ['v3', 'v4'], ['v5']])
    expect(links).toEqual([
      `</v2/${repo}/tags/list?last=v2&n=2>; rel="next"`,
      `</v2/${repo}/tags/list?last=v4&n=2>; rel="next"`
    ])
    const entries = await reg.requests()
    expect(entries.map((e) => e.path)).toEqual([
      `/v2/${repo}/tags/list?n=2`,
      `/v2/${repo}/tags/list?last=v2&n=2`,
      `/v2/${repo}/tags/list?last=v4&n=2`
    ])
    expect(countByKind(entries).tagListPages).toBe(3)
  })

  test('challenges pass through the pager untouched', async () => {
    const res = await http(`${reg.url}/v2/${repo}/tags/list?n=2`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toContain(`realm="${reg.tokenUrl}"`)
  })
})

describe('registry harness with token auth (anonymous pull allowed)', () => {
  let reg: TestRegistry
  let seeded: Seeded
  const repo = 'library/tokened'
  const users = { alice: 'wonderland' }

  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', users })
    seeded = await seedAll(reg, repo)
  })
  afterAll(() => reg?.stop())

  async function token(scope: string, authorization?: string): Promise<Reply> {
    const url = new URL(reg.tokenUrl!)
    url.searchParams.set('service', reg.service!)
    url.searchParams.set('scope', scope)
    return http(url.toString(), { headers: authorization ? { authorization } : {} })
  }

  test('a registry request without a token gets a Bearer challenge', async () => {
    const res = await http(`${reg.url}/v2/${repo}/tags/list`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="${reg.tokenUrl}",service="${reg.service}",scope="repository:${repo}:pull"`
    )
  })

  test('anonymous token pulls everything seeded', async () => {
    await reg.resetRequests()
    const res = await token(`repository:${repo}:pull`)
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body.toString()) as Record<string, unknown>
    expect(body).toMatchObject({ expires_in: 300, access_token: body.token })
    expect(reg.tokenRequests()).toBe(1)
    expect(reg.tokenServer!.requests()).toEqual([
      {
        method: 'GET',
        user: undefined,
        scopes: [{ type: 'repository', name: repo, actions: ['pull'] }],
        status: 200
      }
    ])
    await expectSeededReadable(reg, repo, seeded, { authorization: `Bearer ${body.token}` })
  })

  test('anonymous token grants pull only, never push', async () => {
    const res = await token(`repository:${repo}:pull,push`)
    const { token: t } = JSON.parse(res.body.toString()) as { token: string }
    const claims = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString())
    expect(claims.access).toEqual([{ type: 'repository', name: repo, actions: ['pull'] }])
    const push = await request(`${reg.url}/v2/${repo}/blobs/uploads/`, {
      dispatcher: agent,
      method: 'POST',
      headers: { authorization: `Bearer ${t}` }
    })
    await push.body.dump()
    expect(push.statusCode).toBe(401)
  })

  test('user credentials get a token with the requested actions', async () => {
    const res = await token(`repository:${repo}:pull,push`, basic('alice', 'wonderland'))
    expect(res.status).toBe(200)
    const { token: t } = JSON.parse(res.body.toString()) as { token: string }
    const push = await request(`${reg.url}/v2/${repo}/blobs/uploads/`, {
      dispatcher: agent,
      method: 'POST',
      headers: { authorization: `Bearer ${t}` }
    })
    await push.body.dump()
    expect(push.statusCode).toBe(202)
  })

  test('bad credentials get 401 from the token server', async () => {
    await reg.resetRequests()
    const res = await token(`repository:${repo}:pull`, basic('alice', 'wrong'))
    expect(res.status).toBe(401)
    expect(reg.tokenRequests()).toBe(1)
  })

  test('setFailing makes the token endpoint fail until cleared', async () => {
    reg.tokenServer!.setFailing(503)
    try {
      expect((await token(`repository:${repo}:pull`)).status).toBe(503)
    } finally {
      reg.tokenServer!.setFailing(null)
    }
    expect((await token(`repository:${repo}:pull`)).status).toBe(200)
  })

  test('401 challenges are counted like any request', async () => {
    await reg.resetRequests()
    await http(`${reg.url}/v2/${repo}/manifests/latest`, { method: 'HEAD' })
    expect(await reg.requests()).toEqual([
      { method: 'HEAD', path: `/v2/${repo}/manifests/latest`, status: 401 }
    ])
  })
})

describe('registry harness with token auth (anonymous pull denied)', () => {
  let reg: TestRegistry
  const repo = 'private/app'

  beforeAll(async () => {
    reg = await startRegistry({ auth: 'token', anonymousPull: false, users: { bob: 'builder' } })
    await pushSingle(reg, repo, 'v1', { os: 'linux', architecture: 'amd64' })
  })
  afterAll(() => reg?.stop())

  async function pullWith(authorization?: string): Promise<number> {
    const url = `${reg.tokenUrl}?service=${reg.service}&scope=repository:${repo}:pull`
    const tok = await http(url, { headers: authorization ? { authorization } : {} })
    expect(tok.status).toBe(200)
    const { token } = JSON.parse(tok.body.toString()) as { token: string }
    const res = await http(`${reg.url}/v2/${repo}/tags/list`, {
      headers: { authorization: `Bearer ${token}` }
    })
    return res.status
  }

  test('anonymous token carries no access, so the registry answers 401', async () => {
    expect(await pullWith()).toBe(401)
  })

  test('user credentials pull', async () => {
    expect(await pullWith(basic('bob', 'builder'))).toBe(200)
  })
})

describe('registry harness with htpasswd auth', () => {
  let reg: TestRegistry
  let seeded: Seeded
  const repo = 'basic/app'

  beforeAll(async () => {
    reg = await startRegistry({ auth: 'htpasswd', users: { carol: 'secret' } })
    seeded = await seedAll(reg, repo)
  })
  afterAll(() => reg?.stop())

  test('no credentials get a Basic challenge', async () => {
    const res = await http(`${reg.url}/v2/${repo}/tags/list`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/)
  })

  test('wrong password is refused', async () => {
    const res = await http(`${reg.url}/v2/`, { headers: { authorization: basic('carol', 'nope') } })
    expect(res.status).toBe(401)
  })

  test('user credentials read everything seeded', async () => {
    await expectSeededReadable(reg, repo, seeded, { authorization: basic('carol', 'secret') })
  })
})

describe('registry lifecycle', () => {
  test('stop() kills the registry and frees its port', async () => {
    const reg = await startRegistry()
    await reg.stop()
    await expect(http(`${reg.url}/v2/`)).rejects.toThrow()
    await reg.stop() // idempotent
  })
})

// The registry client on its own, against the real registry over real HTTP.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseImageReference } from '../src/registry/image-reference.js'
import { RegistryClient } from '../src/registry/client.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, pushSingle, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }

/** Answers every request with a 307 to the same path on the registry, as Docker Hub does for blobs. */
async function startRedirector(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.writeHead(307, { Location: `${target}${request.url}` })
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

describe('RegistryClient', () => {
  let registry: TestRegistry
  beforeAll(async () => {
    registry = await startRegistry({ paginateTags: true })
    await pushIndex(registry, 'app/multi', ['1.0.0', '1.0', '1'], [AMD64], { salt: 'multi' })
    await pushSingle(registry, 'app/single', ['2.0.0'], AMD64, { salt: 'single' })
  })
  afterAll(async () => {
    await registry?.stop()
  })

  test('follows redirects for every kind of request', async () => {
    const redirector = await startRedirector(registry.url)
    const client = new RegistryClient({
      mirrors: { 'mirror.example': redirector.url },
      tagPageSize: 1
    })
    try {
      const image = parseImageReference('mirror.example/app/single')
      expect(await client.listTags(image)).toEqual(['2.0.0'])
      const head = await client.headTag(image, '2.0.0')
      const manifest = await client.manifest(image, head!.digest)
      expect(manifest.kind).toBe('image')
      if (manifest.kind !== 'image') return
      const config = await client.blob(image, manifest.config.digest)
      expect(JSON.parse(config.toString()).architecture).toBe('amd64')
    } finally {
      await client.close()
      redirector.server.close()
    }
  })

  test('pages through tags/list and asks nothing twice', async () => {
    const client = new RegistryClient({ mirrors: {}, tagPageSize: 1 })
    const image = parseImageReference(`${registry.host}/app/multi`)
    await registry.resetRequests()
    try {
      const [first, second] = await Promise.all([client.listTags(image), client.listTags(image)])
      expect(first.sort()).toEqual(['1', '1.0', '1.0.0'])
      expect(second).toBe(first)
      const heads = await Promise.all([
        client.headTag(image, '1.0.0'),
        client.headTag(image, '1.0.0')
      ])
      expect(heads[0]).toEqual(heads[1])
      await client.manifest(image, heads[0]!.digest)
      await client.manifest(image, heads[0]!.digest)
      expect(await client.headTag(image, 'no-such-tag')).toBeNull()
    } finally {
      await client.close()
    }
    const counts = countByKind(await registry.requests())
    expect(counts).toMatchObject({
      tagListPages: 3,
      headManifests: 2,
      getManifests: 1,
      getBlobs: 0
    })
    expect(client.requestCounts()[registry.host]).toEqual({
      tagListPages: 3,
      headManifests: 2,
      getManifests: 1,
      getBlobs: 0,
      tokens: 0
    })
  })
})

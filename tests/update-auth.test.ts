// Registries that want credentials: token auth (anonymous and with docker login's config.json)
// and htpasswd Basic auth, against the real registry.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dockerConfig, runCli, workspace } from './harness/cli.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type IndexResult, type Platform } from './harness/seed.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64' }
const USER = 'robot'
const PASSWORD = 's3cret-Passw0rd-for-tests'

describe('token auth', () => {
  let open: TestRegistry
  let closed: TestRegistry
  let openIndex: IndexResult
  let closedIndex: IndexResult

  beforeAll(async () => {
    open = await startRegistry({ auth: 'token', anonymousPull: true })
    closed = await startRegistry({
      auth: 'token',
      anonymousPull: false,
      users: { [USER]: PASSWORD }
    })
    openIndex = await pushIndex(open, 'team/public', ['2.1.0'], [AMD64, ARM64], { salt: 'public' })
    closedIndex = await pushIndex(closed, 'team/private', ['1.4.2'], [AMD64, ARM64], {
      salt: 'private'
    })
  })
  afterAll(async () => {
    await open?.stop()
    await closed?.stop()
  })

  test('anonymous tokens for public images, docker login credentials for private ones', async () => {
    const folder = workspace([
      { image: `${open.host}/team/public`, tracks: ['major'] },
      { image: `${closed.host}/team/private`, tracks: ['major'] }
    ])
    const config = dockerConfig(folder, { [closed.host]: [USER, PASSWORD] })
    await open.resetRequests()
    await closed.resetRequests()
    const run = await runCli(['update', '--no-manifests'], {
      cwd: folder,
      env: { DOCKER_CONFIG: config }
    })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual({
      [`${open.host}/team/public`]: {
        '2': {
          'linux/amd64': `${open.host}/team/public:2.1.0@${openIndex.manifests['linux/amd64']}`,
          'linux/arm64': `${open.host}/team/public:2.1.0@${openIndex.manifests['linux/arm64']}`
        }
      },
      [`${closed.host}/team/private`]: {
        '1': {
          'linux/amd64': `${closed.host}/team/private:1.4.2@${closedIndex.manifests['linux/amd64']}`,
          'linux/arm64': `${closed.host}/team/private:1.4.2@${closedIndex.manifests['linux/arm64']}`
        }
      }
    })
    // One token per repository, reused for every later request while it is valid.
    expect(open.tokenRequests()).toBe(1)
    expect(closed.tokenRequests()).toBe(1)
    const tokenCounts = /requests to [^:]+:\d+: .* (\d+) token requests/g
    expect([...run.stderr.matchAll(tokenCounts)].map((match) => match[1])).toEqual(['1', '1'])
    // Neither the password nor the token ever reaches the output.
    expect(run.stdout + run.stderr).not.toContain(PASSWORD)
    expect(run.stdout + run.stderr).not.toContain(
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
    )
    // The 401 that taught us the challenge is the only unauthorised request per registry.
    const closedEntries = await closed.requests()
    expect(closedEntries.filter((entry) => entry.status === 401)).toHaveLength(1)
    expect(countByKind(closedEntries).getManifests).toBe(1)
  })

  test('many images at one registry: one request refused for want of a token, in a run and in a plan', async () => {
    // All images start at once, but while a registry's first request is out the others wait
    // for its answer (not its token): sent before the challenge is known, each would be
    // refused once (4 were, with 4 images at once). Then each image asks its own token.
    const repositories = Array.from({ length: 6 }, (_, index) => `fleet/app-${index}`)
    for (const repository of repositories)
      await pushIndex(open, repository, ['1.0.0'], [AMD64], { salt: repository })
    const folder = workspace(
      repositories.map((repository) => ({ image: `${open.host}/${repository}`, tracks: ['major'] }))
    )
    for (const command of [
      ['update', '--no-manifests'],
      ['update', '--no-manifests', '--plan']
    ]) {
      await open.resetRequests()
      const tokensBefore = open.tokenRequests()
      const run = await runCli(command, { cwd: folder })
      expect(run.stderr).not.toContain('error')
      expect(run.code).toBe(0)
      const entries = await open.requests()
      expect(entries.filter((entry) => entry.status === 401)).toHaveLength(1)
      expect(countByKind(entries).tagListPages).toBe(repositories.length + 1)
      expect(open.tokenRequests() - tokensBefore).toBe(repositories.length)
    }
  })

  test('without credentials the private image fails, keeps its entries, and the others update', async () => {
    const folder = workspace([
      { image: `${open.host}/team/public`, tracks: ['major'] },
      { image: `${closed.host}/team/private`, tracks: ['major'] }
    ])
    const previous = {
      [`${closed.host}/team/private`]: {
        '1': { 'linux/amd64': `${closed.host}/team/private:1.4.1@sha256:${'a'.repeat(64)}` }
      }
    }
    writeFileSync(join(folder, 'digests.json'), JSON.stringify(previous))
    const run = await runCli(['update', '--no-manifests'], {
      cwd: folder,
      env: { DOCKER_CONFIG: join(folder, 'none') }
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `error: ${closed.host}/team/private: GET http://${closed.host}/v2/team/private/tags/list: 401 Unauthorized`
    )
    const digests = readDigests(folder)
    expect(digests[`${closed.host}/team/private`]).toEqual(previous[`${closed.host}/team/private`])
    expect(Object.keys(digests[`${open.host}/team/public`]!)).toEqual(['2'])
  })

  test('wrong credentials are reported as refused, without echoing them', async () => {
    const folder = workspace([{ image: `${closed.host}/team/private` }])
    const config = dockerConfig(folder, {
      [`https://${closed.host}`]: [USER, 'wrong-password-123']
    })
    const run = await runCli(['update', '--no-manifests'], {
      cwd: folder,
      env: { DOCKER_CONFIG: config }
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`the Basic credentials for ${closed.host} were refused`)
    expect(run.stderr).not.toContain('wrong-password-123')
  })

  test('a failing token endpoint fails the image with the token request named', async () => {
    const folder = workspace([{ image: `${open.host}/team/public` }])
    open.tokenServer!.setFailing(503)
    try {
      const run = await runCli(['update', '--no-manifests', '--retries', '1', '--timeout', '5'], {
        cwd: folder
      })
      expect(run.code).toBe(1)
      expect(run.stderr).toMatch(
        /error: .*team\/public: GET http:\/\/127\.0\.0\.1:\d+\/token: 503 Service Unavailable/
      )
    } finally {
      open.tokenServer!.setFailing(null)
    }
  })
})

describe('htpasswd (Basic) auth', () => {
  let registry: TestRegistry
  let index: IndexResult
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })
    index = await pushIndex(registry, 'basic/app', ['3.0.1'], [AMD64], {
      salt: 'basic',
      mediaType: 'docker'
    })
  })
  afterAll(async () => {
    await registry?.stop()
  })

  test('answers a Basic challenge with docker login credentials', async () => {
    const folder = workspace([
      { image: `${registry.host}/basic/app`, platforms: ['linux/amd64'], tracks: ['major-minor'] }
    ])
    const config = dockerConfig(folder, { [registry.host]: [USER, PASSWORD] })
    const run = await runCli(['update', '--no-manifests'], {
      cwd: folder,
      env: { DOCKER_CONFIG: config }
    })
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual({
      [`${registry.host}/basic/app`]: {
        '3.0': {
          'linux/amd64': `${registry.host}/basic/app:3.0.1@${index.manifests['linux/amd64']}`
        }
      }
    })
    expect(run.stderr).toContain('0 token requests')
  })

  test('without credentials it says to log in', async () => {
    const folder = workspace([{ image: `${registry.host}/basic/app` }])
    const run = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`the registry requires a login (docker login ${registry.host})`)
  })
})

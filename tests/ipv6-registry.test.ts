// IPv6 literal hosts, in image names and in mirrors, against the real registry over [::1].
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { startIpv6Relay, type Ipv6Relay } from './harness/ipv6-loopback.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushSingle, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const USER = 'six'
const PASSWORD = 'ipv6-Passw0rd-for-tests'

describe('an IPv6 registry', () => {
  let registry: TestRegistry
  let relay: Ipv6Relay
  let digest: string

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd', users: { [USER]: PASSWORD } })
    digest = (await pushSingle(registry, 'team/app', ['4.0.0'], AMD64, { salt: 'ipv6' })).digest
    relay = await startIpv6Relay(Number(registry.host.split(':')[1]))
  })
  afterAll(async () => {
    await relay?.stop()
    await registry?.stop()
  })

  /** Docker's config.json with a login for the IPv6 host, written as `docker login` keys it. */
  function loggedIn(folder: string): string {
    const directory = join(folder, 'docker')
    mkdirSync(directory, { recursive: true })
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
    writeFileSync(
      join(directory, 'config.json'),
      JSON.stringify({ auths: { [relay.host]: { auth } } })
    )
    return directory
  }

  test('an image named by [::1]:port, with its login, pins over IPv6', async () => {
    const image = `${relay.host}/team/app`
    const folder = workspace([{ image, tracks: ['major'] }])
    const before = relay.connections()
    const run = await runCli(['update'], { cwd: folder, env: { DOCKER_CONFIG: loggedIn(folder) } })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))).toEqual({
      [image]: { '4': { 'linux/amd64': `${image}:4.0.0@${digest}` } }
    })
    expect(relay.connections()).toBeGreaterThan(before)
    expect(run.stdout + run.stderr).not.toContain(PASSWORD)
  })

  test('a mirror at http://[::1]:port serves Docker Hub names, with the mirror host login', async () => {
    const folder = workspace([{ image: 'team/app', tracks: ['major'] }])
    const before = relay.connections()
    const run = await runCli(['update', '--mirror', `docker.io=http://${relay.host}`], {
      cwd: folder,
      env: { DOCKER_CONFIG: loggedIn(folder) }
    })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))).toEqual({
      'team/app': { '4': { 'linux/amd64': `team/app:4.0.0@${digest}` } }
    })
    expect(relay.connections()).toBeGreaterThan(before)
    expect(run.stdout + run.stderr).not.toContain(PASSWORD)
  })
})

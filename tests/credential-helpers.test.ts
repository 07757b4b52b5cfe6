// Credentials as users keep them: Docker credential helpers (credHelpers, credsStore) run as
// real executables on PATH, and podman's auth.json, against the real registry with token auth.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { loadRegistryCredentials } from '../src/registry/docker-credentials.js'
import { runCli, workspace, type CliRun } from './harness/cli.js'
import { writeCredentialHelpers } from './harness/credential-helpers.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushSingle, type Platform } from './harness/seed.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const USER = 'helper-robot'
const PASSWORD = 'helper-Secret-0f-the-test'

function writeJson(path: string, document: unknown): string {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, JSON.stringify(document))
  return path
}

describe('credential helpers and podman auth.json', () => {
  let registry: TestRegistry
  let digest: string
  let tools: { dir: string; log: string }

  beforeAll(async () => {
    registry = await startRegistry({
      auth: 'token',
      anonymousPull: false,
      users: { [USER]: PASSWORD }
    })
    const pushed = await pushSingle(registry, 'team/private', ['1.2.0'], AMD64, {
      salt: 'helpers'
    })
    digest = pushed.digest
    tools = writeCredentialHelpers(USER, PASSWORD)
  })
  afterAll(async () => {
    await registry?.stop()
  })

  /** Runs `update` with the helpers on PATH; every run is checked for leaked secrets. */
  async function update(folder: string, env: NodeJS.ProcessEnv): Promise<CliRun> {
    writeFileSync(tools.log, '')
    const run = await runCli(['update'], {
      cwd: folder,
      env: {
        PATH: `${tools.dir}${delimiter}${process.env.PATH}`,
        DOCKER_CONFIG: join(folder, 'docker'),
        ...env
      }
    })
    expect(run.stdout + run.stderr).not.toContain(PASSWORD)
    expect(run.stdout + run.stderr).not.toContain(
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
    )
    return run
  }
  const image = (): string => `${registry.host}/team/private`
  const pinned = (): Record<string, unknown> => ({
    [image()]: { '1': { 'linux/amd64': `${image()}:1.2.0@${digest}` } }
  })
  const digests = (folder: string): unknown =>
    JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))

  test('credHelpers for the registry come before credsStore, and `{}` auths defer to them', async () => {
    const folder = workspace([{ image: image(), tracks: ['major'] }])
    writeJson(join(folder, 'docker', 'config.json'), {
      auths: { [registry.host]: {} },
      credsStore: 'broken',
      credHelpers: { [registry.host]: 'test' }
    })
    const run = await update(folder, {})
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(digests(folder)).toEqual(pinned())
    // Asked once for the whole run, with `get` and the server URL on stdin.
    expect(readFileSync(tools.log, 'utf8')).toBe(`get ${registry.host}\n`)
  })

  test('credsStore serves every registry without its own helper', async () => {
    const folder = workspace([{ image: image(), tracks: ['major'] }])
    writeJson(join(folder, 'docker', 'config.json'), {
      auths: { [`https://${registry.host}`]: {} },
      credsStore: 'test'
    })
    const run = await update(folder, {})
    expect(run.code).toBe(0)
    expect(digests(folder)).toEqual(pinned())
  })

  test('a failing helper fails the image by name, keeping its entries; no anonymous fallback', async () => {
    const folder = workspace([{ image: image(), tracks: ['major'] }])
    const configPath = writeJson(join(folder, 'docker', 'config.json'), { credsStore: 'broken' })
    const previous = {
      [image()]: { '1': { 'linux/amd64': `${image()}:1.1.0@sha256:${'b'.repeat(64)}` } }
    }
    writeFileSync(join(folder, 'digests.json'), JSON.stringify(previous))
    await registry.resetRequests()
    const run = await update(folder, {})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `credential helper docker-credential-broken (credsStore in ${configPath}) for ${registry.host}: exited with status 1: keychain is locked`
    )
    expect(digests(folder)).toEqual(previous)
    // Nothing was sent anonymously in its place.
    expect(await registry.requests()).toEqual([])
  })

  test('a helper missing from PATH is named', async () => {
    const folder = workspace([{ image: image() }])
    const configPath = writeJson(join(folder, 'docker', 'config.json'), {
      credHelpers: { [registry.host]: 'nowhere' }
    })
    const run = await update(folder, {})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `credential helper docker-credential-nowhere (credHelpers in ${configPath}) for ${registry.host}: docker-credential-nowhere is not on PATH`
    )
  })

  test('a helper without credentials for the registry means anonymous, as in Docker', async () => {
    const folder = workspace([{ image: image() }])
    writeJson(join(folder, 'docker', 'config.json'), { credsStore: 'empty' })
    const run = await update(folder, {})
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('anonymous access was refused')
  })

  test('an identity token from a helper is exchanged by POST, never sent as a password', async () => {
    const folder = workspace([{ image: image() }])
    writeJson(join(folder, 'docker', 'config.json'), { credsStore: 'identity' })
    await registry.resetRequests()
    const run = await update(folder, {})
    expect(run.code).toBe(1)
    // This token service knows no refresh tokens: the exchange is refused, and said so.
    expect(run.stderr).toContain(
      `POST ${registry.tokenUrl}: token service answered 401 Unauthorized (incorrect username or password): the identity token for ${registry.host} was refused`
    )
    expect(registry.tokenServer!.requests().map(({ method, status }) => [method, status])).toEqual([
      ['POST', 401]
    ])
  })

  test("podman's auth.json: REGISTRY_AUTH_FILE, then XDG_RUNTIME_DIR, before Docker's config", async () => {
    const folder = workspace([{ image: image(), tracks: ['major'] }])
    const good = {
      auths: { [registry.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } }
    }
    const wrong = {
      auths: { [registry.host]: { auth: Buffer.from(`${USER}:wrong-one`).toString('base64') } }
    }
    writeJson(join(folder, 'docker', 'config.json'), wrong)
    const authFile = writeJson(join(folder, 'podman', 'auth.json'), good)
    expect((await update(folder, { REGISTRY_AUTH_FILE: authFile })).code).toBe(0)
    expect(digests(folder)).toEqual(pinned())

    const runtime = join(folder, 'run')
    writeJson(join(runtime, 'containers', 'auth.json'), good)
    expect((await update(folder, { XDG_RUNTIME_DIR: runtime })).code).toBe(0)

    // REGISTRY_AUTH_FILE replaces the runtime file: the wrong one there is the one used.
    writeJson(authFile, wrong)
    const refused = await update(folder, { REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: runtime })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`the Basic credentials for ${registry.host} were refused`)
    expect(refused.stderr).not.toContain('wrong-one')
  })

  test("Docker Hub's helper entry is keyed and asked as https://index.docker.io/v1/", () => {
    const folder = mkdtempSync(join(tmpdir(), 'hub-helper-'))
    writeJson(join(folder, 'config.json'), {
      credHelpers: { 'https://index.docker.io/v1/': 'test' }
    })
    writeFileSync(tools.log, '')
    const found: string[] = []
    const store = loadRegistryCredentials(({ password }) => found.push(password), {
      PATH: `${tools.dir}${delimiter}${process.env.PATH}`,
      HOME: folder,
      DOCKER_CONFIG: folder
    })
    expect(store.get('index.docker.io')).toEqual({ username: USER, password: PASSWORD })
    expect(store.get('docker.io')).toEqual({ username: USER, password: PASSWORD })
    expect(store.get('ghcr.io')).toBeUndefined()
    expect(found).toEqual([PASSWORD])
    expect(readFileSync(tools.log, 'utf8')).toBe('get https://index.docker.io/v1/\n')
  })
})

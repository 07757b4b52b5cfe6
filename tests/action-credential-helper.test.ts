// The action with a Docker credential helper, as on a self-hosted runner set up with
// `gcloud auth configure-docker` or the ECR helper: the helper's secret is masked before use.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { runActionBundle, tableRows, testSecrets } from './harness/action-runner.js'
import { writeCredentialHelpers } from './harness/credential-helpers.js'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushSingle } from './harness/seed.js'

const { token: TOKEN, registryPassword: PASSWORD } = testSecrets()
const USER = 'gcloud-robot'

let registry: TestRegistry
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-helper-test-'))

beforeAll(async () => {
  registry = await startRegistry({
    auth: 'token',
    anonymousPull: false,
    users: { [USER]: PASSWORD }
  })
  await pushSingle(registry, 'team/private', '2.0.0', { os: 'linux', architecture: 'amd64' })
  github = await startFakeGitHub({ token: TOKEN })
  github.commitFiles('main', {
    'images.json': JSON.stringify([{ image: `${registry.host}/team/private`, tracks: ['major'] }]),
    'digests.json': '{}\n'
  })
}, 180_000)

afterAll(async () => {
  await github?.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

test('credHelpers: the helper is run, its secret masked first and never printed', async () => {
  const helpers = writeCredentialHelpers(USER, PASSWORD)
  const dockerConfig = join(scratch, 'docker')
  mkdirSync(dockerConfig, { recursive: true })
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ credHelpers: { [registry.host]: 'test' } })
  )
  const run = await runActionBundle({
    fake: github,
    scratch,
    token: TOKEN,
    registryPassword: 'unused-password',
    inputs: { 'dry-run': 'true' },
    env: {
      PATH: `${helpers.dir}${delimiter}${process.env.PATH}`,
      DOCKER_CONFIG: dockerConfig
    }
  })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(tableRows(run.summary)).toEqual([`${registry.host}/team/private 2 linux/amd64`])
  const lines = run.stdout.split('\n')
  const mask = lines.indexOf(`::add-mask::${PASSWORD}`)
  expect(mask).toBeGreaterThan(0)
  const rest = lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')
  for (const secret of [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
    expect(rest).not.toContain(secret)
    expect(run.stderr).not.toContain(secret)
    expect(run.summary).not.toContain(secret)
    expect(JSON.stringify(run.outputs)).not.toContain(secret)
  }
})

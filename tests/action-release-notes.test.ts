// Release notes and the minimum release age in the pull request, with the action run from
// dist/index.js as the runner runs it, against the real registry and the loopback GitHub API.
// NIX_OCI_HASHES_NOW moves time between runs.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import {
  WITHOUT_MANIFESTS,
  scheduledRun,
  testSecrets,
  type RunOptions
} from './harness/action-runner.js'
import { pushIndex } from './harness/seed.js'

const { token, registryPassword } = testSecrets()
const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const T0 = '2026-05-04T06:00:00.000Z'
const T1 = '2026-05-06T18:30:00.000Z'
const T1_PLUS_3D = '2026-05-09T18:30:00.000Z'
const REV_1 = '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c'
const REV_2 = '9a8b7c6d5e4f30219a8b7c6d5e4f30219a8b7c6d'
const SOURCE = 'https://github.com/example/app'
const annotations = (version: string, revision: string) => ({
  'org.opencontainers.image.source': SOURCE,
  'org.opencontainers.image.version': version,
  'org.opencontainers.image.revision': revision
})

let registry: TestRegistry
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-release-notes-'))

beforeAll(async () => {
  // dist/ is what tests/global-setup.js bundled; bundling again here would race the CLI suites.
  registry = await startRegistry()
  await pushIndex(registry, 'example/app', '1.0.0', [AMD64, ARM64], {
    salt: 'app 1.0.0',
    annotations: annotations('v1.0.0', REV_1)
  })
  await pushIndex(registry, 'example/plain', '2.0.0', [AMD64, ARM64], { salt: 'plain 2.0.0' })
  github = await startFakeGitHub({ token })
  github.commitFiles('main', {
    'images.json': JSON.stringify([
      { image: `${registry.host}/example/app`, tracks: ['major'] },
      { image: `${registry.host}/example/plain`, tracks: ['major'] }
    ]),
    'digests.json': '{}\n'
  })
}, 180_000)

afterAll(async () => {
  await Promise.all([github?.stop(), registry?.stop()])
  rmSync(scratch, { recursive: true, force: true })
})

const options = (now: string, inputs: Record<string, string> = {}): RunOptions => ({
  fake: github,
  scratch,
  token,
  registryPassword,
  inputs: { ...WITHOUT_MANIFESTS, ...inputs },
  env: { NIX_OCI_HASHES_NOW: now }
})
const rowsOf = (body: string, image: string): string[] =>
  body.split('\n').filter((line) => line.startsWith(`| \`${registry.host}/${image}\``))

test('each added row of an annotated image links to its release; unannotated rows to nothing', async () => {
  const { reads } = await scheduledRun(registry, options(T0))
  // One GET per index, as without annotations: they come with the manifest the run reads anyway.
  expect(reads.getManifests).toBe(2)
  expect(reads.getBlobs).toBe(0)
  const [pull] = github.pulls()
  const app = rowsOf(pull!.body!, 'example/app')
  expect(app).toHaveLength(2)
  for (const row of app) {
    expect(row).toContain(`([release notes](${SOURCE}/releases/tag/v1.0.0))`)
  }
  const plain = rowsOf(pull!.body!, 'example/plain')
  expect(plain).toHaveLength(2)
  for (const row of plain) expect(row).not.toContain('](')
  github.mergePull(pull!.number)
})

test('a new release waits three days, the pull request says until when, then links a compare view', async () => {
  await pushIndex(registry, 'example/app', '1.1.0', [AMD64, ARM64], {
    salt: 'app 1.1.0',
    annotations: annotations('v1.1.0', REV_2)
  })
  const waiting = await scheduledRun(registry, options(T1, { 'minimum-release-age': '3d' }))
  expect(waiting.run.outputs.changed).toBe('false')
  expect(waiting.run.summary).toContain('### Waiting for the minimum release age')
  expect(waiting.run.summary).toContain(
    `- \`${registry.host}/example/app\` \`1\`: \`1.1.0\` from \`${T1_PLUS_3D}\``
  )
  expect(waiting.run.stdout).toContain(
    `${registry.host}/example/app 1: 1.1.0 waits for its minimum release age until ${T1_PLUS_3D}`
  )
  expect(waiting.reads.getManifests).toBe(1) // 1.1.0's index, read once and kept in the state
  expect(github.pulls().filter((pull) => pull.state === 'open')).toEqual([])

  const taken = await scheduledRun(registry, options(T1_PLUS_3D, { 'minimum-release-age': '3d' }))
  // Its manifest and annotations are in the state: nothing more is read for the links.
  expect(taken.reads.getManifests).toBe(0)
  expect(taken.reads.getBlobs).toBe(0)
  expect(taken.run.outputs.changed).toBe('true')
  const pull = github.pulls().find((item) => item.state === 'open')!
  const rows = rowsOf(pull.body!, 'example/app')
  expect(rows).toHaveLength(2)
  for (const row of rows) {
    expect(row).toContain(
      `([release notes](${SOURCE}/releases/tag/v1.1.0), [compare](${SOURCE}/compare/${REV_1}...${REV_2}))`
    )
  }
  expect(pull.body).not.toContain('Waiting for the minimum release age')
})

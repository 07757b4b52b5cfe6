// Names that a plain JavaScript object answers for without holding them (`constructor`,
// `__proto__`, `toString`…), as literal tags, as an image name and as keys of the files read
// back: each must be published like any other name. End to end through the bundled CLI against
// the real registry, which serves them as Docker Hub's `library/constructor`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const PROPERTY_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']

describe('object property names as data', () => {
  let registry: TestRegistry
  let host: string

  beforeAll(async () => {
    registry = await startRegistry()
    host = registry.host
    await pushIndex(registry, 'library/constructor', ['1.0.0', ...PROPERTY_NAMES], [AMD64, ARM64])
  })
  afterAll(async () => {
    await registry?.stop()
  })

  test('tags, an image name and previous keys that are object property names are all published', async () => {
    const folder = workspace([{ image: 'constructor', tags: PROPERTY_NAMES }])
    const mirror = ['--mirror', `docker.io=http://${host}`]
    const first = await runCli(['update', ...mirror], { cwd: folder })
    expect(first.stderr).not.toContain('error')
    expect(first.code).toBe(0)
    const written = readDigests(folder)
    expect(Object.keys(written)).toEqual(['constructor'])
    expect(Object.keys(written['constructor']!).sort()).toEqual(
      ['1', '1.0', '1.0.0', ...PROPERTY_NAMES].sort()
    )
    // Every track is the same index, so every key holds the same two platform digests.
    const platformDigests = Object.values(written['constructor']!['1']!).map(
      (ref) => ref.split('@')[1]
    )
    for (const key of PROPERTY_NAMES) {
      expect(Object.keys(written['constructor']![key]!).sort()).toEqual([
        'linux/amd64',
        'linux/arm64'
      ])
      expect(Object.values(written['constructor']![key]!)).toEqual(
        platformDigests.map((digest) => `constructor:${key}@${digest}`)
      )
    }
    expect(first.stdout + first.stderr).toContain('constructor: 8 tracks resolved')

    // A second run reads these keys back from digests.json and the state file, and keeps them all.
    const second = await runCli(['update', ...mirror], { cwd: folder })
    expect(second.stderr).not.toContain('error')
    expect(second.code).toBe(0)
    expect(readDigests(folder)).toEqual(written)
  })

  test('a state file whose image and digest keys are property names is read as data', async () => {
    const folder = workspace([{ image: 'constructor', tags: ['valueOf'] }])
    writeFileSync(
      join(folder, 'digests.state.json'),
      JSON.stringify({ version: 1, images: { constructor: { __proto__: { 'linux/amd64': 'x' } } } })
    )
    const run = await runCli(['update', '--mirror', `docker.io=http://${host}`], { cwd: folder })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(Object.keys(readDigests(folder)['constructor']!).sort()).toEqual([
      '1',
      '1.0',
      '1.0.0',
      'valueOf'
    ])
  })
})

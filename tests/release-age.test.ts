// Minimum release age and release notes, end to end: the bundled CLI against the real registry,
// with NIX_OCI_HASHES_NOW moving time. Every run is paired with one in a workspace without the
// features, so the request counts they cost can be compared.
import { cpSync, existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, workspace, type CliRun } from './harness/cli.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, pushSingle, type Platform } from './harness/seed.js'
import { readDigests, readDigestsState } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const T0 = '2026-03-01T12:00:00.000Z'
const T1 = '2026-03-02T08:00:00.000Z'
const at = (base: string, hours: number): string =>
  new Date(Date.parse(base) + hours * 3_600_000).toISOString()
const REV_1 = 'a'.repeat(40)
const REV_2 = 'b'.repeat(40)

const annotated = (version: string, revision: string, created?: string) => ({
  'org.opencontainers.image.source': 'https://github.com/example/app',
  'org.opencontainers.image.version': version,
  'org.opencontainers.image.revision': revision,
  ...(created ? { 'org.opencontainers.image.created': created } : {})
})

describe('minimum release age and release notes against a real registry', () => {
  let registry: TestRegistry
  let host: string
  let withAge: string
  let without: string

  beforeAll(async () => {
    registry = await startRegistry()
    host = registry.host
    await pushIndex(registry, 'example/app', '1.0.0', [AMD64, ARM64], {
      salt: 'app 1.0.0',
      annotations: annotated('v1.0.0', REV_1)
    })
    await pushIndex(registry, 'example/plain', '2.0.0', [AMD64, ARM64], { salt: 'plain 2.0.0' })
    // A single-arch image whose only annotations are labels in its config blob.
    await pushSingle(registry, 'example/labelled', '3.0.0', AMD64, {
      salt: 'labelled 3.0.0',
      labels: annotated('3.0.0', REV_1)
    })
    const images = (age: boolean) => [
      {
        image: `${host}/example/app`,
        tracks: ['major'],
        ...(age ? { minimumReleaseAge: '3d' } : {})
      },
      { image: `${host}/example/plain`, tracks: ['major'] },
      { image: `${host}/example/labelled`, tracks: ['major'], platforms: ['linux/amd64'] }
    ]
    withAge = workspace(images(true))
    without = workspace(images(false))
  })

  afterAll(async () => {
    await registry?.stop()
  })

  /** The same run in both workspaces; the request counts of each. */
  async function runBoth(now: string, extra: string[] = []) {
    const env = { NIX_OCI_HASHES_NOW: now }
    await registry.resetRequests()
    const aged = await runCli(['update', '--no-manifests', ...extra], { cwd: withAge, env })
    const agedCounts = countByKind(await registry.requests())
    await registry.resetRequests()
    const plain = await runCli(['update', '--no-manifests'], { cwd: without, env })
    const plainCounts = countByKind(await registry.requests())
    for (const run of [aged, plain]) {
      expect(run.stderr).not.toContain('error')
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({
        code: 0,
        stderr: ''
      })
    }
    return { aged, plain, agedCounts, plainCounts }
  }
  const digests = readDigests
  const releases = (folder: string) => readDigestsState(folder).releases ?? {}

  test('a cold run records first sightings and annotations at no extra request', async () => {
    const { aged, agedCounts, plainCounts } = await runBoth(T0)
    expect(agedCounts).toEqual(plainCounts)
    // Cold, every digest is new: the aged image waits, the others are taken at once.
    expect(digests(withAge)[`${host}/example/app`]).toBeUndefined()
    expect(Object.keys(digests(without)[`${host}/example/app`]!)).toEqual(['1'])
    expect(aged.stderr).toContain(
      `${host}/example/app 1: 1.0.0 waits for its minimum release age until ${at(T0, 72)}`
    )
    const records = Object.values(releases(withAge)[`${host}/example/app`]!)
    expect(records).toEqual([
      {
        firstSeen: T0,
        source: 'https://github.com/example/app',
        version: 'v1.0.0',
        revision: REV_1
      }
    ])
    expect(Object.values(releases(withAge)[`${host}/example/plain`]!)).toEqual([{ firstSeen: T0 }])
    expect(Object.values(releases(withAge)[`${host}/example/labelled`]!)).toEqual([
      {
        firstSeen: T0,
        source: 'https://github.com/example/app',
        version: '3.0.0',
        revision: REV_1
      }
    ])
  })

  test('a new tag stays out until three days after it was first seen', async () => {
    await runBoth(at(T0, 72)) // 1.0.0 comes of age
    expect(digests(withAge)).toEqual(digests(without))
    await pushIndex(registry, 'example/app', '1.1.0', [AMD64, ARM64], {
      salt: 'app 1.1.0',
      annotations: annotated('v1.1.0', REV_2, at(T1, 24))
    })
    await pushIndex(registry, 'example/plain', '2.1.0', [AMD64, ARM64], { salt: 'plain 2.1.0' })
    const published = digests(withAge)[`${host}/example/app`]!['1']!

    // Created a day after it was first seen: the wait is measured from the later of the two.
    const until = at(T1, 24 + 72)
    for (const now of [T1, at(T1, 72), at(until, -0.01)]) {
      const { aged, agedCounts, plainCounts } = await runBoth(now)
      expect(agedCounts).toEqual(plainCounts)
      expect(digests(withAge)[`${host}/example/app`]!['1']).toEqual(published)
      expect(aged.stderr).toContain('waiting: 1 track for the minimum release age')
      expect(aged.stderr).toContain(
        `${host}/example/app 1: 1.1.0 waits for its minimum release age until ${until}`
      )
      expect(aged.stdout).not.toContain('example/app')
      // The image without a minimum age took its new tag at once.
      expect(digests(withAge)[`${host}/example/plain`]).toEqual(
        digests(without)[`${host}/example/plain`]
      )
    }
    const { aged } = await runBoth(until)
    expect(aged.stderr).not.toContain('waiting')
    expect(aged.stdout).toContain(`updated ${host}/example/app 1 linux/amd64`)
    expect(digests(withAge)).toEqual(digests(without))
    expect(digests(withAge)[`${host}/example/app`]!['1']!['linux/amd64']).toContain(':1.1.0@')
  })

  test('the CLI option is the default for every image; images.json wins', async () => {
    const folder = workspace([
      { image: `${host}/example/plain`, tracks: ['major'], minimumReleaseAge: '1h' }
    ])
    const run = await runCli(['update', '--no-manifests', '--minimum-release-age', '30d'], {
      cwd: folder,
      env: { NIX_OCI_HASHES_NOW: T1 }
    })
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      `${host}/example/plain 2: 2.1.0 waits for its minimum release age until ${at(T1, 1)}`
    )
    const later = await runCli(['update', '--no-manifests', '--minimum-release-age', '30d'], {
      cwd: folder,
      env: { NIX_OCI_HASHES_NOW: at(T1, 1) }
    })
    expect(later.stdout).toContain(`added   ${host}/example/plain 2 linux/amd64`)
    const other = workspace([{ image: `${host}/example/plain`, tracks: ['major'] }])
    const waiting = await runCli(['update', '--no-manifests', '--minimum-release-age', '2d'], {
      cwd: other,
      env: { NIX_OCI_HASHES_NOW: T1 }
    })
    expect(waiting.stderr).toContain(`until ${at(T1, 48)}`)
    expect(existsSync(join(other, 'digests.json'))).toBe(true)
    expect(digests(other)).toEqual({})
  })

  test('bad durations and times are refused with the file, the JSON path and the rule', async () => {
    const folder = workspace([{ image: `${host}/example/plain`, minimumReleaseAge: '3 days' }])
    const bad: CliRun = await runCli(['update', '--no-manifests'], { cwd: folder })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      'images.json: $[0].minimumReleaseAge: "3 days" is not a duration such as "3d", "12h", "30m" or "1d12h" (rule: duration)'
    )
    const option = await runCli(['update', '--no-manifests', '--minimum-release-age', 'soon'], {
      cwd: folder
    })
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('--minimum-release-age must be a duration')
    const copy = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-now-'))
    cpSync(withAge, copy, { recursive: true })
    const now = await runCli(['update', '--no-manifests'], {
      cwd: copy,
      env: { NIX_OCI_HASHES_NOW: 'yesterday' }
    })
    expect(now.code).toBe(2)
    expect(now.stderr).toContain('NIX_OCI_HASHES_NOW: "yesterday" is not an ISO 8601 time')
  })
})

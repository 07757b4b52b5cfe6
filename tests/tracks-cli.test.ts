// End to end: the bundled CLI against the real distribution registry, for what becomes a track:
// allowedVersions, date-stamped builds held back, and the legacy format's `v` keys.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type IndexResult, type Platform } from './harness/seed.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }

/** The shipped images.json's Jellyfin entry, pointed at the loopback registry. */
function shippedJellyfin(image: string): Record<string, unknown> {
  const shipped = JSON.parse(readFileSync('images.json', 'utf8')) as {
    images: Array<Record<string, unknown>>
  }
  const entry = shipped.images.find(
    (candidate) => candidate.image === 'docker.io/jellyfin/jellyfin'
  )
  if (!entry) throw new Error('the shipped images.json has no Jellyfin entry')
  return { ...entry, image, platforms: ['linux/amd64'] }
}

describe('what becomes a track, against a real registry', () => {
  let registry: TestRegistry
  let host: string
  const seeded: Record<string, IndexResult> = {}

  beforeAll(async () => {
    registry = await startRegistry()
    host = registry.host
    for (const tag of ['16.4', '17.2']) {
      seeded[`postgres:${tag}`] = await pushIndex(
        registry,
        'postgres',
        [tag, tag.split('.')[0]!],
        [AMD64],
        {
          salt: tag
        }
      )
    }
    for (const tag of ['10.10.7', '10.11.0', '2025121505', '2025120805']) {
      seeded[`jellyfin:${tag}`] = await pushIndex(registry, 'jellyfin/jellyfin', tag, [AMD64], {
        salt: tag
      })
    }
    seeded['immich:v2.7.5'] = await pushIndex(
      registry,
      'immich-app/immich-server',
      ['v2.7.5', 'v2.7', 'v2', 'release'],
      [AMD64, ARM64],
      { salt: 'v2.7.5' }
    )
    seeded['immich:v2.6.3'] = await pushIndex(
      registry,
      'immich-app/immich-server',
      ['v2.6.3', 'v2.6'],
      [AMD64, ARM64],
      { salt: 'v2.6.3' }
    )
  })

  afterAll(async () => {
    await registry?.stop()
  })

  const ref = (image: string, tag: string, digest: string | undefined): string => {
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    return `${image}:${tag}@${digest}`
  }

  test('allowedVersions "16.x" keeps postgres 17 out', async () => {
    const image = `${host}/postgres`
    const folder = workspace([{ image, platforms: ['linux/amd64'], allowedVersions: '16.x' }])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    const amd64 = ref(image, '16.4', seeded['postgres:16.4']!.manifests['linux/amd64'])
    expect(readDigests(folder)).toEqual({
      [image]: { '16': { 'linux/amd64': amd64 }, '16.4': { 'linux/amd64': amd64 } }
    })
    // The registry's port may contain "17": look at the track column only.
    expect(run.stdout).not.toMatch(/postgres 17/)
  })

  test('Jellyfin’s date-stamped builds: held back with a warning by default, absent with the shipped pattern', async () => {
    const image = `${host}/jellyfin/jellyfin`
    const folder = workspace([{ image, platforms: ['linux/amd64'], minVersion: '10.10' }])
    await registry.resetRequests()
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(0)
    const warning = run.stderr.split('\n').find((line) => line.includes('held back'))
    expect(warning).toContain(`${image}: held back 2025121505, 2025120805`)
    expect(warning).toContain('far above the other majors (10)')
    const keys = Object.keys(readDigests(folder)[image]!).sort()
    expect(keys).toEqual(['10', '10.10', '10.10.7', '10.11', '10.11.0'])
    // Held back before resolution: the date-stamped tags cost no HEAD and no GET.
    const requests = await registry.requests()
    expect(requests.filter((entry) => /manifests\/20251/.test(entry.path))).toEqual([])

    const shipped = workspace([shippedJellyfin(image)])
    const shippedRun = await runCli(['update'], { cwd: shipped })
    expect(shippedRun.code).toBe(0)
    expect(shippedRun.stderr).not.toContain('held back')
    expect(Object.keys(readDigests(shipped)[image]!).sort()).toEqual(keys)
  })

  test('the action turns the held-back tags into a warning annotation', () => {
    const image = `${host}/jellyfin/jellyfin`
    const folder = workspace([{ image, platforms: ['linux/amd64'], minVersion: '10.10' }])
    const runner = mkdtempSync(join(tmpdir(), 'runner-'))
    writeFileSync(join(runner, 'output'), '')
    writeFileSync(join(runner, 'summary'), '')
    // A dry run needs no token and makes no GitHub request; the runner's variables as it sets them.
    const run = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'index.js')], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: folder,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: folder,
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary'),
        RUNNER_TEMP: runner,
        'INPUT_DRY-RUN': 'true'
      }
    })
    expect(run.status).toBe(0)
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::warning '))
    expect(annotations).toHaveLength(1)
    expect(annotations[0]).toMatch(
      new RegExp(
        `^::warning title=Tracks::${image.replace(/[.]/g, '\\.')}: held back 2025121505, 2025120805: `
      )
    )
  })

  test('a legacy entry keeps the v keys as aliases until it is converted', async () => {
    const image = `${host}/immich-app/immich-server`
    const legacy = {
      image,
      initialMajor: ['v2'],
      initialMajorMinor: ['v2.6'],
      initialMajorMinorPatch: ['v2.6.3', 'release']
    }
    const folder = workspace([legacy])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    const at = (tag: string, key: string): Record<string, string> => ({
      'linux/amd64': ref(image, tag, seeded[key]!.manifests['linux/amd64']),
      'linux/arm64': ref(image, tag, seeded[key]!.manifests['linux/arm64/v8'])
    })
    const v275 = at('v2.7.5', 'immich:v2.7.5')
    const v263 = at('v2.6.3', 'immich:v2.6.3')
    const tracks = { '2': v275, '2.7': v275, '2.7.5': v275, '2.6': v263, '2.6.3': v263 }
    const aliases = { v2: v275, 'v2.7': v275, 'v2.7.5': v275, 'v2.6': v263, 'v2.6.3': v263 }
    expect(readDigests(folder)).toEqual({
      [image]: { ...tracks, ...aliases, release: at('release', 'immich:v2.7.5') }
    })
    expect(run.stderr).toContain(
      `${image}: v2 → 2, v2.6 → 2.6, v2.6.3 → 2.6.3, v2.7 → 2.7, v2.7.5 → 2.7.5 kept as aliases; ` +
        'convert the entry to the new format to drop the aliases'
    )
    // The run summary counts the aliases apart from the tracks a consumer can newly name.
    expect(run.stderr).toContain(
      'tracks: 6 tracks added and 0 removed in 1 image; legacy v aliases, counted apart: ' +
        '5 added and 0 removed\n' +
        `  ${image}: 6 tracks added: 2, 2.6, 2.6.3, 2.7, 2.7.5, release; ` +
        '5 legacy aliases added: v2, v2.6, v2.6.3, v2.7, v2.7.5\n'
    )

    // Converted as the README says: the aliases go, the new keys stay as they were.
    writeFileSync(
      join(folder, 'images.json'),
      JSON.stringify([{ image, minVersion: '2.6.3', tags: ['release'] }])
    )
    const converted = await runCli(['update'], { cwd: folder })
    expect(converted.code).toBe(0)
    expect(converted.stderr).not.toContain('kept as alias')
    expect(converted.stderr).toContain(
      'tracks: 0 tracks added and 0 removed in 1 image; legacy v aliases, counted apart: ' +
        `0 added and 5 removed\n  ${image}: 5 legacy aliases removed: v2, v2.6, v2.6.3, v2.7, v2.7.5\n`
    )
    expect(readDigests(folder)).toEqual({
      [image]: { ...tracks, release: at('release', 'immich:v2.7.5') }
    })
    expect(converted.stdout).toContain(`removed ${image} v2.7.5 linux/amd64`)
  })
})

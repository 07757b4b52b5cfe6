// End to end: the bundled CLI, as a user runs it, against the real distribution registry.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import {
  deleteTag,
  pushIndex,
  pushSingle,
  tagManifest,
  type IndexResult,
  type Platform
} from './harness/seed.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const ARMV7: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' }
const LINUXSERVER =
  '^(?<major>\\d+)\\.(?<minor>\\d+)\\.(?<patch>\\d+)\\.(?<build>\\d+)-ls(?<revision>\\d+)$'
const PLEX = '^(?<major>\\d+)\\.(?<minor>\\d+)\\.(?<patch>\\d+)\\.(?<build>\\d+)-[0-9a-f]+$'

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'))

describe('update against a real registry', () => {
  let registry: TestRegistry
  let folder: string
  let host: string
  const seeded: Record<string, IndexResult> = {}
  const singles: Record<string, string> = {}

  beforeAll(async () => {
    registry = await startRegistry({ paginateTags: true })
    host = registry.host
    // nextcloud: OCI indexes with attestations; 30.0.4 ships amd64 only, and the floating
    // 30 and 30.0 tags point at it.
    seeded['29.0.9'] = await pushIndex(registry, 'nextcloud', ['29.0.9'], [AMD64, ARM64], {
      attestations: true,
      salt: '29.0.9'
    })
    seeded['30.0.3'] = await pushIndex(registry, 'nextcloud', ['30.0.3'], [AMD64, ARM64], {
      attestations: true,
      salt: '30.0.3'
    })
    seeded['30.0.4'] = await pushIndex(registry, 'nextcloud', ['30.0.4', '30.0', '30'], [AMD64], {
      attestations: true,
      salt: '30.0.4'
    })
    seeded['30.0.4-apache'] = await pushIndex(
      registry,
      'nextcloud',
      ['30.0.4-apache', 'latest'],
      [AMD64, ARM64],
      {
        attestations: true,
        salt: 'apache'
      }
    )
    // sonarr: Docker manifest lists under LinuxServer's tag scheme, arm64 spelled arm64/v8.
    for (const tag of ['4.0.5.1500-ls187', '4.0.10.2544-ls249', '4.0.10.2544-ls250']) {
      seeded[tag] = await pushIndex(registry, 'linuxserver/sonarr', tag, [AMD64, ARM64, ARMV7], {
        mediaType: 'docker',
        salt: tag
      })
    }
    // single-arch tags: the platform comes from the config blob.
    singles['1.0.0'] = (
      await pushSingle(registry, 'tools/single', '1.0.0', AMD64, { salt: '1.0.0' })
    ).digest
    singles['1.1.0'] = (
      await pushSingle(registry, 'tools/single', '1.1.0', ARM64, { salt: '1.1.0' })
    ).digest
    seeded.plex = await pushIndex(
      registry,
      'plexinc/pms-docker',
      ['1.42.1.10060-4e8b05daf', 'latest'],
      [AMD64, ARM64]
    )
    // Docker Hub's library/ namespace, reached through --mirror.
    seeded.hub = await pushIndex(registry, 'library/nginx', ['1.27.3', '1.27'], [AMD64, ARM64], {
      salt: 'nginx'
    })

    folder = workspace([
      { image: `${host}/nextcloud`, minVersion: '29', tags: ['latest', 'stable'] },
      {
        image: `${host}/linuxserver/sonarr`,
        tagPattern: LINUXSERVER,
        platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7']
      },
      { image: `${host}/tools/single`, tracks: ['major'] },
      {
        image: `${host}/plexinc/pms-docker`,
        tagPattern: PLEX,
        tracks: ['major-minor'],
        tags: ['latest']
      },
      { image: 'nginx', tracks: ['major-minor'] }
    ])
  })

  afterAll(async () => {
    await registry?.stop()
  })

  const args = (): string[] => [
    'update',
    '--mirror',
    `docker.io=${registry.url}`,
    '--page-size',
    '2'
  ]
  const ref = (image: string, tag: string, digest: string | undefined): string => {
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    return `${image}:${tag}@${digest}`
  }

  test('a cold run writes exactly the tracks and per-platform references', async () => {
    await registry.resetRequests()
    const run = await runCli(args(), { cwd: folder })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)

    const nc = `${host}/nextcloud`
    const m = (tag: string, platform: string): string =>
      ref(nc, tag, seeded[tag]!.manifests[platform])
    const sonarr = `${host}/linuxserver/sonarr`
    const s = (tag: string, platform: string): string =>
      ref(sonarr, tag, seeded[tag]!.manifests[platform])
    const sonarrAll = (tag: string): Record<string, string> => ({
      'linux/amd64': s(tag, 'linux/amd64'),
      'linux/arm64': s(tag, 'linux/arm64/v8'),
      'linux/arm/v7': s(tag, 'linux/arm/v7')
    })
    const plex = `${host}/plexinc/pms-docker`
    const p = (tag: string, platform: string): string =>
      ref(plex, tag, seeded.plex!.manifests[platform])
    const expected = {
      [nc]: {
        '29': {
          'linux/amd64': m('29.0.9', 'linux/amd64'),
          'linux/arm64': m('29.0.9', 'linux/arm64/v8')
        },
        '29.0': {
          'linux/amd64': m('29.0.9', 'linux/amd64'),
          'linux/arm64': m('29.0.9', 'linux/arm64/v8')
        },
        '29.0.9': {
          'linux/amd64': m('29.0.9', 'linux/amd64'),
          'linux/arm64': m('29.0.9', 'linux/arm64/v8')
        },
        // 30.0.4 has no arm64 image: that platform comes from the newest tag that has one.
        '30': {
          'linux/amd64': m('30.0.4', 'linux/amd64'),
          'linux/arm64': m('30.0.3', 'linux/arm64/v8')
        },
        '30.0': {
          'linux/amd64': m('30.0.4', 'linux/amd64'),
          'linux/arm64': m('30.0.3', 'linux/arm64/v8')
        },
        '30.0.3': {
          'linux/amd64': m('30.0.3', 'linux/amd64'),
          'linux/arm64': m('30.0.3', 'linux/arm64/v8')
        },
        '30.0.4': { 'linux/amd64': m('30.0.4', 'linux/amd64') },
        latest: {
          'linux/amd64': ref(nc, 'latest', seeded['30.0.4-apache']!.manifests['linux/amd64']),
          'linux/arm64': ref(nc, 'latest', seeded['30.0.4-apache']!.manifests['linux/arm64/v8'])
        }
      },
      [sonarr]: {
        '4': sonarrAll('4.0.10.2544-ls250'),
        '4.0': sonarrAll('4.0.10.2544-ls250'),
        '4.0.10': sonarrAll('4.0.10.2544-ls250'),
        '4.0.5': sonarrAll('4.0.5.1500-ls187')
      },
      [`${host}/tools/single`]: {
        '1': {
          'linux/amd64': ref(`${host}/tools/single`, '1.0.0', singles['1.0.0']),
          'linux/arm64': ref(`${host}/tools/single`, '1.1.0', singles['1.1.0'])
        }
      },
      [plex]: {
        '1.42': {
          'linux/amd64': p('1.42.1.10060-4e8b05daf', 'linux/amd64'),
          'linux/arm64': p('1.42.1.10060-4e8b05daf', 'linux/arm64/v8')
        },
        latest: {
          'linux/amd64': p('latest', 'linux/amd64'),
          'linux/arm64': p('latest', 'linux/arm64/v8')
        }
      },
      nginx: {
        '1.27': {
          'linux/amd64': ref('nginx', '1.27.3', seeded.hub!.manifests['linux/amd64']),
          'linux/arm64': ref('nginx', '1.27.3', seeded.hub!.manifests['linux/arm64/v8'])
        }
      }
    }
    expect(readJson(join(folder, 'digests.json'))).toEqual(expected)
    const text = readFileSync(join(folder, 'digests.json'), 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('\n  "')

    // One line per changed reference on stdout.
    const references = Object.values(expected).flatMap((tracks) =>
      Object.values(tracks).flatMap(Object.values)
    )
    expect(run.stdout.trim().split('\n')).toHaveLength(references.length)
    expect(run.stdout).toContain(`added   ${nc} 30 linux/arm64: 30.0.3@sha256:`)

    // At most one GET per distinct index or manifest selected, one blob GET per single-arch tag.
    const counts = countByKind(await registry.requests())
    const selectedIndexes = [
      '29.0.9',
      '30.0.3',
      '30.0.4',
      '30.0.4-apache',
      '4.0.5.1500-ls187',
      '4.0.10.2544-ls250'
    ]
    // Then each platform manifest digests.json pins, once, for manifests.json: the two
    // single-platform tags' own manifests were read above already and cost nothing more.
    const published = Object.keys(readJson(join(folder, 'manifests.json')) as object)
    const singleTags = 2
    expect(counts.getManifests).toBe(
      selectedIndexes.length +
        singleTags +
        1 /* plex */ +
        1 /* nginx */ +
        (published.length - singleTags)
    )
    expect(counts.getBlobs).toBe(2)
    expect(run.stderr).toMatch(
      new RegExp(`requests to ${host.replace(/\./g, '\\.')}: \\d+ tag-list pages`)
    )
  })

  test('a run with nothing changed upstream makes no GETs and leaves the file byte-identical', async () => {
    const before = readFileSync(join(folder, 'digests.json'))
    const stateBefore = readFileSync(join(folder, 'digests.state.json'))
    const mtime = statSync(join(folder, 'digests.json')).mtimeMs
    await registry.resetRequests()
    const run = await runCli(args(), { cwd: folder })
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('')
    const counts = countByKind(await registry.requests())
    expect(counts.getManifests).toBe(0)
    expect(counts.getBlobs).toBe(0)
    expect(counts.headManifests).toBeGreaterThan(0)
    expect(readFileSync(join(folder, 'digests.json')).equals(before)).toBe(true)
    expect(readFileSync(join(folder, 'digests.state.json')).equals(stateBefore)).toBe(true)
    expect(statSync(join(folder, 'digests.json')).mtimeMs).toBe(mtime)
  })

  test('a new, a moved and a deleted tag cost GETs for those tags only', async () => {
    const nc = `${host}/nextcloud`
    seeded['30.0.5'] = await pushIndex(registry, 'nextcloud', ['30.0.5'], [AMD64, ARM64], {
      attestations: true,
      salt: '30.0.5'
    })
    const moved = await pushIndex(registry, 'nextcloud', ['29.0.9'], [AMD64, ARM64], {
      salt: 'rebuilt'
    })
    await deleteTag(registry, 'nextcloud', '30.0.3')
    // The floating 30 and 30.0 move to the new release too, as upstream does.
    await tagManifest(registry, 'nextcloud', seeded['30.0.5']!.digest, '30')
    await tagManifest(registry, 'nextcloud', seeded['30.0.5']!.digest, '30.0')

    await registry.resetRequests()
    const run = await runCli(args(), { cwd: folder })
    expect(run.code).toBe(0)
    const counts = countByKind(await registry.requests())
    // 30.0.5 and the rebuilt 29.0.9, then their two platform manifests each for manifests.json.
    expect(counts.getManifests).toBe(2 + 4)
    expect(counts.getBlobs).toBe(0)

    const digests = readDigests(folder)
    const n = digests[nc]!
    const at = (tag: string, digest: string | undefined): string => ref(nc, tag, digest)
    expect(n['30']).toEqual({
      'linux/amd64': at('30.0.5', seeded['30.0.5']!.manifests['linux/amd64']),
      'linux/arm64': at('30.0.5', seeded['30.0.5']!.manifests['linux/arm64/v8'])
    })
    expect(n['30.0.5']).toBeDefined()
    expect(n['29.0.9']!['linux/amd64']).toBe(at('29.0.9', moved.manifests['linux/amd64']))
    // 30.0.3 is gone upstream: its track keeps the last value and is reported stale.
    expect(n['30.0.3']).toEqual({
      'linux/amd64': at('30.0.3', seeded['30.0.3']!.manifests['linux/amd64']),
      'linux/arm64': at('30.0.3', seeded['30.0.3']!.manifests['linux/arm64/v8'])
    })
    expect(run.stderr).toContain(`${nc} 30.0.3: no tag of this track exists upstream any more`)
    expect(run.stdout).toContain(`updated ${nc} 30 linux/arm64: 30.0.3@sha256:`)
    expect(run.stdout).toContain(`added   ${nc} 30.0.5 linux/amd64: 30.0.5@sha256:`)
    expect(run.stdout).toContain(`updated ${nc} 29.0.9 linux/amd64: 29.0.9@sha256:`)
    // Nothing else changed: every line names nextcloud.
    for (const line of run.stdout.trim().split('\n')) expect(line).toContain(` ${nc} `)
  })

  test('removing an image, a platform or a track kind from images.json drops its entries only', async () => {
    const config = JSON.parse(readFileSync(join(folder, 'images.json'), 'utf8')) as Array<
      Record<string, unknown>
    >
    const trimmed = config
      .filter((entry) => entry.image !== 'nginx')
      .map((entry) =>
        entry.image === `${host}/linuxserver/sonarr`
          ? { ...entry, platforms: ['linux/amd64'], tracks: ['major'] }
          : entry
      )
    const dry = workspace(trimmed)
    writeFileSync(join(dry, 'digests.json'), readFileSync(join(folder, 'digests.json')))
    writeFileSync(join(dry, 'digests.state.json'), readFileSync(join(folder, 'digests.state.json')))
    const before = readDigests(dry)
    const run = await runCli(args(), { cwd: dry })
    expect(run.code).toBe(0)
    const after = readDigests(dry)
    expect(after.nginx).toBeUndefined()
    expect(Object.keys(after[`${host}/linuxserver/sonarr`]!)).toEqual(['4'])
    expect(Object.keys(after[`${host}/linuxserver/sonarr`]!['4']!)).toEqual(['linux/amd64'])
    expect(after[`${host}/nextcloud`]).toEqual(before[`${host}/nextcloud`])
    expect(after[`${host}/plexinc/pms-docker`]).toEqual(before[`${host}/plexinc/pms-docker`])
  })

  test('--dry-run reports the changes and writes nothing', async () => {
    const dry = workspace([{ image: `${host}/tools/single`, tracks: ['major'] }])
    const run = await runCli([...args(), '--dry-run'], { cwd: dry })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`added   ${host}/tools/single 1 linux/amd64: 1.0.0@sha256:`)
    expect(() => statSync(join(dry, 'digests.json'))).toThrow()
    expect(() => statSync(join(dry, 'digests.state.json'))).toThrow()
  })
})

import { parseImagesConfig, type ImageConfig } from '../src/update/config.js'
import { mergeImageEntry } from '../src/update/tracks/keeping.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { DEFAULT_TAG_PATTERN } from '../src/update/tracks/versions.js'
import { tagPatternCompiler } from '../src/update/tracks/tag-pattern.js'

const image: ImageConfig = {
  reference: parseImageReference('docker.io/nextcloud'),
  platforms: ['linux/amd64', 'linux/arm64'],
  tracks: ['major', 'major-minor'],
  tagPattern: (await tagPatternCompiler())(DEFAULT_TAG_PATTERN),
  minVersion: [29, 1],
  tags: ['stable']
}

describe('merging a resolved image', () => {
  const previous = {
    '29': { 'linux/amd64': 'n:29.0.9@a', 'linux/arm/v7': 'n:29.0.9@c' },
    '28': { 'linux/amd64': 'n:28.0.1@a' },
    '30': { 'linux/amd64': 'n:30.0.3@a' },
    '30.0.3': { 'linux/amd64': 'n:30.0.3@a' },
    stable: { 'linux/amd64': 'n:stable@s' },
    nightly: { 'linux/amd64': 'n:nightly@s' }
  }
  test('recomputes tracks with candidates, keeps wanted stale ones, drops what is no longer asked', async () => {
    const resolved = new Map<string, Record<string, string>>([
      ['30', { 'linux/amd64': 'n:30.0.4@b', 'linux/arm64': 'n:30.0.4@c' }],
      ['30.0', {}]
    ])
    const { entry, stale } = mergeImageEntry(previous, resolved, image)
    expect(entry).toEqual({
      '29': { 'linux/amd64': 'n:29.0.9@a' },
      '30': { 'linux/amd64': 'n:30.0.4@b', 'linux/arm64': 'n:30.0.4@c' },
      stable: { 'linux/amd64': 'n:stable@s' }
    })
    expect(stale.sort()).toEqual(['29', 'stable'])
  })

  test('drops published keys outside allowedVersions', async () => {
    const [allowed] = await parseImagesConfig(
      '[{"image": "docker.io/nextcloud", "allowedVersions": ">=29 <30", "tracks": ["major"]}]',
      'images.json'
    )
    const published = {
      '29': { 'linux/amd64': 'n:29.0.9@a' },
      '30': { 'linux/amd64': 'n:30.0.4@b' }
    }
    const { entry, stale } = mergeImageEntry(published, new Map(), allowed!)
    expect(entry).toEqual({ '29': { 'linux/amd64': 'n:29.0.9@a' } })
    expect(stale).toEqual(['29'])
  })

  test('drops published dates and build numbers unless the entry defines its own versions', async () => {
    const published = {
      '2025121505': { 'linux/amd64': 'j:2025121505@d' },
      '1234': { 'linux/amd64': 'j:1234@e' },
      '2024': { 'linux/amd64': 'j:2024.1@f' }
    }
    const resolved = new Map([['10', { 'linux/amd64': 'j:10.11.0@g' }]])
    const [guarded, explicit] = await parseImagesConfig(
      JSON.stringify([
        { image: 'jellyfin/jellyfin', tracks: ['major'] },
        { image: 'jellyfin/other', tracks: ['major'], tagPattern: '^(?<major>\\d+)$' }
      ]),
      'images.json'
    )
    // Tags gone upstream or held back this run alike: the key is judged against the majors found.
    expect(Object.keys(mergeImageEntry(published, resolved, guarded!).entry).sort()).toEqual([
      '10',
      '2024'
    ])
    expect(Object.keys(mergeImageEntry(published, resolved, explicit!).entry).sort()).toEqual([
      '10',
      '1234',
      '2024',
      '2025121505'
    ])
  })

  test('a legacy entry keeps the v keys as copies of the new keys, a new-format one does not', async () => {
    const [legacy, converted] = await parseImagesConfig(
      JSON.stringify([
        {
          image: 'ghcr.io/immich-app/immich-server',
          initialMajor: ['v2'],
          initialMajorMinorPatch: ['v2.6.3']
        },
        {
          image: 'ghcr.io/immich-app/immich-ml',
          tracks: ['major', 'major-minor-patch'],
          minVersion: '2'
        }
      ]),
      'images.json'
    )
    const value = { 'linux/amd64': 'i:v2.7.5@a' }
    const resolved = new Map([
      ['2', value],
      ['2.7.5', value]
    ])
    // v2.6.3 was published by the original flake; its track is stale now but still wanted.
    const published = {
      'v2.6.3': { 'linux/amd64': 'i:v2.6.3@b' },
      '2.6.3': { 'linux/amd64': 'i:v2.6.3@b' },
      'v1.0.0': { 'linux/amd64': 'i:v1.0.0@c' }
    }
    const notes = {
      heldBack: { majors: [], tags: [], others: [] },
      aliases: new Map([
        ['v2', '2'],
        ['v2.7.5', '2.7.5']
      ])
    }
    const merged = mergeImageEntry(published, resolved, legacy!, notes)
    expect(merged.entry).toEqual({
      '2': value,
      v2: value,
      '2.7.5': value,
      'v2.7.5': value,
      '2.6.3': published['2.6.3'],
      'v2.6.3': published['2.6.3']
    })
    expect([...merged.aliases]).toEqual([
      ['v2', '2'],
      ['v2.6.3', '2.6.3'],
      ['v2.7.5', '2.7.5']
    ])
    const fresh = mergeImageEntry(published, resolved, converted!, notes)
    expect(Object.keys(fresh.entry).sort()).toEqual(['2', '2.6.3', '2.7.5'])
    expect(fresh.aliases.size).toBe(0)
  })

  test('a deferred track keeps its value and is not stale; a platform no tag has keeps its own', async () => {
    const resolved = new Map<string, Record<string, string>>([
      ['29', { 'linux/arm64': 'n:29.0.10@d' }]
    ])
    const { entry, stale } = mergeImageEntry(previous, resolved, image, undefined, ['30'])
    expect(entry).toEqual({
      // Upstream's 29 lost amd64: the published amd64 reference stays, the new arm64 joins it.
      '29': { 'linux/amd64': 'n:29.0.9@a', 'linux/arm64': 'n:29.0.10@d' },
      '30': { 'linux/amd64': 'n:30.0.3@a' },
      stable: { 'linux/amd64': 'n:stable@s' }
    })
    expect(stale.sort()).toEqual(['29', 'stable'])
  })
})

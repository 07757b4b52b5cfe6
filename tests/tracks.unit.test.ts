// Which versions become tracks: allowedVersions, tags held back as dates or build numbers, and
// the legacy `v` aliases, over tag shapes as the real registries list them.
import { readFileSync } from 'node:fs'
import { parseImagesConfig, type ImageConfig } from '../src/update/config.js'
import { selectTracks } from '../src/update/tracks/selection.js'
import {
  isAllowed,
  outlierMajors,
  parseRange,
  semverOf
} from '../src/update/tracks/version-policy.js'
import { DEFAULT_TAG_PATTERN, parseVersion } from '../src/update/tracks/versions.js'
import { tagPatternCompiler } from '../src/update/tracks/tag-pattern.js'

const compile = await tagPatternCompiler()

const DEFAULT = DEFAULT_TAG_PATTERN
const LINUXSERVER =
  '^(?<major>\\d+)\\.(?<minor>\\d+)\\.(?<patch>\\d+)\\.(?<build>\\d+)-ls(?<revision>\\d+)$'
const PLEX = '^(?<major>\\d+)\\.(?<minor>\\d+)\\.(?<patch>\\d+)\\.(?<build>\\d+)-[0-9a-f]+$'

/** The shipped images.json's entry for an image, as the updater loads it. */
async function shipped(name: string): Promise<ImageConfig> {
  const images = await parseImagesConfig(readFileSync('images.json', 'utf8'), 'images.json')
  const image = images.find((candidate) => candidate.reference.written === name)
  if (!image) throw new Error(`${name} is not in the shipped images.json`)
  return image
}

async function entry(fields: Record<string, unknown>): Promise<ImageConfig> {
  const [image] = await parseImagesConfig(
    JSON.stringify([{ image: 'docker.io/x/y', ...fields }]),
    'images.json'
  )
  return image!
}

// [image, pattern, tag, allowedVersions, semver form, allowed]
const ALLOWED: Array<[string, string, string, string, string, boolean]> = [
  ['postgres', DEFAULT, '16', '16.x', '16.0.0', true],
  ['postgres', DEFAULT, '16.4', '16.x', '16.4.0', true],
  ['postgres', DEFAULT, '17', '16.x', '17.0.0', false],
  ['postgres', DEFAULT, '17.2', '16.x', '17.2.0', false],
  ['postgres', DEFAULT, '16', '>=16.2 <17', '16.0.0', false],
  ['nextcloud', DEFAULT, '30.0.4', '>=30 <33', '30.0.4', true],
  ['nextcloud', DEFAULT, '33.0.0', '>=30 <33', '33.0.0', false],
  ['open-webui', DEFAULT, 'v0.6.22', '^0.6', '0.6.22', true],
  ['open-webui', DEFAULT, '0.7.0', '^0.6', '0.7.0', false],
  ['home-assistant', DEFAULT, '2025.1', '>=2025.1', '2025.1.0', true],
  ['home-assistant', DEFAULT, '2024.12.5', '>=2025.1', '2024.12.5', false],
  ['jellyfin', DEFAULT, '10.10.7', '^1.2', '10.10.7', false],
  ['jellyfin', DEFAULT, '10.10.7', '10.x', '10.10.7', true],
  ['jellyfin', DEFAULT, '2025121505', '10.x', '2025121505.0.0', false],
  ['linuxserver', LINUXSERVER, '4.0.10.2544-ls250', '>=4.0.10 <5', '4.0.10', true],
  ['linuxserver', LINUXSERVER, '4.0.5.1500-ls187', '>=4.0.10 <5', '4.0.5', false],
  ['plex', PLEX, '1.42.1.10060-4e8b05daf', '^1.42', '1.42.1', true],
  ['plex', PLEX, '1.41.9.9961-46083195d', '^1.42', '1.41.9', false]
]

describe('allowedVersions on real tag shapes', () => {
  test.each(ALLOWED)('%s %s in "%s"', (_image, pattern, tag, range, form, allowed) => {
    const version = parseVersion(tag, compile(pattern))!
    expect(semverOf(version.parts)).toBe(form)
    expect(isAllowed(version.parts, parseRange(range)!)).toBe(allowed)
  })

  test('versions outside the range make no track, like versions below minVersion', async () => {
    const tags = ['15.10', '16', '16.4', '16.6', '17', '17.2', '18beta1', 'latest']
    const keys = selectTracks(await entry({ allowedVersions: '16.x', tags: ['latest'] }), tags)
      .tracks.map((track) => track.key)
      .sort()
    expect(keys).toEqual(['16', '16.4', '16.6', 'latest'])
  })

  test('an invalid range names the file, the JSON path and the rule', async () => {
    await expect(
      parseImagesConfig(
        JSON.stringify({ images: [{ image: 'postgres', allowedVersions: '16.x || banana' }] }),
        'images.json'
      )
    ).rejects.toThrow(
      `images.json: $.images[0].allowedVersions: "16.x || banana" is not a version range in semver's syntax`
    )
    await expect(
      parseImagesConfig('[{"image": "postgres", "allowedVersions": ""}]', 'images.json')
    ).rejects.toThrow(
      '$[0].allowedVersions: must NOT have fewer than 1 characters (rule: minLength)'
    )
  })
})

describe('majors far above the others', () => {
  // [what, majors, outliers]
  const MAJORS: Array<[string, number[], number[]]> = [
    ['jellyfin date and hour', [10, 2025121505, 2025120805], [2025120805, 2025121505]],
    ['a date alone', [20251215], [20251215]],
    ['a build number', [1, 1234], [1234]],
    ['home assistant from 0.x to calendar years', [0, 2024, 2025, 2026], []],
    ['calendar years after 1.x', [1, 2, 2024], []],
    ['ordinary majors', [4, 9, 30, 120], []],
    ['build numbers compare with the genuine major', [1, 1500, 1600], [1500, 1600]]
  ]
  test.each(MAJORS)('%s', (_what, majors, outliers) => {
    expect([...outlierMajors(majors)].sort((a, b) => a - b)).toEqual(outliers)
  })

  const JELLYFIN = ['10', '10.10', '10.10.7', '10.11', '10.11.0', '2025121505', '2025120805']
  const jellyfinTags = [...JELLYFIN, '10.11.0-rc1', 'latest', 'unstable']

  test('with the default pattern, Jellyfin’s date-stamped builds are held back and named', async () => {
    const plan = selectTracks(await entry({ minVersion: '10.10', tags: ['latest'] }), jellyfinTags)
    expect(plan.tracks.map((track) => track.key).sort()).toEqual([
      '10',
      '10.10',
      '10.10.7',
      '10.11',
      '10.11.0',
      'latest'
    ])
    expect(plan.heldBack).toEqual({
      majors: [2025121505, 2025120805],
      tags: ['2025121505', '2025120805'],
      others: [10]
    })
  })

  test('the shipped images.json gives Jellyfin no date-stamped track and nothing to hold back', async () => {
    const plan = selectTracks(await shipped('docker.io/jellyfin/jellyfin'), jellyfinTags)
    const keys = plan.tracks.map((track) => track.key)
    expect(keys.sort()).toEqual(['10', '10.10', '10.10.7', '10.11', '10.11.0', 'latest'])
    expect(plan.tracks.flatMap((track) => track.candidates)).not.toContain('2025121505')
    expect(plan.heldBack.tags).toEqual([])
  })

  test('an entry with its own tagPattern or allowedVersions publishes what it matches', async () => {
    for (const fields of [{ allowedVersions: '>=10' }, { tagPattern: DEFAULT }]) {
      const plan = selectTracks(await entry(fields), JELLYFIN)
      expect(plan.tracks.map((track) => track.key)).toContain('2025121505')
      expect(plan.heldBack.tags).toEqual([])
    }
  })
})

describe('legacy aliases', () => {
  const legacy = (fields: Record<string, unknown>): Promise<ImageConfig> =>
    entry({ initialMajor: [], initialMajorMinor: [], initialMajorMinorPatch: [], ...fields })

  test('immich: every v tag upstream lists keeps its key as an alias of the new key', async () => {
    const tags = ['v2', 'v2.7', 'v2.7.5', 'v2.7.4', 'v2.6.3', 'release', 'commit-0a1b2c3']
    const plan = selectTracks(
      await legacy({
        initialMajor: ['v2'],
        initialMajorMinor: ['v2.6'],
        initialMajorMinorPatch: ['v2.6.3']
      }),
      tags
    )
    expect(Object.fromEntries(plan.aliases)).toEqual({
      v2: '2',
      'v2.7': '2.7',
      'v2.7.5': '2.7.5',
      'v2.7.4': '2.7.4',
      'v2.6.3': '2.6.3'
    })
  })

  test('open-webui: only the keys upstream spells with a v', async () => {
    const tags = ['0.6', '0.6.22', 'v0.6.22', '0.6.18', 'v0.6.18', 'main']
    const plan = selectTracks(
      await legacy({ initialMajorMinor: ['0.6'], initialMajorMinorPatch: ['v0.6.18'] }),
      tags
    )
    expect(Object.fromEntries(plan.aliases)).toEqual({ 'v0.6.18': '0.6.18', 'v0.6.22': '0.6.22' })
  })

  test('a new-format entry has no aliases', async () => {
    const plan = selectTracks(await entry({ minVersion: '2.6' }), ['v2', 'v2.7', 'v2.7.5'])
    expect(plan.aliases.size).toBe(0)
  })
})

import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ImageConfig } from '../src/update/config.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { buildTracks } from '../src/update/tracks/selection.js'
import {
  DEFAULT_TAG_PATTERN,
  compareVersions,
  isBelowMinimum,
  parseTrackKey,
  parseVersion,
  parseVersionNumbers,
  trackKeysOf
} from '../src/update/tracks/versions.js'
import { tagPatternCompiler, type TagPattern } from '../src/update/tracks/tag-pattern.js'

const compile = await tagPatternCompiler()
const DEFAULT = compile(DEFAULT_TAG_PATTERN)
const LINUXSERVER = compile(
  String.raw`^(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)\.(?<build>\d+)-ls(?<revision>\d+)$`
)
const PLEX = compile(
  String.raw`^(?<major>\d+)\.(?<minor>\d+)\.(?<patch>\d+)\.(?<build>\d+)-[0-9a-f]+$`
)

// Tags as they appear on the real registries.
const TABLE: Array<[string, TagPattern, string, (number | undefined)[] | null]> = [
  ['nextcloud', DEFAULT, '30', [30, undefined, undefined]],
  ['nextcloud', DEFAULT, '30.0', [30, 0, undefined]],
  ['nextcloud', DEFAULT, '30.0.4', [30, 0, 4]],
  ['nextcloud', DEFAULT, '30.0.4-apache', null],
  ['nextcloud', DEFAULT, '30-fpm-alpine', null],
  ['nextcloud', DEFAULT, 'stable', null],
  ['nextcloud', DEFAULT, 'production', null],
  ['home-assistant', DEFAULT, '2024.12.5', [2024, 12, 5]],
  ['home-assistant', DEFAULT, '2025.1', [2025, 1, undefined]],
  ['home-assistant', DEFAULT, '2025.1.0b1', null],
  ['home-assistant', DEFAULT, '2025.1.0.dev20241220', null],
  ['home-assistant', DEFAULT, 'beta', null],
  ['linuxserver', LINUXSERVER, '4.0.5.1500-ls187', [4, 0, 5, 1500, 187]],
  ['linuxserver', LINUXSERVER, '4.0.10.2544-ls250', [4, 0, 10, 2544, 250]],
  ['linuxserver', LINUXSERVER, 'version-4.0.10.2544', null],
  ['linuxserver', LINUXSERVER, 'develop', null],
  ['open-webui', DEFAULT, 'v0.6.22', [0, 6, 22]],
  ['open-webui', DEFAULT, '0.6.22', [0, 6, 22]],
  ['open-webui', DEFAULT, '0.6.22-ollama', null],
  ['open-webui', DEFAULT, 'git-1a2b3c4', null],
  ['open-webui', DEFAULT, 'main', null],
  ['plex', PLEX, '1.42.1.10060-4e8b05daf', [1, 42, 1, 10060]],
  ['plex', PLEX, 'latest', null],
  ['plex', DEFAULT, '1.42.1.10060-4e8b05daf', null],
  ['postgres', DEFAULT, '16', [16, undefined, undefined]],
  ['postgres', DEFAULT, '16.4', [16, 4, undefined]],
  ['postgres', DEFAULT, '16.4-bookworm', null],
  ['postgres', DEFAULT, '17beta3', null],
  ['postgres', DEFAULT, '17rc1', null],
  ['postgres', DEFAULT, '16-alpine', null]
]

/** Every tagPattern the repository ships or shows: images.json, the README and docs/. */
function shippedPatterns(): string[] {
  const texts = [
    readFileSync('images.json', 'utf8'),
    readFileSync('README.md', 'utf8'),
    ...readdirSync('docs')
      .filter((name) => name.endsWith('.md'))
      .map((name) => readFileSync(join('docs', name), 'utf8'))
  ]
  const found = texts.flatMap((text) =>
    [...text.matchAll(/"tagPattern": ("(?:[^"\\]|\\.)*")/g)].map(
      ([, literal]) => JSON.parse(literal!) as string
    )
  )
  return [...new Set([DEFAULT_TAG_PATTERN, ...found])]
}

describe('tag patterns on RE2', () => {
  // The real tags above, a few from the other shipped images, and shapes near the patterns' edges.
  const tags = [
    ...TABLE.map(([, , tag]) => tag),
    '4.0.16.2944-ls283',
    '1.41.9.9961-46083195d',
    '2025.1.3',
    'v2.7.5',
    '10.11.0-rc1',
    '1..2',
    '.1',
    '1.2.3.4.5',
    'v',
    ''
  ]

  test('every shipped pattern captures what the JavaScript engine captured, tag by tag', () => {
    const patterns = shippedPatterns()
    expect(patterns.length).toBeGreaterThanOrEqual(4)
    for (const source of patterns) {
      const pattern = compile(source)
      const javascript = new RegExp(source)
      for (const tag of tags) {
        const groups = javascript.exec(tag)?.groups
        const expected = groups ? pattern.names.map((name) => groups[name]) : null
        expect([source, tag, pattern.captures(tag)]).toEqual([source, tag, expected])
      }
    }
  })

  test('a backtracking pattern answers a hostile tag at once', () => {
    const pattern = compile(String.raw`^(?<major>(\d+)+)$`)
    expect(pattern.captures('1'.repeat(127) + 'a')).toBeNull()
    expect(parseVersion('1'.repeat(15), pattern)?.parts).toEqual([
      111111111111111,
      undefined,
      undefined
    ])
  })

  test('numbers past 2^53 are no version: their keys would not read back', () => {
    expect(parseVersion('9'.repeat(25), DEFAULT)).toBeNull()
    expect(parseVersion(`1.${'9'.repeat(25)}`, DEFAULT)).toBeNull()
    expect(parseVersion(String(Number.MAX_SAFE_INTEGER), DEFAULT)?.parts[0]).toBe(
      Number.MAX_SAFE_INTEGER
    )
  })

  test('named groups come from the parsed pattern, in the order they open', () => {
    expect(compile(String.raw`^(?<major>\d+)-(?<z>\d+)-(?<a>\d+)$`).names).toEqual([
      'major',
      'z',
      'a'
    ])
    expect(
      parseVersion('1-5-3', compile(String.raw`^(?<major>\d+)-(?<z>\d+)-(?<a>\d+)$`))?.parts
    ).toEqual([1, undefined, undefined, 5, 3])
    for (const [source, rule] of [
      [String.raw`^\(?<major>\d+\)?$`, 'named group major'],
      [String.raw`^(?<Major>\d+)$`, 'named group major'],
      [String.raw`^(?<major>\d+`, 'regular expression'],
      [String.raw`^(?<=v)(?<major>\d+)$`, 'linear-time regular expression'],
      [`^(?<major>\\d+)${'(?:-(a|b|c))?'.repeat(300)}$`, 'pattern size']
    ]) {
      expect(() => compile(source!)).toThrow(expect.objectContaining({ rule }))
    }
  })
})

describe('parseVersion on real tags', () => {
  test.each(TABLE)('%s %#: %s', (_image, pattern, tag, parts) => {
    const version = parseVersion(tag as string, pattern as TagPattern)
    expect(version?.parts ?? null).toEqual(parts)
  })
})

function newest(tags: string[], pattern: TagPattern): string {
  const versions = tags.map((tag) => parseVersion(tag, pattern)!)
  return versions.sort(compareVersions).at(-1)!.tag
}

describe('order', () => {
  test('a floating tag loses to a more specific one', () => {
    expect(newest(['16', '16.4', '16.3'], DEFAULT)).toBe('16.4')
    expect(newest(['30.0', '30'], DEFAULT)).toBe('30.0')
  })
  test('parts compare numerically, further groups included', () => {
    expect(
      newest(['4.0.5.1500-ls187', '4.0.10.2544-ls250', '4.0.10.2544-ls249'], LINUXSERVER)
    ).toBe('4.0.10.2544-ls250')
    expect(newest(['1.9.0', '1.10.0'], DEFAULT)).toBe('1.10.0')
  })
  test('equal versions pick the same spelling whatever the listing order', () => {
    expect(newest(['v0.6.22', '0.6.22'], DEFAULT)).toBe('0.6.22')
    expect(newest(['0.6.22', 'v0.6.22'], DEFAULT)).toBe('0.6.22')
  })
})

describe('minimum version', () => {
  const min = parseVersionNumbers('2024.12')!
  test.each([
    ['2024.11.9', true],
    ['2024', true],
    ['2024.12', false],
    ['2024.12.0', false],
    ['2025.1', false]
  ])('%s below 2024.12: %s', (tag, below) => {
    expect(isBelowMinimum(parseVersion(tag, DEFAULT)!, min)).toBe(below)
  })
  test('parses only dotted numbers', () => {
    expect(parseVersionNumbers('v29')).toEqual([29])
    expect(parseVersionNumbers('29.x')).toBeNull()
  })
})

describe('track keys', () => {
  test('never carry the v prefix and exist only for present parts', () => {
    expect(trackKeysOf(parseVersion('v0.6.22', DEFAULT)!)).toEqual({
      major: '0',
      'major-minor': '0.6',
      'major-minor-patch': '0.6.22'
    })
    expect(trackKeysOf(parseVersion('16', DEFAULT)!)).toEqual({ major: '16' })
  })
  test('parseTrackKey recognises the kind from the shape', () => {
    expect(parseTrackKey('30')).toEqual({ kind: 'major', numbers: [30] })
    expect(parseTrackKey('30.0.4')).toEqual({ kind: 'major-minor-patch', numbers: [30, 0, 4] })
    expect(parseTrackKey('latest')).toBeNull()
  })
})

function imageConfig(overrides: Partial<ImageConfig> = {}): ImageConfig {
  return {
    reference: parseImageReference('docker.io/nextcloud'),
    platforms: ['linux/amd64'],
    tracks: ['major', 'major-minor', 'major-minor-patch'],
    tagPattern: DEFAULT,
    tags: [],
    ...overrides
  }
}

describe('buildTracks', () => {
  const upstream = [
    '29.0.9',
    '30',
    '30.0',
    '30.0.3',
    '30.0.4',
    '30.0.4-apache',
    'v30.1.0',
    'latest',
    '31.0.0rc1'
  ]

  test('expands versions into tracks, best candidate first', () => {
    const tracks = buildTracks(imageConfig({ tags: ['latest'] }), upstream)
    const byKey = Object.fromEntries(tracks.map((track) => [track.key, track.candidates]))
    expect(byKey).toEqual({
      latest: ['latest'],
      '29': ['29.0.9'],
      '29.0': ['29.0.9'],
      '29.0.9': ['29.0.9'],
      '30': ['v30.1.0', '30.0.4', '30.0.3', '30.0', '30'],
      '30.0': ['30.0.4', '30.0.3', '30.0'],
      '30.0.3': ['30.0.3'],
      '30.0.4': ['30.0.4'],
      '30.1': ['v30.1.0'],
      '30.1.0': ['v30.1.0']
    })
  })

  test('honours minVersion and the track kinds asked for', () => {
    const tracks = buildTracks(imageConfig({ minVersion: [30], tracks: ['major-minor'] }), upstream)
    expect(tracks.map((track) => track.key).sort()).toEqual(['30.0', '30.1'])
  })

  test('a literal tag missing upstream yields no track', () => {
    expect(
      buildTracks(imageConfig({ tags: ['stable'] }), upstream).some((t) => t.key === 'stable')
    ).toBe(false)
  })
})

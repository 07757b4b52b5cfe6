import { parseDuration, currentTime } from '../src/update/durations.js'
import { readyAt } from '../src/update/tracks/release-age.js'
import { releaseLinks, withReleaseLinks } from '../src/update/release-notes.js'
import { releaseAnnotations } from '../src/update/release-records.js'

const SOURCE = 'https://github.com/immich-app/immich'
const d = (seed: string): string => `sha256:${seed.repeat(64).slice(0, 64)}`

describe('durations', () => {
  test.each([
    ['3d', 3 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    ['1d12h', 36 * 3_600_000],
    ['0d', 0]
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms))
  test.each(['3', '3 days', 'd', '-1d', '1.5d', '3D', ''])('%p is refused', (text) =>
    expect(parseDuration(text)).toBeUndefined()
  )
})

describe('the current time', () => {
  test('NIX_OCI_HASHES_NOW fixes it; a bad value is refused', () => {
    expect(currentTime({ NIX_OCI_HASHES_NOW: '2026-02-03T04:05:06Z' }).toISOString()).toBe(
      '2026-02-03T04:05:06.000Z'
    )
    expect(() => currentTime({ NIX_OCI_HASHES_NOW: 'tomorrow' })).toThrow(
      'NIX_OCI_HASHES_NOW: "tomorrow" is not an ISO 8601 time (rule: ISO 8601)'
    )
  })
  test('a created time only makes the wait longer', () => {
    const now = new Date('2026-02-10T00:00:00Z')
    const seen = '2026-02-05T00:00:00.000Z'
    const day = 86_400_000
    expect(readyAt({ firstSeen: seen }, day, now)).toBe(Date.parse(seen) + day)
    expect(readyAt({ firstSeen: seen, created: '2020-01-01T00:00:00Z' }, day, now)).toBe(
      Date.parse(seen) + day
    )
    expect(readyAt({ firstSeen: seen, created: '2026-02-07T00:00:00Z' }, day, now)).toBe(
      Date.parse('2026-02-08T00:00:00Z')
    )
  })
})

describe('release links', () => {
  test('keeps only the five OCI keys, short-named and short', () => {
    expect(
      releaseAnnotations({
        'org.opencontainers.image.source': SOURCE,
        'org.opencontainers.image.title': 'immich',
        'org.opencontainers.image.url': 'x'.repeat(201)
      })
    ).toEqual({ source: SOURCE })
    expect(releaseAnnotations({ 'org.opencontainers.image.title': 'immich' })).toBeUndefined()
  })
  test.each([
    [`${SOURCE}.git`, `${SOURCE}/releases/tag/v2.7.5`],
    [`git+${SOURCE}`, `${SOURCE}/releases/tag/v2.7.5`],
    [`${SOURCE}/`, `${SOURCE}/releases/tag/v2.7.5`]
  ])('source %s', (source, release) =>
    expect(releaseLinks('2.7.5', { source, version: 'v2.7.5' }, undefined)).toEqual({ release })
  )
  test('the tag stands in for a missing version; revisions make a compare view', () => {
    expect(
      releaseLinks(
        '2.7.5',
        { source: SOURCE, revision: 'b'.repeat(40) },
        { source: SOURCE, revision: 'a'.repeat(7) }
      )
    ).toEqual({
      release: `${SOURCE}/releases/tag/2.7.5`,
      compare: `${SOURCE}/compare/${'a'.repeat(7)}...${'b'.repeat(40)}`
    })
  })
  test('no GitHub source: the url annotation, else nothing', () => {
    expect(
      releaseLinks('1', { source: 'https://gitlab.com/a/b', url: 'https://a.example/r' }, undefined)
    ).toEqual({
      release: 'https://a.example/r'
    })
    expect(releaseLinks('1', { url: 'javascript:alert(1)' }, undefined)).toEqual({})
  })
  test('a change finds its record through the index that lists its platform digest', () => {
    const image = 'ghcr.io/immich-app/immich-server'
    const state = {
      images: { [image]: { [d('i')]: { 'linux/amd64': d('1') } } },
      releases: { [image]: { [d('i')]: { firstSeen: '2026-01-01T00:00:00Z', source: SOURCE } } }
    }
    const change = { image, track: '2', platform: 'linux/amd64', after: `${image}:2.7.5@${d('1')}` }
    expect(withReleaseLinks(change, { images: {} }, state).links).toEqual({
      release: `${SOURCE}/releases/tag/2.7.5`
    })
    const unknown = { ...change, after: `${image}:2.7.5@${d('2')}` }
    expect(withReleaseLinks(unknown, { images: {} }, state)).toEqual(unknown)
  })
})

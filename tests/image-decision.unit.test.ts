import type { ImageConfig } from '../src/update/config.js'
import { decideImage } from '../src/update/image-decision.js'
import type { ImageOutcome } from '../src/update/resolve-all.js'
import type { Logger } from '../src/update/run-types.js'
import { parseImageReference } from '../src/registry/image-reference.js'
import { DEFAULT_TAG_PATTERN } from '../src/update/tracks/versions.js'
import { tagPatternCompiler } from '../src/update/tracks/tag-pattern.js'

const image: ImageConfig = {
  reference: parseImageReference('docker.io/nextcloud'),
  platforms: ['linux/amd64'],
  tracks: ['major'],
  tagPattern: (await tagPatternCompiler())(DEFAULT_TAG_PATTERN),
  tags: ['stable']
}
const name = image.reference.written
const now = new Date('2026-03-01T00:00:00Z')
const DAY = 86_400_000

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (line) => void lines.push(`info ${line}`),
    warning: (line) => void lines.push(`warning ${line}`)
  }
}

const published = {
  '29': { 'linux/amd64': 'n:29.0.9@sha256:old29' },
  '30': { 'linux/amd64': 'n:30.0.3@sha256:old30' },
  '31': { 'linux/amd64': 'n:31.0.0@sha256:old31' },
  stable: { 'linux/amd64': 'n:stable@sha256:olds' }
}

describe('one image after its reads', () => {
  test('a failed image keeps its entry, its release records and every manifest it read', () => {
    const log = recorder()
    const settled: ImageOutcome = {
      result: { status: 'rejected', reason: new Error('registry said no') },
      learned: { 'sha256:new': { 'linux/amd64': 'sha256:p2' } }
    }
    const before = {
      entry: published,
      state: { 'sha256:old': { 'linux/amd64': 'sha256:p1' } },
      releases: { 'sha256:old': { firstSeen: '2026-01-01T00:00:00.000Z' } }
    }
    const decision = decideImage(image, settled, before, now, undefined, log)
    expect(decision).toEqual({
      failure: { image: name, message: 'registry said no' },
      entry: published,
      state: {
        'sha256:old': { 'linux/amd64': 'sha256:p1' },
        'sha256:new': { 'linux/amd64': 'sha256:p2' }
      },
      releases: before.releases,
      waiting: [],
      stale: [],
      warnings: []
    })
    expect(log.lines).toEqual([])
  })

  test('young and deferred tracks keep their published values; a vanished key stays, stale', () => {
    const log = recorder()
    const settled: ImageOutcome = {
      result: {
        status: 'fulfilled',
        value: {
          tracks: new Map([
            ['29', published['29']],
            ['31', { 'linux/amd64': 'n:31.0.1@sha256:new31' }]
          ]),
          state: {
            'sha256:idx29': { 'linux/amd64': 'sha256:old29' },
            'sha256:idx31': { 'linux/amd64': 'sha256:new31' }
          },
          deferred: ['30'],
          deferredReads: new Set(['sha256:idx30']),
          notes: { heldBack: { majors: [], tags: [], others: [] }, aliases: new Map() },
          sources: new Map([
            ['29', [{ tag: '29.0.9', digest: 'sha256:idx29' }]],
            ['31', [{ tag: '31.0.1', digest: 'sha256:idx31' }]]
          ]),
          annotations: {}
        }
      },
      learned: {}
    }
    const before = {
      entry: published,
      state: undefined,
      releases: { 'sha256:idx29': { firstSeen: '2026-01-01T00:00:00.000Z' } }
    }
    const decision = decideImage(image, settled, before, now, DAY, log)
    // 31's new digest was first seen now: it waits a day; 30's read was deferred; stable has
    // no tag upstream any more. All three keep what was published.
    expect(decision.entry).toEqual(published)
    expect(decision.waiting).toEqual([
      {
        image: name,
        track: '31',
        tag: '31.0.1',
        until: new Date(now.getTime() + DAY).toISOString()
      }
    ])
    expect(decision.stale).toEqual([{ image: name, track: 'stable' }])
    expect(decision.deferred).toEqual({
      image: name,
      registry: image.reference.registry,
      tracks: ['30'],
      reads: new Set(['sha256:idx30'])
    })
    expect(decision.releases).toEqual({
      'sha256:idx29': { firstSeen: '2026-01-01T00:00:00.000Z' },
      'sha256:idx31': { firstSeen: now.toISOString() }
    })
    expect(decision.failure).toBeUndefined()
    expect(log.lines).toEqual([
      `warning ${name} stable: no tag of this track exists upstream any more; kept its last value`,
      `info ${name}: 1 track resolved`
    ])
  })

  test("an image's own minimum release age wins over the run's, and zero waits for nothing", () => {
    const value = { 'linux/amd64': 'n:31.0.1@sha256:new31' }
    const settled = (): ImageOutcome => ({
      result: {
        status: 'fulfilled',
        value: {
          tracks: new Map([['31', value]]),
          state: { 'sha256:idx31': value },
          deferred: [],
          deferredReads: new Set(),
          notes: { heldBack: { majors: [], tags: [], others: [] }, aliases: new Map() },
          sources: new Map([['31', [{ tag: '31.0.1', digest: 'sha256:idx31' }]]]),
          annotations: {}
        }
      },
      learned: {}
    })
    const before = { entry: undefined, state: undefined, releases: undefined }
    const own = { ...image, minimumReleaseAge: 0 }
    expect(decideImage(own, settled(), before, now, DAY, recorder()).entry).toEqual({ '31': value })
    expect(decideImage(image, settled(), before, now, DAY, recorder()).entry).toBeUndefined()
  })
})

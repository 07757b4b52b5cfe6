import type { StateDocument } from '../src/update/digests-document.js'
import { parseState } from '../src/update/digests-document.js'
import { canonicalPlatform } from '../src/common/platform.js'
import { countNewStateEntries, mergeStates } from '../src/update/state-merge.js'

const d = (seed: string): string => `sha256:${seed.repeat(64).slice(0, 64)}`
const NC = 'docker.io/nextcloud'
const PG = 'docker.io/library/postgres'

const workspace: StateDocument = {
  version: 1,
  images: {
    [NC]: { [d('a')]: { 'linux/amd64': d('1'), 'linux/arm64': d('2') } },
    [PG]: { [d('b')]: { 'linux/amd64': d('3') } }
  }
}
const branch: StateDocument = {
  version: 1,
  images: {
    [NC]: {
      [d('a')]: { 'linux/amd64': d('9') },
      [d('c')]: { 'linux/amd64': d('4') }
    },
    'ghcr.io/o/app': { [d('e')]: { 'linux/arm64': d('5') } }
  }
}

describe('mergeStates', () => {
  test('keeps the release records of both copies, each digest first seen at the earlier time', () => {
    const early = '2026-01-01T00:00:00.000Z'
    const late = '2026-01-05T00:00:00.000Z'
    const preferred: StateDocument = {
      ...workspace,
      releases: { [NC]: { [d('a')]: { firstSeen: late, version: 'v30.0.4' } } }
    }
    const other: StateDocument = {
      ...branch,
      releases: {
        [NC]: { [d('a')]: { firstSeen: early }, [d('c')]: { firstSeen: late } },
        [PG]: { [d('b')]: { firstSeen: early, revision: 'abc1234' } }
      }
    }
    expect(mergeStates(preferred, other).releases).toEqual({
      [NC]: {
        [d('a')]: { firstSeen: early, version: 'v30.0.4' },
        [d('c')]: { firstSeen: late }
      },
      [PG]: { [d('b')]: { firstSeen: early, revision: 'abc1234' } }
    })
    // Without records on either side the document stays in the previous version's shape.
    expect(mergeStates(workspace, branch)).not.toHaveProperty('releases')
  })

  test('holds every digest either copy knows, per image', () => {
    const merged = mergeStates(workspace, branch)
    expect(Object.keys(merged.images).sort()).toEqual([NC, PG, 'ghcr.io/o/app'].sort())
    expect(Object.keys(merged.images[NC]!).sort()).toEqual([d('a'), d('c')])
    expect(merged.images[PG]).toEqual(workspace.images[PG])
    expect(merged.images['ghcr.io/o/app']).toEqual(branch.images['ghcr.io/o/app'])
    expect(merged.version).toBe(1)
  })

  test('on a conflict for one digest keeps the preferred copy whole, never a mix', () => {
    expect(mergeStates(workspace, branch).images[NC]![d('a')]).toEqual({
      'linux/amd64': d('1'),
      'linux/arm64': d('2')
    })
    expect(mergeStates(branch, workspace).images[NC]![d('a')]).toEqual({
      'linux/amd64': d('9')
    })
  })

  test('leaves both inputs as they were', () => {
    const before = JSON.stringify([workspace, branch])
    mergeStates(workspace, branch)
    expect(JSON.stringify([workspace, branch])).toBe(before)
  })

  test('an empty copy changes nothing', () => {
    const empty: StateDocument = { version: 1, images: {} }
    expect(mergeStates(workspace, empty)).toEqual(workspace)
    expect(mergeStates(empty, branch)).toEqual(branch)
  })
})

describe('countNewStateEntries', () => {
  test('counts the digests only the newer document knows', () => {
    expect(countNewStateEntries(branch, workspace)).toBe(2)
    expect(countNewStateEntries(workspace, branch)).toBe(1)
    expect(countNewStateEntries(mergeStates(workspace, branch), workspace)).toBe(2)
    expect(countNewStateEntries(workspace, mergeStates(workspace, branch))).toBe(0)
  })
})

describe('names that plain objects answer for', () => {
  test('state files read from text keep image keys such as constructor and __proto__ as data', () => {
    const text = (seed: string) =>
      `{"version": 1, "images": {"constructor": {"${d(seed)}": {"linux/amd64": "${d('1')}"}}, "__proto__": {"${d(seed)}": {"linux/amd64": "${d('2')}"}}}}`
    const merged = mergeStates(parseState(text('a'), 'a.json'), parseState(text('b'), 'b.json'))
    expect(Object.keys(merged.images).sort()).toEqual(['__proto__', 'constructor'])
    expect(Object.keys(merged.images['constructor']!).sort()).toEqual([d('a'), d('b')])
    expect(Object.keys(merged.images['__proto__']!).sort()).toEqual([d('a'), d('b')])
    expect(countNewStateEntries(merged, parseState(text('a'), 'a.json'))).toBe(2)
    expect(countNewStateEntries(parseState(text('a'), 'a.json'), workspace)).toBe(2)
  })

  test('a registry architecture named like an object property is kept as written', () => {
    expect(canonicalPlatform({ os: 'linux', architecture: 'constructor' })).toBe(
      'linux/constructor'
    )
    expect(canonicalPlatform({ os: 'linux', architecture: 'x86_64' })).toBe('linux/amd64')
  })
})

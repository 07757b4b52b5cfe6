import {
  formatTrackChanges,
  isLegacyAlias,
  trackChangeTotals,
  trackChanges
} from '../src/update/track-changes.js'

const at = (image: string, tag: string, seed: string) => ({
  'linux/amd64': `${image}:${tag}@sha256:${seed.repeat(64)}`
})
const JF = 'docker.io/jellyfin/jellyfin'
const IM = 'ghcr.io/immich-app/immich-server'

describe('trackChanges', () => {
  const before = {
    [JF]: { '10': at(JF, '10.10.7', 'a'), '10.10': at(JF, '10.10.7', 'a') },
    [IM]: { '2.6': at(IM, 'v2.6.3', 'b'), 'v2.6': at(IM, 'v2.6.3', 'b') }
  }
  const after = {
    [JF]: {
      '10': at(JF, '10.11.0', 'c'),
      '10.11': at(JF, '10.11.0', 'c'),
      '2025121505': at(JF, '2025121505', 'd')
    },
    [IM]: { '2.7': at(IM, 'v2.7.5', 'e'), 'v2.7': at(IM, 'v2.7.5', 'e') }
  }

  test('keys new and gone per image, legacy aliases apart, a moved digest not a change', () => {
    expect(trackChanges(before, after)).toEqual([
      {
        image: JF,
        added: ['10.11', '2025121505'],
        removed: ['10.10'],
        aliasesAdded: [],
        aliasesRemoved: []
      },
      {
        image: IM,
        added: ['2.7'],
        removed: ['2.6'],
        aliasesAdded: ['v2.7'],
        aliasesRemoved: ['v2.6']
      }
    ])
    expect(trackChanges(after, after)).toEqual([])
    expect(trackChangeTotals(trackChanges(before, after))).toEqual({
      added: 3,
      removed: 2,
      aliasesAdded: 1,
      aliasesRemoved: 1,
      images: 2
    })
  })

  test('a v key is an alias only when it copies the key without the v', () => {
    expect(isLegacyAlias(after[IM], 'v2.7')).toBe(true)
    expect(isLegacyAlias({ v2: at(IM, 'v2', 'a'), '2': at(IM, 'v2', 'b') }, 'v2')).toBe(false)
    expect(isLegacyAlias({ v2: at(IM, 'v2', 'a') }, 'v2')).toBe(false)
    expect(isLegacyAlias({ vnext: at(IM, 'vnext', 'a') }, 'vnext')).toBe(false)
  })

  test('the CLI lines: totals, then one line per image, long lists shortened', () => {
    expect(formatTrackChanges(trackChanges(before, after))).toEqual([
      'tracks: 3 tracks added and 2 removed in 2 images; legacy v aliases, counted apart: 1 added and 1 removed',
      `  ${JF}: 2 tracks added: 10.11, 2025121505; 1 track removed: 10.10`,
      `  ${IM}: 1 track added: 2.7; 1 track removed: 2.6; 1 legacy alias added: v2.7; 1 legacy alias removed: v2.6`
    ])
    expect(formatTrackChanges([])).toEqual(['tracks: no track added or removed'])
    const many = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`${i + 1}`, at(JF, `${i + 1}`, 'f')])
    )
    const [, line] = formatTrackChanges(trackChanges({}, { [JF]: many }))
    expect(line).toMatch(
      /^ {2}docker\.io\/jellyfin\/jellyfin: 25 tracks added: 1, 10, 11, .* and 5 more$/
    )
  })
})

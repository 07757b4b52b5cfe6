import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  defaultStatePath,
  diffDigests,
  parseDigests,
  renderDocument,
  writeFileAtomic
} from '../src/update/digests-document.js'

describe('rendering', () => {
  test('sorts every key in code-unit order, integer-like keys included', async () => {
    const text = renderDocument({ b: { '30.0': 1, '30': 2, '29': 3, latest: 4 }, a: {} })
    expect(text).toBe(
      '{\n  "a": {},\n  "b": {\n    "29": 3,\n    "30": 2,\n    "30.0": 1,\n    "latest": 4\n  }\n}\n'
    )
    expect(renderDocument({})).toBe('{}\n')
  })
  test('the state file sits beside digests.json', async () => {
    expect(defaultStatePath('out/digests.json')).toBe(join('out', 'digests.state.json'))
  })
})

describe('reading digests.json', () => {
  test('names the path of a malformed entry', async () => {
    expect(() => parseDigests('{"nginx": {"1": "x"}}', 'digests.json')).toThrow(
      'digests.json: $["nginx"]["1"]: must be an object (rule: image → track → platform → reference)'
    )
    expect(() => parseDigests('[', 'digests.json')).toThrow('digests.json: invalid JSON')
    expect(parseDigests(undefined, 'digests.json')).toEqual({})
  })
})

describe('diff', () => {
  test('lists added, removed and updated references in key order', async () => {
    expect(
      diffDigests(
        { i: { '1': { 'linux/amd64': 'i:1.0@a', 'linux/arm64': 'i:1.0@b' } } },
        { i: { '1': { 'linux/amd64': 'i:1.1@c' }, '2': { 'linux/amd64': 'i:2.0@d' } } }
      )
    ).toEqual([
      { image: 'i', track: '1', platform: 'linux/amd64', before: 'i:1.0@a', after: 'i:1.1@c' },
      { image: 'i', track: '1', platform: 'linux/arm64', before: 'i:1.0@b' },
      { image: 'i', track: '2', platform: 'linux/amd64', after: 'i:2.0@d' }
    ])
  })
})

describe('atomic write', () => {
  test('replaces the file and leaves no temporary behind', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'atomic-'))
    const path = join(folder, 'digests.json')
    writeFileSync(path, 'old\n')
    await writeFileAtomic(path, 'new\n')
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(readdirSync(folder)).toEqual(['digests.json'])
  })

  test('removes temporaries a killed run left behind, not those of a live writer', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'atomic-'))
    const path = join(folder, 'digests.json')
    const dead = '.digests.json.999999999.0badc0de.tmp'
    const live = `.digests.json.${process.pid}.00c0ffee.tmp`
    writeFileSync(join(folder, dead), 'half')
    writeFileSync(join(folder, live), 'in progress')
    writeFileSync(join(folder, '.digests.json.notes'), "someone else's")
    await writeFileAtomic(path, 'new\n')
    expect(readdirSync(folder).sort()).toEqual([live, '.digests.json.notes', 'digests.json'].sort())
  })
})

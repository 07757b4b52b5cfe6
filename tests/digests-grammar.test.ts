// One grammar for digests.json, on both sides: the table of valid and invalid values in
// tests/fixtures/digests-grammar/cases.json goes to the updater's writer (digests-grammar.ts)
// and, through real Nix, to the flake's lib; both must give the table's answer for every value.
// Then the writer's real output for an IPv6 registry is evaluated by the flake.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { matchesGrammar, type GrammarPart } from '../src/update/digests-grammar.js'
import { runCli, workspace } from './harness/cli.js'
import { startIpv6Relay, type Ipv6Relay } from './harness/ipv6-loopback.js'
import { type NixSandbox, nixSandbox, nixString, repoRoot } from './harness/nix.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'
import type { Digests } from './harness/documents.js'

type Cases = Record<GrammarPart, { valid: string[]; invalid: string[] }>
const cases = JSON.parse(
  readFileSync(join(repoRoot, 'tests', 'fixtures', 'digests-grammar', 'cases.json'), 'utf8')
) as Cases
const PARTS: Array<[GrammarPart, string]> = [
  ['imageKey', 'isImageKey'],
  ['trackKey', 'isTrackKey'],
  ['platformKey', 'isPlatformKey'],
  ['reference', 'isPinnedReference']
]

let sandbox: NixSandbox
let flake: string

beforeAll(async () => {
  sandbox = await nixSandbox('grammar')
  flake = await sandbox.flakeCopy('grammar', '{}\n')
}, 120_000)
afterAll(async () => {
  await sandbox?.cleanup()
})

describe('the digests.json grammar, from one table', () => {
  test('the table has both kinds of value for every part', () => {
    for (const [part] of PARTS) {
      expect(cases[part].valid.length).toBeGreaterThan(5)
      expect(cases[part].invalid.length).toBeGreaterThan(5)
    }
  })

  test.each(PARTS)('%s: the writer accepts exactly the valid values', (part) => {
    expect(cases[part].valid.filter((value) => !matchesGrammar(part, value))).toEqual([])
    expect(cases[part].invalid.filter((value) => matchesGrammar(part, value))).toEqual([])
  })

  test('the flake accepts exactly the valid values, part by part', async () => {
    const table = nixString(JSON.stringify(cases))
    const expr = `l: let t = builtins.fromJSON ${table}; in {
      ${PARTS.map(
        ([part, fn]) => `${part} = {
          valid = builtins.filter (v: !(l.${fn} v)) t.${part}.valid;
          invalid = builtins.filter l.${fn} t.${part}.invalid;
        };`
      ).join('\n')}
    }`
    const wrong = await sandbox.nixJson<Cases>(flake, '.#lib', '--apply', expr)
    for (const [part] of PARTS)
      expect([part, wrong[part]]).toEqual([part, { valid: [], invalid: [] }])
  })
})

describe('what the writer writes, the flake evaluates', () => {
  const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
  let registry: TestRegistry
  let relay: Ipv6Relay

  beforeAll(async () => {
    registry = await startRegistry()
    await pushIndex(registry, 'team/app', ['4.0.0', 'latest'], [AMD64])
    relay = await startIpv6Relay(Number(registry.host.split(':')[1]))
  })
  afterAll(async () => {
    await relay?.stop()
    await registry?.stop()
  })

  test('an image on an IPv6 host: lookups, forSystem and nix flake check', async () => {
    const image = `${relay.host}/team/app`
    const folder = workspace([{ image, tags: ['latest'], platforms: ['linux/amd64'] }])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    const written = readFileSync(join(folder, 'digests.json'), 'utf8')
    const digests = JSON.parse(written) as Digests
    expect(Object.keys(digests[image]!).sort()).toEqual(['4', '4.0', '4.0.0', 'latest'])

    const copy = await sandbox.flakeCopy('ipv6', written)
    const check = await sandbox.nix(copy, 'flake', 'check')
    expect(check.stderr).not.toMatch(/error/)
    expect(check.code).toBe(0)
    const looked = await sandbox.nixJson(
      copy,
      '.#lib',
      '--apply',
      `l: l.image { image = ${nixString(image)}; track = "4.0"; system = "x86_64-linux"; }`
    )
    expect(looked).toBe(digests[image]!['4.0']!['linux/amd64'])
    expect(
      await sandbox.nixJson(copy, '.#lib', '--apply', 'l: l.forSystem "x86_64-linux"')
    ).toEqual({
      [image]: Object.fromEntries(
        Object.entries(digests[image]!).map(([track, platforms]) => [
          track,
          platforms['linux/amd64']
        ])
      )
    })
  })
})

describe('a malformed entry is refused at its own lookup only', () => {
  const hex = 'c'.repeat(64)
  const GOOD = `docker.io/nextcloud:30.0.4@sha256:${hex}`
  const SIX = `[fd00::5]:5000/team/app:1.0@sha512:${'d'.repeat(128)}`
  const digests = {
    'docker.io/nextcloud': { '30': { 'linux/amd64': GOOD } },
    '[fd00::5]:5000/team/app': { '1': { 'linux/amd64': SIX } },
    broken: { '1': { 'linux/amd64': 'broken:1@sha512:abc' } },
    'Bad/Key': { '1': { 'linux/amd64': GOOD } }
  }
  let copy: string

  beforeAll(async () => {
    copy = await sandbox.flakeCopy('malformed', JSON.stringify(digests))
  }, 60_000)

  test('other lookups and forSystem still evaluate', async () => {
    const lookup = (image: string, track: string) =>
      `l.image { image = ${nixString(image)}; track = ${nixString(track)}; platform = "linux/amd64"; }`
    expect(
      await sandbox.nixJson(
        copy,
        '.#lib',
        '--apply',
        `l: [ (${lookup('nextcloud', '30')}) (${lookup('[fd00::5]:5000/team/app', '1')}) ]`
      )
    ).toEqual([GOOD, SIX])
    const system = await sandbox.nixJson(
      copy,
      '.#lib',
      '--apply',
      'l: let s = l.forSystem "x86_64-linux"; in [ (builtins.attrNames s) s."docker.io/nextcloud" ]'
    )
    expect(system).toEqual([
      ['Bad/Key', '[fd00::5]:5000/team/app', 'broken', 'docker.io/nextcloud'],
      { '30': GOOD }
    ])
  })

  test('the malformed entries fail where they are asked for, named', async () => {
    const broken = await sandbox.nixError(
      copy,
      '.#lib',
      '--apply',
      'l: l.image { image = "broken"; track = "1"; system = "x86_64-linux"; }'
    )
    expect(broken).toContain(
      'nix-oci-hashes: the digests.json entry for image "broken" track "1" platform "linux/amd64" is not a pinned reference'
    )
    const badKey = await sandbox.nixError(
      copy,
      '.#lib',
      '--apply',
      'l: (l.forSystem "x86_64-linux")."Bad/Key"."1"'
    )
    expect(badKey).toContain(
      'nix-oci-hashes: the digests.json entry for image "Bad/Key" track "1" platform "linux/amd64" has an image key that is not an image name'
    )
    const check = await sandbox.nix(copy, 'flake', 'check')
    expect(check.code).not.toBe(0)
    expect(check.stderr).toContain('Bad/Key 1 linux/amd64; broken 1 linux/amd64')
  })
})

describe('the writer refuses what is outside the grammar', () => {
  const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
  let registry: TestRegistry

  beforeAll(async () => {
    registry = await startRegistry()
    await pushIndex(registry, 'team/ok', ['1.0.0'], [AMD64])
    await pushIndex(registry, `team/${'long'.repeat(60)}`, ['1.0.0'], [AMD64])
  })
  afterAll(async () => {
    await registry?.stop()
  })

  test('an image whose name is longer than the grammar allows fails alone, naming the rule', async () => {
    const ok = `${registry.host}/team/ok`
    const long = `${registry.host}/team/${'long'.repeat(60)}`
    const folder = workspace([
      { image: long, tracks: ['major'], platforms: ['linux/amd64'] },
      { image: ok, tracks: ['major'], platforms: ['linux/amd64'] }
    ])
    const run = await runCli(['update'], { cwd: folder })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(long)
    expect(run.stderr).toContain(
      `would write $[${JSON.stringify(long)}]: ${JSON.stringify(long)} is not an image name as Docker reads it, of at most 255 characters (rule: image name)`
    )
    const written = JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8')) as object
    expect(Object.keys(written)).toEqual([ok])
  })

  test('a previous digests.json with a malformed entry is refused naming it', async () => {
    const folder = workspace([{ image: 'nginx' }])
    const previous = { nginx: { '1': { 'linux/amd64': 'nginx:1@sha256:abc' } } }
    writeFileSync(join(folder, 'digests.json'), JSON.stringify(previous))
    const run = await runCli(['update', '--mirror', 'docker.io=http://127.0.0.1:9'], {
      cwd: folder
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'digests.json: $["nginx"]["1"]["linux/amd64"]: "nginx:1@sha256:abc" is not name:tag@sha256:<64 hex digits> or name:tag@sha512:<128 hex digits> (rule: pinned reference)'
    )
    expect(JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))).toEqual(previous)
  })
})

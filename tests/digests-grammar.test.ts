// One grammar for digests.json, in three readers: the table of valid and invalid values in
// tests/fixtures/digests-grammar/cases.json goes, each value put in its place in an otherwise
// valid digests.json, to the updater's reader, to check and pin's reader and, through real Nix,
// to the flake's lookup; each must take exactly the valid values and refuse the others, the two
// of ours naming the file, the JSON path and the rule. Then the writer's real output for an IPv6
// registry is evaluated by the flake, and check reads a file with malformed entries the way the
// flake does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jsonPath, matchesGrammar, type GrammarPart } from '../src/common/digests-grammar.js'
import { findTrack, parsePublishedDigests } from '../src/check/published-digests.js'
import { parseDigests } from '../src/update/digests-document.js'
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
const PARTS: Array<[GrammarPart, string, string]> = [
  ['imageKey', 'isImageKey', 'image name'],
  ['trackKey', 'isTrackKey', 'track key'],
  ['platformKey', 'isPlatformKey', 'platform key'],
  ['reference', 'isPinnedReference', 'pinned reference']
]

/** One entry, valid but for `part`, which is `value`. */
interface Entry {
  image: string
  track: string
  platform: string
  reference: string
}
const BASE: Entry = {
  image: 'docker.io/nextcloud',
  track: '30',
  platform: 'linux/amd64',
  reference: `docker.io/nextcloud:30@sha256:${'c'.repeat(64)}`
}
const PART_FIELD: Record<GrammarPart, keyof Entry> = {
  imageKey: 'image',
  trackKey: 'track',
  platformKey: 'platform',
  reference: 'reference'
}
const entryWith = (part: GrammarPart, value: string): Entry => ({
  ...BASE,
  [PART_FIELD[part]]: value
})
/** Written by hand, so a key such as `__proto__` is only ever a key. */
const documentOf = (e: Entry): string =>
  `{${JSON.stringify(e.image)}:{${JSON.stringify(e.track)}:{${JSON.stringify(e.platform)}:${JSON.stringify(e.reference)}}}}`
/** The JSON path down to what the readers refuse: the part's own level. */
const refusedAt = (part: GrammarPart, e: Entry): string =>
  jsonPath(
    [e.image, e.track, e.platform].slice(
      0,
      part === 'reference' ? 3 : PARTS.findIndex(([p]) => p === part) + 1
    )
  )

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

  test.each(PARTS)('%s: the shared grammar accepts exactly the valid values', (part) => {
    expect(cases[part].valid.filter((value) => !matchesGrammar(part, value))).toEqual([])
    expect(cases[part].invalid.filter((value) => matchesGrammar(part, value))).toEqual([])
  })

  test.each(PARTS)(
    "%s: the updater's reader takes the valid entries and refuses the others, naming path and rule",
    (part, _, rule) => {
      for (const value of cases[part].valid) {
        const entry = entryWith(part, value)
        const read = parseDigests(documentOf(entry), 'digests.json')
        expect([value, read[entry.image]?.[entry.track]?.[entry.platform]]).toEqual([
          value,
          entry.reference
        ])
      }
      for (const value of cases[part].invalid) {
        const entry = entryWith(part, value)
        expect(() => parseDigests(documentOf(entry), 'digests.json')).toThrow(
          new RegExp(`^digests\\.json: ${literal(refusedAt(part, entry))}: .* \\(rule: ${rule}\\)$`)
        )
      }
    }
  )

  test.each(PARTS)(
    "%s: check's reader hands out the valid entries and skips the others, naming path and rule",
    (part, _, rule) => {
      for (const value of cases[part].valid) {
        const entry = entryWith(part, value)
        const published = parsePublishedDigests(documentOf(entry), 'digests.json')
        const found = findTrack(published, entry.image, entry.track)
        expect([value, found.ok && found.references.get(entry.platform)]).toEqual([
          value,
          entry.reference
        ])
        expect([value, [...published.refused.values()]]).toEqual([value, []])
      }
      for (const value of cases[part].invalid) {
        const entry = entryWith(part, value)
        const published = parsePublishedDigests(documentOf(entry), 'digests.json')
        const found = findTrack(published, entry.image, entry.track)
        const refusal = [...published.refused.values()]
        expect([value, refusal.length]).toEqual([value, 1])
        expect(refusal[0]).toMatch(
          new RegExp(`^digests\\.json: ${literal(refusedAt(part, entry))}: .* \\(rule: ${rule}\\)$`)
        )
        // What a lookup gets: the refusal, or a track with nothing left on the platform.
        const handedOut = found.ok ? found.references.get(entry.platform) : undefined
        expect([value, handedOut]).toEqual([value, undefined])
      }
    }
  )

  test("the flake's lookup hands out exactly the valid entries, part by part", async () => {
    const table = nixString(JSON.stringify(cases))
    const base = nixString(JSON.stringify(BASE))
    // Each value in its place in a digests.json of one entry, looked up as a host would.
    const expr = `l: let
      t = builtins.fromJSON ${table};
      base = builtins.fromJSON ${base};
      one = n: v: builtins.listToAttrs [ { name = n; value = v; } ];
      lookup = e: builtins.tryEval ((l.withHashes (one e.image (one e.track (one e.platform e.reference)))).image {
        inherit (e) image track platform;
      });
      handsOut = field: v: let r = lookup (base // { \${field} = v; }); in r.success && r.value == (base // { \${field} = v; }).reference;
    in {
      ${PARTS.map(
        ([part]) => `${part} = {
          valid = builtins.filter (v: !(handsOut "${PART_FIELD[part]}" v)) t.${part}.valid;
          invalid = builtins.filter (handsOut "${PART_FIELD[part]}") t.${part}.invalid;
        };`
      ).join('\n')}
    }`
    const wrong = await sandbox.nixJson<Cases>(flake, '.#lib', '--apply', expr)
    for (const [part] of PARTS)
      expect([part, wrong[part]]).toEqual([part, { valid: [], invalid: [] }])
  })

  test("the flake's predicates agree, part by part", async () => {
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

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

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

describe('check reads a malformed digests.json as the flake does', () => {
  const hex = 'c'.repeat(64)
  const GOOD = `docker.io/nextcloud:30.0.4@sha256:${hex}`
  const digests = {
    'docker.io/nextcloud': { '30': { 'linux/amd64': GOOD } },
    broken: { '1': { 'linux/amd64': 'broken:1@sha512:abc' } },
    'Bad/Key': { '1': { 'linux/amd64': GOOD } },
    split: {
      '2': { 'linux/amd64': `split:2@sha256:${hex}`, 'linux/ARM64': `split:2@sha256:${hex}` }
    }
  }
  const HOST = [
    '{ ... }: {',
    '  services.nix-oci-hashes.containers = {',
    '    good.imageTrack = { image = "nextcloud"; track = "30"; };',
    '    broken.imageTrack = { image = "broken"; track = "1"; };',
    '    bad.imageTrack = { image = "Bad/Key"; track = "1"; };',
    '    split.imageTrack = { image = "split"; track = "2"; };',
    '  };',
    '}',
    ''
  ].join('\n')

  test('the entries the flake refuses are skipped and named; a lookup of one is a finding', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-grammar-'))
    writeFileSync(join(folder, 'digests.json'), JSON.stringify(digests))
    writeFileSync(join(folder, 'host.nix'), HOST)
    const run = await runCli(
      ['check', '--offline', '--format', 'json', '--digests', 'digests.json'],
      { cwd: folder }
    )
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as {
      findings: Array<{ rule: string; severity: string; line: number; message: string }>
      summary: { unverifiedTracks: number }
    }
    const refused = {
      broken:
        'digests.json: $["broken"]["1"]["linux/amd64"]: "broken:1@sha512:abc" is not name:tag@sha256:<64 hex digits> or name:tag@sha512:<128 hex digits> (rule: pinned reference)',
      bad: 'digests.json: $["Bad/Key"]: "Bad/Key" is not an image name as Docker reads it, of at most 255 characters (rule: image name)',
      split:
        'digests.json: $["split"]["2"]["linux/ARM64"]: "linux/ARM64" is not os/arch or os/arch/variant in lowercase (rule: platform key)'
    }
    expect(report.findings.map((f) => [f.line, f.rule, f.severity, f.message])).toEqual([
      [
        4,
        'refused-entry',
        'error',
        `${refused.broken}: the flake refuses this track on every platform`
      ],
      [5, 'refused-entry', 'error', refused.bad],
      [
        6,
        'refused-entry',
        'warning',
        `${refused.split}: the flake refuses this track on a host of that platform`
      ]
    ])
    expect(report.summary.unverifiedTracks).toBe(0)
    for (const message of Object.values(refused))
      expect(run.stderr).toContain(
        `nix-oci-hashes: warning: ${message}; skipped: the flake refuses this entry`
      )

    // The flake refuses the same three entries, and hands out the others.
    const copy = await sandbox.flakeCopy('check-reads', JSON.stringify(digests))
    const check = await sandbox.nix(copy, 'flake', 'check')
    expect(check.stderr).toContain(
      'Bad/Key 1 linux/amd64; broken 1 linux/amd64; split 2 linux/ARM64'
    )
    expect(
      await sandbox.nixJson(
        copy,
        '.#lib',
        '--apply',
        'l: [ (l.image { image = "nextcloud"; track = "30"; platform = "linux/amd64"; }) (l.image { image = "split"; track = "2"; platform = "linux/amd64"; }) ]'
      )
    ).toEqual([GOOD, `split:2@sha256:${hex}`])
  }, 120_000)

  test('a forged file of thousands of refused entries: a bounded list of warnings, the rest counted', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-grammar-'))
    const forged = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`Bad${i}`, { '1': { 'linux/amd64': 'x' } }])
    )
    writeFileSync(join(folder, 'digests.json'), JSON.stringify(forged))
    writeFileSync(join(folder, 'host.nix'), HOST)
    const run = await runCli(['check', '--offline', '--digests', 'digests.json'], {
      cwd: folder
    })
    const warnings = run.stderr.split('\n').filter((line) => line.includes(': warning: '))
    expect(warnings).toHaveLength(21)
    expect(warnings[0]).toBe(
      'nix-oci-hashes: warning: digests.json: $["Bad0"]: "Bad0" is not an image name as Docker reads it, of at most 255 characters (rule: image name); skipped: the flake refuses this entry'
    )
    expect(warnings[20]).toBe('nix-oci-hashes: warning: digests.json: 4980 more entries refused')
  }, 60_000)
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

// pin and check with published data at hand: a digests.json (and the state file beside it) pins
// exactly what the registry would, with no request; what pin cannot rewrite gets the exact text.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { runCli } from './harness/cli.js'
import { nixSandbox } from './harness/nix.js'
import { fixtureTree, seededRegistrySuite } from './harness/reference-fixtures.js'

// Any request sent while pinning offline would fail here.
const NOWHERE = [
  '--mirror',
  'docker.io=http://127.0.0.1:1',
  '--mirror',
  'ghcr.io=http://127.0.0.1:1'
]

const parseYaml = (text: string): unknown[] =>
  parseAllDocuments(text).map((document) => document.toJS() as unknown)

function snapshot(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.set(relative(root, path), readFileSync(path))
    }
  }
  walk(root)
  return files
}

/** digests.json and digests.state.json as the updater writes them, from what was seeded. */
function published(digests: Record<string, string>, folder: string): string {
  const images: Record<string, Record<string, Record<string, string>>> = {}
  const state: Record<string, Record<string, Record<string, string>>> = {}
  const add = (image: string, written: string, tag: string, tracks: string[]) => {
    const platforms: Record<string, string> = {}
    for (const platform of ['linux/amd64', 'linux/arm64'])
      platforms[platform] = `${written}:${tag}@${digests[`${written}:${tag} ${platform}`]}`
    images[image] ??= {}
    for (const track of tracks) images[image][track] = platforms
    state[image] ??= {}
    state[image][digests[`${written}:${tag}`]!] = Object.fromEntries(
      Object.entries(platforms).map(([p, ref]) => [p, ref.split('@')[1]!])
    )
  }
  add('docker.io/library/nginx', 'nginx', '1.27.3', ['1', '1.27', '1.27.3'])
  add('docker.io/library/redis', 'redis', '7.4.1', ['7', '7.4', '7.4.1'])
  add('docker.io/library/busybox', 'busybox', '1.36.1', ['1.36.1'])
  const path = join(folder, 'digests.json')
  writeFileSync(path, JSON.stringify(images, null, 2))
  writeFileSync(join(folder, 'digests.state.json'), JSON.stringify({ version: 1, images: state }))
  return path
}

describe('pin and check from published digests', () => {
  const suite = seededRegistrySuite()

  test('pin --digests writes byte for byte what pin against the registry writes, asking nothing', async () => {
    const digests = suite.digests()
    const online = fixtureTree('repo', digests)
    const offline = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-offline-'))
    cpSync(online, offline, { recursive: true })
    const data = published(digests, mkdtempSync(join(tmpdir(), 'nix-oci-hashes-data-')))
    const before = snapshot(offline)

    expect((await suite.cli(online, 'pin')).code).toBe(0)
    const run = await runCli(['pin', ...NOWHERE, '--digests', data], { cwd: offline })
    expect([run.code, run.stderr]).toEqual([
      0,
      expect.stringContaining('pinned 4 references in 4 files')
    ])
    expect(run.stderr).not.toContain('requests to')
    const after = snapshot(offline)
    expect(after).toEqual(snapshot(online))

    // Round trip: nothing left to pin, YAML means what it meant, Nix still parses.
    const again = await runCli(['pin', ...NOWHERE, '--digests', data], { cwd: offline })
    expect([again.code, again.stdout]).toEqual([0, ''])
    expect(snapshot(offline)).toEqual(after)
    // Same shape, same values, but for a digest appended to a string that was a reference.
    const pinnedFrom = (after: unknown, before: unknown): unknown =>
      typeof after === 'string' && typeof before === 'string'
        ? /^@sha256:[0-9a-f]{64}$/.test(after.slice(before.length)) && after.startsWith(before)
          ? before
          : after
        : Array.isArray(after) && Array.isArray(before)
          ? after.map((v, i) => pinnedFrom(v, before[i]))
          : after && typeof after === 'object' && before && typeof before === 'object'
            ? Object.fromEntries(
                Object.entries(after).map(([k, v]) => [
                  k,
                  pinnedFrom(v, (before as Record<string, unknown>)[k])
                ])
              )
            : after
    for (const [file, bytes] of after) {
      if (bytes.equals(before.get(file)!)) continue
      if (/\.ya?ml$/.test(file))
        expect([
          file,
          pinnedFrom(parseYaml(bytes.toString()), parseYaml(before.get(file)!.toString()))
        ]).toEqual([file, parseYaml(before.get(file)!.toString())])
      if (file.endsWith('.nix'))
        execFileSync('nix-instantiate', ['--parse', join(offline, file)], { stdio: 'pipe' })
    }
  })

  test('what pin cannot rewrite gets the exact reference to write; check carries the digest as suggestion', async () => {
    const digests = suite.digests()
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-hand-'))
    const data = published(digests, repo)
    writeFileSync(
      join(repo, 'host.nix'),
      [
        'let',
        '  tag = "1.27.3";',
        '  image = "redis:7.4.1";',
        'in {',
        '  a.image = "nginx:${tag}";',
        '  b.image = image;',
        '  c.image = "nginx:1.27";',
        '  d.image = "nginx:1.28";',
        '}',
        ''
      ].join('\n')
    )
    const run = await runCli(['pin', ...NOWHERE, '--digests', data], { cwd: repo })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      `host.nix:5: note: nginx:1.27.3: built from tag = "1.27.3" at line 2; pin does not rewrite it (the digest would not follow the value): make it read nginx:1.27.3@${digests['nginx:1.27.3']} there`
    )
    // A tag no published reference carries pins to the track of that name; an absent one is an error.
    expect(run.stdout).toContain(`host.nix:7: nginx:1.27 → nginx:1.27@${digests['nginx:1.27.3']}`)
    expect(run.stderr).toContain('host.nix:8: error: nginx:1.28 is not in')
    // The binding named `image` is one reference, pinned once, where it is written.
    expect(run.stdout).toContain(`host.nix:3: redis:7.4.1 → redis:7.4.1@${digests['redis:7.4.1']}`)
    expect(run.stderr).toContain('pinned 2 references in 1 file')

    // Bound to a name that is itself `image`, built from a binding, used twice: one note.
    writeFileSync(
      join(repo, 'host.nix'),
      'let\n  version = "7.4.1";\n  image = "redis:${version}";\nin {\n  a = { inherit image; };\n  b.image = image;\n}\n'
    )
    const named = await runCli(['pin', ...NOWHERE, '--digests', data], { cwd: repo })
    expect(named.stderr.match(/^host\.nix:\d+: note: .*$/gm)).toEqual([
      `host.nix:3: note: redis:7.4.1: built from version = "7.4.1" at line 2; pin does not rewrite it (the digest would not follow the value): make it read redis:7.4.1@${digests['redis:7.4.1']} there`
    ])

    writeFileSync(
      join(repo, 'host.nix'),
      'let tag = "1.27.3"; image = "redis:7.4.1"; in { a.image = "nginx:${tag}"; b.image = image; }\n'
    )
    for (const args of [['--digests', data], []]) {
      const check =
        args.length > 0
          ? await runCli(['check', '--offline', '--format', 'json', ...args], { cwd: repo })
          : await suite.cli(repo, 'check', '--format', 'json')
      const findings = (
        JSON.parse(check.stdout) as {
          findings: Array<{ rule: string; line: number; suggestion?: string }>
        }
      ).findings.filter((f) => f.rule === 'unpinned')
      expect([args, findings.map((f) => f.suggestion).sort()]).toEqual([
        args,
        [digests['redis:7.4.1'], digests['nginx:1.27.3']].sort()
      ])
    }
  })

  test('a file naming no platform needs the index digest: without the state file pin says what it has', async () => {
    const digests = suite.digests()
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-nostate-'))
    const data = published(digests, repo)
    rmSync(join(repo, 'digests.state.json'))
    writeFileSync(join(repo, 'a.nix'), '{ a.image = "nginx:1.27.3"; }\n')
    writeFileSync(join(repo, 'Dockerfile'), 'FROM --platform=linux/arm64 nginx:1.27\n')
    const run = await runCli(['pin', ...NOWHERE, '--digests', data], { cwd: repo })
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      `Dockerfile:1: nginx:1.27 → nginx:1.27@${digests['nginx:1.27.3 linux/arm64']}\n`
    )
    expect(run.stderr).toContain(
      `a.nix:1: error: nginx:1.27.3: no platform is named here and ${data} records only per-platform digests (linux/amd64 ${digests['nginx:1.27.3 linux/amd64']}, linux/arm64 ${digests['nginx:1.27.3 linux/arm64']})`
    )
  })

  test('--platform pins the image of one platform where a file names none, offline and online alike', async () => {
    const digests = suite.digests()
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-platform-'))
    const data = published(digests, repo)
    rmSync(join(repo, 'digests.state.json'))
    const files = {
      'a.nix': '{ a.image = "nginx:1.27.3"; }\n',
      // A platform the file names still wins over --platform.
      Dockerfile: 'FROM --platform=linux/arm64 nginx:1.27.3\n'
    }
    const online = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-platform-online-'))
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(join(repo, name), text)
      writeFileSync(join(online, name), text)
    }
    // x86_64 is Docker's other spelling of amd64.
    const run = await runCli(['pin', ...NOWHERE, '--digests', data, '--platform', 'linux/x86_64'], {
      cwd: repo
    })
    expect([run.code, run.stdout]).toEqual([
      0,
      `Dockerfile:1: nginx:1.27.3 → nginx:1.27.3@${digests['nginx:1.27.3 linux/arm64']}\n` +
        `a.nix:1: nginx:1.27.3 → nginx:1.27.3@${digests['nginx:1.27.3 linux/amd64']}\n`
    ])
    const viaRegistry = await suite.cli(online, 'pin', '--platform', 'linux/amd64')
    expect([viaRegistry.code, viaRegistry.stderr]).toEqual([
      0,
      expect.stringContaining('pinned 2 references in 2 files')
    ])
    for (const name of Object.keys(files))
      expect(readFileSync(join(online, name), 'utf8')).toBe(readFileSync(join(repo, name), 'utf8'))

    const bad = await runCli(['pin', ...NOWHERE, '--digests', data, '--platform', 'amd64'], {
      cwd: repo
    })
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining('--platform amd64: not os/arch[/variant], e.g. linux/amd64')
    ])
  })

  test("pin --flake reads the flake's ociHashes through nix eval, and says what nix said when it cannot", async () => {
    const digests = suite.digests()
    const sandbox = await nixSandbox('pin-flake')
    try {
      const data = published(digests, mkdtempSync(join(tmpdir(), 'nix-oci-hashes-data-')))
      const flake = await sandbox.flakeCopy('upstream', readFileSync(data, 'utf8'))
      const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-flake-pin-'))
      writeFileSync(join(repo, 'Dockerfile'), 'FROM --platform=linux/arm64 nginx:1.27.3\n')
      writeFileSync(join(repo, 'a.nix'), '{ a.image = "redis:7.4.1"; }\n')
      const cli = (...args: string[]) =>
        sandbox.run(
          process.execPath,
          [join(process.cwd(), 'dist/cli.js'), 'pin', ...NOWHERE, ...args],
          repo
        )
      const run = await cli('--flake', flake)
      expect(run.stdout).toBe(
        `Dockerfile:1: nginx:1.27.3 → nginx:1.27.3@${digests['nginx:1.27.3 linux/arm64']}\n`
      )
      // The flake exports digests.json only: no index digest for a file that names no platform.
      expect(run.stderr).toContain(
        `a.nix:1: error: redis:7.4.1: no platform is named here and ${flake}#ociHashes records only per-platform digests`
      )
      expect(run.code).toBe(1)
      const bad = await cli('--flake', join(repo, 'no-such-flake'))
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain(
        `nix eval --json ${join(repo, 'no-such-flake')}#ociHashes failed:`
      )
    } finally {
      await sandbox.cleanup()
    }
  }, 180_000)

  test.each([
    ['[]', '$: must be an object'],
    ['{"nginx": ', 'invalid JSON']
  ])(
    'a malformed digests file %s is refused with its JSON path and rule',
    async (text, message) => {
      const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bad-digests-'))
      writeFileSync(join(repo, 'digests.json'), text)
      writeFileSync(join(repo, 'a.nix'), '{ a.image = "nginx:1.27.3"; }\n')
      const run = await runCli(['pin', '--digests', 'digests.json'], { cwd: repo })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(`digests.json: ${message}`)
      expect(readFileSync(join(repo, 'a.nix'), 'utf8')).toBe('{ a.image = "nginx:1.27.3"; }\n')
    }
  )

  test('an entry the flake refuses is skipped, named with its JSON path and rule, and never pinned from', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bad-digests-'))
    writeFileSync(join(repo, 'digests.json'), '{"nginx": {"1.27.3": {"linux/amd64": 5}}}')
    writeFileSync(join(repo, 'a.nix'), '{ a.image = "nginx:1.27.3"; }\n')
    const run = await runCli(['pin', '--digests', 'digests.json'], { cwd: repo })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'nix-oci-hashes: warning: digests.json: $["nginx"]["1.27.3"]["linux/amd64"]: must be a string (rule: image → track → platform → reference); skipped: the flake refuses this entry'
    )
    expect(run.stderr).toContain('a.nix:1: error: nginx:1.27.3 is not in digests.json')
    expect(readFileSync(join(repo, 'a.nix'), 'utf8')).toBe('{ a.image = "nginx:1.27.3"; }\n')
  })
})

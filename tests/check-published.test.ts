// check on our own API's references: looked up in the published digests it is given or finds,
// with the flake's closest names; counted, and said so, when there is nothing to look them up in.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import { nixSandbox } from './harness/nix.js'

const HOST = [
  '{ nix-oci-hashes, ... }: {',
  '  services.nix-oci-hashes.containers = {',
  '    cloud.imageTrack = { image = "nextclod"; track = "30"; };',
  '    db.imageTrack = { image = "postgres"; track = "17"; };',
  '    ok.imageTrack = { image = "docker.io/library/postgres"; track = "16"; };',
  '  };',
  '  x = nix-oci-hashes.lib.image { image = "nextcloud"; track = "31"; system = "x86_64-linux"; };',
  '}',
  ''
].join('\n')

const EXPECTED = (source: string) => [
  `hosts/a.nix:3:35 unknown-image: image "nextclod" is not in ${source}; did you mean "docker.io/nextcloud"? available images: docker.io/library/postgres, docker.io/nextcloud, ghcr.io/home-assistant/home-assistant, registry.example.com:5000/team/app`,
  `hosts/a.nix:4:32 unknown-track: track "17" of image "docker.io/library/postgres" is not in ${source}; did you mean "16"? available tracks: 16, 16.6`,
  `hosts/a.nix:7:43 unknown-track: track "31" of image "docker.io/nextcloud" is not in ${source}; did you mean "30"? available tracks: 29, 30, 30.0, 30.0.4, latest`
]

interface Report {
  findings: Array<{ rule: string; file: string; line: number; column?: number; message: string }>
  summary: { unverifiedTracks: number }
}

async function lookups(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; found: string[]; stderr: string; unverified: number }> {
  const run = await runCli(['check', '--offline', '--format', 'json', ...args], { cwd })
  const report = JSON.parse(run.stdout) as Report
  const found = report.findings.map(
    (f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`
  )
  return { code: run.code, found, stderr: run.stderr, unverified: report.summary.unverifiedTracks }
}

describe('imageTrack and lib.image against published digests', () => {
  function repository(): string {
    const root = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-api-'))
    mkdirSync(join(root, '.git'))
    mkdirSync(join(root, 'hosts'))
    writeFileSync(join(root, 'hosts/a.nix'), HOST)
    return root
  }
  const FIXTURE = join(process.cwd(), 'tests/fixtures/flake/digests.json')

  test('with no published data the references are counted and the summary says so', async () => {
    const root = repository()
    // The `{}` a repository ships before its first update is no published data either.
    writeFileSync(join(root, 'digests.json'), '{}\n')
    const run = await lookups(root)
    expect(run).toEqual({
      code: 0,
      found: [],
      unverified: 4,
      stderr: expect.stringContaining(
        '4 imageTrack or lib.image references not looked up: no published digests found (--digests FILE or --flake REF)'
      ) as string
    })
  })

  test('--digests FILE: what is not published is an error with the closest names', async () => {
    const root = repository()
    const run = await lookups(root, '--digests', FIXTURE)
    expect(run.code).toBe(1)
    expect(run.found).toEqual(EXPECTED(FIXTURE))
    expect(run.stderr).not.toContain('not looked up')
    expect(run.unverified).toBe(0)
    // An ignore comment turns the lookup off for its reference like any other rule.
    writeFileSync(
      join(root, 'hosts/a.nix'),
      HOST.replace('track = "17"; };', 'track = "17"; }; # nix-oci-hashes: ignore[unknown-track]')
    )
    expect((await lookups(root, '--digests', FIXTURE)).found).toEqual(
      EXPECTED(FIXTURE).filter((line) => !line.startsWith('hosts/a.nix:4:'))
    )
  })

  test("--flake REF: the flake's ociHashes through nix eval", async () => {
    const sandbox = await nixSandbox('check-flake')
    try {
      const flake = await sandbox.flakeCopy('upstream', readFileSync(FIXTURE, 'utf8'))
      const root = repository()
      const run = await sandbox.run(
        process.execPath,
        [
          join(process.cwd(), 'dist/cli.js'),
          'check',
          '--offline',
          '--format',
          'json',
          '--flake',
          flake
        ],
        root
      )
      expect(run.code).toBe(1)
      const found = (JSON.parse(run.stdout) as Report).findings.map(
        (f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`
      )
      expect(found).toEqual(EXPECTED(`${flake}#ociHashes`))
    } finally {
      await sandbox.cleanup()
    }
  }, 180_000)

  test.each([
    ['at the repository root', ''],
    ['at the flake root', 'hosts']
  ])('a digests.json %s is found from a subfolder', async (_, where) => {
    const root = repository()
    if (where) writeFileSync(join(root, where, 'flake.nix'), '{ outputs = _: { }; }\n')
    cpSync(FIXTURE, join(root, where, 'digests.json'))
    const run = await lookups(join(root, 'hosts'))
    const source = where ? 'digests.json' : '../digests.json'
    expect(run.found).toEqual(EXPECTED(source).map((line) => line.replace('hosts/a.nix', 'a.nix')))
  })
})

// `check` end to end: the bundled CLI on fixture trees, against the real distribution registry.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import { countByKind, startRegistry, type TestRegistry } from './harness/registry.js'
import {
  findingKeys,
  fixtureTree,
  type JsonReport,
  mirrorArgs,
  seedReferences
} from './harness/reference-fixtures.js'

describe('check', () => {
  let registry: TestRegistry
  let digests: Record<string, string>

  beforeAll(async () => {
    registry = await startRegistry()
    digests = await seedReferences(registry)
  })

  afterAll(async () => {
    await registry?.stop()
  })

  const check = (cwd: string, ...args: string[]) =>
    runCli(['check', ...mirrorArgs(registry), '--retries', '0', ...args], { cwd })
  const json = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport

  test('a NixOS-style repository: exactly its unpinned and drifted references, by file and line', async () => {
    const repo = fixtureTree('repo', digests)
    await registry.resetRequests()
    const run = await check(repo, '--format', 'json')
    expect(run.code).toBe(1)
    const report = json(run.stdout)
    expect(findingKeys(report.findings)).toEqual([
      'Dockerfile:3 error unpinned',
      'configuration.nix:15 error unpinned',
      'configuration.nix:18 info tag-moved',
      'docker-compose.yml:4 error unpinned',
      'k8s/deployment.yaml:10 error unpinned'
    ])
    const moved = report.findings.find((f) => f.rule === 'tag-moved')!
    expect(moved.suggestion).toBe(digests['ghcr.io/acme/worker:1.4.0'])
    expect(moved.message).toContain(digests['ghcr.io/acme/worker:1.4.0'])
    expect(report.summary).toMatchObject({ errors: 4, warnings: 0, notes: 1, files: 5 })
    // Comments, prose, strings, indented strings and a loaded
    // image's local name are not references: 10 references in 5 files.
    expect(report.summary.references).toBe(10)

    // Request economy: one HEAD per distinct tag and per distinct digest, a GET only for an
    // index a platform's digest or a moved tag's platforms are read from.
    const counts = countByKind(await registry.requests())
    expect(counts.tagListPages).toBe(0)
    expect(counts.getBlobs).toBe(0)
    // Tags: nginx:1.27.3, redis:7.4.1, busybox:1.36.1, web:2.0.0, worker:1.4.0, postgres:16.4.
    // Digests: web, worker (old), postgres arm64.
    expect(counts.headManifests).toBe(9)
    // GETs: the nginx and redis indexes (their files name a platform), the worker's and
    // postgres's current indexes (pinned digests that are not the tag's index digest).
    expect(counts.getManifests).toBe(4)
  })

  test('text format: file:line:column, severity and rule, a summary on stderr', async () => {
    const repo = fixtureTree('repo', digests)
    const run = await check(repo)
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'configuration.nix:15:16: error unpinned: nginx:1.27.3 has no digest'
    )
    expect(run.stdout).toContain('configuration.nix:18:')
    expect(run.stdout.trim().split('\n')).toHaveLength(5)
    expect(run.stderr).toContain(
      '10 image references checked in 5 files: 4 errors, 0 warnings, 1 note'
    )
  })

  test('github format: one workflow command per finding', async () => {
    const repo = fixtureTree('repo', digests)
    const run = await check(repo, '--format', 'github', 'k8s', 'configuration.nix')
    expect(run.code).toBe(1)
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^::error file=configuration\.nix,line=15,col=16,title=nix-oci-hashes unpinned::nginx:1\.27\.3 has no digest/
      ),
      expect.stringMatching(
        /^::notice file=configuration\.nix,line=18,col=\d+,title=nix-oci-hashes tag-moved::ghcr\.io\/acme\/worker:1\.4\.0 has moved upstream/
      ),
      expect.stringMatching(
        /^::error file=k8s\/deployment\.yaml,line=10,col=18,title=nix-oci-hashes unpinned::busybox:1\.36\.1/
      )
    ])
  })

  test('every rule, each at its file and line; bad files reported without stopping the rest', async () => {
    const tree = fixtureTree('rules', digests)
    writeFileSync(join(tree, 'binary.nix'), Buffer.from([0x7b, 0x00, 0x01, 0x7d]))
    mkdirSync(join(tree, 'elsewhere'))
    symlinkSync(join(tree, 'no-such-target.nix'), join(tree, 'elsewhere', 'gone.nix'))
    const run = await check(tree, '--format', 'json', '.', 'elsewhere/gone.nix')
    expect(run.code).toBe(1)
    const report = json(run.stdout)
    expect(findingKeys(report.findings)).toEqual(
      [
        'Containerfile:1 warning index-digest-for-platform',
        'Containerfile:2 warning inconsistent-references',
        'binary.nix:1 warning binary-file',
        'broken/deployment.yaml:7 error malformed-file',
        'cache.yaml:10 warning inconsistent-references',
        'compose.yaml:3 error platform-mismatch',
        'containers.nix:4 error no-tag',
        'containers.nix:5 error latest-tag',
        'containers.nix:6 warning latest-tag',
        'containers.nix:7 warning digest-without-tag',
        'containers.nix:8 error invalid-reference',
        'containers.nix:9 error tag-not-found',
        'containers.nix:9 error unpinned',
        'containers.nix:10 error digest-not-found',
        'containers.nix:11 info tag-moved',
        'containers.nix:12 error registry-error',
        'containers.nix:12 error unpinned',
        'elsewhere/gone.nix:1 error unreadable-file',
        'pull.nix:5 warning index-digest-for-platform',
        'pull.nix:11 warning digest-without-tag'
      ].sort()
    )
    const by = (file: string, rule: string) =>
      report.findings.find((f) => f.file === file && f.rule === rule)!
    // Fixes are named where they are known.
    expect(by('containers.nix', 'digest-not-found').suggestion).toBe(
      digests['ghcr.io/acme/api:3.1.0']
    )
    expect(by('Containerfile', 'index-digest-for-platform').suggestion).toBe(
      digests['ghcr.io/acme/web:2.0.0 linux/amd64']
    )
    expect(by('pull.nix', 'index-digest-for-platform').suggestion).toBe(
      digests['postgres:16.4 linux/amd64']
    )
    expect(by('compose.yaml', 'platform-mismatch').message).toContain('linux/amd64 image')
    expect(by('compose.yaml', 'platform-mismatch').suggestion).toBe(
      digests['ghcr.io/acme/web:2.0.0 linux/arm64']
    )
    // One finding per image, each version with where it is used.
    expect(by('cache.yaml', 'inconsistent-references').message).toBe(
      'redis is used at 2 versions: 7.2.0 (cache.yaml:10); 7.4.1 (compose.yaml:6); use one version everywhere'
    )
    expect(by('broken/deployment.yaml', 'malformed-file').message).toMatch(/^malformed YAML/)
  })

  test('--offline applies the rules that need no registry, and sends nothing', async () => {
    const tree = fixtureTree('rules', digests)
    await registry.resetRequests()
    const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: tree })
    expect(run.code).toBe(1)
    const rules = new Set(json(run.stdout).findings.map((f) => f.rule))
    expect([...rules].sort()).toEqual([
      'digest-without-tag',
      'inconsistent-references',
      'invalid-reference',
      'latest-tag',
      'malformed-file',
      'no-tag',
      'unpinned'
    ])
    expect(await registry.requests()).toEqual([])
  })

  test('exit status: 0 with only warnings and notes, 2 for a path that does not exist or a bad option', async () => {
    const repo = fixtureTree('repo', digests)
    const clean = await check(repo, 'containers')
    expect(clean.code).toBe(0)
    expect(clean.stdout).toBe('')
    expect(clean.stderr).toContain(
      '1 image reference checked in 1 file: 0 errors, 0 warnings, 0 notes'
    )

    const rules = fixtureTree('rules', digests)
    const warningsOnly = await check(rules, 'Containerfile', 'pull.nix')
    expect(warningsOnly.code).toBe(0)
    expect(warningsOnly.stdout).toContain('warning index-digest-for-platform')

    const missing = await check(repo, 'nope.nix')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nope.nix: no such file or directory')

    const format = await check(repo, '--format', 'xml')
    expect(format.code).toBe(2)
    expect(format.stderr).toContain('--format must be one of text, json, github')

    const help = await runCli(['check', '--help'], { cwd: repo })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: nix-oci-hashes check')
  })
})

// `pin` end to end: the bundled CLI rewrites fixture trees in place, against the real registry.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { runCli } from './harness/cli.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import {
  findingKeys,
  fixtureTree,
  mirrorArgs,
  seedReferences
} from './harness/reference-fixtures.js'

/** Every file's bytes under a folder, by relative path. */
function snapshot(root: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files[relative(root, path)] = readFileSync(path)
    }
  }
  walk(root)
  return files
}

describe('pin', () => {
  let registry: TestRegistry
  let digests: Record<string, string>

  beforeAll(async () => {
    registry = await startRegistry()
    digests = await seedReferences(registry)
  })

  afterAll(async () => {
    await registry?.stop()
  })

  const cli = (cwd: string, command: string, ...args: string[]) =>
    runCli([command, ...mirrorArgs(registry), '--retries', '0', ...args], { cwd })

  test('a new user: check lists the problems, pin fixes the unpinned ones, check then passes', async () => {
    const repo = fixtureTree('repo', digests)
    const before = snapshot(repo)

    const first = await cli(repo, 'check')
    expect(first.code).toBe(1)
    expect(first.stdout.match(/ error unpinned: /g)).toHaveLength(4)

    const pin = await cli(repo, 'pin')
    expect(pin.code).toBe(0)
    const nginxArm = digests['nginx:1.27.3 linux/arm64']
    expect(pin.stdout.trim().split('\n')).toEqual([
      `Dockerfile:3: nginx:1.27.3 → nginx:1.27.3@${nginxArm}`,
      `configuration.nix:15: nginx:1.27.3 → nginx:1.27.3@${digests['nginx:1.27.3']}`,
      `docker-compose.yml:4: redis:7.4.1 → redis:7.4.1@${digests['redis:7.4.1 linux/amd64']}`,
      `k8s/deployment.yaml:10: busybox:1.36.1 → busybox:1.36.1@${digests['busybox:1.36.1']}`
    ])
    expect(pin.stderr).toContain('pinned 4 references in 4 files')

    // Only the references' bytes changed: the old file with `@digest` inserted after each.
    const after = snapshot(repo)
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
    const inserted: Record<string, Array<[string, string]>> = {
      Dockerfile: [['nginx:1.27.3 AS', `nginx:1.27.3@${nginxArm} AS`]],
      'configuration.nix': [['"nginx:1.27.3"', `"nginx:1.27.3@${digests['nginx:1.27.3']}"`]],
      'docker-compose.yml': [
        ['"redis:7.4.1"', `"redis:7.4.1@${digests['redis:7.4.1 linux/amd64']}"`]
      ],
      'k8s/deployment.yaml': [['busybox:1.36.1 #', `busybox:1.36.1@${digests['busybox:1.36.1']} #`]]
    }
    for (const [file, bytes] of Object.entries(before)) {
      let expected = bytes.toString('latin1')
      for (const [from, to] of inserted[file] ?? []) expected = expected.replace(from, to)
      expect([file, after[file]!.toString('latin1')]).toEqual([file, expected])
    }

    const second = await cli(repo, 'check', '--format', 'json')
    expect(second.code).toBe(0)
    const report = JSON.parse(second.stdout) as {
      findings: Array<{ file: string; line: number; rule: string; severity: string }>
    }
    // What is left is upstream news, not a problem in the repository.
    expect(findingKeys(report.findings)).toEqual(['configuration.nix:18 info tag-moved'])

    // Running pin again changes nothing.
    const mtimes = Object.keys(after).map((file) => statSync(join(repo, file)).mtimeMs)
    const again = await cli(repo, 'pin')
    expect(again.code).toBe(0)
    expect(again.stdout).toBe('')
    expect(again.stderr).toContain('pinned 0 references in 0 files')
    expect(snapshot(repo)).toEqual(after)
    expect(Object.keys(after).map((file) => statSync(join(repo, file)).mtimeMs)).toEqual(mtimes)
  })

  test('--dry-run prints a unified diff and writes nothing', async () => {
    const repo = fixtureTree('repo', digests)
    const before = snapshot(repo)
    const run = await cli(repo, 'pin', '--dry-run', 'docker-compose.yml', 'configuration.nix')
    expect(run.code).toBe(0)
    expect(snapshot(repo)).toEqual(before)
    expect(run.stdout).toContain(
      '--- a/configuration.nix\n+++ b/configuration.nix\n@@ -12,7 +12,7 @@\n'
    )
    expect(run.stdout).toContain(
      `-      image = "nginx:1.27.3"; # TODO pin\n+      image = "nginx:1.27.3@${digests['nginx:1.27.3']}"; # TODO pin\n`
    )
    expect(run.stdout).toContain(
      '--- a/docker-compose.yml\n+++ b/docker-compose.yml\n@@ -1,7 +1,7 @@\n'
    )
    expect(run.stdout).toContain(' # image: redis:latest would be wrong here\n services:\n')
    expect(run.stderr).toContain('would pin 2 references in 2 files')
  })

  test('bytes outside the references survive: CRLF, non-UTF-8 comments, quoting, no final newline', async () => {
    const repo = fixtureTree('repo', digests)
    const nix = Buffer.concat([
      Buffer.from(
        '# caf\xe9 \xff comment\r\n{\r\n  a.image = "nginx:1.27.3";\r\n  b.image = "redis:7.4.1"; }',
        'latin1'
      )
    ])
    const yaml = Buffer.from(
      "services:\r\n  a:\r\n    image: 'busybox:1.36.1'   # caf\xc3\xa9\r\n    platform: linux/arm64",
      'latin1'
    )
    writeFileSync(join(repo, 'odd.nix'), nix)
    writeFileSync(join(repo, 'odd-compose.yaml'), yaml)
    const run = await cli(repo, 'pin', 'odd.nix', 'odd-compose.yaml')
    expect(run.code).toBe(0)
    expect(readFileSync(join(repo, 'odd.nix'))).toEqual(
      Buffer.from(
        `# caf\xe9 \xff comment\r\n{\r\n  a.image = "nginx:1.27.3@${digests['nginx:1.27.3']}";\r\n  b.image = "redis:7.4.1@${digests['redis:7.4.1']}"; }`,
        'latin1'
      )
    )
    expect(readFileSync(join(repo, 'odd-compose.yaml'))).toEqual(
      Buffer.from(
        `services:\r\n  a:\r\n    image: 'busybox:1.36.1@${digests['busybox:1.36.1 linux/arm64']}'   # caf\xc3\xa9\r\n    platform: linux/arm64`,
        'latin1'
      )
    )
  })

  test('leaves what it cannot pin, says why, and still pins the rest', async () => {
    const repo = fixtureTree('repo', digests)
    writeFileSync(
      join(repo, 'more.nix'),
      [
        '{ pkgs, ... }: {',
        '  a.image = "nginx:latest";',
        '  b.image = "ghcr.io/acme/gone:1.0.0";',
        '  c.image = "busybox:1.36.1";',
        '  d = pkgs.dockerTools.pullImage { imageName = "redis"; finalImageTag = "7.4.1"; };',
        '}',
        ''
      ].join('\n')
    )
    writeFileSync(join(repo, 'bad-compose.yml'), 'services:\n  a:\n    image: [unclosed\n')
    const run = await cli(repo, 'pin', 'more.nix', 'bad-compose.yml')
    expect(run.code).toBe(1)
    expect(run.stdout).toBe(
      `more.nix:4: busybox:1.36.1 → busybox:1.36.1@${digests['busybox:1.36.1']}\n`
    )
    expect(run.stderr).toContain(
      'more.nix:2: note: nginx:latest: not pinned, name a version tag first'
    )
    expect(run.stderr).toContain(
      'more.nix:3: error: ghcr.io/acme/gone:1.0.0 does not exist in the registry'
    )
    expect(run.stderr).toContain('more.nix:5: error: redis:7.4.1: pullImage needs imageDigest')
    expect(run.stderr).toMatch(/bad-compose\.yml:\d+: error: malformed YAML/)
    expect(readFileSync(join(repo, 'more.nix'), 'utf8')).toContain(
      `c.image = "busybox:1.36.1@${digests['busybox:1.36.1']}";`
    )
  })
})

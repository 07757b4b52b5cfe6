// The version sync check through the CLI: a homelab whose containers declare one version in a
// Dockerfile ARG, a versions file and a Nix derivation; `.nix-oci-hashes.yaml` read from any
// subfolder; --changed-since in a real git repository.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import { fixtureTree } from './harness/reference-fixtures.js'

interface Report {
  findings: Array<{ rule: string; severity: string; file: string; line: number; message: string }>
}

const VERSION_RULES = new Set(['version-mismatch', 'version-missing', 'no-build-file'])

async function versionFindings(cwd: string, ...args: string[]): Promise<string[]> {
  const run = await runCli(['check', '--offline', '--format', 'json', ...args], { cwd })
  if (run.code === 2) throw new Error(run.stderr)
  return (JSON.parse(run.stdout) as Report).findings
    .filter((f) => VERSION_RULES.has(f.rule))
    .map((f) => `${f.file}:${f.line} ${f.rule}`)
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`)
  writeFileSync(file, text.replace(from, to))
}

const DOCS = 'containers/docs:1 no-build-file'

describe('version sync', () => {
  test('the homelab as committed: only the folder with no build file', async () => {
    const repo = fixtureTree('homelab', {})
    expect(await versionFindings(repo)).toEqual([DOCS])
  })

  test.each([
    [
      'the Dockerfile ARG',
      'containers/app/Dockerfile',
      'ARG CONTAINER_APP_VERSION=v3.9.1',
      'ARG CONTAINER_APP_VERSION=v3.9.2',
      'containers/app/Dockerfile:2'
    ],
    [
      'the versions file',
      'service-versions.yaml',
      'current-version: v3.9.1',
      'current-version: v3.10.0',
      'service-versions.yaml:3'
    ],
    [
      'the Nix derivation',
      'containers/app/default.nix',
      'version = "3.9.1";',
      'version = "3.9.2";',
      'containers/app/default.nix:5'
    ]
  ])(
    'a disagreement in %s is one finding at its line; fixing it clears it',
    async (_, file, from, to, at) => {
      const repo = fixtureTree('homelab', {})
      edit(join(repo, file), from, to)
      const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
      expect(run.code).toBe(1)
      const findings = (JSON.parse(run.stdout) as Report).findings.filter((f) =>
        VERSION_RULES.has(f.rule)
      )
      expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(
        [`${at} version-mismatch`, DOCS].sort()
      )
      const mismatch = findings.find((f) => f.rule === 'version-mismatch')!
      // Every place is named with its line and value.
      for (const place of [
        'containers/app/Dockerfile:2 ARG CONTAINER_APP_VERSION',
        'service-versions.yaml:3 app.current-version',
        'containers/app/default.nix:5 version'
      ])
        expect(mismatch.message).toContain(place)
      expect(mismatch.message).toMatch(
        /^container apps \(app\): the version is declared differently/
      )
      edit(join(repo, file), to, from)
      expect(await versionFindings(repo)).toEqual([DOCS])
    }
  )

  test('a leading v is ignored, and a YAML number keeps the digits it was written with', async () => {
    const repo = fixtureTree('homelab', {})
    edit(join(repo, 'containers/app/Dockerfile'), '=v3.9.1', '=3.9.1')
    edit(join(repo, 'service-versions.yaml'), 'current-version: v3.9.1', 'current-version: V3.9.1')
    expect(await versionFindings(repo)).toEqual([DOCS])
    // `2.10` unquoted is the float 2.1 to YAML; it must still equal the Dockerfile's "v2.10".
    edit(join(repo, 'service-versions.yaml'), 'current-version: "2.10"', 'current-version: 2.10')
    expect(await versionFindings(repo)).toEqual([DOCS])
    edit(join(repo, 'service-versions.yaml'), 'current-version: 2.10', 'current-version: 2.1')
    expect(await versionFindings(repo)).toEqual([DOCS, 'service-versions.yaml:6 version-mismatch'])
  })

  test('a folder whose name has a dot is one YAML key', async () => {
    const repo = fixtureTree('homelab', {})
    cpSync(join(repo, 'containers/web'), join(repo, 'containers/web.v2'), { recursive: true })
    edit(
      join(repo, 'service-versions.yaml'),
      'web:\n',
      'web.v2:\n  current-version: "2.10"\nweb:\n'
    )
    expect(await versionFindings(repo)).toEqual([DOCS])
    edit(
      join(repo, 'service-versions.yaml'),
      'web.v2:\n  current-version: "2.10"',
      'web.v2:\n  current-version: "2.9"'
    )
    expect(await versionFindings(repo)).toEqual([DOCS, 'service-versions.yaml:6 version-mismatch'])
  })

  test('a missing declaration is reported where it should be', async () => {
    const repo = fixtureTree('homelab', {})
    edit(join(repo, 'containers/app/Dockerfile'), 'ARG CONTAINER_APP_VERSION=v3.9.1\n', '')
    rmSync(join(repo, 'containers/web/default.nix'))
    edit(join(repo, 'service-versions.yaml'), 'web:\n  current-version: "2.10"\n', '')
    const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    const findings = (JSON.parse(run.stdout) as Report).findings.filter((f) =>
      VERSION_RULES.has(f.rule)
    )
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`)).toEqual([
      'containers/app/Dockerfile:1 version-missing: container apps (app): no ARG CONTAINER_APP_VERSION declares the version here',
      DOCS + ': container apps (docs): the folder has no build file (Dockerfile, default.nix)',
      'containers/web/default.nix:1 version-missing: container apps (web): containers/web/default.nix does not exist; it should declare the version (Nix attribute version)',
      'service-versions.yaml:1 version-missing: container apps (web): no YAML path web.current-version declares the version here'
    ])
  })

  test('from a subfolder the repository root settings apply, with paths shown from there', async () => {
    const repo = fixtureTree('homelab', {})
    mkdirSync(join(repo, '.git'))
    edit(join(repo, 'containers/app/default.nix'), '"3.9.1"', '"3.9.2"')
    const cwd = join(repo, 'containers/app')
    // Outside the working directory a path is shown whole, as for every other finding.
    expect(await versionFindings(cwd)).toEqual([
      `${join(repo, 'containers/docs')}:1 no-build-file`,
      'default.nix:5 version-mismatch'
    ])
    // Not above the repository root: a settings file there is not this repository's.
    rmSync(join(repo, '.git'), { recursive: true })
    mkdirSync(join(cwd, '.git'))
    expect(await versionFindings(cwd)).toEqual([])
  })

  test('--changed-since checks only the folders that changed, all of them when the versions file did', async () => {
    const repo = fixtureTree('homelab', {})
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          PATH: process.env.PATH,
          HOME: repo,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.invalid',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.invalid'
        }
      }).toString()
    git('init', '-q', '-b', 'main')
    // Committed already broken: app disagrees. A change elsewhere does not bring it up.
    edit(join(repo, 'containers/app/default.nix'), '"3.9.1"', '"3.9.2"')
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    expect(await versionFindings(repo, '--changed-since', 'main')).toEqual([])
    edit(join(repo, 'containers/web/default.nix'), '"2.10"', '"2.11"')
    expect(await versionFindings(repo, '--changed-since', 'main')).toEqual([
      'containers/web/default.nix:1 version-mismatch'
    ])
    // A new file in a folder counts as a change to that folder.
    writeFileSync(join(repo, 'containers/docs/notes.md'), 'new\n')
    expect(await versionFindings(repo, '--changed-since', 'main')).toEqual([
      DOCS,
      'containers/web/default.nix:1 version-mismatch'
    ])
    git('add', '-A')
    git('commit', '-q', '-m', 'web')
    expect(await versionFindings(repo, '--changed-since', 'HEAD')).toEqual([])
    // The versions file changed: every folder is checked.
    edit(join(repo, 'service-versions.yaml'), '# What', '# Which version')
    expect(await versionFindings(repo, '--changed-since', 'HEAD')).toEqual([
      'containers/app/default.nix:5 version-mismatch',
      DOCS,
      'containers/web/default.nix:1 version-mismatch'
    ])
    expect(await versionFindings(repo)).toEqual([
      'containers/app/default.nix:5 version-mismatch',
      DOCS,
      'containers/web/default.nix:1 version-mismatch'
    ])
    const bad = await runCli(['check', '--offline', '--changed-since', 'no-such-ref'], {
      cwd: repo
    })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('git diff --name-only -z no-such-ref --')
  })

  test.each([
    ['versions: {}', ':1: versions: must be a list of groups'],
    ['versions:\n  - declarations: []', ':2: versions[0].declarations: must be a non-empty list'],
    [
      'versions:\n  - declarations:\n      - file: a/Dockerfile\n        dockerfile-arg: A\n        nix-attribute: b',
      ':3: versions[0].declarations[0]: needs exactly one of dockerfile-arg, yaml-path, nix-attribute'
    ],
    [
      'versions:\n  - declarations:\n      - file: "{folder}/Dockerfile"\n        dockerfile-arg: A',
      ':3: versions[0].declarations[0]: {folder} and {name} need the group to name folders:'
    ],
    [
      'versions:\n  - folders: containers/*\n    declarations:\n      - file: ../outside.yaml\n        yaml-path: a',
      ":4: versions[0].declarations[0].file: must be a path inside the repository (no leading / or '..')"
    ],
    [
      'versions:\n  - folders: containers/*\n    buildfiles: [Dockerfile]\n    declarations: [{ file: a, yaml-path: b }]',
      ':3: versions[0].buildfiles: unknown key (known: name, folders, build-files, declarations)'
    ],
    [
      'rules:\n  inconsistent-references: maybe',
      ':2: rules.inconsistent-references: must be off, or a mapping with ignore: and projects: lists'
    ],
    [
      'rules:\n  inconsistent-references:\n    ignore: "*.nix"',
      ':3: rules.inconsistent-references.ignore: must be a list of globs'
    ],
    [
      'rules:\n  unpinned: off',
      ':2: rules.unpinned: no settings for this rule (known: inconsistent-references)'
    ]
  ])(
    'a bad setting %j is refused with the file, its line, the path and the rule',
    async (yaml, message) => {
      const repo = fixtureTree('homelab', {})
      writeFileSync(join(repo, '.nix-oci-hashes.yaml'), yaml + '\n')
      const run = await runCli(['check', '--offline'], { cwd: repo })
      expect([run.code, run.stderr]).toEqual([
        2,
        expect.stringContaining(`${join(repo, '.nix-oci-hashes.yaml')}${message}`)
      ])
    }
  )
})

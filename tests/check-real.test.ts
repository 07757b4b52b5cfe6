// `check` and `pin` on a repository in the shapes people write: let-bound Nix versions, a
// kustomize base and overlay, a Helm chart, compose with .env, ARG and multi-stage Dockerfiles,
// ignore comments and a vendored tree. Offline check first, then pin against the real registry.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import { findingKeys, fixtureTree, seededRegistrySuite } from './harness/reference-fixtures.js'

interface Report {
  findings: Array<{ rule: string; severity: string; file: string; line: number; message: string }>
  summary: Record<string, number>
  skipped: Array<{ file: string; line: number; reason: string; reference?: string }>
}

const OFFLINE_FINDINGS = [
  'chart/values.yaml:2 error latest-tag',
  'compose/docker-compose.yml:3 error unpinned',
  'compose/docker-compose.yml:5 error unpinned',
  'compose/docker-compose.yml:7 error unpinned',
  'containers/api.nix:6 error latest-tag',
  'containers/db.nix:5 error unpinned',
  'containers/web.nix:9 error unpinned',
  'docker/Dockerfile.build:1 error unpinned',
  'docker/Dockerfile:3 error unpinned',
  'docker/Dockerfile:5 error unpinned',
  'k8s/overlays/prod/kustomization.yaml:6 error unpinned'
]

describe('check and pin on real repository shapes', () => {
  const suite = seededRegistrySuite()
  const cli = suite.cli

  test('check --offline --exclude vendor/**: resolved references at their lines, the rest counted', async () => {
    const digests = suite.digests()
    const repo = fixtureTree('real', digests)
    const run = await runCli(
      ['check', '--offline', '--exclude', 'vendor/**', '--format', 'json', '.'],
      { cwd: repo }
    )
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as Report
    expect(findingKeys(report.findings)).toEqual(OFFLINE_FINDINGS)
    const message = (file: string, line: number) =>
      report.findings.find((f) => f.file === file && f.line === line)!.message
    expect(message('containers/web.nix', 9)).toBe(
      'docker.io/library/nginx:1.27.3 has no digest, so it can change under you; run `nix-oci-hashes pin` to add it (owner = "library" at line 5, version = "1.27.3" at line 4)'
    )
    expect(message('containers/api.nix', 6)).toContain('(version = "latest" at line 3)')
    expect(message('containers/db.nix', 5)).toContain('postgres:16.4 has no digest')
    expect(message('compose/docker-compose.yml', 3)).toContain('ghcr.io/acme/single:1.0.0')
    expect(message('compose/docker-compose.yml', 5)).toContain('(WEB_IMAGE from compose/.env:2)')
    expect(message('compose/docker-compose.yml', 7)).toContain('postgres:16.4')
    expect(message('docker/Dockerfile', 3)).toContain(
      '(NGINX_VERSION from ARG NGINX_VERSION at line 1)'
    )
    expect(message('k8s/overlays/prod/kustomization.yaml', 6)).toBe(
      'ghcr.io/acme/web:2.0.0 has no digest, so it can change under you; run `nix-oci-hashes pin` to add it (set by the kustomize images entry for ghcr.io/acme/web, applied to k8s/base/deployment.yaml:10)'
    )
    // Placeholders, Helm templates, ignored lines, excluded files and the stages of one
    // Dockerfile produce nothing.
    const files = new Set(report.findings.map((f) => f.file))
    for (const quiet of ['k8s/base/deployment.yaml', 'chart/templates/deployment.yaml'])
      expect(files).not.toContain(quiet)
    expect(report.findings.some((f) => f.file.startsWith('vendor/'))).toBe(false)
    expect(report.findings.some((f) => f.rule === 'inconsistent-references')).toBe(false)
    expect(report.summary).toEqual({
      errors: 11,
      warnings: 0,
      notes: 0,
      files: 11,
      references: 14,
      ignored: 2,
      skipped: 4,
      excluded: 1,
      unverifiedTracks: 0
    })
    expect(report.skipped.map((s) => `${s.file}:${s.line} ${s.reference ?? ''}`).sort()).toEqual([
      'chart/templates/deployment.yaml:1 ',
      'compose/docker-compose.yml:9 ${NOT_SET_ANYWHERE}',
      'containers/db.nix:8 ghcr.io/acme/web:${lib.versions.major "2.0.0"}',
      'docker/Dockerfile:4 ${BASE}'
    ])

    const text = await runCli(['check', '--offline', '--exclude', 'vendor/**', '--verbose'], {
      cwd: repo
    })
    expect(text.code).toBe(1)
    expect(text.stderr).toContain('chart/templates/deployment.yaml:1: skipped a Helm template')
    expect(text.stderr).toContain(
      'docker/Dockerfile:4: skipped ${BASE}: ARG BASE at line 2 has no default'
    )
    expect(text.stderr).toContain(
      '14 image references checked in 11 files (2 ignored, 4 skipped, 1 file excluded): 11 errors, 0 warnings, 0 notes'
    )
    const quiet = await runCli(['check', '--offline', '--exclude', 'vendor/**'], { cwd: repo })
    expect(quiet.stderr).not.toContain('skipped ${BASE}')
    expect(quiet.stderr).toContain('0 notes; --verbose lists what was skipped')
    // Without --exclude the vendored manifest is checked like the rest.
    const all = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    expect(findingKeys((JSON.parse(all.stdout) as Report).findings)).toContain(
      'vendor/upstream/deployment.yaml:6 error no-tag'
    )
  })

  test('pin fixes what it can, kustomize digest: fields included; a second pin changes nothing', async () => {
    const digests = suite.digests()
    const repo = fixtureTree('real', digests)
    const pin = await cli(repo, 'pin', '--exclude', 'vendor/**')
    expect(pin.stdout.trim().split('\n').sort()).toEqual(
      [
        `docker/Dockerfile:5: busybox:1.36.1 → busybox:1.36.1@${digests['busybox:1.36.1']}`,
        `docker/Dockerfile.build:1: redis:7.4.1 → redis:7.4.1@${digests['redis:7.4.1']}`,
        `k8s/overlays/prod/kustomization.yaml:6: ghcr.io/acme/web:2.0.0 → ghcr.io/acme/web:2.0.0@${digests['ghcr.io/acme/web:2.0.0']}`
      ].sort()
    )
    // References built from bindings and variables are left to the user, with the place.
    expect(pin.stderr).toContain(
      'containers/web.nix:9: note: docker.io/library/nginx:1.27.3: built from owner = "library" at line 5, version = "1.27.3" at line 4; pin does not rewrite it'
    )
    expect(pin.stderr).toContain(
      'compose/docker-compose.yml:5: note: nginx:1.27.3: built from WEB_IMAGE from compose/.env:2'
    )
    expect(pin.stderr).toContain(
      'docker/Dockerfile:3: note: nginx:1.27.3: built from NGINX_VERSION'
    )
    expect(pin.code).toBe(0)
    // The entry gains a digest: line at its keys' indentation; every other byte stays.
    expect(readFileSync(join(repo, 'k8s/overlays/prod/kustomization.yaml'), 'utf8')).toBe(
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'resources:',
        '  - ../../base',
        'images:',
        '  - name: ghcr.io/acme/web',
        '    newTag: 2.0.0 # the release this overlay runs',
        `    digest: ${digests['ghcr.io/acme/web:2.0.0']}`,
        ''
      ].join('\n')
    )

    const check = await cli(repo, 'check', '--exclude', 'vendor/**', '--format', 'json')
    const report = JSON.parse(check.stdout) as Report
    // Left: what pin leaves to the user (bindings, variables, :latest).
    const pinned = [
      'docker/Dockerfile.build:1',
      'docker/Dockerfile:5',
      'k8s/overlays/prod/kustomization.yaml:6'
    ]
    expect(findingKeys(report.findings)).toEqual(
      OFFLINE_FINDINGS.filter((key) => !pinned.includes(key.split(' ')[0]!))
    )

    const before = readFileSync(join(repo, 'k8s/overlays/prod/kustomization.yaml'))
    const again = await cli(repo, 'pin', '--exclude', 'vendor/**')
    expect(again.stdout).toBe('')
    expect(again.stderr).toContain('pinned 0 references in 0 files')
    expect(readFileSync(join(repo, 'k8s/overlays/prod/kustomization.yaml'))).toEqual(before)
  })

  test('inconsistent-references: one finding per image, flavours and Dockerfile stages excepted', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-consistency-'))
    mkdirSync(join(repo, 'app'))
    writeFileSync(
      join(repo, 'app/Dockerfile'),
      'FROM eclipse-temurin:21.0.5-jdk AS build\nFROM eclipse-temurin:21.0.4-jre\n'
    )
    writeFileSync(
      join(repo, 'compose.yaml'),
      'services:\n  a:\n    image: nginx:1.27.3-alpine\n  b:\n    image: docker.io/library/nginx:1.27.3-slim\n  c:\n    image: redis:7.4.1\n  d:\n    image: redis:7.2.0\n'
    )
    writeFileSync(
      join(repo, 'cache.nix'),
      '{ x.image = "redis:7.2.0"; y.image = "library/redis:7.0"; }\n'
    )
    const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    const found = (JSON.parse(run.stdout) as Report).findings.filter(
      (f) => f.rule === 'inconsistent-references'
    )
    expect(found.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      'cache.nix:1 redis is used at 3 versions: 7.2.0 (cache.nix:1, compose.yaml:9); 7.0 (cache.nix:1); 7.4.1 (compose.yaml:7); use one version everywhere'
    ])
  })

  test('kustomize entries: newName, tags as written, digests, and a file named Kustomization', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-kustomize-'))
    writeFileSync(
      join(repo, 'pod.yaml'),
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - { name: a, image: app }\n    - { name: b, image: "sidecar:placeholder" }\n'
    )
    writeFileSync(
      join(repo, 'Kustomization'),
      [
        'resources: [pod.yaml]',
        'images:',
        '  - name: app',
        '    newName: ghcr.io/acme/app',
        '    newTag: 1.10',
        '  - name: sidecar',
        '    newTag: "2.0"',
        `    digest: sha256:${'a'.repeat(64)}`,
        ''
      ].join('\n')
    )
    const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    const report = JSON.parse(run.stdout) as Report
    expect(
      report.findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message.split(' ')[0]}`)
    ).toEqual(['Kustomization:3 unpinned ghcr.io/acme/app:1.10'])
    expect(report.summary.references).toBe(2)
  })

  test('.nix-oci-hashes.yaml: the repository keeps its exclude list; a bad one is named', async () => {
    const repo = fixtureTree('real', suite.digests())
    writeFileSync(join(repo, '.nix-oci-hashes.yaml'), '# left out\nexclude:\n  - vendor/**\n')
    const run = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    const report = JSON.parse(run.stdout) as Report
    expect(findingKeys(report.findings)).toEqual(OFFLINE_FINDINGS)
    expect(report.summary.excluded).toBe(1)

    writeFileSync(join(repo, '.nix-oci-hashes.yaml'), 'exclude: vendor/**\nrulez: []\n')
    const bad = await runCli(['check', '--offline'], { cwd: repo })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      '.nix-oci-hashes.yaml:2: rulez: unknown setting (known: exclude, rules, versions)'
    )
    writeFileSync(join(repo, '.nix-oci-hashes.yaml'), 'exclude: vendor/**\n')
    const notList = await runCli(['pin', '--dry-run'], { cwd: repo })
    expect(notList.code).toBe(2)
    expect(notList.stderr).toContain('.nix-oci-hashes.yaml:1: exclude: must be a list of globs')
  })
})

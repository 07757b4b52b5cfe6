// `check --offline` on the shapes real repositories use: our own Nix API, Helm values and
// HelmRelease values, chart templates, workflows, operator resources, Ansible variables,
// placeholders, floating tags, Dockerfile ARG chains with docker-bake.hcl. Each fixture's
// findings and skipped entries are asserted exactly, at their lines (and columns).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './harness/cli.js'
import { type JsonReport as Report } from './harness/reference-fixtures.js'

const checkOffline = async (cwd: string, ...args: string[]) => {
  const run = await runCli(['check', '--offline', '--format', 'json', ...args], { cwd })
  return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as Report }
}

/** `file:line[:column] severity rule`, sorted. */
const keys = (report: Report): string[] =>
  report.findings
    .map((f) => `${f.file}:${f.line}${f.column ? `:${f.column}` : ''} ${f.severity} ${f.rule}`)
    .sort()

/** `file:line reference: reason`, sorted. */
const skips = (report: Report): string[] =>
  report.skipped
    .map((s) => `${s.file}:${s.line} ${s.reference ? `${s.reference}: ` : ''}${s.reason}`)
    .sort()

describe('our own Nix API', () => {
  test("the README's imageTrack snippet passes check with no finding", async () => {
    const readme = readFileSync('README.md', 'utf8')
    const snippet = [...readme.matchAll(/```nix\n([\s\S]*?)```/g)]
      .map((match) => match[1]!)
      .find((block) => block.includes('imageTrack'))
    expect(snippet).toContain('track = "30";')
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-readme-'))
    writeFileSync(join(repo, 'configuration.nix'), snippet!)
    const { code, report } = await checkOffline(repo)
    expect(report.findings).toEqual([])
    expect(report.summary).toMatchObject({ references: 1, errors: 0, skipped: 0 })
    expect(code).toBe(0)
  })
})

describe('floating tags', () => {
  test('a tag that names no version is floating-tag, not unpinned; pinned it is a warning', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-floating-'))
    const digest = `sha256:${'a'.repeat(64)}`
    const images = [
      'redis:alpine',
      'debian:stable',
      'node:lts',
      'ghcr.io/org/app:main',
      'ghcr.io/org/web:develop',
      'alpine:edge',
      'rust:nightly',
      'buildpack-deps:sid-slim',
      `caddy:alpine@${digest}`,
      'nginx:1.27-alpine',
      'ghcr.io/org/tool:v2.1',
      'ghcr.io/org/api:sha-3f2a9c1',
      'minio/minio:RELEASE.2024-01-01T00-00-00Z'
    ]
    writeFileSync(
      join(repo, 'compose.yaml'),
      `services:\n${images.map((image, i) => `  s${i}:\n    image: ${image}\n`).join('')}`
    )
    const { report } = await checkOffline(repo)
    expect(keys(report)).toEqual(
      [
        ...[3, 5, 7, 9, 11, 13, 15, 17].map((line) => `compose.yaml:${line}:12 error floating-tag`),
        'compose.yaml:19:12 warning floating-tag',
        ...[21, 23, 25, 27].map((line) => `compose.yaml:${line}:12 error unpinned`)
      ].sort()
    )
    const redis = report.findings.find((f) => f.line === 3)!
    expect(redis.message).toBe(
      'redis:alpine follows whatever is pushed next under "alpine", which names no version; follow a version track (a tag such as 1.2 or 1.2.3) and pin its digest'
    )
    expect(skips(report)).toEqual([])
  })
})

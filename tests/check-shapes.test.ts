// `check --offline` on the shapes real repositories use: our own Nix API, Helm values and
// HelmRelease values, chart templates, workflows, operator resources, Ansible variables,
// placeholders, floating tags, Dockerfile ARG chains with docker-bake.hcl. Each fixture's
// findings and skipped entries are asserted exactly, at their lines (and columns).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bakeVariables } from '../src/check/file-context.js'
import { loadSources } from '../src/check/load-sources.js'
import { runCli } from './harness/cli.js'
import { fixtureTree, type JsonReport as Report } from './harness/reference-fixtures.js'

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
  test("the README's imageTrack snippet, and every Nix snippet in docs/, pass check with no finding", async () => {
    // Before imageTrack and lib.image were recognised these gave 10 no-tag errors.
    const blocks = (file: string) =>
      [...readFileSync(file, 'utf8').matchAll(/^```nix\n([\s\S]*?)^```$/gm)].map((m) => m[1]!)
    const readme = blocks('README.md').find((block) => block.includes('imageTrack'))
    expect(readme).toContain('track = "30";')
    const docs = readdirSync('docs')
      .filter((name) => name.endsWith('.md'))
      .flatMap((name) => blocks(join('docs', name)))
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-readme-'))
    writeFileSync(join(repo, 'readme.nix'), readme!)
    docs.forEach((block, i) => writeFileSync(join(repo, `docs-${i}.nix`), block))
    // Each snippet on its own: they are separate examples, not one configuration.
    for (const file of ['readme.nix', ...docs.map((_, i) => `docs-${i}.nix`)]) {
      const { code, report } = await checkOffline(repo, file)
      expect([file, report.findings]).toEqual([file, []])
      expect(code).toBe(0)
    }
    const single = await checkOffline(repo, 'readme.nix')
    expect(single.report.summary).toMatchObject({ references: 1, errors: 0, skipped: 0 })
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

interface Shape {
  fixture: string
  findings: string[]
  skipped: string[]
  summary: { files: number; references: number }
}

// Each fixture's exact findings (file:line:column severity rule) and skipped entries. Before
// this reading, the same trees gave 0 references in homelab, chart, ci and operators, and 10
// errors (no-tag, invalid-reference, unpinned on placeholders) in placeholders.
const SHAPES: Shape[] = [
  {
    fixture: 'homelab',
    findings: [
      'compose/docker-compose.yml:3:12 error unpinned',
      'compose/docker-compose.yml:6:12 error unpinned',
      'compose/docker-compose.yml:8:12 error floating-tag',
      'kubernetes/apps/media/sonarr/app/helmrelease.yaml:29:27 error unpinned',
      'kubernetes/apps/media/sonarr/app/helmrelease.yaml:34:27 error unpinned',
      'kubernetes/apps/monitoring/prometheusrule.yaml:24:18 error unpinned'
    ],
    skipped: [],
    summary: { files: 4, references: 7 }
  },
  {
    fixture: 'chart',
    findings: [
      'charts/web/values.yaml:4:15 error unpinned',
      'charts/web/values.yaml:10:17 error unpinned',
      'docs/templates/pod.yaml:9:14 error unpinned'
    ],
    skipped: [
      'charts/web/templates/configmap.yaml:1 a Helm template (under charts/web/templates/): rendered before it is YAML',
      'charts/web/templates/deployment.yaml:1 a Helm template (under charts/web/templates/): rendered before it is YAML',
      'charts/web/values.yaml:15 busybox: no tag: the chart chooses it (usually its appVersion)',
      'deploy.yaml:1 a template ({{ outside comments and quoted strings): rendered before it is YAML'
    ],
    summary: { files: 3, references: 3 }
  },
  {
    fixture: 'ci',
    findings: [
      '.github/workflows/test.yml:8:16 error unpinned',
      '.github/workflows/test.yml:22:24 error unpinned',
      '.github/workflows/test.yml:29:14 error unpinned',
      '.github/workflows/test.yml:32:25 error floating-tag'
    ],
    skipped: [
      '.github/workflows/test.yml:15 redis:${{ matrix.redis }}: set by a GitHub Actions expression'
    ],
    summary: { files: 1, references: 5 }
  },
  {
    fixture: 'operators',
    findings: [
      'ansible/group_vars/all.yml:2:22 error latest-tag',
      'ansible/group_vars/all.yml:3:18 error unpinned',
      'ansible/roles/monitoring/tasks/main.yml:9:12 error unpinned',
      'cluster/envoyproxy.yaml:12:18 error unpinned',
      'cluster/postgres.yaml:7:14 error unpinned',
      'cluster/proxyclass.yaml:9:16 warning inconsistent-references',
      'cluster/proxyclass.yaml:11:16 error floating-tag'
    ],
    skipped: [
      'ansible/group_vars/all.yml:5 grafana/grafana:{{ grafana_version }}: built from a template expression',
      'ansible/roles/monitoring/tasks/main.yml:4 {{ node_exporter_image }}: built from a template expression'
    ],
    summary: { files: 5, references: 7 }
  },
  {
    fixture: 'placeholders',
    findings: [
      'kubernetes-manifests/adservice.yaml:12:18 error unpinned',
      'kustomize/overlays/ci/kustomization.yaml:11:11 error unpinned',
      'nix/host.nix:4:59 error unpinned',
      'stack/compose.yaml:6:12 error unpinned'
    ],
    skipped: [
      'kubernetes-manifests/adservice.yaml:10 adservice: an image built in this repository (skaffold.yaml:7)',
      'kustomize/overlays/ci/kustomization.yaml:6 CONTAINER_IMAGES_REGISTRY/frontend:CONTAINER_IMAGES_TAG: a placeholder, not an image name',
      'kustomize/overlays/ci/kustomization.yaml:9 worker: a placeholder entry: only tagSuffix, the build sets the tag',
      'nix/host.nix:3 TODO: a placeholder, not an image name',
      'skaffold.yaml:7 adservice: built by skaffold (build.artifacts)',
      'skaffold.yaml:9 cartservice: built by skaffold (build.artifacts)',
      'stack/compose.yaml:4 ghcr.io/acme/storefront:dev: built from this repository (build: at line 3)',
      'stack/compose.yaml:8 ghcr.io/acme/storefront:dev: an image built in this repository (stack/compose.yaml:4)'
    ],
    summary: { files: 7, references: 4 }
  },
  {
    fixture: 'dockerfiles',
    findings: [
      'apps/api/Dockerfile:6:6 error unpinned',
      'apps/web/Dockerfile:1:10 error unpinned',
      'apps/web/Dockerfile:3:6 error unpinned',
      'apps/web/Dockerfile:5:6 error unpinned'
    ],
    skipped: [
      'apps/api/Dockerfile:7 ${BASE}:12.8-slim: ARG BASE at line 5 defaults to ${BASE_REGISTRY}/debian, and ARG BASE_REGISTRY at line 4 has no default'
    ],
    summary: { files: 2, references: 5 }
  }
]

describe('repository shapes', () => {
  test.each(SHAPES)('$fixture: exact findings and skips', async (shape) => {
    const repo = fixtureTree(`shapes/${shape.fixture}`, {})
    const { report, code } = await checkOffline(repo)
    expect(keys(report)).toEqual([...shape.findings].sort())
    expect(skips(report)).toEqual([...shape.skipped].sort())
    expect(report.summary).toMatchObject({ ...shape.summary, skipped: shape.skipped.length })
    expect(code).toBe(report.summary.errors! > 0 ? 1 : 0)
  })

  test('messages name where a value came from: bake variables, ARG chains, kustomize entries', async () => {
    const message = async (fixture: string, file: string, line: number) => {
      const { report } = await checkOffline(fixtureTree(`shapes/${fixture}`, {}))
      return report.findings.find((f) => f.file === file && f.line === line)!.message
    }
    expect(await message('dockerfiles', 'apps/web/Dockerfile', 3)).toBe(
      'node:22.12.0-alpine has no digest, so it can change under you; run `nix-oci-hashes pin` to add it (NODE_VERSION from ARG NODE_VERSION at line 2, variable NODE_VERSION in docker-bake.hcl:2)'
    )
    expect(await message('dockerfiles', 'apps/api/Dockerfile', 6)).toContain(
      'ghcr.io/acme/gateway:v3.9.1 has no digest'
    )
    expect(await message('homelab', 'kubernetes/apps/media/sonarr/app/helmrelease.yaml', 29)).toBe(
      'ghcr.io/onedr0p/exportarr:v2.0.1 has no digest, so it can change under you; run `nix-oci-hashes pin` to add it'
    )
  })

  test('--verbose lists each skipped file and reference with its reason', async () => {
    const repo = fixtureTree('shapes/chart', {})
    const run = await runCli(['check', '--offline', '--verbose'], { cwd: repo })
    expect(run.stderr.split('\n').filter((line) => line.includes(': skipped '))).toEqual([
      'charts/web/templates/configmap.yaml:1: skipped a Helm template (under charts/web/templates/): rendered before it is YAML',
      'charts/web/templates/deployment.yaml:1: skipped a Helm template (under charts/web/templates/): rendered before it is YAML',
      'deploy.yaml:1: skipped a template ({{ outside comments and quoted strings): rendered before it is YAML',
      'charts/web/values.yaml:15: skipped busybox: no tag: the chart chooses it (usually its appVersion)'
    ])
    expect(run.stderr).toContain('3 image references checked in 3 files (4 skipped)')
  })
})

describe('what pin needs for Helm values', () => {
  test('an empty digest: field, a new digest: line where the chart reads one, else the tag', async () => {
    const repo = fixtureTree('shapes/chart', {})
    const homelab = fixtureTree('shapes/homelab', {})
    const loaded = [
      ...(await loadSources(['.'], repo)).files,
      ...(await loadSources(['.'], homelab)).files
    ]
    const edits = loaded.flatMap(({ file, text, references }) =>
      references
        .filter((ref) => ref.valuesDigest)
        .map((ref) => {
          const { start, end, prefix, field } = ref.valuesDigest!
          const after = text.slice(0, start) + prefix + 'sha256:x' + text.slice(end)
          const changed = after.split('\n').filter((line) => line.includes('sha256:x'))
          return `${file.display}:${ref.line} ${field} ${JSON.stringify(changed)}`
        })
    )
    expect(edits.sort()).toEqual(
      [
        // The chart's own values: its digest field is empty.
        'charts/web/values.yaml:4 digest ["  digest: \\"sha256:x\\""]',
        // The same chart's templates read image.digest: the exporter gets the field too.
        'charts/web/values.yaml:10 digest ["    digest: sha256:x"]',
        // app-template reads image.digest.
        'kubernetes/apps/media/sonarr/app/helmrelease.yaml:29 digest ["              digest: sha256:x"]',
        'kubernetes/apps/media/sonarr/app/helmrelease.yaml:34 digest ["              digest: sha256:x"]'
      ].sort()
    )
  })

  test('a chart that reads no digest field: pin appends the digest to the tag', async () => {
    const repo = fixtureTree('shapes/chart', {})
    writeFileSync(
      join(repo, 'charts/web/templates/deployment.yaml'),
      'image: {{ .Values.image.tag }}\n'
    )
    const { files } = await loadSources(['charts/web/values.yaml'], repo)
    const exporter = files[0]!.references.find((ref) => ref.line === 10)!
    expect(exporter.valuesDigest).toMatchObject({ field: 'tag', prefix: '@' })
    const text = files[0]!.text
    expect(text.slice(exporter.valuesDigest!.start - 5, exporter.valuesDigest!.end)).toBe('1.4.0')
  })
})

describe('docker-bake.hcl', () => {
  test('variable defaults with their lines; other blocks and expressions are not defaults', () => {
    const text = [
      'variable "A" {',
      '  default = "1.2.3"',
      '}',
      'variable "B" { default = "${A}-x" }',
      'variable "C" {}',
      'target "t" { args = { default = "no" } }',
      'variable "D" {',
      '  description = "the default = \\"no\\""',
      '  default = "4"',
      '}'
    ].join('\n')
    expect([...bakeVariables(text)]).toEqual([
      ['A', { value: '1.2.3', line: 2 }],
      ['D', { value: '4', line: 9 }]
    ])
    // A huge block of blank lines is read in one pass, not once per line.
    const blank = `variable "E" {${'\n'.repeat(200_000)}x }`
    expect(bakeVariables(blank).size).toBe(0)
  })
})

describe('hostile YAML', () => {
  test('nesting deeper than the parser goes is skipped with the reason; the other files are checked', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-deep-'))
    writeFileSync(join(repo, 'deep.yaml'), `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`)
    writeFileSync(join(repo, 'ok.yaml'), 'image: nginx:1.27.3\n')
    const { report } = await checkOffline(repo)
    expect(keys(report)).toEqual(['ok.yaml:1:8 error unpinned'])
    expect(report.skipped).toEqual([
      { file: 'deep.yaml', line: 1, reason: expect.stringMatching(/: not read$/) as string }
    ])
  })
})

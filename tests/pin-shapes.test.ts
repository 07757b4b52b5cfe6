// pin on the shapes the scanner reads beyond plain references: Helm values (a chart's values.yaml,
// a Flux HelmRelease with app-template values) get their digest where the chart reads it, and a
// floating tag is left alone with the floating-tag rule's advice.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { seededRegistrySuite } from './harness/reference-fixtures.js'

const FILES: Record<string, string> = {
  // A chart whose templates read image.digest: the empty field is filled, a missing one added.
  'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'chart/templates/deployment.yaml':
    'spec:\n  image: "{{ .Values.image.repository }}@{{ .Values.image.digest }}"\n',
  'chart/values.yaml':
    'image:\n  registry: docker.io\n  repository: library/nginx\n  tag: 1.27.3\n  digest: ""\n  pullPolicy: IfNotPresent\nsidecar:\n  image:\n    repository: redis\n    tag: "7.4.1"\n  port: 6379\n',
  // A chart that reads only repository:tag: the digest goes after the tag.
  'plain/Chart.yaml': 'apiVersion: v2\nname: plain\nversion: 0.1.0\n',
  'plain/templates/pod.yaml':
    'spec:\n  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n',
  'plain/values.yaml': 'image:\n  repository: busybox\n  tag: 1.36.1 # pinned by pin\n',
  // bjw-s app-template reads image.digest.
  'flux/helmrelease.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chart:\n    spec:\n      chart: app-template\n  values:\n    controllers:\n      web:\n        containers:\n          app:\n            image:\n              repository: ghcr.io/acme/web\n              tag: 2.0.0\n            env:\n              TZ: UTC\n',
  'compose.yaml': 'services:\n  cache:\n    image: redis:alpine\n'
}

describe('pin on Helm values and floating tags', () => {
  const suite = seededRegistrySuite()

  test('each digest lands where the chart reads it; a second pin changes nothing', async () => {
    const d = suite.digests()
    const root = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-pin-shapes-'))
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, file)), { recursive: true })
      writeFileSync(join(root, file), text)
    }
    const run = await suite.cli(root, 'pin')
    expect(run.code).toBe(0)
    expect(run.stderr).toContain(
      'compose.yaml:3: note: redis:alpine: not pinned, redis:alpine follows whatever is pushed next under "alpine", which names no version; follow a version track'
    )
    expect(run.stderr).toContain('pinned 4 references in 3 files')
    const read = (file: string) => readFileSync(join(root, file), 'utf8')
    expect(read('chart/values.yaml')).toBe(
      `image:\n  registry: docker.io\n  repository: library/nginx\n  tag: 1.27.3\n  digest: "${d['nginx:1.27.3']}"\n  pullPolicy: IfNotPresent\nsidecar:\n  image:\n    repository: redis\n    tag: "7.4.1"\n    digest: ${d['redis:7.4.1']}\n  port: 6379\n`
    )
    expect(read('plain/values.yaml')).toBe(
      `image:\n  repository: busybox\n  tag: 1.36.1@${d['busybox:1.36.1']} # pinned by pin\n`
    )
    expect(read('flux/helmrelease.yaml')).toBe(
      FILES['flux/helmrelease.yaml']!.replace(
        '              tag: 2.0.0\n',
        `              tag: 2.0.0\n              digest: ${d['ghcr.io/acme/web:2.0.0']}\n`
      )
    )
    expect(read('compose.yaml')).toBe(FILES['compose.yaml'])
    for (const file of Object.keys(FILES).filter((f) => !f.includes('templates/')))
      expect(parseAllDocuments(read(file)).flatMap((doc) => doc.errors)).toEqual([])

    const after = Object.keys(FILES).map(read)
    const again = await suite.cli(root, 'pin')
    expect([again.code, again.stdout]).toEqual([0, ''])
    expect(Object.keys(FILES).map(read)).toEqual(after)
    const check = await suite.cli(root, 'check', '--format', 'json')
    const rules = (
      JSON.parse(check.stdout) as { findings: Array<{ rule: string; file: string }> }
    ).findings.map((f) => `${f.file} ${f.rule}`)
    // redis:alpine is not in the test registry; the chart is a project of its own.
    expect(rules).toEqual(['compose.yaml floating-tag', 'compose.yaml tag-not-found'])
  })
})

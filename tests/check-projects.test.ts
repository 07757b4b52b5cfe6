// inconsistent-references within one project, and the settings that scope it; the lookup of
// our own API's images and tracks in published data.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runCli } from './harness/cli.js'
import {
  canonicalImage,
  findTrack,
  parsePublishedDigests,
  suggest
} from '../src/check/published-digests.js'
import { publishedFindings } from '../src/check/rules/published.js'

interface Report {
  findings: Array<{ rule: string; file: string; line: number; message: string }>
}

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-projects-'))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
  }
  return root
}

async function inconsistent(cwd: string): Promise<string[]> {
  const run = await runCli(['check', '--offline', '--format', 'json'], { cwd })
  return (JSON.parse(run.stdout) as Report).findings
    .filter((f) => f.rule === 'inconsistent-references')
    .map((f) => `${f.file}:${f.line} ${f.message}`)
}

const compose = (image: string) => `services:\n  app:\n    image: ${image}\n`

describe('inconsistent-references compares within one project', () => {
  test('independent compose stacks are not compared; one stack still is', async () => {
    const root = tree({
      'stacks/media/docker-compose.yml': compose('redis:7.4.1'),
      'stacks/media/extra-compose.yml': compose('redis:7.2.0'),
      'stacks/cloud/compose.yaml': compose('redis:7.0.0'),
      'stacks/chat/compose.yaml': compose('redis:6.2.0')
    })
    expect(await inconsistent(root)).toEqual([
      'stacks/media/docker-compose.yml:3 redis is used at 2 versions: 7.4.1 (stacks/media/docker-compose.yml:3); 7.2.0 (stacks/media/extra-compose.yml:3); use one version everywhere'
    ])
  })

  test('component-named tags of one repository are different components, not versions', async () => {
    const root = tree({
      'compose.yaml':
        'services:\n  a:\n    image: ghcr.io/acme/suite:frontend-v1.0.0beta-5\n  b:\n    image: ghcr.io/acme/suite:api-v1.0.0beta-5\n  c:\n    image: ghcr.io/acme/suite:api-v1.0.0beta-4\n'
    })
    expect(await inconsistent(root)).toEqual([
      'compose.yaml:5 ghcr.io/acme/suite is used at 2 versions: api-v1.0.0beta-5 (compose.yaml:5); api-v1.0.0beta-4 (compose.yaml:7); use one version everywhere'
    ])
  })

  test('a long list is cut: five versions of three places each, and counts of the rest', async () => {
    const services = Array.from(
      { length: 40 },
      (_, i) => `  s${i}:\n    image: redis:7.${i % 8}.0\n`
    ).join('')
    const root = tree({ 'compose.yaml': `services:\n${services}` })
    const [line] = await inconsistent(root)
    expect(line).toMatch(
      /redis is used at 8 versions: 7\.0\.0 \(compose\.yaml:3, compose\.yaml:19, compose\.yaml:35 and 2 more\); /
    )
    expect(line).toContain('; and 3 more versions; use one version everywhere')
    expect(line!.length).toBeLessThan(600)
  })

  const APP =
    'app/compose.yaml:3 redis is used at 2 versions: 7.4.1 (app/compose.yaml:3); 7.2.0 (app/module.nix:1); use one version everywhere'
  const HOSTS =
    'hosts/a/x.nix:1 redis is used at 2 versions: 6.2.0 (hosts/a/x.nix:1); 7.0.0 (hosts/b/y.nix:1); use one version everywhere'
  test.each([
    ['absent', '', [APP, HOSTS]],
    ['off', 'rules:\n  inconsistent-references: off\n', []],
    ['ignored per glob', 'rules:\n  inconsistent-references:\n    ignore: ["hosts/**"]\n', [APP]],
    [
      'scoped to configured projects',
      'rules:\n  inconsistent-references:\n    projects: ["hosts/*"]\n',
      [APP]
    ],
    [
      'found from a subfolder at the repository root',
      'rules:\n  inconsistent-references: off\n',
      [],
      'app'
    ]
  ])('the rule with settings %s', async (_, settings, expected, subfolder = '') => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.nix-oci-hashes.yaml': settings,
      'app/compose.yaml': compose('redis:7.4.1'),
      'app/module.nix': '{ x.image = "redis:7.2.0"; }\n',
      'hosts/a/x.nix': '{ a.image = "redis:6.2.0"; }\n',
      'hosts/b/y.nix': '{ b.image = "redis:7.0.0"; }\n'
    })
    expect(await inconsistent(join(root, subfolder))).toEqual(expected)
  })

  test.each([
    ['app/vendor/**', 1],
    ['**/vendor/**', 1],
    ['*/vendor/**', 1],
    ['other/vendor/**', 0],
    ['app', 0]
  ])(
    'an exclude glob %s written from the root applies in a subfolder (%d excluded)',
    async (glob, count) => {
      const root = tree({
        '.git/HEAD': 'ref: refs/heads/main\n',
        '.nix-oci-hashes.yaml': `exclude: ["${glob}"]\n`,
        'app/vendor/lib.nix': '{ x.image = "redis"; }\n',
        'app/main.nix': '{ x.image = "redis:7.4.1"; }\n'
      })
      const run = await runCli(['check', '--offline', '--format', 'json'], {
        cwd: join(root, 'app')
      })
      const report = JSON.parse(run.stdout) as Report & { summary: { excluded: number } }
      expect([
        report.summary.excluded,
        report.findings.some((f) => f.file === 'vendor/lib.nix')
      ]).toEqual([count, count === 0])
    }
  )

  test('without settings the whole tree outside any build folder is one project', async () => {
    const root = tree({
      'app/compose.yaml': compose('redis:7.4.1'),
      'hosts/a.nix': '{ x.image = "redis:7.2.0"; }\n',
      'hosts/b.nix': '{ x.image = "redis:7.0.0"; }\n'
    })
    expect(await inconsistent(root)).toEqual([
      'hosts/a.nix:1 redis is used at 2 versions: 7.2.0 (hosts/a.nix:1); 7.0.0 (hosts/b.nix:1); use one version everywhere'
    ])
  })
})

describe('our own API looked up in published data', () => {
  // Written as text: an object literal's __proto__ would set the prototype, not a key.
  const x = JSON.stringify(`docker.io/nextcloud:30@sha256:${'a'.repeat(64)}`)
  const published = parsePublishedDigests(
    `{"docker.io/nextcloud": {"29": {"linux/amd64": ${x}}, "30": {"linux/amd64": ${x}}},` +
      ` "ghcr.io/acme/web": {"2.0": {"linux/amd64": ${x}}}, "__proto__": {"1": {"linux/amd64": ${x}}}}`,
    'digests.json'
  )

  test.each([
    ['nextcloud', '30', null],
    ['docker.io/library/nextcloud', '29', null],
    ['ghcr.io/acme/web', '2.0', null],
    // A key like any other, and one the flake refuses: it is no image name.
    [
      '__proto__',
      '1',
      'digests.json: $["__proto__"]: "__proto__" is not an image name as Docker reads it, of at most 255 characters (rule: image name)'
    ],
    [
      'nextclod',
      '30',
      'image "nextclod" is not in digests.json; did you mean "docker.io/nextcloud"? available images: __proto__, docker.io/nextcloud, ghcr.io/acme/web'
    ],
    [
      'nextcloud',
      '31',
      'track "31" of image "docker.io/nextcloud" is not in digests.json; did you mean "30"? available tracks: 29, 30'
    ],
    [
      'nextcloud',
      'constructor',
      'track "constructor" of image "docker.io/nextcloud" is not in digests.json; available tracks: 29, 30'
    ],
    [
      'constructor',
      '1',
      'image "constructor" is not in digests.json; available images: __proto__, docker.io/nextcloud, ghcr.io/acme/web'
    ]
  ])('%s track %s', (image, track, message) => {
    const found = findTrack(published, image, track)
    expect(found.ok ? null : found.message).toBe(message)
  })

  test('a finding per reference that names what is not published, with the closest names', () => {
    const at = {
      context: 'imageTrack',
      start: 0,
      end: 0,
      column: 5,
      editable: false,
      file: 'host.nix'
    }
    const findings = publishedFindings(published, [
      { ...at, value: 'nextcloud:30', line: 3, track: { image: 'nextcloud', track: '30' } },
      { ...at, value: 'nextcloud:3', line: 4, track: { image: 'nextcloud', track: '3' } },
      {
        ...at,
        value: 'ghcr.io/acme/wep:2.0',
        line: 5,
        track: { image: 'ghcr.io/acme/wep', track: '2.0' }
      }
    ])
    expect(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}: ${f.message}`)).toEqual([
      'host.nix:4:5 unknown-track: track "3" of image "docker.io/nextcloud" is not in digests.json; did you mean "30"? available tracks: 29, 30',
      'host.nix:5:5 unknown-image: image "ghcr.io/acme/wep" is not in digests.json; did you mean "ghcr.io/acme/web"? available images: __proto__, docker.io/nextcloud, ghcr.io/acme/web'
    ])
  })

  test('canonical names and suggestions follow the flake', () => {
    expect(
      [
        'nextcloud',
        'library/nextcloud',
        'index.docker.io/library/nextcloud',
        'localhost/app',
        'ghcr.io/a/b'
      ].map(canonicalImage)
    ).toEqual([
      'docker.io/library/nextcloud',
      'docker.io/library/nextcloud',
      'docker.io/library/nextcloud',
      'localhost/app',
      'ghcr.io/a/b'
    ])
    expect(suggest('postgress', ['postgres', 'redis'])).toBe('did you mean "postgres"? ')
    expect(suggest('abc', ['xyz'])).toBe('')
  })
})

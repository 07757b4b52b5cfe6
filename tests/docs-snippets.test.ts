// Every ```nix block in README.md and docs/*.md, evaluated as written with real Nix against this
// flake (over the fixture digests) and nixpkgs from nixpkgsPath(): NixOS modules on x86_64-linux
// and aarch64-linux down to the podman command line, flakes with their inputs overridden, and
// expressions, whose `# =>` comment, when there is one, is the value they must equal.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { withSyntheticManifests } from './harness/fetch-image-fixture.js'
import { type Digests, type NixSandbox, nixSandbox, nixpkgsPath, repoRoot } from './harness/nix.js'

interface Snippet {
  id: string
  kind: 'flake' | 'module' | 'expression'
  text: string
}

const docFiles = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
]

function snippetsOf(file: string): Snippet[] {
  const source = readFileSync(join(repoRoot, file), 'utf8')
  return [...source.matchAll(/^```nix\n([\s\S]*?)^```$/gm)].map((m) => {
    const text = m[1] ?? ''
    const line = source.slice(0, m.index).split('\n').length
    const code = text.replace(/^\s*#.*\n/gm, '')
    const kind = /^\{\s*inputs\b/.test(code)
      ? 'flake'
      : /^\{[^}]*\}:/.test(code)
        ? 'module'
        : 'expression'
    return { id: `${file}:${line}`, kind, text }
  })
}

const snippets = docFiles.flatMap(snippetsOf)
const fenceCount = docFiles
  .map((f) => readFileSync(join(repoRoot, f), 'utf8').match(/^```nix$/gm)?.length ?? 0)
  .reduce((a, b) => a + b, 0)
const fixtureText = readFileSync(
  join(repoRoot, 'tests', 'fixtures', 'flake', 'digests.json'),
  'utf8'
)
// The images the docs fetch get manifests.json entries; team/app keeps the digest the docs quote.
const published = withSyntheticManifests(
  JSON.parse(fixtureText) as Digests,
  (image) => image !== 'registry.example.com:5000/team/app'
)
const fixture = published.digests
const SYSTEMS = { 'x86_64-linux': 'linux/amd64', 'aarch64-linux': 'linux/arm64' } as const

const refsFor = (platform: string): string[] =>
  Object.values(fixture).flatMap((tracks) =>
    Object.values(tracks).flatMap((platforms) => platforms[platform] ?? [])
  )
/** The name:tag Docker gives `name:tag@digest` once loaded: Docker Hub names in full. */
const loadedName = (reference: string): string => {
  const nameTag = reference.slice(0, reference.indexOf('@'))
  const [first, ...rest] = nameTag.split('/')
  const hasRegistry = rest.length > 0 && (first === 'localhost' || /[.:]/.test(first ?? ''))
  const path = hasRegistry ? rest.join('/') : nameTag
  if (hasRegistry && first !== 'docker.io') return nameTag
  return `docker.io/${path.includes('/') ? path : `library/${path}`}`
}
const fileOf = (s: Snippet): string => `snippets/${s.id.replace(/[/:.]/g, '-')}.nix`

/** An expression snippet as a file: its value and, from a `# =>` comment, what it must equal. */
function expressionFile(s: Snippet): string {
  const [code, expected] = s.text.split(/^# => /m)
  return `{ nixpkgs, nix-oci-hashes }:
let
  pkgs = nixpkgs.legacyPackages.x86_64-linux;
  lib = nix-oci-hashes.lib;
in {
  value = (
${code}
  );
  expected = ${expected === undefined ? 'null' : `(\n${expected.replace(/^# ?/gm, '')}\n)`};
}
`
}

let sandbox: NixSandbox
let upstream = ''
let consumer = ''

beforeAll(async () => {
  sandbox = await nixSandbox('docs')
  upstream = await sandbox.flakeCopy('upstream', JSON.stringify(fixture), {
    'manifests.json': JSON.stringify(published.manifests)
  })
  const files = Object.fromEntries(
    snippets
      .filter((s) => s.kind !== 'flake')
      .map((s) => [fileOf(s), s.kind === 'module' ? s.text : expressionFile(s)])
  )
  consumer = await sandbox.nixosConsumer('consumer', upstream, files)
}, 120_000)

afterAll(async () => {
  await sandbox?.cleanup()
})

test('the docs hold Nix snippets of every kind, and each is found', () => {
  expect(snippets).toHaveLength(fenceCount)
  for (const kind of ['flake', 'module', 'expression']) {
    expect(snippets.filter((s) => s.kind === kind).length).toBeGreaterThan(0)
  }
})

describe.each(snippets.filter((s) => s.kind === 'module').map((s) => [s.id, s] as const))(
  'NixOS module %s',
  (_id, snippet) => {
    test.each(Object.entries(SYSTEMS))(
      'evaluates on %s to that platform',
      async (system, platform) => {
        const got = await sandbox.nixJson<{
          images: Record<string, string>
          scripts: Record<string, string>
          checked: string
        }>(
          consumer,
          '.#mk',
          '--apply',
          `mk: let c = (mk "${system}" [ "${fileOf(snippet)}" ]).config;
          containers = c.virtualisation.oci-containers.containers;
        in {
          images = builtins.mapAttrs (_: x: x.image) containers;
          scripts = builtins.mapAttrs (n: _: c.systemd.services."podman-\${n}".script) containers;
          checked = c.system.build.checked;
        }`
        )
        expect(got.checked).toBe('ok')
        expect(Object.keys(got.images).length).toBeGreaterThan(0)
        const refs = refsFor(platform)
        for (const [name, image] of Object.entries(got.images)) {
          // Pinned to this platform's image, or (pullImage) the tag of the tarball Nix loads.
          if (image.includes('@')) expect(refs).toContain(image)
          else expect(image).toMatch(/^[^@]+:[0-9.]+$/)
          expect(got.scripts[name]?.trimEnd().split('\n').at(-1)).toBe(`  ${image}`)
        }
      }
    )
  }
)

test.each(snippets.filter((s) => s.kind === 'expression').map((s) => [s.id, s] as const))(
  'expression %s evaluates, to its `# =>` value when it has one',
  async (_id, snippet) => {
    const got = await sandbox.nixJson<{ value: unknown; expected: unknown }>(
      consumer,
      '.#call',
      '--apply',
      `call: call "${fileOf(snippet)}"`
    )
    if (snippet.text.includes('\n# => ')) expect(got.value).toEqual(got.expected)
    else expect(got.value).not.toBeNull()
    if (typeof got.value === 'string') {
      const refs = refsFor('linux/arm64').concat(refsFor('linux/amd64'), refsFor('linux/arm/v7'), [
        `quay.io/team/tool:2.1@sha256:${'cd'.repeat(32)}`
      ])
      // A reference, or (fetchImage) the name:tag a fetched image loads as.
      expect([...refs, ...refs.map(loadedName)]).toContain(got.value)
    }
  }
)

test.each(snippets.filter((s) => s.kind === 'flake').map((s) => [s.id, s] as const))(
  'flake %s evaluates with its inputs overridden, next to the docs server.nix',
  async (_id, snippet) => {
    const serverNix = snippets.find((s) => s.kind === 'module' && s.text.startsWith('# server.nix'))
    if (!serverNix) throw new Error('no snippet starts with "# server.nix"')
    const dir = await sandbox.gitRepo(`flake-${fileOf(snippet).slice(9, -4)}`, {
      'flake.nix': snippet.text,
      'server.nix': serverNix.text
    })
    const images = await sandbox.nixJson<Record<string, string>>(
      dir,
      '--override-input',
      'nixpkgs',
      `path:${nixpkgsPath()}`,
      '--override-input',
      'nix-oci-hashes',
      `git+file://${upstream}`,
      '.#nixosConfigurations.server.config.virtualisation.oci-containers.containers',
      '--apply',
      'builtins.mapAttrs (_: c: c.image)'
    )
    expect(Object.keys(images).length).toBeGreaterThan(0)
    for (const image of Object.values(images)) expect(refsFor('linux/amd64')).toContain(image)
  }
)

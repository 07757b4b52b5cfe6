// The flake (flake.nix, nix/) tested with the real `nix` binary: every test evaluates a copy of the
// repository's flake files in a fresh git repository, with its own HOME, caches and Nix store
// under a temp dir (harness/nix.ts), so nothing depends on this machine's Nix state.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Digests, type NixSandbox, nixSandbox, nixString, repoRoot } from './harness/nix.js'

const fixturePath = join(repoRoot, 'tests', 'fixtures', 'flake', 'digests.json')

const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as Digests
const topLevel = JSON.parse(readFileSync(join(repoRoot, 'digests.json'), 'utf8')) as Digests

let sandbox: NixSandbox
const nix = (cwd: string, ...args: string[]) => sandbox.nix(cwd, ...args)
const nixOk = (cwd: string, ...args: string[]) => sandbox.nixOk(cwd, ...args)
const nixJson = <T = unknown>(cwd: string, ...args: string[]) => sandbox.nixJson<T>(cwd, ...args)
const nixError = (cwd: string, ...args: string[]) => sandbox.nixError(cwd, ...args)

/** Evaluate `f lib` where f is a Nix function source text. */
const lib = <T = unknown>(cwd: string, fn: string): Promise<T> =>
  nixJson<T>(cwd, '.#lib', '--apply', fn)
const libError = (cwd: string, fn: string): Promise<string> => nixError(cwd, '.#lib', '--apply', fn)

/** A fresh git repository holding the flake files, `digests` as its digests.json and a state file. */
const flakeCopy = (name: string, digests: string): Promise<string> =>
  sandbox.flakeCopy(name, digests, { 'digests.state.json': stateFile })

async function commitDigests(dir: string, digests: Digests): Promise<void> {
  writeFileSync(join(dir, 'digests.json'), JSON.stringify(digests, null, 2) + '\n')
  await sandbox.git(dir, 'commit', '-q', '-a', '-m', 'update digests')
}

// A state file with markers that must never show up in any flake output.
const STATE_MARKER = 'state-file-marker-9f2c'
const stateFile =
  JSON.stringify(
    {
      version: 1,
      marker: STATE_MARKER,
      images: { 'docker.io/nextcloud': { etag: `"${STATE_MARKER}"`, checkedAt: '2025-01-01' } }
    },
    null,
    2
  ) + '\n'

/** What lib.forPlatform should give, computed from the JSON. */
function expectedForPlatform(
  digests: Digests,
  platform: string
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const [image, tracks] of Object.entries(digests)) {
    const picked: Record<string, string> = {}
    for (const [track, platforms] of Object.entries(tracks)) {
      const ref = platforms[platform]
      if (ref !== undefined) picked[track] = ref
    }
    if (Object.keys(picked).length > 0) out[image] = picked
  }
  return out
}

function fixtureRef(image: string, track: string, platform: string): string {
  const ref = fixture[image]?.[track]?.[platform]
  if (ref === undefined) throw new Error(`fixture lacks ${image} ${track} ${platform}`)
  return ref
}

const NEXTCLOUD = 'docker.io/nextcloud'
const PORT_APP = 'registry.example.com:5000/team/app'
const SUPPORTED =
  'aarch64-linux, armv6l-linux, armv7l-linux, i686-linux, powerpc64le-linux, riscv64-linux, s390x-linux, x86_64-linux'

let topCopy = ''
let fixtureCopy = ''

beforeAll(async () => {
  sandbox = await nixSandbox('flake')
  topCopy = await flakeCopy('top', readFileSync(join(repoRoot, 'digests.json'), 'utf8'))
  fixtureCopy = await flakeCopy('fixture', readFileSync(fixturePath, 'utf8'))
}, 120_000)

afterAll(async () => {
  await sandbox?.cleanup()
})

describe('ociHashes', () => {
  test('is exactly the committed top-level digests.json', async () => {
    expect(await nixJson(topCopy, '.#ociHashes')).toEqual(topLevel)
  })

  test('is exactly the fixture digests.json, and lib.ociHashes is the same data', async () => {
    expect(await nixJson(fixtureCopy, '.#ociHashes')).toEqual(fixture)
    expect(await lib(fixtureCopy, 'l: l.ociHashes')).toEqual(fixture)
  })

  test('no output exposes digests.state.json', async () => {
    const url = `git+file://${fixtureCopy}`
    // Every output, deeply, with functions replaced by a placeholder.
    const expr = `
      let
        flake = builtins.getFlake ${nixString(url)};
        clean = v:
          if builtins.isFunction v then "<function>"
          else if builtins.isAttrs v then builtins.mapAttrs (_: clean) v
          else if builtins.isList v then map clean v
          else v;
      in clean flake.outputs`
    const result = await nix(fixtureCopy, 'eval', '--json', '--impure', '--expr', expr)
    expect(result.stderr).not.toContain('error')
    expect(result.code).toBe(0)
    const outputs = JSON.parse(result.stdout) as Record<string, unknown>
    expect(Object.keys(outputs).sort()).toEqual([
      'checks',
      'lib',
      'nixosModules',
      'ociHashes',
      'ociManifests'
    ])
    expect(result.stdout).not.toContain(STATE_MARKER)
    expect(result.stdout).not.toContain('digests.state')
    expect(outputs['ociHashes']).toEqual(fixture)

    const shown = await nixOk(fixtureCopy, 'flake', 'show', '--json')
    expect(shown).not.toContain('state')
  })
})

describe('ociManifests and lib.withData', () => {
  const text = '{"schemaVersion":2}'
  const manifests = {
    [`sha256:${createHash('sha256').update(text).digest('hex')}`]: {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      text
    }
  }

  test('ociManifests is manifests.json, and {} without one', async () => {
    const dir = await sandbox.flakeCopy('with-manifests', readFileSync(fixturePath, 'utf8'), {
      'manifests.json': JSON.stringify(manifests)
    })
    expect(await nixJson(dir, '.#ociManifests')).toEqual(manifests)
    expect(await lib(dir, 'l: l.ociManifests')).toEqual(manifests)
    expect(await nixJson(fixtureCopy, '.#ociManifests')).toEqual({})
  })

  test('withHashes keeps the manifests; withData replaces digests, manifests or both', async () => {
    const given = nixString(JSON.stringify(manifests))
    const got = await lib(
      fixtureCopy,
      `l: let m = builtins.fromJSON ${given}; own = l.withData { manifests = m; }; in {
        kept = (own.withHashes { }).ociManifests;
        digests = own.ociHashes == l.ociHashes;
        replaced = (own.withData { digests = { }; }).ociHashes;
        both = (l.withData { digests = { }; manifests = m; }).ociManifests;
      }`
    )
    expect(got).toEqual({ kept: manifests, digests: true, replaced: {}, both: manifests })
    expect(
      await libError(fixtureCopy, 'l: (l.withData { manifests = [ ]; }).ociManifests')
    ).toContain(
      'nix-oci-hashes: withData: manifests must be an attrset digest -> { mediaType; text; }, got a list'
    )
  })
})

describe('lib.platformOf', () => {
  test('maps every supported Nix system to its OCI platform', async () => {
    const systems = SUPPORTED.split(', ')
    const got = await lib(
      fixtureCopy,
      `l: map l.platformOf ${'[' + systems.map((s) => nixString(s)).join(' ') + ']'}`
    )
    expect(got).toEqual([
      'linux/arm64',
      'linux/arm/v6',
      'linux/arm/v7',
      'linux/386',
      'linux/ppc64le',
      'linux/riscv64',
      'linux/s390x',
      'linux/amd64'
    ])
    expect(await lib(fixtureCopy, 'l: l.platformOf "x86_64-linux"')).toBe('linux/amd64')
    expect(await lib(fixtureCopy, 'l: l.systems')).toEqual(systems)
  })

  test('throws for an unknown system, naming it and listing the supported ones', async () => {
    const stderr = await libError(fixtureCopy, 'l: l.platformOf "x86_64-darwin"')
    expect(stderr).toContain(
      `nix-oci-hashes: no OCI platform is known for the Nix system "x86_64-darwin"; supported systems: ${SUPPORTED} (or pass platform = "os/arch" instead of system)`
    )
  })

  test('throws for a non-string system', async () => {
    const stderr = await libError(fixtureCopy, 'l: l.platformOf 42')
    expect(stderr).toContain('nix-oci-hashes: the system must be a string, got a int')
  })
})

describe('lib.forSystem / lib.forPlatform', () => {
  test('gives image -> track -> reference for one system', async () => {
    expect(await lib(fixtureCopy, 'l: l.forSystem "aarch64-linux"')).toEqual(
      expectedForPlatform(fixture, 'linux/arm64')
    )
    expect(await lib(fixtureCopy, 'l: l.forSystem "x86_64-linux"')).toEqual(
      expectedForPlatform(fixture, 'linux/amd64')
    )
  })

  test('leaves out tracks, and images, that lack the platform', async () => {
    const armv7 = await lib<Record<string, Record<string, string>>>(
      fixtureCopy,
      'l: l.forSystem "armv7l-linux"'
    )
    expect(armv7).toEqual(expectedForPlatform(fixture, 'linux/arm/v7'))
    // The port-registry app has no arm/v7 build on "latest"; postgres has none at all.
    expect(Object.keys(armv7[PORT_APP] ?? {})).toEqual(['1', '1.4'])
    expect(armv7['docker.io/library/postgres']).toBeUndefined()
    expect(armv7[NEXTCLOUD]?.['29']).toBeUndefined()
    expect(await lib(fixtureCopy, 'l: l.forPlatform "linux/arm/v7"')).toEqual(armv7)
    expect(await lib(fixtureCopy, 'l: l.forSystem "s390x-linux"')).toEqual({})
  })

  test('is empty over the (empty) top-level digests.json', async () => {
    expect(await lib(topCopy, 'l: l.forSystem "x86_64-linux"')).toEqual(
      expectedForPlatform(topLevel, 'linux/amd64')
    )
  })

  test('an unknown system gives the platformOf error', async () => {
    const stderr = await libError(fixtureCopy, 'l: l.forSystem "aarch64-darwin"')
    expect(stderr).toContain(
      'nix-oci-hashes: no OCI platform is known for the Nix system "aarch64-darwin"; supported systems: '
    )
  })
})

describe('lib.image', () => {
  test('returns the reference for image, track and system', async () => {
    expect(
      await lib(
        fixtureCopy,
        'l: l.image { image = "docker.io/nextcloud"; track = "30"; system = "x86_64-linux"; }'
      )
    ).toBe(fixtureRef(NEXTCLOUD, '30', 'linux/amd64'))
    expect(
      await lib(
        fixtureCopy,
        'l: l.image { image = "docker.io/nextcloud"; track = "30.0"; system = "armv7l-linux"; }'
      )
    ).toBe(fixtureRef(NEXTCLOUD, '30.0', 'linux/arm/v7'))
  })

  test('accepts platform instead of system, and a registry with a port', async () => {
    expect(
      await lib(
        fixtureCopy,
        `l: l.image { image = "${PORT_APP}"; track = "1.4"; platform = "linux/arm/v7"; }`
      )
    ).toBe(fixtureRef(PORT_APP, '1.4', 'linux/arm/v7'))
  })

  test('a missing image names it and lists the images', async () => {
    const stderr = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextclod"; track = "30"; system = "x86_64-linux"; }'
    )
    expect(stderr).toContain(
      `nix-oci-hashes: image "docker.io/nextclod" is not in digests.json; did you mean "docker.io/nextcloud"? available images: ${Object.keys(fixture).sort().join(', ')}`
    )
  })

  test('a missing image over an empty digests.json says there are none', async () => {
    const stderr = await libError(
      topCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "30"; system = "x86_64-linux"; }'
    )
    expect(stderr).toContain(
      'nix-oci-hashes: image "docker.io/nextcloud" is not in digests.json; available images: (none)'
    )
  })

  test('a missing track names it and lists the tracks of that image', async () => {
    const stderr = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "31"; system = "x86_64-linux"; }'
    )
    expect(stderr).toContain(
      'nix-oci-hashes: track "31" of image "docker.io/nextcloud" is not in digests.json; did you mean "30"? available tracks: 29, 30, 30.0, 30.0.4, latest'
    )
  })

  test('a missing platform names the platform and system and lists those of the track', async () => {
    const stderr = await libError(
      fixtureCopy,
      `l: l.image { image = "${PORT_APP}"; track = "latest"; system = "aarch64-linux"; }`
    )
    expect(stderr).toContain(
      `nix-oci-hashes: platform "linux/arm64" (system "aarch64-linux") is not recorded for image "${PORT_APP}" track "latest"; available platforms: linux/amd64`
    )
    const byPlatform = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "29"; platform = "linux/arm/v7"; }'
    )
    expect(byPlatform).toContain(
      'nix-oci-hashes: platform "linux/arm/v7" is not recorded for image "docker.io/nextcloud" track "29"; available platforms: linux/amd64, linux/arm64'
    )
  })

  test('an unknown system gives the platformOf error', async () => {
    const stderr = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "30"; system = "x86_64-darwin"; }'
    )
    expect(stderr).toContain(
      'nix-oci-hashes: no OCI platform is known for the Nix system "x86_64-darwin"'
    )
  })

  test('system and platform together, or neither, are refused', async () => {
    const both = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "30"; system = "x86_64-linux"; platform = "linux/amd64"; }'
    )
    expect(both).toContain(
      'nix-oci-hashes: image: give either system or platform, not both (got system = "x86_64-linux", platform = "linux/amd64")'
    )
    const neither = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; track = "30"; }'
    )
    expect(neither).toContain(
      'nix-oci-hashes: image: missing system (e.g. system = "x86_64-linux") or platform (e.g. platform = "linux/amd64")'
    )
    const noTrack = await libError(
      fixtureCopy,
      'l: l.image { image = "docker.io/nextcloud"; system = "x86_64-linux"; }'
    )
    expect(noTrack).toContain('nix-oci-hashes: image: missing track (e.g. track = "latest")')
  })
})

describe('lib.parseReference / lib.parsePlatform', () => {
  const digest = 'sha256:' + 'ab'.repeat(32)

  test('splits name, tag and digest, also behind a registry port', async () => {
    const cases: Array<[string, { name: string; tag: string | null; digest: string | null }]> = [
      [
        `docker.io/nextcloud:30.0.4@${digest}`,
        { name: 'docker.io/nextcloud', tag: '30.0.4', digest }
      ],
      [`${PORT_APP}:1.2@${digest}`, { name: PORT_APP, tag: '1.2', digest }],
      [`${PORT_APP}@${digest}`, { name: PORT_APP, tag: null, digest }],
      [PORT_APP, { name: PORT_APP, tag: null, digest: null }],
      ['nextcloud:30-apache', { name: 'nextcloud', tag: '30-apache', digest: null }],
      ['localhost:5000/app:v1.0_rc', { name: 'localhost:5000/app', tag: 'v1.0_rc', digest: null }]
    ]
    const got = await lib(
      fixtureCopy,
      `l: map l.parseReference [ ${cases.map(([ref]) => nixString(ref)).join(' ')} ]`
    )
    expect(got).toEqual(cases.map(([, parsed]) => parsed))
  })

  test('every fixture reference round-trips', async () => {
    const refs = [
      ...new Set(
        Object.values(fixture).flatMap((tracks) =>
          Object.values(tracks).flatMap((platforms) => Object.values(platforms))
        )
      )
    ]
    const got = await lib<Array<{ name: string; tag: string; digest: string }>>(
      fixtureCopy,
      `l: map l.parseReference [ ${refs.map(nixString).join(' ')} ]`
    )
    expect(got.map((p) => `${p.name}:${p.tag}@${p.digest}`)).toEqual(refs)
  })

  test('a malformed reference is refused with the expected form', async () => {
    for (const bad of ['', 'nextcloud@@sha256:abc', ':30']) {
      const stderr = await libError(fixtureCopy, `l: l.parseReference ${nixString(bad)}`)
      expect(stderr).toContain(
        `nix-oci-hashes: cannot parse the image reference ${JSON.stringify(bad)}; expected name[:tag][@sha256:<64 hex digits>], e.g. "docker.io/nextcloud:30.0.4@sha256:<digest>"`
      )
    }
  })

  test('parsePlatform splits os, arch and variant', async () => {
    expect(
      await lib(fixtureCopy, 'l: map l.parsePlatform [ "linux/amd64" "linux/arm/v7" ]')
    ).toEqual([
      { os: 'linux', arch: 'amd64', variant: null },
      { os: 'linux', arch: 'arm', variant: 'v7' }
    ])
    const stderr = await libError(fixtureCopy, 'l: l.parsePlatform "amd64"')
    expect(stderr).toContain(
      'nix-oci-hashes: cannot parse the platform "amd64"; expected os/arch or os/arch/variant, e.g. "linux/amd64"'
    )
  })
})

describe('lib.pullImageArgs', () => {
  test('gives dockerTools.pullImage arguments for image, track and system', async () => {
    const ref = fixtureRef(NEXTCLOUD, '30', 'linux/arm64')
    expect(
      await lib(
        fixtureCopy,
        'l: l.pullImageArgs { image = "docker.io/nextcloud"; track = "30"; system = "aarch64-linux"; }'
      )
    ).toEqual({
      imageName: NEXTCLOUD,
      imageDigest: ref.slice(ref.indexOf('@') + 1),
      finalImageTag: '30.0.4',
      os: 'linux',
      arch: 'arm64',
      // The digest's first 12 hex digits, so a new digest is a new store path.
      name: `docker-image-docker.io-nextcloud-30.0.4-${ref.slice(ref.indexOf('@') + 8, ref.indexOf('@') + 20)}.tar`
    })
  })

  test('takes a reference and a platform, keeping the registry port in imageName', async () => {
    const ref = fixtureRef(PORT_APP, '1', 'linux/arm/v7')
    expect(
      await lib(
        fixtureCopy,
        `l: l.pullImageArgs { reference = ${nixString(ref)}; platform = "linux/arm/v7"; }`
      )
    ).toEqual({
      imageName: PORT_APP,
      imageDigest: ref.slice(ref.indexOf('@') + 1),
      finalImageTag: '1.4.2',
      os: 'linux',
      arch: 'arm',
      name: `docker-image-registry.example.com-5000-team-app-1.4.2-${ref.slice(ref.indexOf('@') + 8, ref.indexOf('@') + 20)}.tar`
    })
    // Merged with a user's sha256 it is a complete pullImage argument set.
    expect(
      await lib(
        fixtureCopy,
        `l: builtins.attrNames (l.pullImageArgs { image = "${PORT_APP}"; track = "latest"; system = "x86_64-linux"; } // { sha256 = "0000000000000000000000000000000000000000000000000000"; })`
      )
    ).toEqual(['arch', 'finalImageTag', 'imageDigest', 'imageName', 'name', 'os', 'sha256'])
  })

  test('errors: a reference without digest, lookups, reference plus image', async () => {
    const noDigest = await libError(
      fixtureCopy,
      'l: l.pullImageArgs { reference = "docker.io/nextcloud:30"; system = "x86_64-linux"; }'
    )
    expect(noDigest).toContain(
      'nix-oci-hashes: pullImageArgs: the reference "docker.io/nextcloud:30" has no @sha256:... digest, which dockerTools.pullImage needs'
    )
    const missingTrack = await libError(
      fixtureCopy,
      'l: l.pullImageArgs { image = "docker.io/library/postgres"; track = "17"; system = "x86_64-linux"; }'
    )
    expect(missingTrack).toContain(
      'nix-oci-hashes: track "17" of image "docker.io/library/postgres" is not in digests.json; did you mean "16"? available tracks: 16, 16.6'
    )
    const both = await libError(
      fixtureCopy,
      'l: l.pullImageArgs { reference = "a:1@sha256:00"; image = "a"; track = "1"; system = "x86_64-linux"; }'
    )
    expect(both).toContain(
      'nix-oci-hashes: pullImageArgs: give either reference or image and track, not both'
    )
  })
})

describe('lookups forgive spelling and hand out only pinned references', () => {
  const lookup = (image: string, track: string, extra = 'system = "x86_64-linux";'): string =>
    `l: l.image { image = ${nixString(image)}; track = ${track}; ${extra} }`

  test('every spelling Docker treats as the same image finds the key as written', async () => {
    const spellings = [
      'nextcloud',
      'library/nextcloud',
      'docker.io/library/nextcloud',
      'docker.io/nextcloud',
      'index.docker.io/nextcloud',
      'index.docker.io/library/nextcloud',
      'registry-1.docker.io/library/nextcloud'
    ]
    const got = await lib(
      fixtureCopy,
      `l: map (image: l.image { inherit image; track = "30"; system = "aarch64-linux"; }) [ ${spellings.map(nixString).join(' ')} ]`
    )
    expect(got).toEqual(spellings.map(() => fixtureRef(NEXTCLOUD, '30', 'linux/arm64')))
    // The other way round: the key says library/, the user does not.
    expect(await lib(fixtureCopy, lookup('postgres', '"16"'))).toBe(
      fixtureRef('docker.io/library/postgres', '16', 'linux/amd64')
    )
    expect(
      await lib(
        fixtureCopy,
        'l: (l.pullImageArgs { image = "library/nextcloud"; track = "30"; system = "x86_64-linux"; }).imageName'
      )
    ).toBe(NEXTCLOUD)
  })

  test('other registries are not Docker Hub: no library/ and no aliasing, only a suggestion', async () => {
    const stderr = await libError(fixtureCopy, lookup('home-assistant/home-assistant', '"stable"'))
    expect(stderr).toContain(
      `nix-oci-hashes: image "home-assistant/home-assistant" is not in digests.json; did you mean "ghcr.io/home-assistant/home-assistant"? available images: ${Object.keys(fixture).sort().join(', ')}\n`
    )
    expect(
      await lib(
        fixtureCopy,
        'l: map l.canonicalImage [ "localhost/app" "localhost:5000/app" "quay.io/x" "a/b/c" ]'
      )
    ).toEqual(['localhost/app', 'localhost:5000/app', 'quay.io/x', 'docker.io/a/b/c'])
  })

  test('a track given as an integer is taken as its string; other types are refused', async () => {
    expect(await lib(fixtureCopy, lookup('docker.io/nextcloud', '30'))).toBe(
      fixtureRef(NEXTCLOUD, '30', 'linux/amd64')
    )
    expect(await libError(fixtureCopy, lookup('docker.io/nextcloud', '30.0'))).toContain(
      'nix-oci-hashes: track must be a string or an integer, got a float; write it as a string, e.g. track = "30.0"\n'
    )
    expect(await libError(fixtureCopy, lookup('docker.io/nextcloud', '[ "30" ]'))).toContain(
      'nix-oci-hashes: track must be a string or an integer, got a list\n'
    )
  })

  test('typos get the closest names; names close to nothing get none', async () => {
    expect(await libError(fixtureCopy, lookup('nextclod', '"30"'))).toContain(
      `nix-oci-hashes: image "nextclod" is not in digests.json; did you mean "docker.io/nextcloud"? available images: ${Object.keys(fixture).sort().join(', ')}\n`
    )
    expect(
      await libError(fixtureCopy, lookup('ghcr.io/home-asistant/home-assistant', '"stable"'))
    ).toContain(
      `nix-oci-hashes: image "ghcr.io/home-asistant/home-assistant" is not in digests.json; did you mean "ghcr.io/home-assistant/home-assistant"? available images: ${Object.keys(fixture).sort().join(', ')}\n`
    )
    expect(await libError(fixtureCopy, lookup('nextcloud', '"lates"'))).toContain(
      'nix-oci-hashes: track "lates" of image "docker.io/nextcloud" is not in digests.json; did you mean "latest"? available tracks: 29, 30, 30.0, 30.0.4, latest\n'
    )
    expect(await libError(fixtureCopy, lookup('nextcloud', '"stable"'))).toContain(
      'nix-oci-hashes: track "stable" of image "docker.io/nextcloud" is not in digests.json; available tracks: 29, 30, 30.0, 30.0.4, latest\n'
    )
  })

  test('two keys for one image: the exact key wins, another spelling is ambiguous', async () => {
    const ref = (tag: string, hex: string): string =>
      `docker.io/nextcloud:${tag}@sha256:${hex.repeat(64)}`
    const both = `l: (l.withHashes {
      "nextcloud"."1"."linux/amd64" = ${nixString(ref('1.0', 'a'))};
      "docker.io/nextcloud"."1"."linux/amd64" = ${nixString(ref('1.1', 'b'))};
    })`
    expect(
      await lib(
        fixtureCopy,
        `${both}.image { image = "nextcloud"; track = "1"; platform = "linux/amd64"; }`
      )
    ).toBe(ref('1.0', 'a'))
    expect(
      await lib(
        fixtureCopy,
        `${both}.image { image = "docker.io/nextcloud"; track = "1"; platform = "linux/amd64"; }`
      )
    ).toBe(ref('1.1', 'b'))
    expect(
      await libError(
        fixtureCopy,
        `${both}.image { image = "library/nextcloud"; track = "1"; platform = "linux/amd64"; }`
      )
    ).toContain(
      'nix-oci-hashes: image "library/nextcloud" matches several entries of digests.json that Docker treats as the same image: docker.io/nextcloud, nextcloud; write one of them exactly\n'
    )
  })

  test('a malformed entry fails the lookup, naming image, track and platform', async () => {
    const hex = 'c'.repeat(64)
    const bad = [
      'docker.io/nextcloud:30.0.4',
      `docker.io/nextcloud:30.0.4@sha256:${hex.slice(2)}`,
      `docker.io/nextcloud:30.0.4@sha256:${hex.toUpperCase()}`,
      `docker.io/nextcloud@sha256:${hex}`,
      `docker.io/nextcloud:30.0.4@sha512:${hex}`
    ]
    for (const value of bad) {
      const over = `l: (l.withHashes { "docker.io/nextcloud"."30"."linux/arm64" = ${nixString(value)}; })`
      for (const fn of ['image', 'pullImageArgs']) {
        const stderr = await libError(
          fixtureCopy,
          `${over}.${fn} { image = "nextcloud"; track = 30; system = "aarch64-linux"; }`
        )
        expect(stderr).toContain(
          `nix-oci-hashes: the digests.json entry for image "docker.io/nextcloud" track "30" platform "linux/arm64" is not a pinned reference (name:tag@sha256:<64 hex digits> or @sha512:<128 hex digits>): ${JSON.stringify(value)}\n`
        )
      }
    }
  })

  test('parseReference takes exactly 64 lowercase hex digits after sha256:', async () => {
    for (const bad of [
      'a:1@sha256:ab',
      `a:1@sha256:${'a'.repeat(65)}`,
      `a:1@sha256:${'A'.repeat(64)}`
    ]) {
      expect(await libError(fixtureCopy, `l: l.parseReference ${nixString(bad)}`)).toContain(
        `nix-oci-hashes: cannot parse the image reference ${JSON.stringify(bad)}; expected name[:tag][@sha256:<64 hex digits>], e.g. "docker.io/nextcloud:30.0.4@sha256:<digest>"\n`
      )
    }
  })
})

describe('lib.withHashes', () => {
  test('builds the same functions over another digests attrset', async () => {
    const apply = (body: string): string =>
      `l: let f = l.withHashes (builtins.fromJSON ${nixString(JSON.stringify(fixture))}); in ${body}`
    expect(
      await lib(
        topCopy,
        apply(
          'f.image { image = "docker.io/nextcloud"; track = "latest"; system = "x86_64-linux"; }'
        )
      )
    ).toBe(fixtureRef(NEXTCLOUD, 'latest', 'linux/amd64'))
    expect(await lib(topCopy, apply('f.forSystem "aarch64-linux"'))).toEqual(
      expectedForPlatform(fixture, 'linux/arm64')
    )
    expect(await lib(topCopy, apply('f.ociHashes'))).toEqual(fixture)
    expect(await lib(topCopy, apply('builtins.attrNames f == builtins.attrNames l'))).toBe(true)
    const stderr = await libError(
      topCopy,
      apply('f.image { image = "docker.io/nextcloud"; track = "28"; platform = "linux/amd64"; }')
    )
    expect(stderr).toContain('available tracks: 29, 30, 30.0, 30.0.4, latest')
  })

  test('overlays: a consumer can merge its own entries over the flake data', async () => {
    const extra = `{ "quay.io/team/tool" = { "2" = { "linux/amd64" = "quay.io/team/tool:2.1@sha256:${'cd'.repeat(32)}"; }; }; }`
    expect(
      await lib(
        fixtureCopy,
        `l: let f = l.withHashes (l.ociHashes // ${extra}); in builtins.attrNames f.ociHashes`
      )
    ).toEqual([...Object.keys(fixture), 'quay.io/team/tool'].sort())
  })

  test('refuses something that is not an attrset', async () => {
    const stderr = await libError(fixtureCopy, 'l: (l.withHashes [ ]).forSystem "x86_64-linux"')
    expect(stderr).toContain(
      'nix-oci-hashes: withHashes expects an attrset image -> track -> platform -> reference, got a list'
    )
  })
})

describe('nix flake check', () => {
  test('passes on the committed digests.json and on the fixture', async () => {
    for (const dir of [topCopy, fixtureCopy]) {
      const result = await nix(dir, 'flake', 'check')
      expect(result.stderr).not.toMatch(/error/)
      expect(result.code).toBe(0)
    }
  })

  test('fails on a malformed digests.json, naming the entry', async () => {
    const dir = await flakeCopy(
      'malformed',
      JSON.stringify({
        'docker.io/nextcloud': { '30': { 'linux/amd64': 'docker.io/nextcloud:30' } }
      })
    )
    const result = await nix(dir, 'flake', 'check')
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      'nix-oci-hashes: digests.json has malformed entries (each needs an image name, a tag as track, an os/arch platform and a name:tag@sha256:<64 hex digits> or @sha512:<128 hex digits> reference): docker.io/nextcloud 30 linux/amd64'
    )
  })

  test('fails on a manifests.json entry whose text does not hash to its key, naming it', async () => {
    const text = '{"schemaVersion":2}'
    const good = `sha256:${createHash('sha256').update(text).digest('hex')}`
    const bad = `sha256:${'0'.repeat(64)}`
    const mediaType = 'application/vnd.oci.image.manifest.v1+json'
    const dir = await sandbox.flakeCopy('bad-manifests', readFileSync(fixturePath, 'utf8'), {
      'manifests.json': JSON.stringify({ [good]: { mediaType, text }, [bad]: { mediaType, text } })
    })
    const result = await nix(dir, 'flake', 'check')
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain(
      `nix-oci-hashes: manifests.json has entries whose text does not hash to their key (each is sha256:<64 hex> -> { mediaType; text; }): ${bad}\n`
    )
  })
})

describe('consumer flake', () => {
  test('reads references through lib.image, follows updates after a lock update, and explains a missing track', async () => {
    const upstream = await flakeCopy('upstream', readFileSync(fixturePath, 'utf8'))
    const consumer = join(sandbox.root, 'consumer')
    mkdirSync(consumer)
    writeFileSync(
      join(consumer, 'flake.nix'),
      `{
  inputs.nix-oci-hashes.url = ${nixString(`git+file://${upstream}`)};

  outputs = { self, nix-oci-hashes }:
    let
      # What a NixOS module would do with pkgs.stdenv.hostPlatform.system.
      host = system: track: {
        virtualisation.oci-containers.containers.nextcloud.image =
          nix-oci-hashes.lib.image { image = "docker.io/nextcloud"; inherit track system; };
      };
    in {
      hosts = {
        pi = host "aarch64-linux" "30";
        server = host "x86_64-linux" "30";
      };
      broken = host "x86_64-linux" "31";
    };
}
`
    )
    const imageOf = (h: unknown): string =>
      (
        h as {
          virtualisation: { 'oci-containers': { containers: { nextcloud: { image: string } } } }
        }
      ).virtualisation['oci-containers'].containers.nextcloud.image

    const before = await nixJson<Record<string, unknown>>(consumer, '.#hosts')
    expect(imageOf(before['pi'])).toBe(fixtureRef(NEXTCLOUD, '30', 'linux/arm64'))
    expect(imageOf(before['server'])).toBe(fixtureRef(NEXTCLOUD, '30', 'linux/amd64'))
    const lock = JSON.parse(readFileSync(join(consumer, 'flake.lock'), 'utf8')) as {
      nodes: Record<string, { locked?: { rev?: string } }>
    }
    const firstRev = lock.nodes['nix-oci-hashes']?.locked?.rev
    expect(firstRev).toMatch(/^[0-9a-f]{40}$/)

    // Upstream publishes a new 30.0.5 build.
    const newArm = `docker.io/nextcloud:30.0.5@sha256:${'5e'.repeat(32)}`
    const newAmd = `docker.io/nextcloud:30.0.5@sha256:${'a5'.repeat(32)}`
    const updated: Digests = structuredClone(fixture)
    updated[NEXTCLOUD]!['30'] = { 'linux/amd64': newAmd, 'linux/arm64': newArm }
    await commitDigests(upstream, updated)

    // The lock file pins the old revision until the input is updated.
    const pinned = await nixJson<Record<string, unknown>>(consumer, '.#hosts')
    expect(imageOf(pinned['pi'])).toBe(fixtureRef(NEXTCLOUD, '30', 'linux/arm64'))

    await nixOk(consumer, 'flake', 'lock', '--update-input', 'nix-oci-hashes')
    const after = await nixJson<Record<string, unknown>>(consumer, '.#hosts')
    expect(imageOf(after['pi'])).toBe(newArm)
    expect(imageOf(after['server'])).toBe(newAmd)
    const newLock = JSON.parse(readFileSync(join(consumer, 'flake.lock'), 'utf8')) as {
      nodes: Record<string, { locked?: { rev?: string } }>
    }
    expect(newLock.nodes['nix-oci-hashes']?.locked?.rev).not.toBe(firstRev)

    const stderr = await nixError(consumer, '.#broken')
    expect(stderr).toContain(
      'nix-oci-hashes: track "31" of image "docker.io/nextcloud" is not in digests.json; did you mean "30"? available tracks: 29, 30, 30.0, 30.0.4, latest'
    )
  })
})

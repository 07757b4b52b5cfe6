import { parseChallenges, pickChallenge } from '../src/registry/auth/challenge.js'
import { readTokenResponse } from '../src/registry/auth/token-service.js'
import { nextPage } from '../src/registry/tags.js'
import { parseRetryAfter } from '../src/registry/http.js'
import {
  OCI_INDEX,
  parseManifest,
  platformDigests,
  platformOfConfig
} from '../src/registry/manifest.js'
import { canonicalPlatform, parsePlatform } from '../src/common/platform.js'
import { defaultEndpoint, parseImageReference } from '../src/registry/image-reference.js'

const D = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`

describe('WWW-Authenticate', () => {
  test('parses Docker Hub’s Bearer challenge', () => {
    const challenges = parseChallenges(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'
    )
    expect(challenges).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/nginx:pull'
        }
      }
    ])
  })
  test('parses several challenges, escapes and unquoted values; prefers Bearer', () => {
    const challenges = parseChallenges(
      'Basic realm="a \\"b\\"", Bearer realm=https://t.example/token , service=x'
    )
    expect(challenges).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'x' } }
    ])
    expect(pickChallenge(challenges)?.scheme).toBe('bearer')
    expect(pickChallenge(parseChallenges('Basic realm="registry"'))?.scheme).toBe('basic')
    expect(parseChallenges(undefined)).toEqual([])
  })
  test.each([
    'Bearer realm="https://t.example/token',
    'Bearer realm="https://t.example/token,service="x"',
    'Bearer service="x",realm="https://t.example/tok\\"'
  ])('refuses an unterminated quoted string rather than guess where it ends: %s', (header) => {
    expect(() => parseChallenges(header)).toThrow(
      /^malformed WWW-Authenticate header: (the quoted value of (realm|service) is not terminated|cannot read "\\"")$/
    )
  })
  test('reads token and access_token with a default lifetime', () => {
    const now = 1_000_000
    expect(readTokenResponse(Buffer.from('{"token":"t","expires_in":300}'), now)).toEqual({
      token: 't',
      expiresAt: now + 290_000
    })
    expect(readTokenResponse(Buffer.from('{"access_token":"a"}'), now)).toEqual({
      token: 'a',
      expiresAt: now + 50_000
    })
    expect(readTokenResponse(Buffer.from('{}'), now)).toBeNull()
    expect(readTokenResponse(Buffer.from('not json'), now)).toBeNull()
  })
})

describe('Link pagination', () => {
  const current = 'http://127.0.0.1:5000/v2/app/tags/list?n=2'
  test('resolves relative and absolute next links', () => {
    expect(nextPage('</v2/app/tags/list?last=b&n=2>; rel="next"', current)).toBe(
      'http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2'
    )
    expect(nextPage('<https://mirror.example/v2/app/tags/list?last=b>; rel=next', current)).toBe(
      'https://mirror.example/v2/app/tags/list?last=b'
    )
    expect(nextPage('</a>; rel="prev", </b>; rel="next"', current)).toBe('http://127.0.0.1:5000/b')
    expect(nextPage(undefined, current)).toBeUndefined()
  })
  test.each(['file:///etc/passwd', 'data:application/json,{}', 'ftp://x/y'])(
    'refuses a next link that is not http(s): %s',
    (target) => {
      expect(() => nextPage(`<${target}>; rel="next"`, current)).toThrow(
        `GET http://127.0.0.1:5000/v2/app/tags/list: the Link header names a ${target.split(':')[0]}: URL; only http and https URLs are followed`
      )
    }
  )
})

describe('Retry-After', () => {
  test('accepts seconds and HTTP dates', () => {
    const now = Date.parse('Mon, 23 Nov 2026 10:00:00 GMT')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
})

describe('platforms', () => {
  test.each([
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm64', 'linux/arm64'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['linux/amd64', 'linux/amd64']
  ])('%s is %s', (written, canonical) => {
    expect(canonicalPlatform(parsePlatform(written)!)).toBe(canonical)
  })
  test('rejects malformed platforms', () => {
    expect(parsePlatform('amd64')).toBeNull()
    expect(parsePlatform('linux/amd64/v1/x')).toBeNull()
  })
})

describe('manifests', () => {
  const M = 'application/vnd.oci.image.manifest.v1+json'
  test('an index yields per-platform digests without attestations', () => {
    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: M, digest: D(1), platform: { os: 'linux', architecture: 'amd64' } },
          {
            mediaType: M,
            digest: D(2),
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }
          },
          {
            mediaType: M,
            digest: D(3),
            platform: { os: 'unknown', architecture: 'unknown' },
            annotations: { 'vnd.docker.reference.type': 'attestation-manifest' }
          },
          { mediaType: M, digest: D(4), platform: { os: 'linux', architecture: 'amd64' } },
          // Nested indexes, declared or not, are not platform images; the client types an
          // entry without mediaType by reading it before this is asked.
          { mediaType: OCI_INDEX, digest: D(5), platform: { os: 'linux', architecture: 'arm' } },
          { digest: D(6), platform: { os: 'linux', architecture: 's390x' } }
        ]
      })
    )
    const manifest = parseManifest(body, undefined)
    expect(manifest.kind).toBe('index')
    expect(platformDigests(manifest as { kind: 'index'; manifests: [] })).toEqual({
      'linux/amd64': D(1),
      'linux/arm64': D(2)
    })
  })
  test.each([
    [null, 'index entry manifests[1] is not an object'],
    [{ digest: 'sha256:short' }, 'index entry manifests[1] has no valid digest'],
    [
      { digest: D(1), mediaType: 5 },
      `index entry manifests[1] (${D(1)}): mediaType is a number; it must be a string`
    ],
    [
      { digest: D(1), platform: 'linux/amd64' },
      `index entry manifests[1] (${D(1)}): platform is a string; it must be an object`
    ],
    [
      { digest: D(1), platform: { os: 7, architecture: 'amd64' } },
      `index entry manifests[1] (${D(1)}): platform.os is a number; it must be a string`
    ],
    [
      { digest: D(1), platform: { os: 'linux' } },
      `index entry manifests[1] (${D(1)}): platform.architecture is missing; it must be a string`
    ],
    [
      { digest: D(1), platform: { os: 'linux', architecture: 'arm', variant: ['v7'] } },
      `index entry manifests[1] (${D(1)}): platform.variant is an array; it must be a string`
    ]
  ])('an index entry of the wrong shape is named: %j', (entry, message) => {
    const body = { mediaType: OCI_INDEX, manifests: [{ mediaType: M, digest: D(2) }, entry] }
    expect(() => parseManifest(Buffer.from(JSON.stringify(body)), undefined)).toThrow(message)
  })
  test('a config blob names its platform', () => {
    expect(
      platformOfConfig(Buffer.from('{"os":"linux","architecture":"arm","variant":"v7"}'))
    ).toBe('linux/arm/v7')
    expect(platformOfConfig(Buffer.from('{"rootfs":{}}'))).toBeNull()
  })
  test('rejects bodies that are not manifests', () => {
    expect(() => parseManifest(Buffer.from('<html>'), 'text/html')).toThrow('manifest is not JSON')
    expect(() => parseManifest(Buffer.from('{"mediaType":"application/x"}'), undefined)).toThrow(
      'unsupported manifest media type application/x'
    )
  })
})

describe('image references', () => {
  test.each([
    ['nginx', 'docker.io', 'library/nginx', 'https://registry-1.docker.io'],
    ['docker.io/nextcloud', 'docker.io', 'library/nextcloud', 'https://registry-1.docker.io'],
    ['ghcr.io/open-webui/open-webui', 'ghcr.io', 'open-webui/open-webui', 'https://ghcr.io'],
    ['lscr.io/linuxserver/sonarr', 'lscr.io', 'linuxserver/sonarr', 'https://lscr.io'],
    ['localhost:5000/app', 'localhost:5000', 'app', 'http://localhost:5000'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000', 'team/app', 'http://127.0.0.1:5000'],
    [
      'registry.example.com:5000/team/app',
      'registry.example.com:5000',
      'team/app',
      'https://registry.example.com:5000'
    ],
    ['[::1]:5000/app', '[::1]:5000', 'app', 'http://[::1]:5000'],
    ['[fd00::5]:5000/team/app', '[fd00::5]:5000', 'team/app', 'https://[fd00::5]:5000'],
    ['[FD00::5]/app', '[fd00::5]', 'app', 'https://[fd00::5]']
  ])('%s', (written, registry, repository, endpoint) => {
    const reference = parseImageReference(written)
    expect(reference).toEqual({ written, registry, repository })
    expect(defaultEndpoint(reference.registry)).toBe(endpoint)
  })

  test.each([
    ['[::1/app', '"[::1" is not a registry host'],
    ['[:::::]:5000/app', '"[:::::]:5000" is not a registry host'],
    ['[fd00::g]:5000/app', '"[fd00::g]:5000" is not a registry host'],
    ['fd00::5/app', '"fd00::5" is not a registry host']
  ])('rejects %s', (written, why) => {
    expect(() => parseImageReference(written)).toThrow(
      `"${written}" is not a valid image name: ${why}`
    )
  })
})

import { createHash } from 'node:crypto'
import {
  parseManifests,
  publishedManifest,
  renderManifests
} from '../src/update/manifests-document.js'
import type { Manifest } from '../src/registry/manifest.js'

const OCI = 'application/vnd.oci.image.manifest.v1+json'
const DOCKER = 'application/vnd.docker.distribution.manifest.v2+json'
const digestOf = (bytes: Uint8Array): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const image: Manifest = { kind: 'image', config: { digest: `sha256:${'c'.repeat(64)}` } }
const body = (document: Record<string, unknown>): Buffer =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, ...document }))

describe('publishedManifest', () => {
  const withType = body({ mediaType: DOCKER, config: {}, layers: [] })
  const untyped = body({ config: {}, layers: [] })
  const accepted: Array<[string, Buffer, string | undefined, string]> = [
    ['its own mediaType wins over the Content-Type', withType, OCI, DOCKER],
    ['no mediaType: the Content-Type when it names a manifest', untyped, `${DOCKER}; x=y`, DOCKER],
    ['no mediaType, a generic Content-Type: OCI', untyped, 'application/json', OCI],
    ['text outside ASCII, kept byte for byte', body({ mediaType: OCI, a: 'é ✓ 😀' }), OCI, OCI]
  ]
  test.each(accepted)('%s', (_, bytes, contentType, mediaType) => {
    const entry = publishedManifest(digestOf(bytes), {
      manifest: image,
      body: bytes,
      ...(contentType ? { contentType } : {})
    })
    expect(entry).toEqual({ mediaType, text: bytes.toString('utf8') })
    expect(digestOf(Buffer.from(entry.text, 'utf8'))).toBe(digestOf(bytes))
  })

  const invalidUtf8 = Buffer.concat([withType.subarray(0, -1), Buffer.from([0xff, 0x7d])])
  const refused: Array<[string, string, Buffer, Manifest, RegExp]> = [
    ['bytes that hash elsewhere', digestOf(untyped), withType, image, /hash to sha256:/],
    ['a sha512 digest', `sha512:${'a'.repeat(128)}`, withType, image, /not a sha256 digest/],
    ['an index', digestOf(withType), withType, { kind: 'index', manifests: [] }, /an index/],
    ['bytes that are not UTF-8', digestOf(invalidUtf8), invalidUtf8, image, /not UTF-8/]
  ]
  test.each(refused)('refuses %s', (_, digest, bytes, manifest, why) => {
    expect(() => publishedManifest(digest, { manifest, body: bytes })).toThrow(why)
  })
})

describe('parseManifests', () => {
  const text = body({ mediaType: OCI, config: {}, layers: [] }).toString('utf8')
  const good = digestOf(Buffer.from(text))
  const other = `sha256:${'e'.repeat(64)}`
  const cases: Array<[string, string | undefined, string[], RegExp[]]> = [
    ['no file: empty, no warning', undefined, [], []],
    ['a good entry is kept', renderManifests({ [good]: { mediaType: OCI, text } }), [good], []],
    ['invalid JSON', '{', [], [/manifests.json: \$: invalid JSON.*\(rule: JSON\)/]],
    ['an array', '[]', [], [/\$: must be an object \(rule: digest → manifest\)/]],
    [
      'a text that hashes elsewhere, beside a good one',
      JSON.stringify({ [good]: { mediaType: OCI, text }, [other]: { mediaType: OCI, text } }),
      [good],
      [
        new RegExp(
          `\\$\\["${other}"\\]: the text hashes to ${good} \\(rule: text hashes to its key\\); dropped`
        )
      ]
    ],
    [
      'a key that is not a sha256 digest',
      JSON.stringify({ latest: { mediaType: OCI, text } }),
      [],
      [/\$\["latest"\]: the key is not sha256:<64 hex> \(rule: sha256 digest key\)/]
    ],
    [
      'an entry without text',
      JSON.stringify({ [good]: { mediaType: OCI } }),
      [],
      [/must be an object with string mediaType and text \(rule: mediaType and text\)/]
    ]
  ]
  test.each(cases)('%s', (_, input, kept, warnings) => {
    const parsed = parseManifests(input, 'manifests.json')
    expect(Object.keys(parsed.manifests)).toEqual(kept)
    expect(parsed.warnings).toHaveLength(warnings.length)
    warnings.forEach((pattern, index) => expect(parsed.warnings[index]).toMatch(pattern))
  })

  test('a file of many bad entries names ten of them and counts the rest', () => {
    const forged = Object.fromEntries(
      Array.from({ length: 25 }, (_, index) => [
        `sha256:${index.toString(16).padStart(64, '0')}`,
        { mediaType: OCI, text }
      ])
    )
    const parsed = parseManifests(JSON.stringify(forged), 'manifests.json')
    expect(parsed.manifests).toEqual({})
    expect(parsed.warnings).toHaveLength(11)
    expect(parsed.warnings[10]).toBe('manifests.json: 15 more entries dropped the same way')
  })

  test('renders sorted, 2-space indented, with a final newline', () => {
    const rendered = renderManifests({
      [other]: { text: 'b', mediaType: OCI },
      [good]: { text: 'a', mediaType: OCI }
    })
    expect(rendered).toBe(
      `{\n  "${good}": {\n    "mediaType": "${OCI}",\n    "text": "a"\n  },\n` +
        `  "${other}": {\n    "mediaType": "${OCI}",\n    "text": "b"\n  }\n}\n`
    )
  })
})

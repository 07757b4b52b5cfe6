import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadImagesConfig, parseImagesConfig } from '../src/update/config.js'

async function configError(document: unknown): Promise<string> {
  try {
    await parseImagesConfig(JSON.stringify(document), 'images.json')
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('images.json', () => {
  test('applies defaults to a bare entry', async () => {
    const [image] = await parseImagesConfig('[{"image": "nginx"}]', 'images.json')
    expect(image!.reference).toEqual({
      written: 'nginx',
      registry: 'docker.io',
      repository: 'library/nginx'
    })
    expect(image!.platforms).toEqual(['linux/amd64', 'linux/arm64'])
    expect(image!.tracks).toEqual(['major', 'major-minor', 'major-minor-patch'])
    expect(image!.tags).toEqual([])
    expect(image!.minVersion).toBeUndefined()
    expect(image!.allowedVersions).toBeUndefined()
    expect(image!.legacy).toBe(false)
    expect(image!.versionsExplicit).toBe(false)
  })

  test('accepts the object form and normalises platform spellings', async () => {
    const [image] = await parseImagesConfig(
      JSON.stringify({
        $schema: './images.schema.json',
        images: [
          { image: 'ghcr.io/open-webui/open-webui', platforms: ['linux/arm64/v8', 'linux/arm'] }
        ]
      }),
      'images.json'
    )
    expect(image!.platforms).toEqual(['linux/arm64', 'linux/arm/v7'])
  })

  test('parses registries with ports and Docker Hub aliases', async () => {
    const images = await parseImagesConfig(
      JSON.stringify([
        { image: 'registry.example.com:5000/team/app' },
        { image: 'index.docker.io/nextcloud' }
      ]),
      'images.json'
    )
    expect(images.map((image) => [image.reference.registry, image.reference.repository])).toEqual([
      ['registry.example.com:5000', 'team/app'],
      ['docker.io', 'library/nextcloud']
    ])
  })

  test('rejects unknown properties naming the JSON path and the rule', async () => {
    expect(await configError([{ image: 'nginx', tag: 'latest' }])).toContain(
      '$[0]: unknown property "tag" (rule: additionalProperties)'
    )
    expect(await configError({ images: [{ image: 'nginx' }], extra: 1 })).toContain(
      '$: unknown property "extra"'
    )
  })

  test('rejects a wrong type, an unknown track kind and a malformed platform', async () => {
    expect(await configError([{ image: 42 }])).toContain('$[0].image: must be string (rule: type)')
    expect(await configError([{ image: 'nginx', tracks: ['minor'] }])).toContain('$[0].tracks[0]')
    expect(await configError([{ image: 'nginx', platforms: ['amd64'] }])).toContain(
      '$[0].platforms[0]: must match pattern'
    )
    expect(await configError({ images: [{ image: 'nginx', minVersion: '1.x' }] })).toContain(
      '$.images[0].minVersion: must match pattern'
    )
  })

  test('manifests: false switches publishing off for the entry; anything but a boolean is refused', async () => {
    const [off, on, unset] = await parseImagesConfig(
      JSON.stringify([
        { image: 'nginx', manifests: false },
        { image: 'redis', manifests: true },
        { image: 'postgres' }
      ]),
      'images.json'
    )
    expect(off!.manifests).toBe(false)
    expect(on!.manifests).toBeUndefined()
    expect(unset!.manifests).toBeUndefined()
    expect(await configError([{ image: 'nginx', manifests: 'no' }])).toContain(
      '$[0].manifests: must be boolean (rule: type)'
    )
  })

  test('rejects an invalid regex or one without a major group', async () => {
    expect(await configError([{ image: 'nginx', tagPattern: '(' }])).toMatch(
      /\$\[0\]\.tagPattern: invalid regular expression: .* \(rule: regular expression\)/
    )
    expect(await configError([{ image: 'nginx', tagPattern: '^(?<minor>\\d+)$' }])).toContain(
      '(rule: named group major)'
    )
  })

  test('rejects a malformed reference, duplicate images and duplicate platforms', async () => {
    expect(await configError([{ image: 'docker.io/Nextcloud' }])).toContain(
      '$[0].image: "docker.io/Nextcloud" is not a valid image name'
    )
    expect(await configError([{ image: 'nginx:1.27' }])).toContain('put tags in "tags"')
    expect(await configError([{ image: 'nginx' }, { image: 'nginx' }])).toContain(
      '$[1].image: "nginx" is listed twice'
    )
    expect(
      await configError([{ image: 'nginx', platforms: ['linux/arm64', 'linux/arm64/v8'] }])
    ).toContain('$[0].platforms[1]')
  })

  test('maps the Renovate-based flake’s initialMajor* fields', async () => {
    const images = await parseImagesConfig(
      JSON.stringify([
        {
          image: 'ghcr.io/open-webui/open-webui',
          platforms: ['linux/amd64', 'linux/arm64'],
          initialMajor: [],
          initialMajorMinor: ['0.6', '0.6-ollama'],
          initialMajorMinorPatch: ['0.6.22', 'v0.6.18', 'main-ollama', 'main']
        },
        {
          image: 'docker.io/nextcloud',
          initialMajor: ['30'],
          initialMajorMinor: ['30.0'],
          initialMajorMinorPatch: []
        }
      ]),
      'images.json'
    )
    expect(images[0]).toMatchObject({
      legacy: true,
      tracks: ['major-minor', 'major-minor-patch'],
      minVersion: [0, 6],
      tags: ['0.6-ollama', 'main-ollama', 'main']
    })
    expect(images[1]).toMatchObject({
      tracks: ['major', 'major-minor'],
      minVersion: [30],
      tags: []
    })
    expect(
      await configError([{ image: 'nginx', initialMajor: ['1'], tracks: ['major'] }])
    ).toContain('$[0].tracks: "tracks" cannot be combined with the legacy')
  })

  test('invalid JSON and unreadable files name the file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'config-'))
    const path = join(folder, 'images.json')
    writeFileSync(path, '[{"image": "nginx",]')
    await expect(loadImagesConfig(path)).rejects.toThrow(`${path}: invalid JSON:`)
    await expect(loadImagesConfig(join(folder, 'missing.json'))).rejects.toThrow(
      'missing.json: cannot read'
    )
  })

  test('the shipped images.json is valid', async () => {
    const images = await loadImagesConfig('images.json')
    expect(images.length).toBeGreaterThanOrEqual(10)
  })
})

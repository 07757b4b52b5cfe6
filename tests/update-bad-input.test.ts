// Bad input is refused before anything is written: the message names the file, the JSON path
// and the rule, and digests.json keeps its exact bytes.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'

const PREVIOUS =
  '{\n  "nginx": {\n    "1": {\n      "linux/amd64": "nginx:1.27.3@sha256:' +
  'b'.repeat(64) +
  '"\n    }\n  }\n}\n'

async function refused(images: unknown, args: string[] = []): Promise<string> {
  const folder = workspace(images)
  const digests = join(folder, 'digests.json')
  writeFileSync(digests, PREVIOUS)
  const mtime = statSync(digests).mtimeMs
  // Nothing here may reach a registry: point Docker Hub at a closed port.
  const run = await runCli(['update', '--mirror', 'docker.io=http://127.0.0.1:9', ...args], {
    cwd: folder
  })
  expect(run.code).toBe(2)
  expect(run.stdout).toBe('')
  expect(readFileSync(digests, 'utf8')).toBe(PREVIOUS)
  expect(statSync(digests).mtimeMs).toBe(mtime)
  expect(() => statSync(join(folder, 'digests.state.json'))).toThrow()
  return run.stderr
}

describe('bad input', () => {
  test('invalid JSON', async () => {
    expect(await refused('[{"image": "nginx"')).toMatch(/images\.json: invalid JSON: /)
  })
  test('a schema violation names the JSON path and the rule', async () => {
    const stderr = await refused({
      images: [{ image: 'nginx' }, { image: 'redis', tracks: ['minor'] }]
    })
    expect(stderr).toContain('images.json: does not match images.schema.json')
    expect(stderr).toContain('$.images[1].tracks[0]: must be equal to one of the allowed values')
    expect(stderr).toContain('(rule: enum)')
  })
  test('an unknown property', async () => {
    expect(await refused([{ image: 'nginx', platform: 'linux/amd64' }])).toContain(
      '$[0]: unknown property "platform" (rule: additionalProperties)'
    )
  })
  test('an invalid regex', async () => {
    expect(await refused([{ image: 'nginx', tagPattern: '^(?<major>\\d+' }])).toMatch(
      /\$\[0\]\.tagPattern: invalid regular expression: .*\(rule: regular expression\)/
    )
  })
  test('a malformed platform and a malformed reference', async () => {
    expect(await refused([{ image: 'nginx', platforms: ['linux'] }])).toContain(
      '$[0].platforms[0]: must match pattern'
    )
    expect(await refused([{ image: 'ghcr.io/Open-WebUI/open-webui' }])).toContain(
      '$[0].image: "ghcr.io/Open-WebUI/open-webui" is not a valid image name'
    )
  })
  test('a corrupt digests.json is not overwritten', async () => {
    const folder = workspace([{ image: 'nginx' }])
    writeFileSync(join(folder, 'digests.json'), '{"nginx": [')
    const run = await runCli(['update', '--mirror', 'docker.io=http://127.0.0.1:9'], {
      cwd: folder
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('digests.json: invalid JSON')
    expect(readFileSync(join(folder, 'digests.json'), 'utf8')).toBe('{"nginx": [')
  })
  test('usage errors', async () => {
    expect(await refused([{ image: 'nginx' }], ['--mirror', 'docker.io'])).toContain(
      'must be REGISTRY=URL'
    )
    expect(await refused([{ image: 'nginx' }], ['--timeout', 'soon'])).toContain(
      '--timeout must be a positive number'
    )
  })
  test('a missing, unknown or extra command word names the commands there are', async () => {
    const folder = workspace([])
    const cases: [string[], string][] = [
      [[], 'no command given: update, check or pin'],
      [['updte'], 'unknown command "updte": the commands are update, check and pin'],
      [['update', 'now'], 'update takes no arguments, got "now"']
    ]
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: folder })
      expect(run.code).toBe(2)
      expect(run.stderr).toContain(message)
      expect(run.stderr).toContain('Run "nix-oci-hashes --help" for usage.')
    }
  })
})

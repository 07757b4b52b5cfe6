// Input an adversary controls, end to end through the bundled CLI against the real registry:
// tag patterns from images.json that would backtrack, patterns that only look like they name a
// group, and durations past what a date can hold.
import { runCli, workspace } from './harness/cli.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex, type Platform } from './harness/seed.js'
import { readDigests } from './harness/documents.js'

const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
// `(\d+)+` backtracks exponentially on a run of digits that ends in a non-digit.
const CATASTROPHIC = String.raw`^(?<major>(\d+)+)$`
const HOSTILE_TAG = '1'.repeat(60) + 'a'

describe('hostile input to the updater', () => {
  let registry: TestRegistry
  let host: string
  let app: string

  beforeAll(async () => {
    registry = await startRegistry()
    host = registry.host
    app = (await pushIndex(registry, 'example/app', ['1', '2', HOSTILE_TAG], [AMD64])).manifests[
      'linux/amd64'
    ]!
  })
  afterAll(async () => {
    await registry?.stop()
  })

  test('a backtracking tagPattern against a hostile tag finishes and publishes the other tags', async () => {
    const image = `${host}/example/app`
    const folder = workspace([
      { image, tracks: ['major'], platforms: ['linux/amd64'], tagPattern: CATASTROPHIC }
    ])
    // Bounded well below the time a backtracking engine needs for this tag.
    const run = await runCli(['update'], { cwd: folder, timeoutMs: 30_000 })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    expect(readDigests(folder)).toEqual({
      [image]: {
        '1': { 'linux/amd64': `${image}:1@${app}` },
        '2': { 'linux/amd64': `${image}:2@${app}` }
      }
    })
  })
})

describe('hostile images.json refused at load', () => {
  async function refused(entry: Record<string, unknown>): Promise<string> {
    const folder = workspace([{ image: 'nginx', ...entry }])
    // Nothing here may reach a registry: point Docker Hub at a closed port.
    const run = await runCli(['update', '--mirror', 'docker.io=http://127.0.0.1:9'], {
      cwd: folder
    })
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    return run.stderr
  }

  test('a minimumReleaseAge past any date names the file, the JSON path and the rule', async () => {
    expect(await refused({ minimumReleaseAge: '99999999999999999999d' })).toContain(
      'images.json: $[0].minimumReleaseAge: "99999999999999999999d" is longer than the maximum of 365 days (rule: duration)'
    )
    expect(await refused({ minimumReleaseAge: '300d2000h' })).toContain('(rule: duration)')
  })

  test('an escaped group that only looks like (?<major> is refused, not run to no tracks', async () => {
    expect(await refused({ tagPattern: String.raw`^\(?<major>\d+\)?$` })).toContain(
      'images.json: $[0].tagPattern: the pattern must capture a named group "major" (rule: named group major)'
    )
  })

  test('lookbehinds, lookaheads and backreferences are refused naming the rule', async () => {
    const cases: Array<[string, string]> = [
      [String.raw`^(?<=v)(?<major>\d+)$`, 'lookbehind'],
      [String.raw`^(?!0)(?<major>\d+)$`, 'lookahead'],
      [String.raw`^(?<major>\d+)\.\1$`, 'backreference'],
      [String.raw`^(?<major>\d+)\.\k<major>$`, 'backreference']
    ]
    for (const [pattern, construct] of cases) {
      const stderr = await refused({ tagPattern: pattern })
      expect(stderr).toContain(`images.json: $[0].tagPattern: `)
      expect(stderr).toContain(construct)
      expect(stderr).toContain('(rule: linear-time regular expression)')
    }
  })
})

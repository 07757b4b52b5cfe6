// `check --format sarif` as GitHub code scanning reads it, the top-level help, and the docs'
// pre-commit section against .pre-commit-hooks.yaml.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { runCli } from './harness/cli.js'
import { fixtureTree, seededRegistrySuite } from './harness/reference-fixtures.js'
import { multitoolValidate, sarifSchemaErrors } from './harness/sarif-validators.js'

interface Sarif {
  version: string
  runs: Array<{
    tool: {
      driver: {
        name: string
        version: string
        rules: Array<{
          id: string
          name: string
          help: { text: string }
          shortDescription: { text: string }
        }>
      }
    }
    results: Array<{
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string }
          region: { startLine: number; startColumn: number }
        }
      }>
    }>
  }>
}

describe('check --format sarif', () => {
  const suite = seededRegistrySuite()

  test('every finding of the JSON report is a result at the same place, its rule described', async () => {
    const tree = fixtureTree('rules', suite.digests())
    const json = await suite.cli(tree, 'check', '--format', 'json')
    const sarifRun = await suite.cli(tree, 'check', '--format', 'sarif')
    expect(sarifRun.code).toBe(json.code)
    const findings = (
      JSON.parse(json.stdout) as {
        findings: Array<{
          rule: string
          severity: string
          file: string
          line: number
          column?: number
          message: string
        }>
      }
    ).findings
    const sarif = JSON.parse(sarifRun.stdout) as Sarif
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs).toHaveLength(1)
    const [run] = sarif.runs
    expect(run!.tool.driver.name).toBe('nix-oci-hashes')
    const level = { error: 'error', warning: 'warning', info: 'note' } as Record<string, string>
    expect(
      run!.results.map((r) => {
        const { artifactLocation, region } = r.locations[0]!.physicalLocation
        return [
          r.ruleId,
          r.level,
          artifactLocation.uri,
          region.startLine,
          region.startColumn,
          r.message.text
        ]
      })
    ).toEqual(
      findings.map((f) => [f.rule, level[f.severity], f.file, f.line, f.column ?? 1, f.message])
    )
    for (const result of run!.results) {
      const rule = run!.tool.driver.rules[result.ruleIndex]!
      expect([rule.id, rule.help.text.length > 20]).toEqual([result.ruleId, true])
      expect(result.locations[0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%')
    }
    expect(findings.length).toBeGreaterThan(10)
  })

  test('run in a subfolder, paths are still relative to the repository root, and escaped as URIs', async () => {
    const tree = fixtureTree('rules', suite.digests())
    mkdirSync(join(tree, '.git'))
    mkdirSync(join(tree, 'odd dir'))
    writeFileSync(join(tree, 'odd dir/a#b.nix'), '{ x.image = "nginx"; }\n')
    const sub = join(tree, 'broken')
    const run = await runCli(
      ['check', '--offline', '--format', 'sarif', '.', '../containers.nix', '../odd dir'],
      { cwd: sub }
    )
    const uris = (JSON.parse(run.stdout) as Sarif).runs[0]!.results.map(
      (r) => r.locations[0]!.physicalLocation.artifactLocation.uri
    )
    expect([...new Set(uris)].sort()).toEqual([
      'broken/deployment.yaml',
      'containers.nix',
      'odd%20dir/a%23b.nix'
    ])
  })
})

// The SARIF SDK's advice that does not fit a log GitHub code scanning reads, each note with why.
const ADVICE_NOT_TAKEN = new Set([
  // Message ids and arguments instead of text: code scanning requires flattened text (GH rules).
  'SARIF2002',
  // versionControlProvenance: upload-sarif sends the commit and ref itself.
  'SARIF2003',
  // URIs that answer a GET: the validator runs offline here.
  'SARIF2006',
  // Ids like AB1234: ours are the names docs, suppression comments and --format json use.
  'SARIF2009',
  // Snippets and context regions would copy the user's files into the log; GitHub shows the code.
  'SARIF2010',
  'SARIF2011'
])

describe('the SARIF log validates', () => {
  const suite = seededRegistrySuite()

  async function logs(): Promise<Array<[string, string]>> {
    const rules = fixtureTree('rules', suite.digests())
    const homelab = fixtureTree('homelab', {})
    const clean = fixtureTree('rules', suite.digests())
    writeFileSync(join(clean, '.nix-oci-hashes-empty.nix'), '{ }\n')
    const runs = await Promise.all([
      suite.cli(rules, 'check', '--format', 'sarif'),
      runCli(['check', '--offline', '--format', 'sarif'], { cwd: homelab }),
      suite.cli(clean, 'check', '--format', 'sarif', '.nix-oci-hashes-empty.nix')
    ])
    for (const run of runs) if (run.code === 2) throw new Error(run.stderr)
    return [
      ['registry rules', runs[0]!.stdout],
      ['version sync', runs[1]!.stdout],
      ['no findings', runs[2]!.stdout]
    ]
  }

  test('against the SARIF 2.1.0 schema and the SARIF SDK validator with GitHub rules', async () => {
    const checked = await logs()
    const fired = new Set(
      checked.flatMap(([, text]) =>
        (JSON.parse(text) as Sarif).runs[0]!.results.map((r) => r.ruleId)
      )
    )
    // Enough kinds of finding that every shape of result is in some log.
    expect(fired.size).toBeGreaterThanOrEqual(8)
    for (const [name, text] of checked) {
      const log = JSON.parse(text) as Sarif
      expect([name, sarifSchemaErrors(log)]).toEqual([name, []])
      const reported = await multitoolValidate(text)
      expect([name, reported.filter((r) => !ADVICE_NOT_TAKEN.has(r.ruleId))]).toEqual([name, []])
      expect(reported.every((r) => r.level === 'note')).toBe(true)
    }
  }, 240_000)

  test('both judges refuse what code scanning would refuse', async () => {
    const [, text] = (await logs())[0]!
    const log = JSON.parse(text) as Sarif
    const [run] = log.runs
    run!.results[0]!.level = 'info'
    run!.results[1]!.locations[0]!.physicalLocation.region.startLine = 0
    expect(sarifSchemaErrors(log)).toEqual([
      '/runs/0/results/0/level: must be equal to one of the allowed values',
      '/runs/0/results/1/locations/0/physicalLocation/region/startLine: must be >= 1'
    ])
    const forged = JSON.parse(text) as Sarif
    forged.runs[0]!.tool.driver.rules[0]!.name = forged.runs[0]!.tool.driver.rules[0]!.id
    ;(forged.runs[0]!.results[0]!.message as unknown) = { id: 'default' }
    const reported = await multitoolValidate(JSON.stringify(forged))
    const errors = new Set(reported.filter((r) => r.level !== 'note').map((r) => r.ruleId))
    // SARIF1001: a rule's name equal to its id; GH1015: a result message code scanning cannot show.
    expect([errors.has('SARIF1001'), errors.has('GH1015')]).toEqual([true, true])
  }, 240_000)

  test('the tool names its version, and every rule is in the docs', async () => {
    const [, text] = (await logs())[0]!
    const { driver } = (JSON.parse(text) as Sarif).runs[0]!.tool
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    expect(driver.version).toBe(pkg.version)
    const version = await runCli(['--version'], { cwd: process.cwd() })
    expect(version.stdout).toBe(`nix-oci-hashes ${pkg.version}\n`)
    const docs = readFileSync('docs/check.md', 'utf8')
    const table = docs.slice(
      docs.indexOf('## Rules'),
      docs.indexOf('\n## ', docs.indexOf('## Rules') + 1)
    )
    const documented = [...table.matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1])
    expect(documented.sort()).toEqual(driver.rules.map((r) => r.id).sort())
    for (const rule of driver.rules) expect(rule.name.toLowerCase()).not.toBe(rule.id.toLowerCase())
  }, 120_000)
})

describe('help and the pre-commit hooks', () => {
  test("nix-oci-hashes --help lists the commands, not one command's options", async () => {
    for (const args of [['--help'], ['-h']]) {
      const run = await runCli(args, { cwd: process.cwd() })
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^Usage: nix-oci-hashes COMMAND \[options\]/)
      for (const command of ['update', 'check', 'pin'])
        expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
      expect(run.stdout).not.toContain('--images')
    }
    const update = await runCli(['update', '--help'], { cwd: process.cwd() })
    expect(update.stdout).toMatch(/^Usage: nix-oci-hashes update/)
  })

  test('docs/check.md says what .pre-commit-hooks.yaml does', () => {
    const hooks = parseYaml(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as Array<{
      id: string
      language: string
      entry: string
    }>
    const docs = readFileSync('docs/check.md', 'utf8')
    const section = docs.slice(
      docs.indexOf('## pre-commit'),
      docs.indexOf('\n## ', docs.indexOf('## pre-commit') + 1)
    )
    for (const hook of hooks) {
      expect(section).toContain(`id: ${hook.id}`)
      expect(section).toContain(`\`language: ${hook.language}\``)
      expect(section).toContain(`\`${hook.entry}\``)
    }
    const languages = [...section.matchAll(/`language: (\w+)`/g)].map((m) => m[1])
    expect(new Set(languages)).toEqual(new Set(hooks.map((h) => h.language)))
  })
})

// `check --format sarif` as GitHub code scanning reads it, the top-level help, and the docs'
// pre-commit section against .pre-commit-hooks.yaml.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { runCli } from './harness/cli.js'
import { fixtureTree, seededRegistrySuite } from './harness/reference-fixtures.js'

interface Sarif {
  version: string
  runs: Array<{
    tool: {
      driver: {
        name: string
        rules: Array<{ id: string; help: { text: string }; shortDescription: { text: string } }>
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

// The check: load the sources, parse every reference, apply the rules, sort what they found.
import type { RegistryClient } from '../registry/client.js'
import { sortFindings, type CheckedReference, type Finding } from './findings.js'
import { parseReferenceText } from './image-reference-text.js'
import { loadSources, type Skipped } from './load-sources.js'
import { consistencyFindings } from './rules/consistency.js'
import { splitMissing } from './missing-paths.js'
import { registryFindings } from './rules/registry.js'
import { syntaxFindings } from './rules/syntax.js'

export interface CheckOptions {
  paths: string[]
  cwd: string
  /** Null checks the syntax-level rules only. */
  client: RegistryClient | null
  /** Globs (relative to cwd) of files left out. */
  exclude?: readonly string[]
}

export interface CheckResult {
  findings: Finding[]
  files: number
  /** References checked. */
  references: number
  missing: string[]
  /** References and files not checked because they could not be resolved (Helm templates). */
  skipped: Skipped[]
  /** References an inline comment turns every rule off for. */
  ignored: number
  /** Files an --exclude glob left out. */
  excluded: number
}

/** Scans the paths and applies every rule; with a client, also the registry rules. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const sources = await loadSources(options.paths, options.cwd, options.exclude)
  const findings = [...sources.findings]
  const { missing, unreachable } = await splitMissing(sources.missing, options.cwd)
  for (const { argument, message } of unreachable)
    findings.push({ rule: 'unreadable-file', severity: 'error', file: argument, line: 1, message })
  const references: CheckedReference[] = []
  let count = 0
  for (const { file, references: found } of sources.files) {
    for (const reference of found) {
      count++
      const at = { file: file.display, line: reference.line, column: reference.column }
      try {
        references.push({
          ...reference,
          file: file.display,
          parsed: parseReferenceText(reference.value)
        })
      } catch (error) {
        findings.push({
          rule: 'invalid-reference',
          severity: 'error',
          ...at,
          reference: reference.value,
          message: (error as Error).message
        })
      }
    }
  }
  for (const reference of references) findings.push(...syntaxFindings(reference))
  findings.push(...consistencyFindings(references))
  if (options.client) {
    const client = options.client
    const online = await Promise.all(references.map((ref) => registryFindings(client, ref)))
    for (const list of online) findings.push(...list)
  }
  // `ignore[rule]` comments turn rules off for the reference at their line.
  const off = new Map<string, string[]>()
  for (const ref of references)
    if (ref.ignoreRules) off.set(`${ref.file}:${ref.line}`, ref.ignoreRules)
  const kept = findings.filter((f) => !off.get(`${f.file}:${f.line}`)?.includes(f.rule))
  return {
    findings: sortFindings(kept),
    files: sources.files.length,
    references: count,
    missing,
    skipped: sources.skipped,
    ignored: sources.ignored,
    excluded: sources.excluded
  }
}

// SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules with their help, and each
// finding as a result at a path relative to the repository root (where code scanning resolves it).
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { TOOL_NAME, TOOL_VERSION } from '../common/tool-version.js'
import type { Finding, Severity } from './findings.js'
import { findRepositoryRoot } from './repository-root.js'
import { RULES, RULE_IDS } from './rules/catalogue.js'
import type { CheckResult } from './run-check.js'

const DOCS = 'https://github.com/nix-oci-hashes/nix-oci-hashes/blob/main/docs/check.md'

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note'
}

/** Paths in SARIF are relative to the repository root (else the working directory). */
export interface SarifBase {
  cwd: string
  root: string
}

export async function sarifBase(cwd: string): Promise<SarifBase> {
  return { cwd, root: (await findRepositoryRoot(cwd)) ?? cwd }
}

function artifactUri(file: string, base: SarifBase): string {
  const path = resolve(base.cwd, file)
  const rel = relative(base.root, path)
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
  const parts = (inside ? rel : path).split(sep).map(encodeURIComponent).join('/')
  return inside ? parts : `file://${parts}`
}

export function formatSarif(result: CheckResult, base: SarifBase): string {
  // Every rule is described whether or not it fired: the indexes results point at stay the same
  // from run to run.
  const index = new Map(RULE_IDS.map((id, i) => [id, i]))
  const rules = RULE_IDS.map((id) => {
    const { name, help: text } = RULES[id]
    return {
      id,
      name,
      shortDescription: { text },
      fullDescription: { text },
      helpUri: `${DOCS}#rules`,
      help: {
        text: `${text} See ${DOCS}#rules`,
        markdown: `${text} See [the rules](${DOCS}#rules).`
      }
    }
  })
  const results = result.findings.map((f: Finding) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: LEVELS[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.file, base), uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column ?? 1) }
        }
      }
    ],
    ...(f.suggestion ? { properties: { suggestion: f.suggestion } } : {})
  }))
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: DOCS,
            rules
          }
        },
        results,
        columnKind: 'unicodeCodePoints'
      }
    ]
  }
  return JSON.stringify(log, null, 2) + '\n'
}

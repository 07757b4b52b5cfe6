// SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules with their help, and each
// finding as a result at a path relative to the repository root (where code scanning resolves it).
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type { Finding, Severity } from './findings.js'
import { findRepositoryRoot } from './repository-root.js'
import type { CheckResult } from './run-check.js'

const DOCS = 'https://github.com/nix-oci-hashes/nix-oci-hashes/blob/main/docs/check.md'

// One line per rule: what it finds and what to do. Rules added later fall back to the docs.
const RULES = new Map<string, string>([
  ['no-tag', 'A reference without a tag means :latest; name a version tag and pin its digest.'],
  ['latest-tag', 'The latest tag says nothing about the version; use a version tag.'],
  ['unpinned', 'A tag without a digest can change under you; `nix-oci-hashes pin` adds it.'],
  ['digest-without-tag', 'A digest without a tag is pinned, but nobody can read its version.'],
  ['invalid-reference', 'The text is not a valid image reference.'],
  ['inconsistent-references', 'One image is used at different versions or digests in one project.'],
  ['tag-not-found', 'The tag does not exist in the registry (or no longer does).'],
  ['digest-not-found', 'The pinned digest does not exist in the registry: a broken pin.'],
  ['tag-moved', 'The tag now points to another image; the message gives the new digest.'],
  ['index-digest-for-platform', 'A multi-platform index is pinned where one platform runs.'],
  ['platform-mismatch', "The pinned digest is another platform's image."],
  ['registry-error', 'The registry could not be asked; the reference was not checked.'],
  ['unreadable-file', 'The file cannot be read; it was not checked.'],
  ['binary-file', 'A file named like a configuration file holds binary data.'],
  ['malformed-file', 'The file does not parse; it was not checked.'],
  ['unknown-image', 'imageTrack / lib.image names an image the published digests do not have.'],
  ['unknown-track', 'imageTrack / lib.image names a track the published digests do not have.'],
  ['refused-entry', 'The published entry it looks up is outside the grammar the flake accepts.'],
  ['version-mismatch', "The places that declare one application's version disagree."],
  ['version-missing', "A place configured to declare an application's version does not."],
  ['no-build-file', 'A folder the version sync covers has none of the build files it expects.']
])

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
  const ids = [...new Set([...RULES.keys(), ...result.findings.map((f) => f.rule)])]
  const rules = ids.map((id) => {
    const text = RULES.get(id) ?? `See the ${id} rule in the documentation.`
    return {
      id,
      name: id.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase()),
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
    ruleIndex: ids.indexOf(f.rule),
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
        tool: { driver: { name: 'nix-oci-hashes', informationUri: DOCS, rules } },
        results,
        columnKind: 'unicodeCodePoints'
      }
    ]
  }
  return JSON.stringify(log, null, 2) + '\n'
}

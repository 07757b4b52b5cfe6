// Reading what the check is pointed at: find the files, decode them, run the scanner for each
// file kind, apply kustomizations and inline suppressions. A file that cannot be read or scanned
// becomes a finding, not a failure; what cannot be resolved is skipped and counted.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse as parseDotenv } from 'dotenv'
import type { Finding } from './findings.js'
import { applyKustomizations, readKustomization, type KustomizeInput } from './kustomize.js'
import {
  ScanError,
  looksLikeKubernetes,
  scanText,
  type FoundReference
} from './reference-scanner.js'
import type { VariableLookup } from './scanners/variables.js'
import { discoverFiles, type SourceFile } from './source-files.js'
import { readRepositoryConfig } from './repository-config.js'
import { FileContext } from './file-context.js'
import { markNotPulled } from './not-pulled.js'
import { templateMarker } from './scanners/yaml-template.js'
import { suppressionAt } from './suppression.js'

export interface LoadedFile {
  file: SourceFile
  /** The file's bytes decoded as latin1: one character per byte, so offsets are byte offsets. */
  text: string
  references: FoundReference[]
}

/** A reference (or a whole file) not checked because it could not be resolved. */
export interface Skipped {
  file: string
  line: number
  reason: string
  reference?: string
}

export interface LoadedSources {
  files: LoadedFile[]
  /** Per-file problems: unreadable, binary, malformed. */
  findings: Finding[]
  /** Arguments naming nothing on disk. */
  missing: string[]
  skipped: Skipped[]
  /** References an inline comment turns every rule off for. */
  ignored: number
  /** Files an --exclude glob left out. */
  excluded: number
}

const BINARY_SNIFF_BYTES = 8000

/** Why a YAML file is a template, rendered before it is YAML, or null when it is YAML. */
async function templateReason(
  file: SourceFile,
  text: string,
  context: FileContext
): Promise<{ line: number; reason: string } | null> {
  const chart = await context.chartOfTemplate(file.path)
  if (chart !== null) {
    const where = join(context.display(chart), 'templates')
    return { line: 1, reason: `a Helm template (under ${where}/): rendered before it is YAML` }
  }
  const marker = templateMarker(text)
  if (marker === null) return null
  const line = text.slice(0, marker).split('\n').length
  const what = text.startsWith('{%', marker) ? '{%' : '{{'
  return {
    line,
    reason: `a template (${what} outside comments and quoted strings): rendered before it is YAML`
  }
}

/** Finds, reads and scans every file; a file that cannot be read becomes a finding. */
export async function loadSources(
  paths: string[],
  cwd: string,
  exclude: readonly string[] = []
): Promise<LoadedSources> {
  // The repository's own exclude list adds to the command line's.
  const config = await readRepositoryConfig(cwd)
  const discovery = await discoverFiles(paths, cwd, [...config.exclude, ...exclude])
  const findings: Finding[] = discovery.unreadable.map(({ display, message }) => ({
    rule: 'unreadable-file',
    severity: 'error',
    file: display,
    line: 1,
    message: `cannot read the directory: ${message}`
  }))
  const skipped: Skipped[] = []
  const context = new FileContext(cwd)
  const dotenvCache = new Map<string, Promise<VariableLookup>>()
  const inputs: Array<KustomizeInput & { file: SourceFile }> = []
  const fileProblem = (file: SourceFile, rule: Finding['rule'], message: string, line = 1) =>
    findings.push({
      rule,
      severity: rule === 'binary-file' ? 'warning' : 'error',
      file: file.display,
      line,
      message
    })
  for (const file of discovery.files) {
    let bytes: Buffer
    try {
      bytes = await readFile(file.path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      fileProblem(
        file,
        'unreadable-file',
        `cannot read the file${code ? ` (${code})` : ''}: not checked`
      )
      continue
    }
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      fileProblem(
        file,
        'binary-file',
        `binary content in a file named like a ${file.kind === 'kubernetes' ? 'YAML' : file.kind} file: not checked`
      )
      continue
    }
    const text = bytes.toString('latin1')
    const template =
      file.kind === 'kubernetes' || file.kind === 'compose'
        ? await templateReason(file, text, context)
        : null
    if (template) {
      skipped.push({ file: file.display, ...template })
      continue
    }
    try {
      const env =
        file.kind === 'compose'
          ? await dotenvBeside(file, dotenvCache)
          : file.kind === 'dockerfile'
            ? await context.bakeDefaults(file.path)
            : undefined
      const hints = { chartReadsDigest: await context.chartReadsDigest(file.path) }
      const kustomization = file.kind === 'kustomization' ? readKustomization(text) : null
      const references = scanText(file.kind, text, env, hints)
      inputs.push({ file, path: file.path, display: file.display, text, kustomization, references })
    } catch (error) {
      const line = error instanceof ScanError ? error.line : 1
      const message = error instanceof Error ? error.message : String(error)
      // YAML that is not a manifest may be anything (a data file, an unrendered template).
      if (file.kind === 'kubernetes' && !looksLikeKubernetes(text))
        skipped.push({ file: file.display, line, reason: `${message}: not read` })
      else fileProblem(file, 'malformed-file', `${message}: not checked`, line)
    }
  }
  applyKustomizations(inputs)
  markNotPulled(inputs)
  let ignored = 0
  const files: LoadedFile[] = inputs.map(({ file, text, references }) => {
    const lines = text.split('\n')
    const kept: FoundReference[] = []
    for (const reference of references) {
      const suppressed = suppressionAt(lines, reference.line)
      if (suppressed === 'all') ignored++
      else if (reference.unresolved) {
        const { line, unresolved: reason, value } = reference
        skipped.push({ file: file.display, line, reason, reference: value })
      } else kept.push(suppressed ? { ...reference, ignoreRules: suppressed } : reference)
    }
    return { file, text, references: kept }
  })
  return {
    files,
    findings,
    missing: discovery.missing,
    skipped,
    ignored,
    excluded: discovery.excluded
  }
}

/** compose reads `.env` from the folder the compose file is in. */
function dotenvBeside(
  file: SourceFile,
  dotenvCache: Map<string, Promise<VariableLookup>>
): Promise<VariableLookup> {
  const folder = dirname(file.path)
  let lookup = dotenvCache.get(folder)
  if (!lookup) {
    const display = join(dirname(file.display), '.env')
    lookup = readFile(join(folder, '.env'), 'latin1').then(
      (text) => {
        const values = parseDotenv(text)
        const lines = text.split('\n')
        // Once per name: a compose file may use one variable in a great many references.
        const known = new Map<string, { value: string; where: string }>()
        return (name: string) => {
          const value = values[name]
          if (value === undefined) return undefined
          let found = known.get(name)
          if (!found) {
            const setting = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`)
            const line = lines.findIndex((l) => setting.test(l))
            found = { value, where: `${display}:${line + 1}` }
            known.set(name, found)
          }
          return found
        }
      },
      () => () => undefined
    )
    dotenvCache.set(folder, lookup)
  }
  return lookup
}

// The check: load the sources, parse every reference, apply the rules, sort what they found.
import { basename, dirname } from 'node:path'
import { appendAll } from '../common/arrays.js'
import type { RegistryClient } from '../registry/client.js'
import { sortFindings, type CheckedReference, type Finding } from './findings.js'
import { parseReferenceText } from './image-reference-text.js'
import { loadSources, type Skipped } from './load-sources.js'
import { consistencyFindings } from './rules/consistency.js'
import { readRepositoryConfig } from './repository-config.js'
import { changedFiles, versionSyncFindings } from './version-sync.js'
import { splitMissing } from './missing-paths.js'
import { registryFindings } from './rules/registry.js'
import { publishedFindings } from './rules/published.js'
import { publishedSource, registrySource, type DigestSource } from './digest-source.js'
import type { PublishedDigests } from './published-digests.js'
import type { FoundReference } from './reference-scanner.js'
import { syntaxFindings } from './rules/syntax.js'

export interface CheckOptions {
  paths: string[]
  cwd: string
  /** Null checks the syntax-level rules only. */
  client: RegistryClient | null
  /** Published data: our own API's images and tracks are looked up there, and pins suggested. */
  published?: PublishedDigests | null
  /** Globs (relative to cwd) of files left out. */
  exclude?: readonly string[]
  /** --changed-since: the version sync checks only what changed since this git revision. */
  changedSince?: string | undefined
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
  /** References to our own API not looked up, because no published data was found. */
  unverifiedTracks: number
}

/** Scans the paths and applies every rule; with a client, also the registry rules. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const sources = await loadSources(options.paths, options.cwd, options.exclude)
  const findings = [...sources.findings]
  const { missing, unreachable } = await splitMissing(sources.missing, options.cwd)
  for (const { argument, message } of unreachable)
    findings.push({ rule: 'unreadable-file', severity: 'error', file: argument, line: 1, message })
  const references: CheckedReference[] = []
  const tracked: Array<FoundReference & { file: string }> = []
  let count = 0
  for (const { file, references: found } of sources.files) {
    for (const reference of uniqueReferences(found)) {
      count++
      if (reference.track) {
        tracked.push({ ...reference, file: file.display })
        continue
      }
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
  const published = options.published ?? null
  if (published) appendAll(findings, publishedFindings(published, tracked))
  // The registry is the truth when it is asked; published data may be a day old.
  const source = options.client
    ? registrySource(options.client)
    : published
      ? publishedSource(published)
      : null
  // Without a digest source nothing waits: no promise per reference.
  const syntax = source
    ? await Promise.all(
        references.map((reference) => withSuggestion(syntaxFindings(reference), reference, source))
      )
    : references.map(syntaxFindings)
  for (const list of syntax) appendAll(findings, list)
  const config = await readRepositoryConfig(options.cwd)
  // Each builds or deploys on its own: a compose project, an image, a kustomization, a chart.
  const projectFolders = new Set(
    sources.files
      .filter(
        ({ file }) =>
          ['compose', 'dockerfile', 'kustomization'].includes(file.kind) ||
          basename(file.path) === 'Chart.yaml'
      )
      .map(({ file }) => dirname(file.path))
  )
  appendAll(findings, consistencyFindings(references, { config, cwd: options.cwd, projectFolders }))
  const changed = options.changedSince
    ? await changedFiles(options.changedSince, options.cwd)
    : undefined
  appendAll(findings, await versionSyncFindings({ config, cwd: options.cwd, changed }))
  if (options.client) {
    const client = options.client
    const online = await Promise.all(references.map((ref) => registryFindings(client, ref)))
    for (const list of online) appendAll(findings, list)
  }
  // `ignore[rule]` comments turn rules off for the reference at their line.
  const off = new Map<string, string[]>()
  for (const ref of [...references, ...tracked])
    if (ref.ignoreRules) off.set(`${ref.file}:${ref.line}`, ref.ignoreRules)
  const kept = findings.filter((f) => !off.get(`${f.file}:${f.line}`)?.includes(f.rule))
  return {
    findings: sortFindings(kept),
    files: sources.files.length,
    references: count,
    missing,
    skipped: sources.skipped,
    ignored: sources.ignored,
    excluded: sources.excluded,
    unverifiedTracks: published ? 0 : tracked.length
  }
}

/** A reference the scanner found twice (a binding and its use at one place) counts once. */
export function uniqueReferences<T extends FoundReference>(references: readonly T[]): T[] {
  const seen = new Set<string>()
  return references.filter((reference) => {
    const key = `${reference.line}:${reference.column}:${reference.value}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** An unpinned reference's finding carries the digest that pins it, where it is known. */
async function withSuggestion(
  findings: Finding[],
  reference: CheckedReference,
  source: DigestSource
): Promise<Finding[]> {
  const unpinned = findings.find((f) => f.rule === 'unpinned')
  if (!unpinned || reference.context === 'pullImage') return findings
  const target = await source.target(reference.parsed, reference.platform).catch(() => null)
  if (!target?.ok) return findings
  unpinned.suggestion = target.digest
  unpinned.message += `; pinned it reads ${reference.value}@${target.digest}`
  return findings
}

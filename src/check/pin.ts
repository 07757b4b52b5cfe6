import { readFile, stat } from 'node:fs/promises'
import { appendAll } from '../common/arrays.js'
import { writeFileAtomic } from '../common/atomic-write.js'
import type { Finding } from './findings.js'
import { loadSources, type LoadedFile } from './load-sources.js'
import { parseReferenceText } from './image-reference-text.js'
import type { DigestSource } from './digest-source.js'
import { syntaxFindings } from './rules/syntax.js'
import { uniqueReferences } from './run-check.js'
import type { FoundReference } from './reference-scanner.js'
import { oneLine } from './report.js'
import { splitMissing } from './missing-paths.js'
import { confinedTarget, writeRoots } from './write-confinement.js'

export interface PinEdit {
  file: string
  line: number
  before: string
  after: string
}

export interface PinProblem {
  file: string
  line: number
  message: string
  /** False for references pin leaves alone by design (no version tag to pin). */
  failure: boolean
}

export interface PinOptions {
  paths: string[]
  cwd: string
  /** The registry, or published data for an offline pin. */
  source: DigestSource
  dryRun?: boolean
  /** Globs (relative to cwd) of files left out. */
  exclude?: readonly string[]
  /**
   * The platform (canonical `os/arch[/variant]`) of a reference whose file names none: its image
   * digest is pinned instead of the multi-platform index.
   */
  platform?: string | undefined
}

export interface PinResult {
  edits: PinEdit[]
  problems: PinProblem[]
  /** Unified diff of every change (written or, in a dry run, not). */
  diff: string
  written: string[]
  missing: string[]
}

interface PlannedEdit {
  reference: FoundReference
  /** The reference as it reads after the edit. */
  after: string
  /** The bytes that replace start…end (a kustomize entry gets a `digest:` line inserted). */
  start: number
  end: number
  text: string
}

/**
 * Rewrites every `name:tag` reference without a digest to `name:tag@digest`, in place: only the
 * bytes of the reference change, everything else in the file stays byte-for-byte.
 */
export async function runPin(options: PinOptions): Promise<PinResult> {
  const sources = await loadSources(options.paths, options.cwd, options.exclude)
  const problems: PinProblem[] = sources.findings
    .filter((f: Finding) => f.severity === 'error')
    .map((f) => ({ file: f.file, line: f.line, message: f.message, failure: true }))
  const { missing, unreachable } = await splitMissing(sources.missing, options.cwd)
  for (const { argument, message } of unreachable)
    problems.push({ file: argument, line: 1, message, failure: true })
  const source = withPlatform(options.source, options.platform)
  const planned = await Promise.all(sources.files.map((file) => planFile(source, file, problems)))
  const edits: PinEdit[] = []
  const written: string[] = []
  let diff = ''
  const roots = await writeRoots(options.paths, options.cwd)
  for (const [index, loaded] of sources.files.entries()) {
    const plan = planned[index]!
    if (plan.length === 0) continue
    const fileProblem = (message: string) =>
      problems.push({ file: loaded.file.display, line: 1, message, failure: true })
    let target: string
    try {
      target = await confinedTarget(loaded.file.path, roots)
    } catch (error) {
      fileProblem((error as Error).message)
      continue
    }
    let text = loaded.text
    for (const edit of [...plan].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end)
    }
    const fileEdits = plan.map(({ reference, after }) => ({
      file: loaded.file.display,
      line: reference.line,
      before: reference.value,
      after
    }))
    diff += unifiedDiff(loaded.file.display, loaded.text, text)
    if (options.dryRun) {
      appendAll(edits, fileEdits)
      continue
    }
    // Refuse to overwrite a file that changed since it was read.
    const now = await readFile(target).catch(() => null)
    if (!now || now.toString('latin1') !== loaded.text) {
      fileProblem('the file changed while pinning; not rewritten')
      continue
    }
    try {
      const { mode, uid, gid } = await stat(target)
      await writeFileAtomic(target, Buffer.from(text, 'latin1'), {
        mode: mode & 0o7777,
        owner: { uid, gid }
      })
      written.push(loaded.file.display)
      appendAll(edits, fileEdits)
    } catch (error) {
      fileProblem(`cannot write the file: ${(error as Error).message}`)
    }
  }
  edits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
  return { edits, problems, diff, written, missing }
}

/** `source`, asked for `platform` wherever a file names none. */
function withPlatform(source: DigestSource, platform: string | undefined): DigestSource {
  if (!platform) return source
  return { target: (reference, named) => source.target(reference, named ?? platform) }
}

async function planFile(
  source: DigestSource,
  loaded: LoadedFile,
  problems: PinProblem[]
): Promise<PlannedEdit[]> {
  const file = loaded.file.display
  const planned = await Promise.all(
    uniqueReferences(loaded.references).map(async (reference): Promise<PlannedEdit | null> => {
      const problem = (message: string, failure = true): null => {
        problems.push({ file, line: reference.line, message, failure })
        return null
      }
      // Our own API (imageTrack, lib.image) is pinned by construction.
      if (reference.track) return null
      let parsed
      try {
        parsed = parseReferenceText(reference.value)
      } catch (error) {
        return problem((error as Error).message)
      }
      const { tag, digest } = parsed
      // `ignore[unpinned]` says this reference stays a bare tag on purpose.
      if (digest || reference.ignoreRules?.includes('unpinned')) return null
      // A tag that names no version (latest, alpine, stable…) would read as a version once pinned.
      const unversioned = syntaxFindings({ ...reference, file, parsed }).find(
        (f) => f.rule !== 'unpinned'
      )
      if (tag === undefined || unversioned) {
        const advice =
          unversioned && !['no-tag', 'latest-tag'].includes(unversioned.rule)
            ? unversioned.message
            : 'name a version tag first'
        return problem(`${reference.value}: not pinned, ${advice}`, false)
      }
      let target
      try {
        target = await source.target(parsed, reference.platform)
      } catch (error) {
        return problem(`${reference.value}: ${(error as Error).message}`)
      }
      if (!target.ok) return problem(target.message)
      const after = `${reference.value}@${target.digest}`
      // A kustomize entry or a Helm values mapping takes the digest in a field of its own.
      const place = digestPlace(reference, target.digest)
      if (reference.via && !place) {
        return problem(
          `${reference.value}: built from ${reference.via}; pin does not rewrite it (the digest would not follow the value): make it read ${after} there`,
          false
        )
      }
      if (place) return { reference, after, ...place }
      if (!reference.editable) {
        return problem(
          reference.context === 'pullImage'
            ? `${reference.value}: pullImage needs imageDigest = "${target.digest}" and its hash; use nix-prefetch-docker`
            : `${reference.value}: written with quoting or escapes pin does not rewrite; make it read ${after}`
        )
      }
      return { reference, after, start: reference.start, end: reference.end, text: after }
    })
  )
  return planned.filter((edit): edit is PlannedEdit => edit !== null)
}

/** The bytes to write where a reference keeps its digest apart from its name, if it does. */
function digestPlace(
  reference: FoundReference,
  digest: string
): { start: number; end: number; text: string } | null {
  const field = reference.digestField
  if (field) return { start: field.at, end: field.at, text: `${field.lead}digest: ${digest}` }
  const values = reference.valuesDigest
  if (values) return { start: values.start, end: values.end, text: `${values.prefix}${digest}` }
  return null
}

const CONTEXT_LINES = 3

/** Inserted lines (kustomize `digest:` fields): one hunk around everything that differs. */
function oneHunk(file: string, oldLines: string[], newLines: string[]): string {
  let prefix = 0
  while (prefix < oldLines.length && oldLines[prefix] === newLines[prefix]) prefix++
  let suffix = 0
  while (
    suffix < oldLines.length - prefix &&
    suffix < newLines.length - prefix &&
    oldLines.at(-1 - suffix) === newLines.at(-1 - suffix)
  )
    suffix++
  const from = Math.max(0, prefix - CONTEXT_LINES)
  const oldTo = Math.min(oldLines.length, oldLines.length - suffix + CONTEXT_LINES)
  const newTo = newLines.length - (oldLines.length - oldTo)
  let out = `--- a/${oneLine(file)}\n+++ b/${oneLine(file)}\n@@ -${from + 1},${oldTo - from} +${from + 1},${newTo - from} @@\n`
  for (let i = from; i < prefix; i++) out += ` ${oldLines[i]}\n`
  for (let i = prefix; i < oldLines.length - suffix; i++) out += `-${oldLines[i]}\n`
  for (let i = prefix; i < newLines.length - suffix; i++) out += `+${newLines[i]}\n`
  for (let i = oldLines.length - suffix; i < oldTo; i++) out += ` ${oldLines[i]}\n`
  return out
}

/**
 * A unified diff between two versions of a file with the same number of lines (pin never adds
 * or removes a line), for `--dry-run` and the log.
 */
export function unifiedDiff(file: string, before: string, after: string): string {
  const lines = (text: string): string[] => {
    const list = text.split('\n')
    if (list.at(-1) === '') list.pop()
    return list
  }
  const oldLines = lines(before)
  const newLines = lines(after)
  if (oldLines.length !== newLines.length) return oneHunk(file, oldLines, newLines)
  const changed: number[] = []
  for (let i = 0; i < oldLines.length; i++) if (oldLines[i] !== newLines[i]) changed.push(i)
  if (changed.length === 0) return ''
  let out = `--- a/${oneLine(file)}\n+++ b/${oneLine(file)}\n`
  let index = 0
  while (index < changed.length) {
    const first = changed[index]!
    let last = first
    while (index + 1 < changed.length && changed[index + 1]! - last <= 2 * CONTEXT_LINES + 1) {
      index++
      last = changed[index]!
    }
    index++
    const from = Math.max(0, first - CONTEXT_LINES)
    const to = Math.min(oldLines.length - 1, last + CONTEXT_LINES)
    const count = to - from + 1
    out += `@@ -${from + 1},${count} +${from + 1},${count} @@\n`
    for (let i = from; i <= to; i++) {
      if (oldLines[i] === newLines[i]) out += ` ${oldLines[i]}\n`
      else out += `-${oldLines[i]}\n+${newLines[i]}\n`
    }
  }
  return out
}

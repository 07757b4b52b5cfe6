import { readFile } from 'node:fs/promises'
import { shortDigest } from '../common/digest.js'
import { imageKey } from '../registry/image-reference.js'
import {
  parseReferenceText,
  formatReferenceText,
  type ReferenceText
} from './image-reference-text.js'
import {
  ScanError,
  looksLikeKubernetes,
  scanText,
  type FoundReference
} from './reference-scanner.js'
import {
  digestInfo,
  indexPlatforms,
  pinTarget,
  platformOfImage,
  tagTarget
} from './reference-lookup.js'
import type { RegistryClient } from '../registry/client.js'
import { discoverFiles, type SourceFile } from './source-files.js'

export type Severity = 'error' | 'warning' | 'info'

export type RuleId =
  | 'unreadable-file'
  | 'binary-file'
  | 'malformed-file'
  | 'invalid-reference'
  | 'no-tag'
  | 'latest-tag'
  | 'unpinned'
  | 'digest-without-tag'
  | 'inconsistent-references'
  | 'tag-not-found'
  | 'digest-not-found'
  | 'tag-moved'
  | 'index-digest-for-platform'
  | 'platform-mismatch'
  | 'registry-error'

export interface Finding {
  rule: RuleId
  severity: Severity
  /** As reported: relative to the working directory when inside it. */
  file: string
  line: number
  column?: number
  message: string
  /** The reference as written, for reference findings. */
  reference?: string
  /** A digest (or reference) that would fix the finding, when one is known. */
  suggestion?: string
}

export interface LoadedFile {
  file: SourceFile
  /** The file's bytes decoded as latin1: one character per byte, so offsets are byte offsets. */
  text: string
  references: FoundReference[]
}

export interface LoadedSources {
  files: LoadedFile[]
  /** Per-file problems: unreadable, binary, malformed. */
  findings: Finding[]
  /** Arguments naming nothing on disk. */
  missing: string[]
}

export interface CheckedReference extends FoundReference {
  file: string
  parsed: ReferenceText
}

export interface CheckOptions {
  paths: string[]
  cwd: string
  /** Null checks the syntax-level rules only. */
  client: RegistryClient | null
}

export interface CheckResult {
  findings: Finding[]
  files: number
  references: number
  missing: string[]
}

const BINARY_SNIFF_BYTES = 8000

/** Finds, reads and scans every file; a file that cannot be read becomes a finding. */
export async function loadSources(paths: string[], cwd: string): Promise<LoadedSources> {
  const discovery = await discoverFiles(paths, cwd)
  const findings: Finding[] = discovery.unreadable.map(({ display, message }) => ({
    rule: 'unreadable-file',
    severity: 'error',
    file: display,
    line: 1,
    message: `cannot read the directory: ${message}`
  }))
  const files: LoadedFile[] = []
  for (const file of discovery.files) {
    let bytes: Buffer
    try {
      bytes = await readFile(file.path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      findings.push({
        rule: 'unreadable-file',
        severity: 'error',
        file: file.display,
        line: 1,
        message: `cannot read the file${code ? ` (${code})` : ''}: not checked`
      })
      continue
    }
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      findings.push({
        rule: 'binary-file',
        severity: 'warning',
        file: file.display,
        line: 1,
        message: `binary content in a file named like a ${file.kind} file: not checked`
      })
      continue
    }
    const text = bytes.toString('latin1')
    // Other YAML files are read only when they look like Kubernetes manifests.
    if (file.kind === 'kubernetes' && !looksLikeKubernetes(text)) continue
    try {
      files.push({ file, text, references: scanText(file.kind, text) })
    } catch (error) {
      const line = error instanceof ScanError ? error.line : 1
      const message = error instanceof Error ? error.message : String(error)
      findings.push({
        rule: 'malformed-file',
        severity: 'error',
        file: file.display,
        line,
        message: `${message}: not checked`
      })
    }
  }
  return { files, findings, missing: discovery.missing }
}

/** Scans the paths and applies every rule; with a client, also the registry rules. */
export async function runCheck(options: CheckOptions): Promise<CheckResult> {
  const sources = await loadSources(options.paths, options.cwd)
  const findings = [...sources.findings]
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
  return {
    findings: sortFindings(findings),
    files: sources.files.length,
    references: count,
    missing: sources.missing
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule)
  )
}

function at(
  reference: CheckedReference,
  digest = false
): Pick<Finding, 'file' | 'line' | 'column'> {
  const line = digest ? (reference.digestLine ?? reference.line) : reference.line
  return line === reference.line
    ? { file: reference.file, line, column: reference.column }
    : { file: reference.file, line }
}

function finding(
  reference: CheckedReference,
  rule: RuleId,
  severity: Severity,
  message: string,
  extra: { digest?: boolean; suggestion?: string } = {}
): Finding {
  return {
    rule,
    severity,
    ...at(reference, extra.digest),
    reference: reference.value,
    message,
    ...(extra.suggestion ? { suggestion: extra.suggestion } : {})
  }
}

/** Rules that need nothing but the text. */
function syntaxFindings(reference: CheckedReference): Finding[] {
  const { tag, digest, name } = reference.parsed
  if (tag === undefined && digest === undefined) {
    return [
      finding(
        reference,
        'no-tag',
        'error',
        `${name} has no tag, so it means :latest; name a version tag and pin its digest`
      )
    ]
  }
  if (tag === 'latest') {
    return [
      finding(
        reference,
        'latest-tag',
        digest ? 'warning' : 'error',
        digest
          ? `${name}:latest is pinned, but the tag says nothing about the version; use a version tag`
          : `${name}:latest follows whatever is pushed next; name a version tag and pin its digest`
      )
    ]
  }
  if (tag === undefined) {
    return [
      finding(
        reference,
        'digest-without-tag',
        'warning',
        reference.context === 'pullImage'
          ? `${name}@${shortDigest(digest!)} is pinned but names no version; add finalImageTag = "<version>"`
          : `${name}@${shortDigest(digest!)} is pinned but names no version; write it as ${name}:<version>@${shortDigest(digest!)}…`
      )
    ]
  }
  if (digest === undefined) {
    const fix =
      reference.context === 'pullImage'
        ? 'add imageDigest (and its hash)'
        : 'run `nix-oci-hashes pin` to add it'
    return [
      finding(
        reference,
        'unpinned',
        'error',
        `${name}:${tag} has no digest, so it can change under you; ${fix}`
      )
    ]
  }
  return []
}

/**
 * The same image should be referenced the same way everywhere: one tag, and one digest per
 * platform named (references naming different platforms may pin different digests).
 */
function consistencyFindings(references: CheckedReference[]): Finding[] {
  const byImage = new Map<string, CheckedReference[]>()
  for (const reference of references) {
    const key = imageKey(reference.parsed.image)
    byImage.set(key, [...(byImage.get(key) ?? []), reference])
  }
  const findings: Finding[] = []
  for (const group of byImage.values()) {
    // No tag means latest; a digest without a tag says nothing about the version.
    const tagOf = (ref: CheckedReference): string | null =>
      ref.parsed.tag ?? (ref.parsed.digest ? null : 'latest')
    const tagged = group.filter((ref) => tagOf(ref) !== null)
    const tags = new Set(tagged.map(tagOf))
    if (tags.size > 1) {
      for (const reference of tagged) {
        const others = tagged.filter((other) => tagOf(other) !== tagOf(reference))
        findings.push(
          finding(
            reference,
            'inconsistent-references',
            'warning',
            `${reference.parsed.name} is used at tag ${tagOf(reference)} here but ${describeOthers(others, (ref) => tagOf(ref)!)}; use one version everywhere`
          )
        )
      }
      continue
    }
    const byPlatform = new Map<string, CheckedReference[]>()
    for (const reference of group) {
      if (!reference.parsed.digest) continue
      const key = reference.platform ?? ''
      byPlatform.set(key, [...(byPlatform.get(key) ?? []), reference])
    }
    for (const same of byPlatform.values()) {
      if (new Set(same.map((ref) => ref.parsed.digest)).size < 2) continue
      for (const reference of same) {
        const others = same.filter((other) => other.parsed.digest !== reference.parsed.digest)
        findings.push(
          finding(
            reference,
            'inconsistent-references',
            'warning',
            `${reference.parsed.name}:${reference.parsed.tag} is pinned to ${shortDigest(reference.parsed.digest!)} here but ${describeOthers(others, (ref) => shortDigest(ref.parsed.digest!))}; pin one digest everywhere`,
            { digest: true }
          )
        )
      }
    }
  }
  return findings
}

function describeOthers(
  others: CheckedReference[],
  label: (reference: CheckedReference) => string
): string {
  const shown = others.slice(0, 3).map((ref) => `${label(ref)} in ${ref.file}:${ref.line}`)
  const more = others.length > 3 ? ` and ${others.length - 3} more` : ''
  return shown.join(', ') + more
}

/** Rules that ask the registry. Failures become a registry-error finding for the reference. */
async function registryFindings(
  client: RegistryClient,
  reference: CheckedReference
): Promise<Finding[]> {
  const { image, name, tag, digest } = reference.parsed
  const platform = reference.platform
  try {
    if (!digest) {
      if (tag === undefined || tag === 'latest') return []
      const target = await pinTarget(client, image, tag, platform)
      if (target.ok) return []
      return [
        target.reason === 'tag-not-found'
          ? finding(
              reference,
              'tag-not-found',
              'error',
              `${name}:${tag} does not exist in the registry`
            )
          : finding(
              reference,
              'tag-not-found',
              'error',
              `${name}:${tag} has no ${platform} image (it has ${target.platforms?.join(', ') || 'none'})`
            )
      ]
    }

    const pinned = await digestInfo(client, image, digest)
    if (!pinned.exists) {
      const target = tag ? await pinTarget(client, image, tag, platform) : null
      const now = target?.ok ? `; ${name}:${tag} is now ${target.digest}` : ''
      return [
        finding(
          reference,
          'digest-not-found',
          'error',
          `${shortDigest(digest)} does not exist in ${name}: a broken pin${now}`,
          { digest: true, ...(target?.ok ? { suggestion: target.digest } : {}) }
        )
      ]
    }

    const findings: Finding[] = []
    if (platform && pinned.isIndex) {
      const platforms = await indexPlatforms(client, image, digest)
      const own = platforms[platform]
      findings.push(
        finding(
          reference,
          'index-digest-for-platform',
          'warning',
          own
            ? `${shortDigest(digest)} is a multi-platform index but this file runs ${platform}; pin that platform's image ${own}`
            : `${shortDigest(digest)} is a multi-platform index with no ${platform} image, but this file runs ${platform}`,
          { digest: true, ...(own ? { suggestion: own } : {}) }
        )
      )
    }
    if (tag === undefined) return findings

    const current = await tagTarget(client, image, tag)
    if (!current) {
      findings.push(
        finding(
          reference,
          'tag-not-found',
          'warning',
          `${name}:${tag} no longer exists in the registry (the pinned digest still does)`
        )
      )
      return findings
    }
    if (current.digest === digest) return findings
    const platforms = current.isIndex ? await indexPlatforms(client, image, current.digest) : {}
    const pinnedPlatform = Object.entries(platforms).find(([, value]) => value === digest)?.[0]
    if (pinnedPlatform) {
      if (platform && pinnedPlatform !== platform) {
        const own = platforms[platform]
        findings.push(
          finding(
            reference,
            'platform-mismatch',
            'error',
            `${shortDigest(digest)} is the ${pinnedPlatform} image of ${name}:${tag}, but this file runs ${platform}${own ? `; its image is ${own}` : ''}`,
            { digest: true, ...(own ? { suggestion: own } : {}) }
          )
        )
      }
      return findings
    }
    // The tag moved: suggest the new digest for what the old pin stood for.
    let suggestion = current.digest
    if (current.isIndex) {
      const wanted =
        platform ?? (pinned.isIndex ? null : await platformOfImage(client, image, digest))
      if (wanted && platforms[wanted]) suggestion = platforms[wanted]
    }
    findings.push(
      finding(
        reference,
        'tag-moved',
        'info',
        `${name}:${tag} has moved upstream: pinned ${shortDigest(digest)}, the tag now points to ${suggestion}`,
        { digest: true, suggestion }
      )
    )
    return findings
  } catch (error) {
    return [
      finding(
        reference,
        'registry-error',
        'error',
        `could not check ${formatReferenceText(name, tag, digest)}: ${(error as Error).message}`
      )
    ]
  }
}

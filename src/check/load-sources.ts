// Reading what the check is pointed at: find the files, decode them, run the scanner for each
// file kind. A file that cannot be read or scanned becomes a finding, not a failure.
import { readFile } from 'node:fs/promises'
import type { Finding } from './findings.js'
import {
  ScanError,
  looksLikeKubernetes,
  scanText,
  type FoundReference
} from './reference-scanner.js'
import { discoverFiles, type SourceFile } from './source-files.js'

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

// What a check reports: the rules, their severities, the findings they produce, and the
// references they are about. Every rule module builds its findings with `finding()`.
import type { ReferenceText } from './image-reference-text.js'
import type { FoundReference } from './reference-scanner.js'
import type { LookupRuleId, VersionRuleId } from './rules/rule-ids.js'

export type Severity = 'error' | 'warning' | 'info'

export type RuleId =
  | 'unreadable-file'
  | 'binary-file'
  | 'malformed-file'
  | 'invalid-reference'
  | 'no-tag'
  | 'latest-tag'
  | 'floating-tag'
  | 'unpinned'
  | 'digest-without-tag'
  | 'inconsistent-references'
  | 'tag-not-found'
  | 'digest-not-found'
  | 'tag-moved'
  | 'index-digest-for-platform'
  | 'platform-mismatch'
  | 'registry-error'
  | LookupRuleId
  | VersionRuleId

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

export interface CheckedReference extends FoundReference {
  file: string
  parsed: ReferenceText
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

export function finding(
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
    // A reference built from bindings or variables says where its parts came from.
    message: reference.via ? `${message} (${reference.via})` : message,
    ...(extra.suggestion ? { suggestion: extra.suggestion } : {})
  }
}

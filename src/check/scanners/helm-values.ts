// Helm values `image:` mappings: `repository` with optional `registry`, `tag` and `digest`, as
// charts (and bjw-s app-template's `controllers.<name>.containers.<name>.image`) read them.
import { isScalar, type Scalar, type YAMLMap } from 'yaml'
import { formatReferenceText } from '../image-reference-text.js'
import { literal, type FoundReference } from './scanned-reference.js'
import type { YamlSink } from './yaml-sink.js'
import { fieldInsertion, writtenText } from './yaml-edit.js'

/** Bytes of a scalar's content: inside the quotes when quoted. */
function contentRange(node: Scalar, shift: number): { start: number; end: number } {
  const [from, to] = node.range!
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'
  return quoted
    ? { start: from + shift + 1, end: to + shift - 1 }
    : { start: from + shift, end: to + shift }
}

/**
 * Where pin writes the digest: into an empty `digest:` field, a new `digest:` line when the chart
 * reads one, or else after the tag (`tag: 1.2.3@sha256:…`, which the chart passes on as is).
 */
function digestPlace(
  map: YAMLMap,
  sink: YamlSink,
  readsDigest: boolean
): FoundReference['valuesDigest'] {
  const digest = map.get('digest', true)
  if (isScalar(digest) && digest.range) {
    const { start, end } = contentRange(digest, sink.shift)
    const prefix = sink.text[start - 1] === ':' ? ' ' : ''
    return { start, end, prefix, field: 'digest' }
  }
  if (readsDigest) {
    const insertion = fieldInsertion(sink.text, map, sink.lines, sink.shift)
    if (insertion)
      return {
        start: insertion.at,
        end: insertion.at,
        prefix: `${insertion.lead}digest: `,
        field: 'digest'
      }
  }
  const tag = map.get('tag', true)
  if (!isScalar(tag) || !tag.range) return undefined
  const { end } = contentRange(tag, sink.shift)
  return { start: end, end, prefix: '@', field: 'tag' }
}

/** The reference an `image:` mapping names, reported at its `repository`. */
export function helmImage(map: YAMLMap, sink: YamlSink, readsDigest: boolean): void {
  const repository = map.get('repository', true)
  if (!isScalar(repository) || typeof repository.value !== 'string' || !repository.range) return
  const registry = writtenText(map.get('registry', true))
  const tag = writtenText(map.get('tag', true)) || undefined
  const digest = writtenText(map.get('digest', true)) || undefined
  const name = registry ? `${registry}/${repository.value}` : repository.value
  const { start } = contentRange(repository, sink.shift)
  const at = { context: 'helm-values', start, end: start, ...sink.lines.at(start), editable: false }
  const value = formatReferenceText(name, tag, digest)
  if (![name, tag, digest].every((part) => part === undefined || literal(part))) {
    sink.push({ value, ...at, unresolved: 'built from a template expression' })
    return
  }
  if (tag === undefined && digest === undefined) {
    sink.push({ value, ...at, unresolved: 'no tag: the chart chooses it (usually its appVersion)' })
    return
  }
  const digestNode = map.get('digest', true)
  const digestLine =
    digest && isScalar(digestNode) && digestNode.range
      ? sink.lines.at(digestNode.range[0] + sink.shift).line
      : undefined
  // `tag: 1.2.3@sha256:…` is pinned already.
  const pinned = digest !== undefined || tag?.includes('@')
  const place = pinned ? undefined : digestPlace(map, sink, readsDigest)
  sink.push({
    value,
    ...at,
    ...(digestLine !== undefined && digestLine !== at.line ? { digestLine } : {}),
    ...(place ? { valuesDigest: place } : {})
  })
}

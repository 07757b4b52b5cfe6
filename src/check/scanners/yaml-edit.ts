// Where pin adds a key to a YAML block mapping, so the file changes by one inserted line.
import { isScalar, type YAMLMap } from 'yaml'
import type { Lines } from './scanned-reference.js'

/**
 * After the mapping's last key's line (its comment included), in the file's own line ending and
 * at its keys' indentation. Undefined for flow mappings and mappings whose last value is not a
 * scalar. `shift` is where the parsed text starts in `text`.
 */
export function fieldInsertion(
  text: string,
  map: YAMLMap,
  lines: Lines,
  shift = 0
): { at: number; lead: string } | undefined {
  const last = map.items.at(-1)
  const keyNode = map.items[0]?.key
  const end = isScalar(last?.value) ? last.value.range?.[1] : undefined
  if (map.flow || end === undefined || !isScalar(keyNode) || !keyNode.range) return undefined
  let at = text.indexOf('\n', end + shift)
  if (at === -1) at = text.length
  const crlf = text[at - 1] === '\r'
  if (crlf) at--
  const indent = ' '.repeat(lines.at(keyNode.range[0] + shift).column - 1)
  return { at, lead: `${crlf ? '\r\n' : '\n'}${indent}` }
}

/** A scalar's value as written (`newTag: 1.10` is "1.10", not the number 1.1); none for null. */
export function writtenText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return undefined
  return node.type === 'PLAIN' && node.source ? node.source : String(node.value)
}

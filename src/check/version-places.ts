// Reading one declared version out of a file: a Dockerfile ARG default, a YAML value at a
// dotted path, or a Nix attribute bound to a string.
import { LineCounter, isScalar, parseDocument } from 'yaml'
import type { Declaration } from './version-sync-config.js'

export interface Place {
  line: number
  column?: number
  /** As written, quotes removed. */
  value: string
  /** `ARG NAME`, `app.current-version`, `version`: what the message calls it. */
  what: string
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const unquote = (value: string): string => value.replace(/^(["'])(.*)\1$/, '$2')
// A value built from another variable says nothing about the version by itself.
const literal = (value: string): boolean => value !== '' && !value.includes('$')

function dockerfileArgs(text: string, name: string): Place[] {
  const places: Place[] = []
  const lines = text.split('\n')
  const arg = /^(\s*ARG\s+)(.*)$/i
  for (const [index, line] of lines.entries()) {
    const match = arg.exec(line.replace(/\r$/, ''))
    if (!match) continue
    let column = match[1]!.length + 1
    for (const word of match[2]!.split(/(\s+)/)) {
      const equals = word.indexOf('=')
      if (equals !== -1 && word.slice(0, equals) === name) {
        const value = unquote(word.slice(equals + 1))
        if (literal(value)) places.push({ line: index + 1, column, value, what: `ARG ${name}` })
      }
      column += word.length
    }
  }
  return places
}

function yamlPath(text: string, path: string, keys: readonly string[]): Place[] {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines })
  if (document.errors.length > 0) return []
  const node = document.getIn(keys, true)
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return []
  // The text as written: `3.10` is a float to YAML and would read back as 3.1.
  const value = (node as { source?: string }).source ?? String(node.value as string | number)
  if (!literal(value) || !node.range) return []
  const { line, col } = lines.linePos(node.range[0])
  return [{ line, column: col, value, what: path }]
}

function nixAttribute(text: string, name: string): Place[] {
  const places: Place[] = []
  const binding = new RegExp(`(^|[\\s{;])(${escape(name)}\\s*=\\s*)"([^"\\\\]*)"\\s*;`, 'g')
  for (const [index, line] of text.split('\n').entries()) {
    const code = line.replace(/#.*$/, '')
    for (const match of code.matchAll(binding)) {
      const value = match[3]!
      if (!literal(value)) continue
      const column = match.index + match[1]!.length + match[2]!.length + 2
      places.push({ line: index + 1, column, value, what: name })
    }
  }
  return places
}

/**
 * Every place in `text` where the declaration gives a literal version. `keys`: a YAML path's
 * segments, split before {name} was filled in, so a folder named `my.app` stays one key.
 */
export function readDeclarations(
  text: string,
  declaration: Declaration,
  keys: readonly string[] = declaration.key.split('.')
): Place[] {
  if (declaration.kind === 'dockerfile-arg') return dockerfileArgs(text, declaration.key)
  if (declaration.kind === 'yaml-path') return yamlPath(text, declaration.key, keys)
  return nixAttribute(text, declaration.key)
}

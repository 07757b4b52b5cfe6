// `"docker.io/gitea/gitea:${version}"` with `version = "1.26.1";` bound in the same file: the
// bindings in scope (attributes of the enclosing sets, then `let` blocks) that resolve it.
import { appendAll } from '../../common/arrays.js'
import type { Lines } from './scanned-reference.js'
import { nixBindings, type NixToken } from './nix-lexer.js'

/** `name = "literal";` bindings of each `let … in`, by the index of its `let`. */
function letBlocks(tokens: NixToken[]): Array<{ at: number; bindings: Map<string, NixToken> }> {
  const blocks: Array<{ at: number; bindings: Map<string, NixToken> }> = []
  tokens.forEach((token, at) => {
    if (token.kind !== 'ident' || token.text !== 'let') return
    const bindings = new Map<string, NixToken>()
    let depth = 0
    for (let i = at + 1; i < tokens.length; i++) {
      const t = tokens[i]!
      if (t.kind === 'punct' && (t.text === '{' || t.text === '${' || t.text === '[')) depth++
      else if (t.kind === 'punct' && (t.text === '}' || t.text === ']')) depth--
      else if (depth === 0 && t.kind === 'ident' && t.text === 'in') break
      else if (depth === 0 && t.kind === 'ident') {
        const previous = tokens[i - 1]!
        const value = tokens[i + 2]
        const starts = previous === token || previous.text === ';'
        if (starts && tokens[i + 1]?.text === '=' && value?.kind === 'string' && value.plain)
          bindings.set(t.text, value)
      }
    }
    blocks.push({ at, bindings })
  })
  return blocks
}

/**
 * One file's binding scopes, each worked out once: a file may hold a great many references in
 * one set, and scanning the set (or every `let`) again for each would be quadratic.
 */
export class NixScopes {
  private readonly sets = new Map<number, Map<string, NixToken>>()
  private lets: ReturnType<typeof letBlocks> | undefined

  constructor(private readonly tokens: NixToken[]) {}

  /** `attr = "literal";` bindings directly inside the braces that open at `tokens[open]`. */
  bindings(open: number): Map<string, NixToken> {
    let found = this.sets.get(open)
    if (!found) {
      found = nixBindings(this.tokens, open)
      this.sets.set(open, found)
    }
    return found
  }

  letBlocks(): ReturnType<typeof letBlocks> {
    this.lets ??= letBlocks(this.tokens)
    return this.lets
  }
}

export interface Resolved {
  value: string
  /** `version = "1.26.1" at line 3`, for each name. */
  via: string
}

/**
 * The string at `tokens[index]` with its `${name}` parts replaced by the literals they are bound
 * to: the innermost enclosing set first, then the nearest `let` before it, then any other `let`.
 * A string (reason) when a name is bound to nothing literal.
 */
export function resolveInterpolation(
  tokens: NixToken[],
  enclosing: number[],
  index: number,
  lines: Lines,
  known: NixScopes
): Resolved | string {
  const parts = tokens[index]!.parts
  if (!parts) return 'built from an expression, not only ${name} parts'
  const scopes: Array<Map<string, NixToken>> = []
  for (let set = enclosing[index]!; set !== -1; set = enclosing[set]!)
    scopes.push(known.bindings(set))
  const lets = known.letBlocks()
  const before = lets.filter((block) => block.at < index).reverse()
  appendAll(
    scopes,
    before.map((b) => b.bindings)
  )
  appendAll(
    scopes,
    lets.filter((block) => block.at > index).map((b) => b.bindings)
  )
  let value = ''
  const via: string[] = []
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      value += parts[i]
      continue
    }
    const name = parts[i]!
    const bound = scopes.map((scope) => scope.get(name)).find(Boolean)
    if (!bound) return `\${${name}} is not bound to a string in this file`
    value += bound.text
    const text = `${name} = "${bound.text}" at line ${lines.at(bound.start).line}`
    if (!via.includes(text)) via.push(text)
  }
  return { value, via: via.join(', ') }
}

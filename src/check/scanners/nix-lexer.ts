// A small Nix lexer: identifiers, strings and punctuation with their offsets, comments dropped;
// enough to find bindings and the sets around them, never a full parser (none is maintained on npm).

export interface NixToken {
  kind: 'ident' | 'string' | 'punct'
  text: string
  start: number
  end: number
  /** Strings: the content is literal (no interpolation, no escapes). */
  plain?: boolean
  /**
   * Double-quoted strings whose only non-literal parts are `${name}`: the literal text and the
   * names, alternating (text, name, text, …). Absent when anything else is interpolated.
   */
  parts?: string[]
}

const NIX_OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++', '${']

/**
 * Tokens of a Nix file, comments dropped. Interpolations are lexed (to find where strings end)
 * but their tokens are not kept: a reference built from an expression is not a literal.
 */
export function lexNix(text: string): NixToken[] {
  const tokens: NixToken[] = []
  const length = text.length

  const code = (from: number, out: NixToken[] | null, inInterpolation: boolean): number => {
    let i = from
    let depth = 0
    while (i < length) {
      const c = text[i]!
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++
      } else if (c === '#') {
        const end = text.indexOf('\n', i)
        i = end === -1 ? length : end
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2)
        i = end === -1 ? length : end + 2
      } else if (c === '"') {
        i = doubleQuoted(i, out)
      } else if (c === "'" && text[i + 1] === "'") {
        i = indented(i, out)
      } else if (/[A-Za-z_]/.test(c)) {
        const match = /[A-Za-z_][A-Za-z0-9_'-]*/y
        match.lastIndex = i
        const word = match.exec(text)![0]
        out?.push({ kind: 'ident', text: word, start: i, end: i + word.length })
        i += word.length
      } else {
        const operator = NIX_OPERATORS.find((op) => text.startsWith(op, i)) ?? c
        if (operator === '{' || operator === '${') depth++
        if (operator === '}') {
          if (depth === 0 && inInterpolation) return i + 1
          depth--
        }
        out?.push({ kind: 'punct', text: operator, start: i, end: i + operator.length })
        i += operator.length
      }
    }
    return i
  }

  const doubleQuoted = (from: number, out: NixToken[] | null): number => {
    let i = from + 1
    let plain = true
    let parts: string[] | undefined = []
    let literalFrom = i
    while (i < length) {
      const c = text[i]!
      if (c === '"') break
      if (c === '\\') {
        plain = false
        parts = undefined
        i += 2
      } else if (c === '$' && text[i + 1] === '$') {
        plain = false
        parts = undefined
        i += 2
      } else if (c === '$' && text[i + 1] === '{') {
        plain = false
        const inner = i + 2
        i = code(inner, null, true)
        const name = /^\s*([A-Za-z_][A-Za-z0-9_'-]*)\s*$/.exec(text.slice(inner, i - 1))
        if (parts && name) parts.push(text.slice(literalFrom, inner - 2), name[1]!)
        else parts = undefined
        literalFrom = i
      } else {
        i++
      }
    }
    const end = Math.min(i + 1, length)
    parts?.push(text.slice(literalFrom, i))
    out?.push({
      kind: 'string',
      text: text.slice(from + 1, i),
      start: from,
      end,
      plain,
      ...(parts && !plain ? { parts } : {})
    })
    return end
  }

  const indented = (from: number, out: NixToken[] | null): number => {
    let i = from + 2
    while (i < length) {
      if (text.startsWith("'''", i) || text.startsWith("''$", i)) i += 3
      else if (text.startsWith("''\\", i)) i += 4
      else if (text.startsWith("''", i)) break
      else if (text.startsWith('${', i)) i = code(i + 2, null, true)
      else i++
    }
    const end = Math.min(i + 2, length)
    out?.push({ kind: 'string', text: '', start: from, end, plain: false })
    return end
  }

  code(0, tokens, false)
  return tokens
}

/** `attr = "literal";` bindings directly inside the braces that open at `tokens[open]`. */
export function nixBindings(tokens: NixToken[], open: number): Map<string, NixToken> {
  const bindings = new Map<string, NixToken>()
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'punct' && (token.text === '{' || token.text === '${')) depth++
    else if (token.kind === 'punct' && token.text === '}') {
      depth--
      if (depth === 0) break
    } else if (depth === 1 && token.kind === 'ident') {
      const equals = tokens[i + 1]
      const value = tokens[i + 2]
      const previous = tokens[i - 1]
      const startsBinding =
        previous?.kind === 'punct' && (previous.text === '{' || previous.text === ';')
      if (startsBinding && equals?.text === '=' && value?.kind === 'string' && value.plain)
        bindings.set(token.text, value)
    }
  }
  return bindings
}

/** For each token, the index of the `{` of the innermost set around it (-1 at top level). */
export function enclosingBraces(tokens: NixToken[]): number[] {
  const stack: number[] = []
  return tokens.map((token, i) => {
    if (token.kind === 'punct' && token.text === '}') stack.pop()
    const around = stack.at(-1) ?? -1
    if (token.kind === 'punct' && (token.text === '{' || token.text === '${')) stack.push(i)
    return around
  })
}

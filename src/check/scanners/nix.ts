// Image references in Nix: `image = "…";` (virtualisation.oci-containers) and
// dockerTools.pullImage { imageName; imageDigest; finalImageTag; }.
import { canonicalPlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'

interface NixToken {
  kind: 'ident' | 'string' | 'punct'
  text: string
  start: number
  end: number
  /** Strings: the content is literal (no interpolation, no escapes). */
  plain?: boolean
}

const NIX_OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++', '${']

/**
 * Tokens of a Nix file, comments dropped. Interpolations are lexed (to find where strings end)
 * but their tokens are not kept: a reference built from an expression is not a literal.
 */
function lexNix(text: string): NixToken[] {
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
    while (i < length) {
      const c = text[i]!
      if (c === '"') break
      if (c === '\\') {
        plain = false
        i += 2
      } else if (c === '$' && text[i + 1] === '$') {
        plain = false
        i += 2
      } else if (c === '$' && text[i + 1] === '{') {
        plain = false
        i = code(i + 2, null, true)
      } else {
        i++
      }
    }
    const end = Math.min(i + 1, length)
    out?.push({ kind: 'string', text: text.slice(from + 1, i), start: from, end, plain })
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
function nixBindings(tokens: NixToken[], open: number): Map<string, NixToken> {
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
function enclosingBraces(tokens: NixToken[]): number[] {
  const stack: number[] = []
  return tokens.map((token, i) => {
    if (token.kind === 'punct' && token.text === '}') stack.pop()
    const around = stack.at(-1) ?? -1
    if (token.kind === 'punct' && (token.text === '{' || token.text === '${')) stack.push(i)
    return around
  })
}

/** `a.b.image` → `a.b.` for the ident at `i`: the attribute path written before it. */
function pathPrefix(tokens: NixToken[], i: number): string {
  let prefix = ''
  while (tokens[i - 1]?.text === '.' && tokens[i - 2]?.kind === 'ident') {
    prefix = `${tokens[i - 2]!.text}.${prefix}`
    i -= 2
  }
  return prefix
}

/**
 * NixOS loads an `imageFile` and runs it under the name `image` gives: that `image` names a
 * local image, so a registry digest there would be wrong.
 */
function hasImageFile(tokens: NixToken[], enclosing: number[], i: number): boolean {
  const prefix = pathPrefix(tokens, i)
  const set = enclosing[i]!
  return tokens.some(
    (token, j) =>
      token.kind === 'ident' &&
      token.text === 'imageFile' &&
      tokens[j + 1]?.text === '=' &&
      enclosing[j] === set &&
      pathPrefix(tokens, j) === prefix
  )
}

export function scanNix(text: string): FoundReference[] {
  const lines = new Lines(text)
  const tokens = lexNix(text)
  const enclosing = enclosingBraces(tokens)
  const found: FoundReference[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident') return
    // `image = "…";`, alone or as the last part of an attribute path.
    if (token.text === 'image' && tokens[i - 1]?.text !== '?') {
      const equals = tokens[i + 1]
      const value = tokens[i + 2]
      if (
        equals?.text === '=' &&
        value?.kind === 'string' &&
        value.plain &&
        literal(value.text) &&
        !hasImageFile(tokens, enclosing, i)
      ) {
        found.push({
          value: value.text,
          context: 'image',
          start: value.start + 1,
          end: value.end - 1,
          ...lines.at(value.start + 1),
          editable: true
        })
      }
    }
    // `dockerTools.pullImage { imageName = …; imageDigest = …; finalImageTag = …; }`
    if (token.text === 'pullImage' && tokens[i + 1]?.text === '{') {
      const bindings = nixBindings(tokens, i + 1)
      const name = bindings.get('imageName')
      if (!name || !literal(name.text)) return
      const tag = bindings.get('finalImageTag')
      const digest = bindings.get('imageDigest')
      if ((tag && !literal(tag.text)) || (digest && !literal(digest.text))) return
      const arch = bindings.get('arch')
      const os = bindings.get('os')
      const variant = bindings.get('variant')
      const platform = arch
        ? canonicalPlatform({
            os: os?.text || 'linux',
            architecture: arch.text,
            ...(variant?.text ? { variant: variant.text } : {})
          })
        : undefined
      const value = `${name.text}${tag ? `:${tag.text}` : ''}${digest ? `@${digest.text}` : ''}`
      found.push({
        value,
        context: 'pullImage',
        start: name.start + 1,
        end: name.end - 1,
        ...lines.at(name.start + 1),
        ...(digest ? { digestLine: lines.at(digest.start).line } : {}),
        ...(platform ? { platform } : {}),
        // Changing imageDigest also changes the output hash, which only Nix can compute.
        editable: false
      })
    }
  })
  return found
}

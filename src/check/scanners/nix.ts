// Image references in Nix: `image = "…";` (virtualisation.oci-containers) and
// dockerTools.pullImage { imageName; imageDigest; finalImageTag; }.
import { canonicalPlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'
import { enclosingBraces, lexNix, nixBindings, type NixToken } from './nix-lexer.js'
import { resolveInterpolation } from './nix-bindings.js'

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
      if (equals?.text !== '=' || value?.kind !== 'string' || hasImageFile(tokens, enclosing, i))
        return
      const at = { start: value.start + 1, end: value.end - 1, ...lines.at(value.start + 1) }
      if (value.plain) {
        if (literal(value.text))
          found.push({ value: value.text, context: 'image', ...at, editable: true })
        return
      }
      const resolved = resolveInterpolation(tokens, enclosing, i + 2, lines)
      if (typeof resolved === 'string')
        found.push({
          value: value.text,
          context: 'image',
          ...at,
          editable: false,
          unresolved: resolved
        })
      else if (literal(resolved.value))
        found.push({
          value: resolved.value,
          context: 'image',
          ...at,
          editable: false,
          via: resolved.via
        })
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

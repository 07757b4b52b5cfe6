// Image references in Nix: `image = "…";` (virtualisation.oci-containers),
// dockerTools.pullImage { imageName; imageDigest; finalImageTag; }, and our own API
// (`imageTrack = { image; track; }`, `….lib.image { … }`), which is pinned by construction.
import { canonicalPlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'
import { enclosingBraces, lexNix, type NixToken } from './nix-lexer.js'
import { NixScopes, resolveInterpolation } from './nix-bindings.js'

/** `a.b.image` → `a.b.` for the ident at `i`: the attribute path written before it. */
function pathPrefix(tokens: NixToken[], i: number): string {
  let prefix = ''
  while (tokens[i - 1]?.text === '.' && tokens[i - 2]?.kind === 'ident') {
    prefix = `${tokens[i - 2]!.text}.${prefix}`
    i -= 2
  }
  return prefix
}

/** Where the binding at `tokens[i]` is: its set's `{` and the attribute path before it. */
function placeOf(tokens: NixToken[], enclosing: number[], i: number): string {
  return `${enclosing[i]!} ${pathPrefix(tokens, i)}`
}

/**
 * NixOS loads an `imageFile` and runs it under the name `image` gives: that `image` names a
 * local image, so a registry digest there would be wrong. The places of every `imageFile =`.
 */
function imageFilePlaces(tokens: NixToken[], enclosing: number[]): Set<string> {
  const places = new Set<string>()
  tokens.forEach((token, j) => {
    if (token.kind === 'ident' && token.text === 'imageFile' && tokens[j + 1]?.text === '=')
      places.add(placeOf(tokens, enclosing, j))
  })
  return places
}

const OWN_FUNCTIONS = new Set(['image', 'pullImageArgs', 'fetchImage'])

/**
 * The sets our own API takes, by the index of their `{`: `imageTrack = {`, calls of `image`,
 * `pullImageArgs` or `fetchImage` through a `….lib.` path (`nix-oci-hashes.lib.image {`), and any
 * other set that binds both `image` and `track` (`fixture.image { … }`, an option's example).
 */
function ownApiSets(tokens: NixToken[], enclosing: number[]): Map<number, string> {
  const sets = new Map<number, string>()
  const binds = (name: string): Set<number> =>
    new Set(
      tokens.flatMap((token, i) =>
        token.kind === 'ident' &&
        token.text === name &&
        tokens[i + 1]?.text === '=' &&
        ['{', ';'].includes(tokens[i - 1]?.text ?? '')
          ? [enclosing[i]!]
          : []
      )
    )
  const tracks = binds('track')
  const images = binds('image')
  tokens.forEach((token, i) => {
    if (token.text !== '{' || token.kind !== 'punct') return
    const before = tokens[i - 1]
    const call =
      before?.kind === 'ident' && OWN_FUNCTIONS.has(before.text) ? `lib.${before.text}` : null
    if (tokens[i - 2]?.text === 'imageTrack' && before?.text === '=') sets.set(i, 'imageTrack')
    else if (call && /(?:^|\.)lib\.$/.test(pathPrefix(tokens, i - 1))) sets.set(i, call)
    else if (tracks.has(i) && images.has(i)) sets.set(i, call ?? 'imageTrack')
  })
  return sets
}

/** The literal bound at `tokens[i]` (`name = …;`): a plain string's text, or a number as written. */
function literalAfter(text: string, tokens: NixToken[], i: number): string | undefined {
  const value = tokens[i + 2]
  if (value?.kind === 'string') return value.plain ? value.text : undefined
  let end = i + 2
  while (end < tokens.length && tokens[end]!.text !== ';') end++
  if (end >= tokens.length) return undefined
  const number = text.slice(tokens[i + 1]!.end, tokens[end]!.start).trim()
  return /^\d+(?:\.\d+)*$/.test(number) ? number : undefined
}

/** The first `track = …` binding (also as `a.imageTrack.track = …`) of each place. */
function trackBindings(tokens: NixToken[], enclosing: number[]): Map<string, number> {
  const places = new Map<string, number>()
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident' || token.text !== 'track' || tokens[i + 1]?.text !== '=') return
    const place = placeOf(tokens, enclosing, i)
    if (!places.has(place)) places.set(place, i)
  })
  return places
}

export function scanNix(text: string): FoundReference[] {
  const lines = new Lines(text)
  const tokens = lexNix(text)
  const enclosing = enclosingBraces(tokens)
  const found: FoundReference[] = []
  const own = ownApiSets(tokens, enclosing)
  const tracks = trackBindings(tokens, enclosing)
  const imageFiles = imageFilePlaces(tokens, enclosing)
  const scopes = new NixScopes(tokens)
  /** The track bound in the set opening at `open`, under the attribute path `prefix`. */
  const trackIn = (open: number, prefix: string): string | undefined => {
    const at = tracks.get(`${open} ${prefix}`)
    return at === undefined ? undefined : literalAfter(text, tokens, at)
  }
  for (const [open, context] of own) {
    const bindings = scopes.bindings(open)
    const reference = bindings.get('reference')
    const image = bindings.get('image')
    const track = trackIn(open, '')
    const at = (token: NixToken) => ({
      start: token.start + 1,
      end: token.end - 1,
      ...lines.at(token.start + 1)
    })
    // `reference = "name:tag@sha256:…"` is an ordinary reference the function only checks.
    if (reference && literal(reference.text))
      found.push({ value: reference.text, context, ...at(reference), editable: true })
    else if (image && track !== undefined && literal(image.text) && literal(track))
      found.push({
        value: `${image.text}:${track}`,
        context,
        ...at(image),
        editable: false,
        track: { image: image.text, track }
      })
  }
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident') return
    // `image = "…";`, alone or as the last part of an attribute path; not our own API's `image`.
    if (token.text === 'image' && tokens[i - 1]?.text !== '?') {
      const equals = tokens[i + 1]
      const value = tokens[i + 2]
      if (equals?.text !== '=' || value?.kind !== 'string') return
      if (imageFiles.has(placeOf(tokens, enclosing, i))) return
      if (own.has(enclosing[i]!)) return
      const at = { start: value.start + 1, end: value.end - 1, ...lines.at(value.start + 1) }
      // `x.imageTrack.image = "…"; x.imageTrack.track = "…";`
      const prefix = pathPrefix(tokens, i)
      if (prefix.endsWith('imageTrack.')) {
        const track = trackIn(enclosing[i]!, prefix)
        if (value.plain && literal(value.text) && track !== undefined && literal(track)) {
          const named = { image: value.text, track }
          found.push({
            value: `${value.text}:${track}`,
            context: 'imageTrack',
            ...at,
            editable: false,
            track: named
          })
        }
        return
      }
      if (value.plain) {
        if (literal(value.text))
          found.push({ value: value.text, context: 'image', ...at, editable: true })
        return
      }
      const resolved = resolveInterpolation(tokens, enclosing, i + 2, lines, scopes)
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
      const bindings = scopes.bindings(i + 1)
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
  return found.sort((a, b) => a.start - b.start)
}

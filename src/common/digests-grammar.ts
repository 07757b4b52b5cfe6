// What digests.json may hold: image → track → platform → reference. The flake's reader checks
// the same grammar with the same expressions (nix/lib.nix: isImageKey, isTrackKey,
// isPlatformKey, isPinnedReference), and both of our readers (the updater before it writes, check
// and pin before they look anything up) walk a document with digestsViolations below, so all
// three refuse the same entries; tests/fixtures/digests-grammar/cases.json is the table they are
// all tested against. The expressions keep to what both engines read alike (POSIX extended for
// Nix's builtins.match): bracket classes, no \d, no lazy or possessive quantifiers, and a literal
// "]" written bare (POSIX has no "\]" escape).
import { isJsonObject } from './records.js'

const LABEL = '[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?'
const PORT = ':[0-9]{1,5}'
// Docker's rule: the first component is a registry host only when it has a dot or a port, is
// localhost, or is an IPv6 literal in brackets.
const HOST = `(${LABEL}(\\.${LABEL})+(${PORT})?|${LABEL}${PORT}|localhost|\\[[a-fA-F0-9:.]+](${PORT})?)`
const COMPONENT = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*'
const NAME = `(${HOST}/)?${COMPONENT}(/${COMPONENT})*`
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = '(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})'

/** The expressions, each matched against a whole string, and the longest string each takes. */
export const DIGESTS_GRAMMAR = {
  imageKey: { pattern: NAME, maxLength: 255 },
  trackKey: { pattern: TAG, maxLength: 128 },
  platformKey: { pattern: '[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?', maxLength: 255 },
  reference: { pattern: `${NAME}:${TAG}@${DIGEST}`, maxLength: 520 }
} as const

export type GrammarPart = keyof typeof DIGESTS_GRAMMAR

/** Each part's rule, and what it asks for, for messages. */
const RULES: Record<GrammarPart, [rule: string, asks: string]> = {
  imageKey: ['image name', 'an image name as Docker reads it, of at most 255 characters'],
  trackKey: ['track key', 'a tag (letters, digits, "_", "." and "-", not first, at most 128)'],
  platformKey: ['platform key', 'os/arch or os/arch/variant in lowercase'],
  reference: [
    'pinned reference',
    'name:tag@sha256:<64 hex digits> or name:tag@sha512:<128 hex digits>'
  ]
}

const STRUCTURE_RULE = 'image → track → platform → reference'

const compiled = new Map(
  (Object.keys(DIGESTS_GRAMMAR) as GrammarPart[]).map((part) => [
    part,
    new RegExp(`^(?:${DIGESTS_GRAMMAR[part].pattern})$`)
  ])
)

// Length first: a regular expression is never run over an unbounded string.
export function matchesGrammar(part: GrammarPart, value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= DIGESTS_GRAMMAR[part].maxLength &&
    compiled.get(part)!.test(value)
  )
}

/** A part of a digests document outside the grammar: everything under `at` is refused. */
export interface DigestsViolation {
  /** The keys down to it: [] (the document), [image], [image, track] or [image, track, platform]. */
  at: string[]
  /** `$["image"]["track"]: what is wrong (rule: …)` */
  message: string
}

/** The JSON path of `at`, as messages write it: `$["nginx"]["1"]`. */
export function jsonPath(at: readonly string[]): string {
  return `$${at.map((key) => `[${JSON.stringify(key)}]`).join('')}`
}

/**
 * Every entry of `document` (image → track → platform → reference) the flake refuses, in
 * document order, at most `limit`. Each is reported where the flake's lookup stops, in its
 * order: an image key or image value refuses the whole image, a track key or value the whole
 * track, a platform key or reference that one entry; nothing under a refused part is looked at.
 */
export function digestsViolations(document: unknown, limit = Infinity): DigestsViolation[] {
  const found: DigestsViolation[] = []
  const refuse = (at: string[], message: string): boolean => {
    found.push({ at, message: `${jsonPath(at)}: ${message}` })
    return found.length >= limit
  }
  const outside = (part: GrammarPart, value: string): string | undefined => {
    if (matchesGrammar(part, value)) return undefined
    const [rule, asks] = RULES[part]
    return `${JSON.stringify(value)} is not ${asks} (rule: ${rule})`
  }
  const notObject = `must be an object (rule: ${STRUCTURE_RULE})`
  if (!isJsonObject(document)) {
    refuse([], notObject)
    return found
  }
  for (const image of Object.keys(document)) {
    const tracks = document[image]
    const imageWrong = outside('imageKey', image) ?? (isJsonObject(tracks) ? null : notObject)
    if (imageWrong) {
      if (refuse([image], imageWrong)) return found
      continue
    }
    for (const track of Object.keys(tracks as Record<string, unknown>)) {
      const platforms = (tracks as Record<string, unknown>)[track]
      const trackWrong = outside('trackKey', track) ?? (isJsonObject(platforms) ? null : notObject)
      if (trackWrong) {
        if (refuse([image, track], trackWrong)) return found
        continue
      }
      for (const platform of Object.keys(platforms as Record<string, unknown>)) {
        const reference = (platforms as Record<string, unknown>)[platform]
        const wrong =
          outside('platformKey', platform) ??
          (typeof reference === 'string'
            ? outside('reference', reference)
            : `must be a string (rule: ${STRUCTURE_RULE})`)
        if (wrong && refuse([image, track, platform], wrong)) return found
      }
    }
  }
  return found
}

/** The first violation's message, or undefined when the whole document is in the grammar. */
export function grammarViolation(document: unknown): string | undefined {
  return digestsViolations(document, 1)[0]?.message
}

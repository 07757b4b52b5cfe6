// What digests.json may hold: image → track → platform → reference. The flake's reader checks
// the same grammar with the same expressions (nix/lib.nix: isImageKey, isTrackKey,
// isPlatformKey, isPinnedReference), so whatever the updater writes, the flake evaluates;
// tests/fixtures/digests-grammar.json is the table both are tested against. The expressions
// keep to what both engines read alike (POSIX extended for Nix's builtins.match): bracket
// classes, no \d, no lazy or possessive quantifiers, and a literal "]" written bare (POSIX has no
// "\]" escape).

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

const compiled = new Map(
  (Object.keys(DIGESTS_GRAMMAR) as GrammarPart[]).map((part) => [
    part,
    new RegExp(`^(?:${DIGESTS_GRAMMAR[part].pattern})$`)
  ])
)

export function matchesGrammar(part: GrammarPart, value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= DIGESTS_GRAMMAR[part].maxLength &&
    compiled.get(part)!.test(value)
  )
}

/**
 * The first image key, track key, platform key or reference of `entries` (image → track →
 * platform → reference) outside the grammar, as a message naming where it is and the rule;
 * undefined when every one is in it.
 */
export function grammarViolation(
  entries: Record<string, Record<string, Record<string, string>>>
): string | undefined {
  for (const [image, tracks] of Object.entries(entries)) {
    const at: string[] = []
    const check = (part: GrammarPart, value: string): string | undefined => {
      if (matchesGrammar(part, value)) return undefined
      const [rule, asks] = RULES[part]
      const path = at.map((key) => `[${JSON.stringify(key)}]`).join('')
      return `$${path}: ${JSON.stringify(value)} is not ${asks} (rule: ${rule})`
    }
    at.push(image)
    const bad = check('imageKey', image)
    if (bad) return bad
    for (const [track, platforms] of Object.entries(tracks)) {
      at.push(track)
      const badTrack = check('trackKey', track)
      if (badTrack) return badTrack
      for (const [platform, reference] of Object.entries(platforms)) {
        at.push(platform)
        const found = check('platformKey', platform) ?? check('reference', reference)
        if (found) return found
        at.pop()
      }
      at.pop()
    }
  }
  return undefined
}

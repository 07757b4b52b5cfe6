// Choosing a track starts here: a tag pattern says which tags are versions at all.
// Tag patterns come from images.json and the tags they run against from a registry, so neither
// side may be trusted to keep a backtracking engine fast: patterns run on RE2 (re2js), whose
// automata match in time linear in the tag whatever the pattern. Its syntax leaves out exactly
// what cannot be matched that way (lookarounds, backreferences); those are refused at load.
import type { RE2JS } from 're2js'

export interface TagPattern {
  /** As written in images.json. */
  readonly source: string
  /** The pattern's named groups, in the order they open in it, as the engine parsed them. */
  readonly names: readonly string[]
  /**
   * What each named group captured, in `names` order (undefined where the group took no part),
   * for the first match anywhere in `tag` as RegExp.exec finds it; null when nothing matches.
   */
  captures(tag: string): Array<string | undefined> | null
}

/** A pattern that cannot be used; `rule` is the rule it breaks, for the images.json message. */
export class TagPatternError extends Error {
  override name = 'TagPatternError'
  constructor(
    message: string,
    readonly rule: string
  ) {
    super(message)
  }
}

type Engine = typeof import('re2js')
let engine: Promise<Engine> | undefined

/**
 * The compiler, once the engine is loaded: on first use, as a chunk of its own in the CLI, so a
 * run with no image to match never parses it.
 */
export async function tagPatternCompiler(): Promise<(source: string) => TagPattern> {
  const re2 = await (engine ??= import('re2js'))
  return (source) => compile(re2, source)
}

// What RE2 refuses that a JavaScript pattern may hold, told apart by the text it stopped at.
const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^\(\?<[=!]/, 'lookbehind'],
  [/^\(\?[=!]/, 'lookahead'],
  [/^\\([1-9]|k)/, 'backreference']
]

/**
 * Ample room for any pattern a real image needs (docs/images.md gives the margin over the shipped
 * images.json), while a hostile pattern cannot make every tag's match slow.
 */
const MAX_PROGRAM_SIZE = 1000

function compile(re2: Engine, source: string): TagPattern {
  let pattern: RE2JS
  try {
    pattern = re2.RE2JS.compile(source)
  } catch (error) {
    if (!(error instanceof re2.RE2JSException)) throw error
    const at = error instanceof re2.RE2JSSyntaxException ? (error.input ?? '') : ''
    const construct = UNSUPPORTED.find(([shape]) => shape.test(at))?.[1]
    if (construct) {
      throw new TagPatternError(
        `a ${construct} (${JSON.stringify(at)}) cannot be matched in linear time; tag patterns use RE2 syntax, which has none`,
        'linear-time regular expression'
      )
    }
    throw new TagPatternError(`invalid regular expression: ${error.message}`, 'regular expression')
  }
  // Linear in the tag is also linear in the pattern: bound the pattern, so every tag of a
  // registry-sized list stays cheap to match.
  if (pattern.programSize() > MAX_PROGRAM_SIZE) {
    throw new TagPatternError(
      `the pattern compiles to ${pattern.programSize()} instructions, more than ${MAX_PROGRAM_SIZE}`,
      'pattern size'
    )
  }
  // The engine's own parse, not the text: `\(?<major>` is an escaped parenthesis, no group.
  const numbered = Object.entries(pattern.namedGroups()).sort(([, a], [, b]) => a - b)
  if (!numbered.some(([name]) => name === 'major')) {
    throw new TagPatternError('the pattern must capture a named group "major"', 'named group major')
  }
  const names = numbered.map(([name]) => name)
  const numbers = numbered.map(([, number]) => number)
  return {
    source,
    names,
    captures(tag) {
      // The DFA answers whether it matches fastest; only a match pays for its groups.
      if (!pattern.test(tag)) return null
      const matcher = pattern.matcher(tag)
      if (!matcher.find()) return null
      return numbers.map((number) => matcher.group(number) ?? undefined)
    }
  }
}

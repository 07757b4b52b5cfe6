// What every scanner reports, and the text helpers they share.

/**
 * One image reference found in a file. Offsets index the file's text decoded as latin1, so they
 * are byte offsets and an edit between them leaves every other byte as it was.
 */
export interface FoundReference {
  /** The reference as it reads, `name[:tag][@digest]`. */
  value: string
  /**
   * Where it was found: `image`, `pullImage`, `imageTrack`, `lib.image`, `FROM`, `COPY --from`,
   * `syntax`, `compose`, `kubernetes`, `helm-values`, `workflow`, `yaml`.
   */
  context: string
  /** Bytes of `value` in the file; only meaningful when `editable`. */
  start: number
  end: number
  line: number
  column: number
  /** Line of the digest, when written apart from the name (pullImage's `imageDigest`). */
  digestLine?: number
  /** Canonical `os/arch[/variant]` when the file names the one platform this reference runs on. */
  platform?: string
  /** True when `value` appears literally between `start` and `end` and can be rewritten there. */
  editable: boolean
  /**
   * Set when `value` was built from variables or bindings elsewhere: where each part came from
   * (`version = "1.2" at line 3`). Findings quote it; pin leaves such references alone.
   */
  via?: string
  /**
   * Set when the reference could not be resolved (an expression, an unset variable): why. Such a
   * reference is skipped and counted, never checked.
   */
  unresolved?: string
  /**
   * A Helm values `image:` mapping: pin replaces bytes start…end with `prefix` and the digest.
   * `field: 'digest'` fills a `digest:` field (a new line, or an empty value); `field: 'tag'`
   * appends `@sha256:…` to the tag where the chart reads no digest field.
   */
  valuesDigest?: { start: number; end: number; prefix: string; field: 'digest' | 'tag' }
  /** The name of an image this repository builds (compose `build:`, skaffold): never pulled. */
  built?: boolean
  /** A kustomize images entry: where pin inserts a `digest:` line, and the line break and indentation before it. */
  digestField?: { at: number; lead: string }
  /** Rules an inline `nix-oci-hashes: ignore[…]` comment turns off for this reference. */
  ignoreRules?: string[]
  /** Our own API (`imageTrack`, `lib.image`, `lib.pullImageArgs`, `lib.fetchImage`): pinned by construction; the image and track it names. */
  track?: { image: string; track: string }
}

/** The file is not what its name says (malformed YAML), at a line. */
export class ScanError extends Error {
  override name = 'ScanError'
  constructor(
    message: string,
    readonly line: number
  ) {
    super(message)
  }
}

/** Line and column of byte offsets in one file's text. */
export class Lines {
  private readonly starts: number[] = [0]

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.starts.push(i + 1)
  }

  /** 1-based line and column of a byte offset. */
  at(offset: number): { line: number; column: number } {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 }
  }
}

/** References never contain these; a value that does is an expression, not checked. */
const NOT_LITERAL = /[$\s{}\\"'`]/

export function literal(value: string): boolean {
  return value !== '' && !NOT_LITERAL.test(value)
}

// `TODO`, `CHANGEME`, `<image>`, and ALL_CAPS names a build substitutes
// (`CONTAINER_IMAGES_REGISTRY/app`, `newTag: CONTAINER_IMAGES_TAG`): registries, repositories
// and the tags people write are not spelled like that.
const PLACEHOLDER_WORD = /^(?:TODO|TBD|FIXME|XXX|CHANGEME|CHANGE_ME|REPLACE_?ME|PLACEHOLDER)$/i
const SUBSTITUTED = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/

/** A value that stands for an image someone fills in later, not a reference. */
export function isPlaceholder(value: string): boolean {
  if (/^<[^>]*>$/.test(value)) return true
  return value.split(/[/:@]/).some((part) => PLACEHOLDER_WORD.test(part) || SUBSTITUTED.test(part))
}

// What the YAML scanners of one file share.
import type { Scalar } from 'yaml'
import type { FoundReference, Lines } from './scanned-reference.js'

/** What the scanners of one file share: its text, and where references go. */
export interface YamlSink {
  text: string
  /** Bytes before the parsed text (a byte-order mark). */
  shift: number
  lines: Lines
  push(reference: FoundReference): void
  /**
   * A scalar holding a reference: `skip` characters of it are not part of the reference
   * (`docker://`), `accept` turns values away, `extra` is added to what is reported.
   */
  scalar(
    node: Scalar,
    context: string,
    options?: {
      platform?: string
      skip?: number
      accept?: (value: string) => boolean
      extra?: Partial<FoundReference>
    }
  ): void
}

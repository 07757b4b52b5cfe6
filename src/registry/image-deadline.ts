// One image's bound on its whole work. A request's own deadline bounds each request; a
// registry that answers every request just in time, page after endless page, is bounded only
// by this.
import { RegistryError } from './errors.js'

export class ImageDeadline {
  readonly signal: AbortSignal

  constructor(readonly ms: number) {
    // AbortSignal.timeout's timer does not keep the process alive once the run is done.
    this.signal = AbortSignal.timeout(ms)
  }

  /** Throws once the deadline has passed, naming the request it stopped. */
  check(label: string): void {
    if (this.signal.aborted) {
      throw new RegistryError(
        label,
        `stopped: the image's ${Math.round(this.ms / 100) / 10} s deadline passed (--image-deadline)`
      )
    }
  }
}

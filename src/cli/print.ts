// The CLI's output, written with write(2) on descriptors 1 and 2. process.stdout and
// process.stderr build a stream on first use, which loads net and Node's stream modules (~28
// internal modules, ~3 ms): a tenth of what a run with nothing to do may cost (docs/performance.md, Start-up).
import { writeSync } from 'node:fs'

const STDOUT = 1
const STDERR = 2
// A non-blocking descriptor (shared with a parent that made it so) refuses a write it cannot
// take now; wait this long before the next try, as a blocking write would have waited.
const RETRY_MS = 1
const pause = new Int32Array(new SharedArrayBuffer(4))

function writeAll(fd: number, data: string | Uint8Array): void {
  let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(pause, 0, 0, RETRY_MS)
    }
  }
}

/** Writes `data` to stdout, all of it, before returning. */
export function printOut(data: string | Uint8Array): void {
  writeAll(STDOUT, data)
}

/** Writes `data` to stderr, all of it, before returning. */
export function printErr(data: string): void {
  writeAll(STDERR, data)
}

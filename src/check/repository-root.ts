// The repository a run is in: the settings file and the write boundary are both found there.
import { stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'

/** The folder holding `.git` at or above `folder`, or null outside a repository. */
export async function findRepositoryRoot(folder: string): Promise<string | null> {
  let current = resolve(folder)
  for (;;) {
    if (await stat(join(current, '.git')).catch(() => null)) return current
    const parent = dirname(current)
    if (parent === current) return null
    current = parent
  }
}

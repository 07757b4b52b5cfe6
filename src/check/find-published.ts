// Which published data check and pin use: a digests.json named with --digests, the ociHashes
// of a flake named with --flake (through `nix eval`), or for check a digests.json at the flake
// root or the repository root when there is one.
import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import {
  PublishedDigestsError,
  parsePublishedDigests,
  readPublishedDigests,
  type PublishedDigests
} from './published-digests.js'
import { findRepositoryRoot } from './repository-root.js'

export interface PublishedChoice {
  /** --digests FILE */
  digests?: string | undefined
  /** --flake REF: `nix eval --json REF#ociHashes` */
  flake?: string | undefined
  /** Look for a digests.json when neither is given. */
  discover?: boolean
  /** When discovering, a digests.json looked at first (the action's `digests` input). */
  preferred?: string | undefined
}

const NIX_EVAL_TIMEOUT_MS = 120_000
const NIX_EVAL_MAX_BYTES = 256 * 1024 * 1024

function nixEval(reference: string, cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'nix',
      ['eval', '--json', reference],
      { cwd, timeout: NIX_EVAL_TIMEOUT_MS, maxBuffer: NIX_EVAL_MAX_BYTES },
      (error, stdout, stderr) => {
        if (!error) return resolvePromise(stdout)
        const why = stderr.trim().split('\n').slice(-3).join(' ') || error.message
        reject(new PublishedDigestsError(`nix eval --json ${reference} failed: ${why}`))
      }
    )
  })
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false
}

/** The nearest folder at or above `folder` (up to `stop`) holding flake.nix. */
async function flakeRoot(folder: string, stop: string | null): Promise<string | null> {
  let current = resolve(folder)
  for (;;) {
    if (await exists(join(current, 'flake.nix'))) return current
    const parent = dirname(current)
    if (parent === current || current === stop) return null
    current = parent
  }
}

/** The published data chosen, or null when none was named and none was found. */
export async function findPublished(
  choice: PublishedChoice,
  cwd: string
): Promise<PublishedDigests | null> {
  if (choice.digests) return readPublishedDigests(resolve(cwd, choice.digests), choice.digests)
  if (choice.flake) {
    const reference = choice.flake.includes('#') ? choice.flake : `${choice.flake}#ociHashes`
    return parsePublishedDigests(await nixEval(reference, cwd), reference)
  }
  if (!choice.discover) return null
  const repository = await findRepositoryRoot(cwd)
  const found = [await flakeRoot(cwd, repository), repository].map(
    (folder) => folder && join(folder, 'digests.json')
  )
  for (const path of [choice.preferred, ...found]) {
    if (!path || !(await exists(path))) continue
    const published = await readPublishedDigests(path, relative(cwd, path) || path)
    // The `{}` a repository ships before its first update says nothing is published yet.
    return published.images.size > 0 ? published : null
  }
  return null
}

// Where pin may write: inside the repository (or the working directory outside one) and inside
// the paths it was handed, with every symbolic link resolved first. A link named on the command
// line that leads out of the tree is refused, so a planted `config.nix -> /etc/…` is never written.
import { lstat, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import { findRepositoryRoot } from './repository-root.js'

export interface WriteRoots {
  roots: string[]
  /** What the refusal names: the repository root or the working directory. */
  home: string
}

/** The repository (else the working directory) and each argument that is not itself a link. */
export async function writeRoots(paths: readonly string[], cwd: string): Promise<WriteRoots> {
  const home = (await findRepositoryRoot(cwd)) ?? resolve(cwd)
  const roots = [await realpath(home).catch(() => home)]
  for (const argument of paths) {
    const path = resolve(cwd, argument)
    const info = await lstat(path).catch(() => null)
    if (!info || info.isSymbolicLink()) continue
    roots.push(await realpath(path).catch(() => path))
  }
  return { roots, home }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

export class OutsideError extends Error {
  override name = 'OutsideError'
}

/**
 * The real file behind `path`, to be replaced in its own folder (so a link stays a link), or an
 * OutsideError when it lies outside every root.
 */
export async function confinedTarget(path: string, allowed: WriteRoots): Promise<string> {
  const real = await realpath(path)
  if (allowed.roots.some((root) => inside(real, root))) return real
  throw new OutsideError(
    `resolves to ${real}, outside ${allowed.home} and the paths given; not written (pin never writes through a link out of the tree)`
  )
}

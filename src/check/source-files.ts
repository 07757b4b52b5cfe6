import { lstat, readdir, stat } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import picomatch from 'picomatch'

/** The kinds of file the reference scanner reads. */
export type FileKind = 'nix' | 'dockerfile' | 'compose' | 'kubernetes' | 'kustomization'

export interface SourceFile {
  /** Absolute path. */
  path: string
  /** Relative to the working directory when inside it, for reports and annotations. */
  display: string
  kind: FileKind
}

export interface Discovery {
  files: SourceFile[]
  /** Arguments that name nothing on disk. */
  missing: string[]
  /** Files named on the command line that are not a kind the scanner reads. */
  ignored: string[]
  /** Directories that could not be listed. */
  unreadable: Array<{ display: string; message: string }>
  /** Files of a kind the scanner reads that an --exclude glob matched. */
  excluded: number
}

// Directories that never hold a user's own configuration, or are build outputs.
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.direnv'])
const MAX_FILES = 100_000

/**
 * The kind a file's name says it is, or null. Other `.yaml`/`.yml` files are `kubernetes`: read
 * for manifests and every other YAML shape that names images (values, workflows, variables).
 */
export function fileKindOf(name: string): FileKind | null {
  const base = basename(name)
  // Lock files: large, and never a place an image is named.
  if (base === 'pnpm-lock.yaml') return null
  if (/^(?:kustomization\.ya?ml|Kustomization)$/.test(base)) return 'kustomization'
  if (base.endsWith('.nix')) return 'nix'
  if (/^(?:docker|container)file(?:[.-].*)?$/i.test(base)) return 'dockerfile'
  if (/\.(?:docker|container)file$/i.test(base)) return 'dockerfile'
  if (/\.ya?ml$/i.test(base)) return /compose/i.test(base) ? 'compose' : 'kubernetes'
  return null
}

/**
 * Files to scan under the given paths. Directories are walked without following symbolic
 * links (so Nix's `result` links and link loops are never entered), skipping VCS metadata and
 * node_modules; files named explicitly are read even through a link.
 */
export async function discoverFiles(
  paths: readonly string[],
  cwd: string,
  exclude: readonly string[] = []
): Promise<Discovery> {
  // Globs match the path relative to the working directory, dotfiles included.
  const excludedPath = exclude.length > 0 ? picomatch([...exclude], { dot: true }) : () => false
  let excluded = 0
  const found = new Map<string, SourceFile>()
  const missing: string[] = []
  const ignored: string[] = []
  const unreadable: Discovery['unreadable'] = []
  const displayOf = (path: string): string => {
    const rel = relative(cwd, path)
    return rel === '' || rel.startsWith('..') ? path : rel
  }
  const add = (path: string, kind: FileKind): void => {
    if (found.size >= MAX_FILES || found.has(path)) return
    if (excludedPath(relative(cwd, path))) {
      excluded++
      return
    }
    found.set(path, { path, display: displayOf(path), kind })
  }
  const walk = async (directory: string): Promise<void> => {
    let entries
    try {
      entries = await readdir(directory, { withFileTypes: true })
    } catch (error) {
      unreadable.push({ display: displayOf(directory), message: (error as Error).message })
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      const path = join(directory, entry.name)
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(path)
      } else if (entry.isFile()) {
        const kind = fileKindOf(entry.name)
        if (kind) add(path, kind)
      }
    }
  }
  for (const argument of paths) {
    const path = resolve(cwd, argument)
    let info
    try {
      info = await stat(path)
    } catch {
      // A dangling link is still something the user named; report it as unreadable later.
      const link = await lstat(path).catch(() => null)
      if (link?.isSymbolicLink() && fileKindOf(path)) add(path, fileKindOf(path)!)
      else missing.push(argument)
      continue
    }
    if (info.isDirectory()) {
      await walk(path)
    } else {
      const kind = fileKindOf(path)
      if (kind) add(path, kind)
      else ignored.push(argument)
    }
  }
  return { files: [...found.values()], missing, ignored, unreadable, excluded }
}

// `.nix-oci-hashes.yaml`: settings a repository keeps with its code instead of in every command
// line. It is found in the folder check and pin run in or the nearest one above it, up to the
// repository root, so a run in a subfolder reads the repository's own file. Globs in it are
// relative to the folder it is in.
import { readFile, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml'
import { findRepositoryRoot } from './repository-root.js'
import { parseVersionGroups, type VersionGroup } from './version-sync-config.js'

export const REPOSITORY_CONFIG = '.nix-oci-hashes.yaml'

export interface ConsistencyConfig {
  enabled: boolean
  /** Globs of files whose references the rule leaves out. */
  ignore: string[]
  /** Globs of folders each compared on their own, over the folders found by their build files. */
  projects: string[]
}

export interface RepositoryConfig {
  /** The file, or null when there is none. */
  path: string | null
  /** The folder its globs are relative to. */
  folder: string
  /** Relative to the working directory, as --exclude globs are. */
  exclude: string[]
  consistency: ConsistencyConfig
  versions: VersionGroup[]
}

/** The config file is not what its documentation says: the file, the path in it and the rule. */
export class RepositoryConfigError extends Error {
  override name = 'RepositoryConfigError'
}

const SETTINGS = ['exclude', 'rules', 'versions']

function defaults(folder: string): RepositoryConfig {
  return {
    path: null,
    folder,
    exclude: [],
    consistency: { enabled: true, ignore: [], projects: [] },
    versions: []
  }
}

/** The nearest config file at or above `folder`, not above the repository root. */
async function locate(folder: string): Promise<string | null> {
  const stop = await findRepositoryRoot(folder)
  let current = resolve(folder)
  for (;;) {
    const path = join(current, REPOSITORY_CONFIG)
    // Anything there but an absent file is "found": an unreadable one is an error, not skipped.
    const found = await stat(path).then(
      () => true,
      (error: NodeJS.ErrnoException) => error.code !== 'ENOENT' && error.code !== 'ENOTDIR'
    )
    if (found) return path
    const parent = dirname(current)
    if (stop === null || current === stop || parent === current) return null
    current = parent
  }
}

/**
 * A glob relative to the config's folder, as seen from `prefix` (the working directory relative
 * to that folder): leading segments that the prefix's folders match are dropped; null when the
 * glob cannot match anything below the working directory.
 */
export function rebaseGlob(glob: string, prefix: string): string | null {
  if (prefix === '') return glob
  const parts = glob.split('/')
  const folders = prefix.split('/')
  let index = 0
  for (const folder of folders) {
    const part = parts[index]
    if (part === undefined) return null
    if (part === '**') return parts.slice(index).join('/')
    if (!picomatch.isMatch(folder, part, { dot: true })) return null
    index++
  }
  return index < parts.length ? parts.slice(index).join('/') : null
}

/** The config that applies in `folder`, or the defaults when there is none. */
export async function readRepositoryConfig(folder: string): Promise<RepositoryConfig> {
  const path = await locate(folder)
  if (path === null) return defaults(resolve(folder))
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new RepositoryConfigError(`${path}: cannot read it: ${(error as Error).message}`)
  }
  const config = parseRepositoryConfig(text, path)
  const prefix = relative(config.folder, resolve(folder)).split(sep).join('/')
  config.exclude = config.exclude.flatMap((glob) => rebaseGlob(glob, prefix) ?? [])
  return config
}

export function parseRepositoryConfig(text: string, path: string): RepositoryConfig {
  const config = { ...defaults(dirname(path)), path }
  const lines = new LineCounter()
  const fail = (where: string, rule: string, node?: Node | null): never => {
    const line = node?.range ? `:${lines.linePos(node.range[0]).line}` : ''
    throw new RepositoryConfigError(`${path}${line}: ${where}: ${rule}`)
  }
  const document = parseDocument(text, { lineCounter: lines })
  if (document.errors[0]) fail('', `malformed YAML: ${document.errors[0].message.split('\n')[0]}`)
  const root = document.contents
  if (root === null) return config
  if (!isMap(root)) return fail('(top level)', `must be a mapping of ${SETTINGS.join(', ')}`)
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?'
    if (!SETTINGS.includes(key))
      fail(key, `unknown setting (known: ${SETTINGS.join(', ')})`, pair.key as Node)
  }
  const globs = (node: unknown, where: string, what = 'globs'): string[] => {
    if (!isSeq(node)) return fail(where, `must be a list of ${what}`, node as Node)
    return node.items.map((item, index) =>
      isScalar(item) && typeof item.value === 'string' && item.value !== ''
        ? item.value
        : fail(`${where}[${index}]`, 'must be a glob string', item as Node)
    )
  }
  const exclude = root.get('exclude', true)
  if (exclude !== undefined) config.exclude = globs(exclude, 'exclude')
  const rules = root.get('rules', true)
  if (rules !== undefined) {
    if (!isMap(rules)) return fail('rules', 'must be a mapping of rule → settings', rules as Node)
    for (const pair of rules.items) {
      const rule = isScalar(pair.key) ? String(pair.key.value) : '?'
      if (rule !== 'inconsistent-references')
        fail(
          `rules.${rule}`,
          'no settings for this rule (known: inconsistent-references)',
          pair.key as Node
        )
      config.consistency = consistencySettings(pair.value, globs, fail)
    }
  }
  const versions = root.get('versions', true)
  if (versions !== undefined) config.versions = parseVersionGroups(versions, fail)
  return config
}

function consistencySettings(
  value: unknown,
  globs: (node: unknown, where: string, what?: string) => string[],
  fail: (where: string, rule: string, node?: Node | null) => never
): ConsistencyConfig {
  const where = 'rules.inconsistent-references'
  const settings: ConsistencyConfig = { enabled: true, ignore: [], projects: [] }
  if (isScalar(value) && (value.value === 'off' || value.value === false))
    return { ...settings, enabled: false }
  if (!isMap(value))
    return fail(where, 'must be off, or a mapping with ignore: and projects: lists', value as Node)
  for (const pair of value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?'
    if (key === 'ignore') settings.ignore = globs(pair.value, `${where}.ignore`)
    else if (key === 'projects') settings.projects = globs(pair.value, `${where}.projects`)
    else fail(`${where}.${key}`, 'unknown setting (known: ignore, projects)', pair.key as Node)
  }
  return settings
}

// `.nix-oci-hashes.yaml` in the folder check and pin run in: settings a repository keeps with its
// code instead of in every command line (today `exclude:`, the same globs as --exclude).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'

export const REPOSITORY_CONFIG = '.nix-oci-hashes.yaml'

export interface RepositoryConfig {
  exclude: string[]
}

/** The config file is not what its documentation says: the file, the path in it and the rule. */
export class RepositoryConfigError extends Error {
  override name = 'RepositoryConfigError'
}

/** The folder's config, or the defaults when it has none. */
export async function readRepositoryConfig(folder: string): Promise<RepositoryConfig> {
  const path = join(folder, REPOSITORY_CONFIG)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exclude: [] }
    throw new RepositoryConfigError(`${path}: cannot read it: ${(error as Error).message}`)
  }
  const fail = (where: string, rule: string): never => {
    throw new RepositoryConfigError(`${path}: ${where}: ${rule}`)
  }
  const document = parseDocument(text)
  if (document.errors[0]) fail('', `malformed YAML: ${document.errors[0].message.split('\n')[0]}`)
  const root = document.contents
  if (root === null) return { exclude: [] }
  if (!isMap(root)) return fail('(top level)', 'must be a mapping with an exclude: list')
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?'
    if (key !== 'exclude') fail(key, 'unknown setting (known: exclude)')
  }
  const list = root.get('exclude', true)
  if (list === undefined) return { exclude: [] }
  if (!isSeq(list)) return fail('exclude', 'must be a list of globs')
  const exclude = list.items.map((item, index) =>
    isScalar(item) && typeof item.value === 'string' && item.value !== ''
      ? item.value
      : fail(`exclude[${index}]`, 'must be a glob string')
  )
  return { exclude }
}

// The `versions:` setting of .nix-oci-hashes.yaml: groups of places that each declare one
// application's version, optionally once per folder that a glob matches.
import { isMap, isScalar, isSeq, type Node } from 'yaml'

export type DeclarationKind = 'dockerfile-arg' | 'yaml-path' | 'nix-attribute'

export const DECLARATION_KINDS: readonly DeclarationKind[] = [
  'dockerfile-arg',
  'yaml-path',
  'nix-attribute'
]

export interface Declaration {
  /** Relative to the config's folder; `{folder}` and `{name}` filled in per folder. */
  file: string
  kind: DeclarationKind
  /** The ARG name, the dotted YAML path, or the Nix attribute name; templates allowed. */
  key: string
}

export interface VersionGroup {
  /** `versions[0]`, or the group's `name:`, for messages. */
  label: string
  /** A glob of folders: the group applies once per folder it matches. */
  folders?: string
  /** With `folders`: a folder needs at least one of these files. */
  buildFiles: string[]
  declarations: Declaration[]
}

type Fail = (where: string, rule: string, node?: Node | null) => never

const GROUP_KEYS = ['name', 'folders', 'build-files', 'declarations']
const TEMPLATE = /\{(folder|name)\}/

function text(node: unknown, where: string, fail: Fail): string {
  if (isScalar(node) && typeof node.value === 'string' && node.value !== '') return node.value
  return fail(where, 'must be a non-empty string', node as Node)
}

function declaration(node: unknown, where: string, perFolder: boolean, fail: Fail): Declaration {
  if (!isMap(node))
    return fail(
      where,
      `must be a mapping of file: and one of ${DECLARATION_KINDS.join(', ')}`,
      node as Node
    )
  let file: string | undefined
  const kinds: Array<{ kind: DeclarationKind; key: string }> = []
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?'
    if (key === 'file') file = text(pair.value, `${where}.file`, fail)
    else if ((DECLARATION_KINDS as readonly string[]).includes(key))
      kinds.push({ kind: key as DeclarationKind, key: text(pair.value, `${where}.${key}`, fail) })
    else
      fail(
        `${where}.${key}`,
        `unknown key (known: file, ${DECLARATION_KINDS.join(', ')})`,
        pair.key as Node
      )
  }
  if (file === undefined) return fail(where, 'needs file:', node)
  if (kinds.length !== 1)
    return fail(where, `needs exactly one of ${DECLARATION_KINDS.join(', ')}`, node)
  if (file.startsWith('/') || file.split('/').includes('..'))
    fail(`${where}.file`, "must be a path inside the repository (no leading / or '..')", node)
  if (!perFolder && (TEMPLATE.test(file) || TEMPLATE.test(kinds[0]!.key)))
    fail(where, '{folder} and {name} need the group to name folders:', node)
  return { file, ...kinds[0]! }
}

export function parseVersionGroups(node: unknown, fail: Fail): VersionGroup[] {
  if (!isSeq(node)) return fail('versions', 'must be a list of groups', node as Node)
  return node.items.map((item, index) => {
    const where = `versions[${index}]`
    if (!isMap(item)) return fail(where, 'must be a mapping with declarations:', item as Node)
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?'
      if (!GROUP_KEYS.includes(key))
        fail(`${where}.${key}`, `unknown key (known: ${GROUP_KEYS.join(', ')})`, pair.key as Node)
    }
    const name = item.get('name', true)
    const folders = item.get('folders', true)
    const buildFiles = item.get('build-files', true)
    const list = item.get('declarations', true)
    const group: VersionGroup = {
      label: name === undefined ? where : text(name, `${where}.name`, fail),
      buildFiles: [],
      declarations: []
    }
    if (folders !== undefined)
      group.folders = text(folders, `${where}.folders`, fail).replace(/\/+$/, '')
    if (buildFiles !== undefined) {
      if (group.folders === undefined)
        fail(`${where}.build-files`, 'needs folders:', buildFiles as Node)
      if (!isSeq(buildFiles))
        return fail(`${where}.build-files`, 'must be a list of file names', buildFiles as Node)
      group.buildFiles = buildFiles.items.map((file, i) =>
        text(file, `${where}.build-files[${i}]`, fail)
      )
    }
    if (!isSeq(list) || list.items.length === 0)
      return fail(`${where}.declarations`, 'must be a non-empty list', (list ?? item) as Node)
    group.declarations = list.items.map((entry, i) =>
      declaration(entry, `${where}.declarations[${i}]`, group.folders !== undefined, fail)
    )
    return group
  })
}

// kustomize `images:` entries: they replace the image of every container in the resources their
// kustomization lists (and the kustomizations under it), so the entry is the reference that runs
// and the place a fix goes; the placeholders it replaces are not references at all.
import { dirname, join, resolve } from 'node:path'
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml'
import { appendAll } from '../common/arrays.js'
import { formatReferenceText } from './image-reference-text.js'
import { Lines, ScanError, type FoundReference } from './scanners/scanned-reference.js'
import { fieldInsertion, writtenText } from './scanners/yaml-edit.js'

interface ImagesEntry {
  name: string
  newName?: string
  newTag?: string
  digest?: string
  /** A suffix the build appends to the tag it sets: the entry is a placeholder. */
  tagSuffix?: string
  node: Scalar
  digestField?: { at: number; lead: string }
}

interface Kustomization {
  resources: string[]
  images: ImagesEntry[]
}

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

/** The resources and images entries of a kustomization file. Throws ScanError when malformed. */
export function readKustomization(text: string): Kustomization {
  const document = parseDocument(text, { uniqueKeys: false })
  const error = document.errors[0]
  if (error) throw new ScanError(`malformed YAML: ${error.message.split('\n')[0]}`, 1)
  const root = document.contents
  if (!isMap(root)) return { resources: [], images: [] }
  const lines = new Lines(text)
  const resources: string[] = []
  for (const key of ['resources', 'bases', 'components']) {
    const list = root.get(key, true)
    if (isSeq(list))
      for (const item of list.items) if (isScalar(item)) resources.push(String(item.value))
  }
  const images: ImagesEntry[] = []
  const list = root.get('images', true)
  for (const item of isSeq(list) ? list.items : []) {
    if (!isMap(item)) continue
    const node = item.get('name', true)
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) continue
    const entry: ImagesEntry = { name: node.value, node }
    for (const key of ['newName', 'newTag', 'digest', 'tagSuffix'] as const) {
      const value = writtenText(item.get(key, true))
      if (value !== undefined) entry[key] = value
    }
    const insertion = fieldInsertion(text, item, lines)
    if (insertion) entry.digestField = insertion
    images.push(entry)
  }
  return { resources, images }
}

export interface KustomizeInput {
  path: string
  display: string
  text: string
  kustomization: Kustomization | null
  references: FoundReference[]
}

/** `name` of `name[:tag][@digest]` as written. */
export function nameOf(value: string): { name: string; tag?: string } {
  const bare = value.split('@')[0]!
  const colon = bare.lastIndexOf(':')
  if (colon <= bare.lastIndexOf('/')) return { name: bare }
  return { name: bare.slice(0, colon), tag: bare.slice(colon + 1) }
}

function onlySuffix(entry: ImagesEntry): boolean {
  const { newName, newTag, digest, tagSuffix } = entry
  return tagSuffix !== undefined && [newName, newTag, digest].every((part) => part === undefined)
}

/**
 * Moves each images entry's effective reference onto its kustomization file (at the entry) and
 * drops the references it replaces from the resources. Mutates `references` of the inputs.
 */
export function applyKustomizations(inputs: KustomizeInput[]): void {
  const byPath = new Map(inputs.map((input) => [input.path, input]))
  const reachable = (input: KustomizeInput, seen: Set<string>): KustomizeInput[] => {
    if (seen.has(input.path)) return []
    seen.add(input.path)
    const found: KustomizeInput[] = []
    for (const resource of input.kustomization?.resources ?? []) {
      const path = resolve(dirname(input.path), resource)
      const file = byPath.get(path)
      if (file && !file.kustomization) found.push(file)
      const nested = [path, ...KUSTOMIZATION_NAMES.map((name) => join(path, name))]
        .map((candidate) => byPath.get(candidate))
        .find((candidate) => candidate?.kustomization)
      if (nested) appendAll(found, reachable(nested, seen))
    }
    return found
  }
  const replaced = new Set<FoundReference>()
  for (const input of inputs) {
    if (!input.kustomization) continue
    const lines = new Lines(input.text)
    const files = reachable(input, new Set())
    for (const entry of input.kustomization.images) {
      const matched = files.flatMap((file) =>
        file.references
          .filter((ref) => !ref.unresolved && nameOf(ref.value).name === entry.name)
          .map((ref) => ({ ref, file }))
      )
      for (const { ref } of matched) replaced.add(ref)
      const tag =
        entry.newTag ?? (entry.digest ? undefined : nameOf(matched[0]?.ref.value ?? '').tag)
      const value = formatReferenceText(entry.newName ?? entry.name, tag, entry.digest)
      const first = matched[0]
      const applied = first
        ? `applied to ${first.file.display}:${first.ref.line}${matched.length > 1 ? ` and ${matched.length - 1} more` : ''}`
        : 'matching no container in its resources'
      const start = entry.node.range![0]
      input.references.push({
        value,
        context: 'kustomize',
        start,
        end: entry.node.range![1],
        ...lines.at(start),
        editable: false,
        via: `set by the kustomize images entry for ${entry.name}, ${applied}`,
        ...(onlySuffix(entry)
          ? { unresolved: 'a placeholder entry: only tagSuffix, the build sets the tag' }
          : {}),
        ...(entry.digest === undefined && entry.digestField
          ? { digestField: entry.digestField }
          : {})
      })
    }
  }
  for (const input of inputs) input.references = input.references.filter((r) => !replaced.has(r))
}

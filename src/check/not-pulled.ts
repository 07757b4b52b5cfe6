// References that name no image in a registry: placeholders a build fills in (`TODO`,
// `CONTAINER_IMAGES_REGISTRY/app`), and the names of images this repository builds (compose
// `build:`, skaffold artifacts) wherever they are used. Skipped with the reason, never errors.
import { nameOf } from './kustomize.js'
import { isPlaceholder, type FoundReference } from './scanners/scanned-reference.js'

/** Marks such references unresolved, with why. Mutates the references of the inputs. */
export function markNotPulled(
  inputs: ReadonlyArray<{ display: string; references: FoundReference[] }>
): void {
  const built = new Map<string, string>()
  for (const { display, references } of inputs)
    for (const ref of references)
      if (ref.built && !built.has(nameOf(ref.value).name))
        built.set(nameOf(ref.value).name, `${display}:${ref.line}`)
  for (const { references } of inputs) {
    for (const [index, ref] of references.entries()) {
      if (ref.unresolved) continue
      const where = built.get(nameOf(ref.value).name)
      if (where)
        references[index] = { ...ref, unresolved: `an image built in this repository (${where})` }
      else if (isPlaceholder(ref.value))
        references[index] = { ...ref, unresolved: 'a placeholder, not an image name' }
    }
  }
}

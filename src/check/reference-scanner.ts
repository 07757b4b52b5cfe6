// Finds image references in a file by its kind; each kind's scanner lives in its own module.
import { scanDockerfile } from './scanners/dockerfile.js'
import { scanNix } from './scanners/nix.js'
import type { FoundReference } from './scanners/scanned-reference.js'
import { scanYaml, type YamlHints } from './scanners/yaml.js'
import type { FileKind } from './source-files.js'
import type { VariableLookup } from './scanners/variables.js'

export { ScanError, type FoundReference } from './scanners/scanned-reference.js'

/**
 * References in a file's text (latin1-decoded). Throws ScanError when it cannot be read as its
 * kind. `env` gives compose files the values of the .env beside them, and Dockerfiles the
 * docker-bake.hcl variable defaults. Kustomizations hold no references of their own:
 * kustomize.ts reads them across files.
 */
export function scanText(
  kind: FileKind,
  text: string,
  env?: VariableLookup,
  hints?: YamlHints
): FoundReference[] {
  switch (kind) {
    case 'nix':
      return scanNix(text)
    case 'dockerfile':
      return scanDockerfile(text, env)
    case 'compose':
      return scanYaml(text, 'compose', env)
    case 'kubernetes':
      return scanYaml(text, 'kubernetes', undefined, hints)
    case 'kustomization':
      return []
  }
}

/** A YAML file with a top-level apiVersion or kind: one that does not parse is an error. */
export function looksLikeKubernetes(text: string): boolean {
  return /^(?:apiVersion|kind)\s*:/m.test(text)
}

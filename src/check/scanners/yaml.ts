// Image references in YAML: docker-compose services, and in every other YAML file the shapes
// yaml-documents.ts knows (pod specs, Helm values, workflows, image-named keys).
import { isMap, isScalar, parseAllDocuments, type Document } from 'yaml'
import { Lines, ScanError, literal, type FoundReference } from './scanned-reference.js'
import { expandVariables, type VariableLookup } from './variables.js'
import {
  builtBeside,
  documentImages,
  platformOf,
  type YamlHints,
  type YamlSink
} from './yaml-documents.js'

export type { YamlHints } from './yaml-documents.js'

/** `env` resolves compose's `${VAR}` (from the .env beside the file); nothing else expands. */
export function scanYaml(
  text: string,
  kind: 'compose' | 'kubernetes',
  env: VariableLookup = () => undefined,
  hints: YamlHints = {}
): FoundReference[] {
  const lines = new Lines(text)
  // A UTF-8 byte-order mark reads as three latin1 characters: parse after it, shift offsets back.
  const shift = text.startsWith('\xef\xbb\xbf') ? 3 : 0
  const source = text.slice(shift)
  const documents = parseAllDocuments(source, { prettyErrors: true, uniqueKeys: false })
  const list: Document[] = Array.isArray(documents) ? documents : []
  for (const document of list) {
    const error = document.errors[0]
    if (error) {
      const line = lines.at(error.pos[0] + shift).line
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      throw new ScanError(`malformed YAML: ${message}`, line)
    }
  }
  const found: FoundReference[] = []
  const sink: YamlSink = {
    text,
    shift,
    lines,
    push: (reference) => found.push(reference),
    scalar(node, context, options = {}) {
      if (typeof node.value !== 'string' || !node.range) return
      const start = node.range[0] + shift
      const skip = options.skip ?? 0
      const value = node.value.slice(skip)
      const where = options.platform ? { platform: options.platform } : {}
      if (!literal(value)) {
        if (kind === 'compose' && value.includes('$')) expanded(value, start, options.platform)
        else if (/\$\{\{|\{\{|\{%/.test(value)) {
          const why = value.includes('${{')
            ? 'set by a GitHub Actions expression'
            : 'built from a template expression'
          const at = { start, end: start, ...lines.at(start) }
          found.push({ value, context, ...at, ...where, editable: false, unresolved: why })
        }
        return
      }
      if (options.accept && !options.accept(value)) return
      const valueEnd = node.range[1] + shift
      let editable = false
      let contentStart = start
      if (node.type === 'PLAIN') {
        editable = text.slice(start, valueEnd) === node.value
      } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
        contentStart = start + 1
        editable = text.slice(start + 1, valueEnd - 1) === node.value
      }
      contentStart += skip
      found.push({
        value,
        context,
        start: contentStart,
        end: contentStart + value.length,
        ...lines.at(contentStart),
        ...where,
        editable,
        ...(options.extra ?? {})
      })
    }
  }
  const expanded = (value: string, start: number, platform: string | undefined): void => {
    const at = { context: 'compose', start, end: start, ...lines.at(start), editable: false }
    const where = platform ? { platform } : {}
    const result = expandVariables(value, env)
    if (!result) {
      const unresolved = 'a variable with no value in the .env beside it and no default'
      found.push({ value, ...at, ...where, unresolved })
    } else if (literal(result.value)) {
      found.push({ value: result.value, ...at, ...where, via: result.sources.join(', ') })
    }
  }
  for (const document of list) {
    const root = document.contents
    if (kind === 'compose') composeImages(root, sink)
    else documentImages(root, sink, hints)
  }
  return found
}

/**
 * `services.<name>.image`. With a `build:` beside it the image is built from this repository:
 * its name is not a registry reference, here or anywhere else it is used.
 */
function composeImages(root: unknown, sink: YamlSink): void {
  if (!isMap(root)) return
  const services = root.get('services', true)
  if (!isMap(services)) return
  for (const service of services.items) {
    if (!isMap(service.value)) continue
    const image = service.value.get('image', true)
    const platform = platformOf(service.value.get('platform'))
    if (isScalar(image) && !builtBeside(service.value, image, sink))
      sink.scalar(image, 'compose', { ...(platform ? { platform } : {}) })
  }
}

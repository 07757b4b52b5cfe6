// Image references in YAML: docker-compose services and Kubernetes pod specs.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar
} from 'yaml'
import { canonicalPlatform, parsePlatform } from '../../common/platform.js'
import { Lines, ScanError, literal, type FoundReference } from './scanned-reference.js'
import { expandVariables, type VariableLookup } from './variables.js'

/** `env` resolves compose's `${VAR}` (from the .env beside the file); nothing else expands. */
export function scanYaml(
  text: string,
  kind: 'compose' | 'kubernetes',
  env: VariableLookup = () => undefined
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
  const add = (node: Scalar, context: string, platform: string | undefined): void => {
    if (typeof node.value !== 'string' || !node.range) return
    const start = node.range[0] + shift
    if (!literal(node.value)) {
      if (kind === 'compose' && node.value.includes('$')) expanded(node.value, start, platform)
      return
    }
    const valueEnd = node.range[1] + shift
    let editable = false
    let contentStart = start
    if (node.type === 'PLAIN') {
      editable = text.slice(start, valueEnd) === node.value
    } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      contentStart = start + 1
      editable = text.slice(start + 1, valueEnd - 1) === node.value
    }
    found.push({
      value: node.value,
      context,
      start: contentStart,
      end: contentStart + node.value.length,
      ...lines.at(contentStart),
      ...(platform ? { platform } : {}),
      editable
    })
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
    if (kind === 'compose') composeImages(root, add)
    else if (isMap(root) && (root.has('apiVersion') || root.has('kind')))
      kubernetesImages(root, undefined, add)
  }
  return found
}

type AddScalar = (node: Scalar, context: string, platform: string | undefined) => void

function platformOf(text: unknown): string | undefined {
  const parsed = typeof text === 'string' ? parsePlatform(text) : null
  return parsed ? canonicalPlatform(parsed) : undefined
}

function composeImages(root: unknown, add: AddScalar): void {
  if (!isMap(root)) return
  const services = root.get('services', true)
  if (!isMap(services)) return
  for (const service of services.items) {
    if (!isMap(service.value)) continue
    const image = service.value.get('image', true)
    const platform = platformOf(service.value.get('platform'))
    if (isScalar(image)) add(image, 'compose', platform)
  }
}

// PodSpec's container lists, which Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and
// the CRDs that embed a PodSpec all share.
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers'])

/**
 * The `image:` of every container in a manifest, however deep its PodSpec sits. Other `image:`
 * keys are not container references (Flux's ImageRepository names a repository, no tag) and are
 * left alone. A pod spec whose nodeSelector names `kubernetes.io/arch` names the platform.
 */
function kubernetesImages(node: unknown, platform: string | undefined, add: AddScalar): void {
  if (isSeq(node)) {
    for (const item of node.items) kubernetesImages(item, platform, add)
    return
  }
  if (!isMap(node)) return
  const selector = node.get('nodeSelector', true)
  if (isMap(selector)) {
    const arch = selector.get('kubernetes.io/arch')
    const os = selector.get('kubernetes.io/os')
    if (typeof arch === 'string') {
      platform = platformOf(`${typeof os === 'string' ? os : 'linux'}/${arch}`) ?? platform
    }
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue
    const key = isScalar(pair.key) ? pair.key.value : pair.key
    if (typeof key === 'string' && CONTAINER_LISTS.has(key) && isSeq(pair.value)) {
      for (const container of pair.value.items) {
        const image = isMap(container) ? container.get('image', true) : undefined
        if (isScalar(image)) add(image, 'kubernetes', platform)
      }
    } else {
      kubernetesImages(pair.value as YamlNode, platform, add)
    }
  }
}

// The image references of one YAML document that is not a compose file: pod specs, Helm values
// `image:` mappings (values.yaml, a HelmRelease's spec.values), GitHub workflow containers and
// services, skaffold artifacts (names built here), and any key named like an image.
import { isMap, isPair, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml'
import { canonicalPlatform, parsePlatform } from '../../common/platform.js'
import { parseReferenceText } from '../image-reference-text.js'
import { helmImage } from './helm-values.js'
import { isPlaceholder } from './scanned-reference.js'
import type { YamlSink } from './yaml-sink.js'

export type { YamlSink } from './yaml-sink.js'

export interface YamlHints {
  /** The chart these values belong to reads `image.digest`: pin adds that field. */
  chartReadsDigest?: boolean
}

export function platformOf(text: unknown): string | undefined {
  const parsed = typeof text === 'string' ? parsePlatform(text) : null
  return parsed ? canonicalPlatform(parsed) : undefined
}

/** A name this repository builds: skipped with `why`, and marked so its other uses are too. */
export function builtImage(node: Scalar, sink: YamlSink, why: string): void {
  if (typeof node.value !== 'string' || !node.range) return
  const start = node.range[0] + sink.shift
  const at = { start, end: start, ...sink.lines.at(start) }
  sink.push({
    value: node.value,
    context: 'built',
    ...at,
    editable: false,
    unresolved: why,
    built: true
  })
}

/** compose's `build:` beside `image:`: the image is built from this repository. */
export function builtBeside(map: YAMLMap, image: Scalar, sink: YamlSink): boolean {
  const build = map.items.find((pair) => isScalar(pair.key) && pair.key.value === 'build')
  if (!build || !isScalar(build.key) || !build.key.range) return false
  const line = sink.lines.at(build.key.range[0] + sink.shift).line
  builtImage(image, sink, `built from this repository (build: at line ${line})`)
  return true
}

// PodSpec's container lists, which Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and
// the CRDs that embed a PodSpec all share.
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers'])

// `image`, CloudNativePG's `imageName`, `sidecarImage`, Ansible's `node_exporter_image`.
const IMAGE_KEY = /^(?:image|imageName)$|[a-z0-9]Image$|_image$/

const FILE_NAME = /\.(?:png|jpe?g|gif|svg|webp|ico|bmp|tiff?|iso|img|qcow2|raw|tar|gz|xz|zst)$/i

/** The length of a `docker://` prefix of the scalar's value, or 0. */
function dockerScheme(node: Scalar): number {
  const scheme = 'docker://'
  return typeof node.value === 'string' && node.value.startsWith(scheme) ? scheme.length : 0
}

/**
 * A value under an image-named key that is not a pod spec's: taken when it reads as one. Under
 * keys only ending like one (`base_image`, `nodeImage`), only with a tag or digest: there
 * `ubuntu-22.04` is as often a VM image.
 */
function readsAsImage(key: string): (value: string) => boolean {
  const loose = key !== 'image' && key !== 'imageName'
  return (value) => {
    if (isPlaceholder(value)) return true
    if (FILE_NAME.test(value)) return false
    try {
      const { tag, digest } = parseReferenceText(value)
      return !loose || tag !== undefined || digest !== undefined
    } catch {
      return false
    }
  }
}

export function documentImages(root: unknown, sink: YamlSink, hints: YamlHints): void {
  if (isMap(root)) {
    const apiVersion = root.get('apiVersion')
    if (typeof apiVersion === 'string') {
      if (apiVersion.startsWith('skaffold/')) return skaffoldArtifacts(root, sink)
      // Flux's image automation names repositories to watch, not images to run.
      if (apiVersion.startsWith('image.toolkit.fluxcd.io/')) return
    }
    if (isWorkflow(root)) return workflowImages(root, sink)
  }
  const appTemplate = isMap(root) && root.get('kind') === 'HelmRelease' && isAppTemplate(root)
  walk(root, undefined, sink, { digestField: Boolean(hints.chartReadsDigest || appTemplate) })
}

/** bjw-s app-template (its common library reads `image.digest`). */
function isAppTemplate(release: YAMLMap): boolean {
  const chart = release.getIn(['spec', 'chart', 'spec', 'chart'])
  const ref = release.getIn(['spec', 'chartRef', 'name'])
  return [chart, ref].some((name) => typeof name === 'string' && name.includes('app-template'))
}

function walk(
  node: unknown,
  platform: string | undefined,
  sink: YamlSink,
  state: { digestField: boolean }
): void {
  if (isSeq(node)) {
    for (const item of node.items) walk(item, platform, sink, state)
    return
  }
  if (!isMap(node)) return
  // A pod spec whose nodeSelector names `kubernetes.io/arch` names the platform.
  const selector = node.get('nodeSelector', true)
  if (isMap(selector)) {
    const arch = selector.get('kubernetes.io/arch')
    const os = selector.get('kubernetes.io/os')
    if (typeof arch === 'string') {
      platform = platformOf(`${typeof os === 'string' ? os : 'linux'}/${arch}`) ?? platform
    }
  }
  const where = platform ? { platform } : {}
  for (const pair of node.items) {
    if (!isPair(pair)) continue
    const key = isScalar(pair.key) ? pair.key.value : pair.key
    const value = pair.value
    if (typeof key === 'string' && CONTAINER_LISTS.has(key) && isSeq(value)) {
      for (const container of value.items) {
        const image = isMap(container) ? container.get('image', true) : undefined
        if (isScalar(image)) sink.scalar(image, 'kubernetes', where)
        else if (isMap(image)) helmImage(image, sink, state.digestField)
      }
    } else if (key === 'image' && isMap(value) && value.has('repository')) {
      helmImage(value, sink, state.digestField)
    } else if (key === 'image' && isScalar(value) && builtBeside(node, value, sink)) {
      // A compose-shaped service in a file not named like one (a swarm stack.yml).
    } else if (typeof key === 'string' && IMAGE_KEY.test(key) && isScalar(value)) {
      // A Docker container action's `runs.image: docker://alpine:3.20` names an image too.
      sink.scalar(value, 'yaml', { ...where, skip: dockerScheme(value), accept: readsAsImage(key) })
    } else {
      walk(value, platform, sink, state)
    }
  }
}

/** A GitHub Actions workflow: a `jobs` map whose jobs run steps or call a workflow. */
function isWorkflow(root: YAMLMap): boolean {
  const jobs = root.get('jobs', true)
  return (
    isMap(jobs) &&
    jobs.items.some((job) => {
      const body = job.value
      return isMap(body) && ['runs-on', 'steps', 'uses'].some((key) => body.has(key))
    })
  )
}

/** `jobs.<id>.container` (a string or `image:`), `services.<name>.image`, `uses: docker://…`. */
function workflowImages(root: YAMLMap, sink: YamlSink): void {
  const jobs = root.get('jobs', true)
  for (const job of isMap(jobs) ? jobs.items : []) {
    if (!isMap(job.value)) continue
    const container = job.value.get('container', true)
    const image = isMap(container) ? container.get('image', true) : container
    if (isScalar(image)) sink.scalar(image, 'workflow')
    const services = job.value.get('services', true)
    for (const service of isMap(services) ? services.items : []) {
      const image = isMap(service.value) ? service.value.get('image', true) : undefined
      if (isScalar(image)) sink.scalar(image, 'workflow')
    }
    const steps = job.value.get('steps', true)
    for (const step of isSeq(steps) ? steps.items : []) {
      const uses = isMap(step) ? step.get('uses', true) : undefined
      if (isScalar(uses) && dockerScheme(uses) > 0)
        sink.scalar(uses, 'workflow', { skip: dockerScheme(uses) })
    }
  }
}

/** skaffold `build.artifacts[].image` (also per profile): names skaffold builds and tags. */
function skaffoldArtifacts(root: YAMLMap, sink: YamlSink): void {
  const profiles = root.get('profiles', true)
  const configs = [root, ...(isSeq(profiles) ? profiles.items : [])]
  for (const config of configs) {
    const artifacts = isMap(config) ? config.getIn(['build', 'artifacts'], true) : undefined
    for (const artifact of isSeq(artifacts) ? artifacts.items : []) {
      const image = isMap(artifact) ? artifact.get('image', true) : undefined
      if (isScalar(image)) builtImage(image, sink, 'built by skaffold (build.artifacts)')
    }
  }
}

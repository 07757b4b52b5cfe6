// `update --plan`: what a real run would cost, from what is free to ask (tag lists and HEADs),
// so nobody spends a pull quota to learn how large it needed to be.
import { loadImagesConfig } from './config.js'
import { defaultStatePath, parseState, readTextIfPresent } from './digests-document.js'
import { Semaphore } from '../common/concurrency.js'
import { plural } from '../common/plural.js'
import { own } from '../common/records.js'
import { DEFAULT_IMAGE_CONCURRENCY, clientOptions } from './client-options.js'
import { prepareAll } from './resolve-all.js'
import { DEFAULT_PULL_RESERVE } from '../registry/pull-budget.js'
import type { ImageFailure, UpdateOptions } from './run-types.js'
import { plannedManifestReads } from './manifest-cost.js'

export interface RegistryCost {
  /** As named in images.json. */
  registry: string
  /** Manifest GETs a real run would make for every track's best tag; a walk-down adds more. */
  manifestGets: number
  /** Of them, platform-manifest GETs for manifests.json (read once ever, after every digest). */
  manifestsFileGets: number
  /** The quota as the registry announced it, e.g. `100 of 100 per 21600 s left`. */
  quota?: string
  /** Pulls a run may spend now, the reserve kept. */
  spendableNow?: number
  reserve: number
  /** Runs, one per full window, at the announced quota less the reserve. */
  runs?: number
  /**
   * Alternates or content mirrors may answer some of the GETs; a plan cannot tell how many
   * without asking them, so the counts above stay the registry's worst case.
   */
  otherSources?: boolean
}

export interface CostPlan {
  registries: RegistryCost[]
  failures: ImageFailure[]
}

export async function planCost(options: UpdateOptions): Promise<CostPlan> {
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath)
  const images = await loadImagesConfig(options.imagesPath)
  const state = parseState(await readTextIfPresent(statePath), statePath)
  // Loaded here, not at the top: the update command's code must not load undici for a run that
  // neither plans nor has images (see run-update.ts).
  const { RegistryClient } = await import('../registry/client.js')
  const client = new RegistryClient({ ...clientOptions(options, images), getContent: false })
  let settled
  let forManifests: Map<string, number>
  try {
    const slots = new Semaphore(options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY)
    settled = await Promise.allSettled(prepareAll(client, images, state, slots, false))
    forManifests = await plannedManifestReads(client, images, settled, options)
  } finally {
    await client.close()
  }
  const wanted = new Map<string, Set<string>>()
  const failures: ImageFailure[] = []
  settled.forEach((outcome, index) => {
    const image = images[index]!
    const registry = image.reference.registry
    if (outcome.status === 'rejected') {
      const reason = outcome.reason as Error
      failures.push({ image: image.reference.written, message: reason.message })
      return
    }
    const reads = wanted.get(registry) ?? new Set<string>()
    wanted.set(registry, reads)
    const { tracks, heads, previousState } = outcome.value
    for (const track of tracks) {
      const tag = track.candidates[0]
      if (tag === undefined) continue
      const digest = heads.get(tag)
      // No HEAD answer (refused, and a plan sends no GET): a real run reads it by tag.
      if (digest === undefined) reads.add(`${image.reference.repository}:${tag}`)
      else if (digest !== null && !own(previousState, digest))
        reads.add(`${image.reference.repository}@${digest}`)
    }
  })
  const budgets = client.budgets()
  const registries = [...wanted].sort(([a], [b]) => a.localeCompare(b))
  return {
    failures,
    registries: registries.map(([registry, reads]) => {
      const manifestsFileGets = forManifests.get(registry) ?? 0
      const gets = reads.size + manifestsFileGets
      const budget = budgets.get(registry)
      const perWindow = budget?.perWindow()
      const perRun = perWindow === undefined ? undefined : perWindow - budget!.reserve
      const quota = budget?.announced()
      const spendableNow = budget?.spendable()
      const otherSources =
        (own(options.contentMirrors, registry)?.length ?? 0) > 0 ||
        images.some((image) => image.reference.registry === registry && image.alternates)
      return {
        registry,
        manifestGets: gets,
        manifestsFileGets,
        reserve: budget?.reserve ?? options.pullReserve ?? DEFAULT_PULL_RESERVE,
        ...(quota ? { quota } : {}),
        ...(spendableNow !== undefined ? { spendableNow } : {}),
        ...(perRun !== undefined && perRun > 0 ? { runs: Math.ceil(gets / perRun) } : {}),
        ...(otherSources ? { otherSources } : {})
      }
    })
  }
}

/** `plan: docker.io: 204 manifest GETs; quota 100 of 100 per 21600 s left, 98 to spend now; 3 runs`. */
export function formatRegistryCost(cost: RegistryCost): string {
  const others = cost.otherSources ? '; alternates configured: GETs may be read there instead' : ''
  return formatCost(cost) + others
}

function formatCost(cost: RegistryCost): string {
  const forFile = cost.manifestsFileGets
    ? ` (${cost.manifestsFileGets} of them image manifests for manifests.json)`
    : ''
  const gets = plural(cost.manifestGets, 'manifest GET') + forFile
  if (!cost.quota) return `plan: ${cost.registry}: ${gets}; no pull quota announced`
  const runs =
    cost.runs === undefined
      ? 'no run can spend any (the reserve takes the whole quota)'
      : `${plural(cost.runs, 'run')}, one per full window`
  return (
    `plan: ${cost.registry}: ${gets}; quota ${cost.quota}, ${cost.spendableNow ?? 0} to spend ` +
    `now with ${cost.reserve} kept in reserve; ${runs}`
  )
}

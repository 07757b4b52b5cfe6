// What the pull quota kept this run from reading, per registry, in the registry's own words.
import { plural } from '../common/plural.js'
import type { PullBudget } from '../registry/pull-budget.js'
import type { Deferral } from './run-types.js'

export interface DeferredImage {
  image: string
  registry: string
  tracks: readonly string[]
  reads: ReadonlySet<string>
  /** How many of `reads` are platform manifests for manifests.json. */
  manifestsFile?: number
}

export function collectDeferrals(
  images: readonly DeferredImage[],
  budgets: ReadonlyMap<string, PullBudget>
): Deferral[] {
  const byRegistry = new Map<string, Deferral>()
  for (const { image, registry, tracks, reads, manifestsFile } of images) {
    if (tracks.length === 0 && reads.size === 0) continue
    let deferral = byRegistry.get(registry)
    if (!deferral) {
      const reason = budgets.get(registry)?.refusal() ?? 'pull quota spent'
      deferral = { registry, manifests: 0, reason, tracks: [] }
      byRegistry.set(registry, deferral)
    }
    deferral.manifests += reads.size
    if (manifestsFile) deferral.manifestsFile = (deferral.manifestsFile ?? 0) + manifestsFile
    for (const track of tracks) deferral.tracks.push({ image, track })
  }
  return [...byRegistry.values()].sort((a, b) => a.registry.localeCompare(b.registry))
}

/** `docker.io: 22 manifests deferred (0 of 100 per 21600 s left); the next run continues`. */
export function formatDeferral(deferral: Deferral): string {
  const tracks = plural(deferral.tracks.length, 'track keeps its', 'tracks keep their')
  const forFile = deferral.manifestsFile
    ? ` (${deferral.manifestsFile} of them image manifests for manifests.json)`
    : ''
  return (
    `${deferral.registry}: ${plural(deferral.manifests, 'manifest')} deferred by its pull ` +
    `quota (${deferral.reason})${forFile}; ${tracks} published value (or stay absent if new); ` +
    `the next run continues`
  )
}

// What publishing manifests.json adds to a cold and a warm update: rounds of the same four runs
// back to back (cold and warm without it, cold and warm with it, each pair in fresh folders),
// so a busy machine slows both sides of a round alike; medians of the wall times. The request
// counts do not vary between rounds.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Measurement } from './measure.js'
import { NO_MANIFESTS } from './network.js'

export interface PublishingSide {
  cold: Measurement
  warm: Measurement
}

export interface PublishingCost {
  rounds: number
  /** Platform manifests the publishing runs wrote. */
  manifests: number
  /** The round whose cold wall time is the median, per side. */
  without: PublishingSide
  with: PublishingSide
  /** Medians over the rounds, milliseconds. */
  medians: { without: { cold: number; warm: number }; with: { cold: number; warm: number } }
}

export async function measurePublishing(
  rounds: number,
  workspace: (name: string) => string,
  ours: (folder: string, args: string[]) => Promise<Measurement>,
  /** Our usual arguments, which leave manifests.json out. */
  args: string[]
): Promise<PublishingCost> {
  const publishing = args.filter((arg) => arg !== NO_MANIFESTS)
  const sides: Record<'without' | 'with', PublishingSide[]> = { without: [], with: [] }
  let manifests = 0
  for (let round = 0; round < rounds; round++) {
    for (const [side, sideArgs] of [
      ['without', args],
      ['with', publishing]
    ] as const) {
      const folder = workspace(`manifests-${side}-${round}`)
      sides[side].push({ cold: await ours(folder, sideArgs), warm: await ours(folder, sideArgs) })
      if (side === 'with')
        manifests = Object.keys(
          JSON.parse(readFileSync(join(folder, 'manifests.json'), 'utf8')) as object
        ).length
    }
  }
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b)
    const middle = Math.floor(sorted.length / 2)
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  }
  const medianOf = (list: PublishingSide[]) => ({
    cold: median(list.map((entry) => entry.cold.wallMs)),
    warm: median(list.map((entry) => entry.warm.wallMs))
  })
  const representative = (list: PublishingSide[]): PublishingSide =>
    [...list].sort((a, b) => a.cold.wallMs - b.cold.wallMs)[Math.floor(list.length / 2)]!
  return {
    rounds,
    manifests,
    without: representative(sides.without),
    with: representative(sides.with),
    medians: { without: medianOf(sides.without), with: medianOf(sides.with) }
  }
}

/** `publishing manifests.json (160 platform manifests) adds: cold +160 manifest GETs, …`. */
export function formatPublishingCost(cost: PublishingCost): string {
  const added = (phase: 'cold' | 'warm'): string => {
    const gets = cost.with[phase].counts.getManifests - cost.without[phase].counts.getManifests
    const requests = cost.with[phase].counts.total - cost.without[phase].counts.total
    const seconds = (cost.medians.with[phase] - cost.medians.without[phase]) / 1000
    const median = (side: 'with' | 'without'): string =>
      (cost.medians[side][phase] / 1000).toFixed(2)
    return (
      `${phase} +${gets} manifest GETs (+${requests} requests in all), median ` +
      `${median('without')} → ${median('with')} s (${seconds >= 0 ? '+' : ''}${seconds.toFixed(2)} s)`
    )
  }
  return (
    `publishing manifests.json (${cost.manifests} platform manifests) adds, over ${cost.rounds} ` +
    `rounds: ${added('cold')}; ${added('warm')}`
  )
}

// Issue 10's goals, each checked against what this run measured. None is a timed test: the
// benchmark reports them, met or not.
import type { IssueWorkloadResult } from './issue-workload.js'
import type { Measurement } from './measure.js'
import type { Goal, Growth } from './report.js'
import type { StartupReport } from './startup.js'

export interface GoalInputs {
  latencyMs: number
  tls: boolean
  cold: Measurement
  warm: Measurement
  parallel?: { commands: number; measurement: Measurement } | undefined
  /** Distinct manifests behind the tags the cold run selected. */
  distinct: number
  mismatches: number
  thousand?: Growth | undefined
  issue?: IssueWorkloadResult | undefined
  startup?: StartupReport | undefined
}

/** Round trips a cold run needs per image, all images at once: ping/token, tags, HEAD, GET … */
export const FLOOR_ROUND_TRIPS = 6

/**
 * Handshakes a cold run cannot skip, each a round trip before its first request: the TCP relay's
 * connect to the registry, the TLS handshake there (TLS 1.3: one round trip), the connect to the
 * token service (plain HTTP in the benchmark). Connections opened beside these overlap them.
 */
export function handshakeRoundTrips(tls: boolean): number {
  return tls ? 3 : 2
}

/** The physical floor of a cold run: six round trips (all images in parallel) plus start-up. */
export function floorMs(latencyMs: number, startupMs: number, handshakes = 0): number {
  return (FLOOR_ROUND_TRIPS + handshakes) * 2 * latencyMs + startupMs
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const times = (a: number, b: number): string => `${(a / b).toFixed(1)}×`

export function checkGoals(input: GoalInputs): Goal[] {
  const { cold, warm, parallel, issue, startup, thousand } = input
  const goals: Goal[] = []
  if (issue) {
    goals.push({
      text: `issue workload, cold, default options, at least 25× faster than the skopeo script: ${seconds(issue.cold.wallMs)} vs ${seconds(issue.skopeo.wallMs)} (${times(issue.skopeo.wallMs, issue.cold.wallMs)})`,
      met: issue.skopeo.wallMs >= 25 * issue.cold.wallMs
    })
  }
  if (parallel) {
    goals.push({
      text: `at least 5× faster than the skopeo script ${parallel.commands} commands at a time: ${seconds(cold.wallMs)} vs ${seconds(parallel.measurement.wallMs)} (${times(parallel.measurement.wallMs, cold.wallMs)})`,
      met: parallel.measurement.wallMs >= 5 * cold.wallMs
    })
  }
  if (startup) {
    const floor = floorMs(input.latencyMs, startup.figures[1]!.medianMs)
    const handshakes = handshakeRoundTrips(input.tls)
    const withHandshakes = floorMs(input.latencyMs, startup.figures[1]!.medianMs, handshakes)
    // The goal is held against the stricter floor; the one with handshakes is reported beside it.
    goals.push({
      text: `cold within 2× of the physical floor (${FLOOR_ROUND_TRIPS} round trips of ${2 * input.latencyMs} ms, all images at once, plus start-up: ${seconds(floor)}): ${seconds(cold.wallMs)} (${times(cold.wallMs, floor)}); counting the ${handshakes} handshake round trips too (${seconds(withHandshakes)}): ${times(cold.wallMs, withHandshakes)}`,
      met: cold.wallMs <= 2 * floor
    })
    for (const figure of startup.figures.slice(1)) {
      goals.push({
        text: `${figure.label}: within 1.5× of \`node -e 0\`: ${figure.medianMs.toFixed(0)} ms vs ${startup.baselineMs.toFixed(0)} ms (${figure.ratio.toFixed(2)}×)`,
        met: figure.ratio <= 1.5
      })
    }
  }
  goals.push(
    thousand?.warm
      ? {
          text: `${thousand.images} images, warm, under 60 s: ${seconds(thousand.warm.wallMs)}`,
          met: thousand.warm.wallMs < 60_000
        }
      : { text: 'the 1,000-image warm run was not measured', met: false },
    {
      text: `a cold run makes no more manifest GETs than the distinct images it selects: ${cold.counts.getManifests} GETs, ${input.distinct} distinct`,
      met: cold.counts.getManifests <= input.distinct
    },
    {
      text: `a warm run makes no manifest or blob GETs: ${warm.counts.getManifests} + ${warm.counts.getBlobs}`,
      met: warm.counts.getManifests === 0 && warm.counts.getBlobs === 0
    },
    {
      text: `both tools read the same digests${issue ? ' (both workloads)' : ''}`,
      met: input.mismatches === 0 && (issue?.mismatches ?? 0) === 0
    }
  )
  return goals
}

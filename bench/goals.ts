// Issue 10's goals, each checked against what this run measured. None is a timed test: the
// benchmark reports them, met or not.
import type { IssueWorkloadResult } from './issue-workload.js'
import type { Measurement } from './measure.js'
import type { Goal, Growth } from './report.js'
import type { StartupReport } from './startup.js'

export interface GoalInputs {
  latencyMs: number
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

/** The physical floor of a cold run: six round trips (all images in parallel) plus start-up. */
export function floorMs(latencyMs: number, startupMs: number): number {
  return FLOOR_ROUND_TRIPS * 2 * latencyMs + startupMs
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
    goals.push({
      text: `cold within 2× of the physical floor (${FLOOR_ROUND_TRIPS} round trips of ${2 * input.latencyMs} ms, all images at once, plus start-up: ${seconds(floor)}): ${seconds(cold.wallMs)} (${times(cold.wallMs, floor)})`,
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

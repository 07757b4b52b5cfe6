// What a run with nothing to do costs: our CLI's start-up against bare `node -e 0` on the same
// Node.js, the commands interleaved so a busy moment on the machine hits them all alike.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface StartupFigure {
  label: string
  /** Median wall time of a run, spawn included. */
  medianMs: number
  /** The median divided by bare `node -e 0`'s. */
  ratio: number
}

export interface StartupReport {
  runs: number
  baselineMs: number
  figures: StartupFigure[]
}

/** `runs` timed rounds after two untimed ones (which also fill Node's compile cache). */
export function measureStartup(cli: string, home: string, runs: number): StartupReport {
  const folder = join(home, 'startup')
  const empty = join(folder, 'empty')
  mkdirSync(empty, { recursive: true })
  writeFileSync(join(folder, 'images.json'), '{ "images": [] }\n')
  const commands: Array<[string, string[], string]> = [
    ['node -e 0', ['-e', '0'], folder],
    ['update, images.json lists no image', [cli, 'update'], folder],
    ['check --offline, empty folder', [cli, 'check', '--offline'], empty]
  ]
  const times = commands.map((): number[] => [])
  for (let round = 0; round < runs + 2; round++) {
    commands.forEach(([label, args, cwd], index) => {
      const started = performance.now()
      const result = spawnSync(process.execPath, args, {
        cwd,
        env: { PATH: process.env.PATH, HOME: folder },
        encoding: 'utf8',
        timeout: 30_000
      })
      const elapsed = performance.now() - started
      if (result.status !== 0)
        throw new Error(`${label} exited ${result.status ?? result.signal}: ${result.stderr}`)
      if (round >= 2) times[index]!.push(elapsed)
    })
  }
  const medians = times.map(median)
  const baselineMs = medians[0]!
  return {
    runs,
    baselineMs,
    figures: commands.map(([label], index) => ({
      label,
      medianMs: medians[index]!,
      ratio: medians[index]! / baselineMs
    }))
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

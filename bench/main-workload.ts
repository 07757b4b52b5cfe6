// The benchmark's main workload: 20 images of 50–400 tags behind token auth, our cold and warm
// runs (and, over TLS, a cold run with HTTP/2 off) against the skopeo script, one command at a
// time and N at a time. growth.ts scales the same registry out.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HTTP1_ONLY } from './issue-workload.js'
import {
  compare,
  headedTags,
  measure,
  runOurs,
  runSkopeo,
  type BaselineResult,
  type Measurement
} from './measure.js'
import { BENCH_REGISTRY, startBenchRegistry, type BenchRegistry } from './network.js'
import type { options as Options } from './options.js'
import type { Row } from './report.js'
import { generateImages, seedImages, type ImageSpec, type Seeded } from './workload.js'

export interface BenchContext {
  cli: string
  home: string
  options: typeof Options
  remaining: () => number
  log: (message: string) => void
  /** Called when the benchmark ends, however it ends. */
  onStop: (stop: () => Promise<void>) => void
}

export interface MainWorkload extends MainSetup {
  cold: Measurement
  warm: Measurement
  /** Cold in a fresh folder with HTTP/2 off (TLS transport only). */
  coldHttp1: Measurement | undefined
  sequential: Measurement
  parallel: Measurement | undefined
  rows: Row[]
  selection: Map<string, string[]>
  selectedTags: number
  mismatches: number
}

/** The seeded registry, the 1× folder and how our CLI is run there: shared by both modes. */
export interface MainSetup {
  bench: BenchRegistry
  images: ImageSpec[]
  totalTags: number
  seeded: Seeded
  workspace: (list: ImageSpec[], name: string) => string
  ours: (folder: string, env?: Record<string, string>) => Promise<Measurement>
}

export async function setUpMainWorkload({
  cli,
  home,
  options,
  remaining,
  log,
  onStop
}: BenchContext): Promise<MainSetup> {
  // Token auth, as Docker Hub and GHCR use: its round trips are part of what each tool pays.
  const bench = await startBenchRegistry(home, options.transport, options.latencyMs, {
    auth: 'token'
  })
  onStop(() => bench.stop())
  const reg = bench.registry

  const images = generateImages(options.images, options.minTags, options.maxTags)
  const totalTags = images.reduce((sum, image) => sum + image.tags.length, 0)
  log(`seeding ${images.length} images, ${totalTags} tags (no latency while seeding)`)
  const seeded = await seedImages(reg, images, 6)
  log('seeded')

  const workspace = (list: ImageSpec[], name: string): string => {
    const folder = join(home, name)
    mkdirSync(folder, { recursive: true })
    const entries = list.map((image) => ({
      image: `${BENCH_REGISTRY}/${image.repository}`,
      ...image.config
    }))
    writeFileSync(join(folder, 'images.json'), JSON.stringify(entries, null, 2))
    return folder
  }
  const ours = async (folder: string, env: Record<string, string> = {}): Promise<Measurement> =>
    measure(bench, () => runOurs(cli, folder, Math.max(remaining(), 60_000), bench.ourArgs, env))
  return { bench, images, totalTags, seeded, workspace, ours }
}

export async function runMainWorkload(context: BenchContext): Promise<MainWorkload> {
  const { home, options, log, remaining } = context
  const setup = await setUpMainWorkload(context)
  const { bench, images, workspace, ours } = setup
  const main = workspace(images, 'x1')
  log('ours, cold')
  const cold = await ours(main)
  log('ours, warm')
  const warm = await ours(main)
  const selection = headedTags(cold.entries)
  const selectedTags = [...selection.values()].reduce((sum, tags) => sum + tags.length, 0)

  const rows: Row[] = [
    { label: 'nix-oci-hashes, cold', wallMs: cold.wallMs, counts: cold.counts },
    { label: 'nix-oci-hashes, warm', wallMs: warm.wallMs, counts: warm.counts }
  ]
  let coldHttp1: Measurement | undefined
  if (options.transport === 'tls') {
    log('ours, cold, HTTP/1.1 only')
    coldHttp1 = await ours(workspace(images, 'x1-h1'), HTTP1_ONLY)
    rows.push({
      label: 'nix-oci-hashes, cold, HTTP/1.1 only',
      wallMs: coldHttp1.wallMs,
      counts: coldHttp1.counts
    })
  }
  log(`skopeo, one command at a time (${images.length} list-tags, ${selectedTags} inspects)`)
  let baseline: BaselineResult | undefined
  const sequential = await measure(bench, async () => {
    baseline = await runSkopeo(bench, selection, 1, home)
  })
  rows.push({ label: 'skopeo script', wallMs: sequential.wallMs, counts: sequential.counts })
  const mismatches = compare(
    JSON.parse(readFileSync(join(main, 'digests.json'), 'utf8')),
    baseline!
  )
  let parallel: Measurement | undefined
  if (options.parallel > 1 && remaining() > sequential.wallMs / 2) {
    log(`skopeo, ${options.parallel} commands at a time`)
    parallel = await measure(bench, async () => {
      await runSkopeo(bench, selection, options.parallel, home)
    })
    rows.push({
      label: `skopeo script, ${options.parallel} at a time`,
      wallMs: parallel.wallMs,
      counts: parallel.counts
    })
  }

  return {
    ...setup,
    cold,
    warm,
    coldHttp1,
    sequential,
    parallel,
    rows,
    selection,
    selectedTags,
    mismatches
  }
}

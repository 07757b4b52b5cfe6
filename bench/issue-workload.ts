// Issue 10's side-by-side workload: one loopback registry (no auth) behind a latency proxy,
// 4 images × 20 tags with every tag a track of its own, so each tag costs both tools a manifest.
// Our cold and warm runs against the skopeo script run one command at a time; over TLS, also
// our cold run with HTTP/2 turned off.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pushIndex } from '../tests/harness/seed.js'
import { compare, headedTags, measure, runOurs, runSkopeo, type Measurement } from './measure.js'
import { BENCH_REGISTRY, startBenchRegistry, type Transport } from './network.js'
import { measurePublishing, type PublishingCost } from './manifests-cost.js'

export interface IssueWorkloadOptions {
  images: number
  tags: number
  latencyMs: number
  timeoutMs: number
  transport: Transport
  /** Rounds of cold and warm runs without and with manifests.json. */
  manifestRounds: number
}

/** Our CLI with HTTP/2 turned off, for the HTTP/1.1 rows. */
export const HTTP1_ONLY = { NIX_OCI_HASHES_HTTP2: '0' }

export interface IssueWorkloadResult {
  description: string
  cold: Measurement
  warm: Measurement
  /** Cold again in a fresh folder, HTTP/1.1 only (TLS transport only). */
  coldHttp1?: Measurement
  skopeo: Measurement
  /** References the skopeo script read differently from our digests.json; 0 when they agree. */
  mismatches: number
  /** What publishing manifests.json (the default) adds to the same runs. */
  publishing: PublishingCost
}

const PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' }
]

export async function runIssueWorkload(
  cli: string,
  home: string,
  options: IssueWorkloadOptions,
  log: (message: string) => void
): Promise<IssueWorkloadResult> {
  const bench = await startBenchRegistry(home, options.transport, options.latencyMs)
  const { registry } = bench
  try {
    const repositories = Array.from({ length: options.images }, (_, i) => `issue/app-${i}`)
    log(`issue workload: seeding ${options.images} images × ${options.tags} tags`)
    await Promise.all(
      repositories.map(async (repository) => {
        for (let patch = 0; patch < options.tags; patch++) {
          const tag = `1.0.${patch}`
          await pushIndex(registry, repository, tag, PLATFORMS, { salt: `${repository}:${tag}` })
        }
      })
    )
    const workspace = (name: string): string => {
      const folder = join(home, name)
      mkdirSync(folder, { recursive: true })
      const entries = repositories.map((repository) => ({
        image: `${BENCH_REGISTRY}/${repository}`,
        tracks: ['major-minor-patch']
      }))
      writeFileSync(join(folder, 'images.json'), JSON.stringify(entries, null, 2))
      return folder
    }
    const folder = workspace('issue-workload')
    const ours = (
      where: string,
      env: Record<string, string> = {},
      args = bench.ourArgs
    ): Promise<Measurement> =>
      measure(bench, () => runOurs(cli, where, options.timeoutMs, args, env))
    log(`issue workload (${options.transport}): ours, cold`)
    const cold = await ours(folder)
    log('issue workload: ours, warm')
    const warm = await ours(folder)
    let coldHttp1: Measurement | undefined
    if (options.transport === 'tls') {
      log('issue workload: ours, cold, HTTP/1.1 only')
      coldHttp1 = await ours(workspace('issue-workload-h1'), HTTP1_ONLY)
    }
    log(`issue workload: ${options.manifestRounds} rounds without and with manifests.json`)
    const publishing = await measurePublishing(
      options.manifestRounds,
      workspace,
      (where, args) => ours(where, {}, args),
      bench.ourArgs
    )
    log('issue workload: skopeo, one command at a time')
    const selection = headedTags(cold.entries)
    let baseline
    const skopeo = await measure(bench, async () => {
      baseline = await runSkopeo(bench, selection, 1, home)
    })
    const digests = JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))
    return {
      description:
        `${options.images} images × ${options.tags} tags, every tag a track (major-minor-patch), ` +
        `OCI indexes of 2 platforms, no auth, ${options.transport === 'tls' ? 'TLS' : 'plain HTTP'}, ${options.latencyMs} ms latency each way`,
      cold,
      warm,
      ...(coldHttp1 ? { coldHttp1 } : {}),
      skopeo,
      mismatches: compare(digests, baseline!),
      publishing
    }
  } finally {
    await bench.stop()
  }
}

// Issue 10's side-by-side workload: one loopback registry (no auth) behind a latency proxy,
// 4 images × 20 tags with every tag a track of its own, so each tag costs both tools a manifest.
// Our cold and warm runs against the skopeo script run one command at a time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFaultProxy } from '../tests/harness/fault-proxy.js'
import { startRegistry } from '../tests/harness/registry.js'
import { pushIndex } from '../tests/harness/seed.js'
import { compare, headedTags, measure, runOurs, runSkopeo, type Measurement } from './measure.js'

export interface IssueWorkloadOptions {
  images: number
  tags: number
  latencyMs: number
  timeoutMs: number
}

export interface IssueWorkloadResult {
  description: string
  cold: Measurement
  warm: Measurement
  skopeo: Measurement
  /** References the skopeo script read differently from our digests.json; 0 when they agree. */
  mismatches: number
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
  const registry = await startRegistry()
  const latency = { latencyMs: options.latencyMs, connectLatencyMs: 2 * options.latencyMs }
  const proxy = await startFaultProxy(registry.url, latency)
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
    const folder = join(home, 'issue-workload')
    mkdirSync(folder, { recursive: true })
    const entries = repositories.map((repository) => ({
      image: `${proxy.host}/${repository}`,
      tracks: ['major-minor-patch']
    }))
    writeFileSync(join(folder, 'images.json'), JSON.stringify(entries, null, 2))

    const ours = (): Promise<Measurement> =>
      measure(registry, () => runOurs(cli, folder, options.timeoutMs))
    log('issue workload: ours, cold')
    const cold = await ours()
    log('issue workload: ours, warm')
    const warm = await ours()
    log('issue workload: skopeo, one command at a time')
    const selection = headedTags(cold.entries)
    let baseline
    const skopeo = await measure(registry, async () => {
      baseline = await runSkopeo(proxy.host, selection, 1, home)
    })
    const digests = JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8'))
    return {
      description:
        `${options.images} images × ${options.tags} tags, every tag a track (major-minor-patch), ` +
        `OCI indexes of 2 platforms, no auth, ${options.latencyMs} ms latency each way`,
      cold,
      warm,
      skopeo,
      mismatches: compare(digests, baseline!)
    }
  } finally {
    await proxy.stop()
    await registry.stop()
  }
}

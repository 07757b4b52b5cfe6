// `npm run bench`'s command line: what it measures, how big, how long it may take.
import { parseArgs } from 'node:util'
import type { Transport } from './network.js'

const USAGE = `Usage: npm run bench -- [options]
  --images N        images in the 1× workload (default 20)
  --min-tags N      fewest tags per image (default 50)
  --max-tags N      most tags per image (default 400)
  --latency MS      added each way per request, plus a round trip per new connection (default 50)
  --scale LIST      image multiples for the growth table (default 1,4,16)
  --thousand N      images in the large warm run, 0 to skip (default 1000)
  --parallel N      also run the skopeo script N commands at a time, 0 to skip (default 8)
  --issue-images N  images in issue 10's workload, 0 to skip it (default 4)
  --issue-tags N    tags per image there, every one a track (default 20)
  --issue-latency MS  its latency each way (default 25)
  --manifest-rounds N  rounds there of cold and warm runs without and with manifests.json,
                    back to back, for what publishing adds (default 5)
  --transport T     tls (default: every registry serves TLS, HTTP/2 offered) or plain (HTTP)
  --startup-runs N  timed runs of each empty command and of node -e 0, 0 to skip (default 20)
  --budget S        stop starting new phases after this many seconds (default 900)
  --json PATH       results as JSON (default bench/results/latest.json)
  --summary PATH    results as Markdown, '' to skip (default bench/RESULTS.md)
  --ours-only       only our cold and warm runs of the main workload, printed, nothing written
                    (no skopeo, no growth, no start-up, no issue workload): for A/B while iterating`

export const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '20' },
    'min-tags': { type: 'string', default: '50' },
    'max-tags': { type: 'string', default: '400' },
    latency: { type: 'string', default: '50' },
    scale: { type: 'string', default: '1,4,16' },
    thousand: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '8' },
    'issue-images': { type: 'string', default: '4' },
    'issue-tags': { type: 'string', default: '20' },
    'issue-latency': { type: 'string', default: '25' },
    'manifest-rounds': { type: 'string', default: '5' },
    transport: { type: 'string', default: 'tls' },
    'startup-runs': { type: 'string', default: '20' },
    budget: { type: 'string', default: '900' },
    json: { type: 'string', default: 'bench/results/latest.json' },
    summary: { type: 'string', default: 'bench/RESULTS.md' },
    'ours-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const count = (name: keyof typeof values, min = 0): number => {
  const value = Number(values[name])
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number ≥ ${min}\n\n${USAGE}`)
    process.exit(2)
  }
  return value
}
export const options = {
  images: count('images', 1),
  minTags: count('min-tags', 1),
  maxTags: count('max-tags', 1),
  latencyMs: count('latency'),
  scale: String(values.scale)
    .split(',')
    .map((factor) => Number(factor))
    .filter((factor) => Number.isInteger(factor) && factor >= 1),
  thousand: count('thousand'),
  parallel: count('parallel'),
  issueImages: count('issue-images'),
  issueTags: count('issue-tags', 1),
  issueLatencyMs: count('issue-latency'),
  manifestRounds: count('manifest-rounds', 1),
  startupRuns: count('startup-runs'),
  budgetMs: count('budget', 1) * 1000,
  transport: transport(values.transport),
  oursOnly: values['ours-only'] === true
}

function transport(value: string | undefined): Transport {
  if (value === 'tls' || value === 'plain') return value
  console.error(`--transport must be tls or plain\n\n${USAGE}`)
  process.exit(2)
}

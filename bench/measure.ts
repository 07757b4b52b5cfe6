// Runs each tool as a user would (our bundled CLI; Debian's skopeo in a shell loop) and counts
// what it cost at the registry: its access log and the token server's log, never our own code.
import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { countByKind, type AccessEntry, type TestRegistry } from '../tests/harness/registry.js'

const exec = promisify(execFile)

export interface Counts {
  tagListPages: number
  headManifests: number
  getManifests: number
  getBlobs: number
  tokens: number
  /** Everything else: skopeo's `GET /v2/` pings, for instance. */
  other: number
  total: number
}

export interface Measurement {
  wallMs: number
  counts: Counts
  entries: AccessEntry[]
  /** Requests by the protocol the registry logged (`HTTP/2.0`, `HTTP/1.1`). */
  protocols: Record<string, number>
  /** TCP connections opened to the registry and its token service. */
  connections: number
}

/** Times `action` and counts the requests and connections it made, from the server side. */
export async function measure(
  { registry, connections }: { registry: TestRegistry; connections: () => number },
  action: () => Promise<void>
): Promise<Measurement> {
  await registry.resetRequests()
  const opened = connections()
  const started = performance.now()
  await action()
  const wallMs = performance.now() - started
  const entries = await registry.requests()
  const kinds = countByKind(entries)
  const tokens = registry.tokenRequests()
  return {
    wallMs,
    entries,
    counts: { ...kinds, tokens, total: entries.length + tokens },
    protocols: await registry.protocols(),
    connections: connections() - opened
  }
}

/** `label: 12 connections, HTTP/2.0 ×80`: what a run opened and spoke, for the results. */
export function describeWire(label: string, m: Measurement): string {
  const protocols = Object.entries(m.protocols)
    .map(([protocol, count]) => `${protocol} ×${count}`)
    .join(' + ')
  return `${label} ${m.connections} connections, ${protocols}`
}

/** `nix-oci-hashes update` in `folder`, with the options users get unless `args` say more. */
export function runOurs(
  cli: string,
  folder: string,
  timeoutMs: number,
  args: string[] = [],
  env: Record<string, string> = {}
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'update', ...args], {
      cwd: folder,
      // No /etc/docker/certs.d: the CA comes from the arguments only.
      env: { PATH: process.env.PATH, HOME: folder, NIX_OCI_HASHES_CERTS_D: folder, ...env },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve()
      else reject(new Error(`nix-oci-hashes exited ${code ?? signal}:\n${stderr}`))
    })
  })
}

/** repository → the tags a run HEADed: the selection its version tracks made. */
export function headedTags(entries: readonly AccessEntry[]): Map<string, string[]> {
  const selection = new Map<string, Set<string>>()
  for (const { method, path } of entries) {
    const match = /^\/v2\/(.+)\/manifests\/([^/?]+)$/.exec(path)
    if (method !== 'HEAD' || !match) continue
    const tags = selection.get(match[1]!) ?? new Set()
    tags.add(match[2]!)
    selection.set(match[1]!, tags)
  }
  return new Map([...selection].map(([repository, tags]) => [repository, [...tags].sort()]))
}

/** repository → tag → platform → image manifest digest, as the baseline script read them. */
export type BaselineResult = Map<string, Map<string, Record<string, string>>>

/**
 * The script a user would otherwise write: `skopeo list-tags` once per image, then
 * `skopeo inspect --raw` per selected tag, reading per-platform digests from the index (and
 * `skopeo inspect --config --raw` when a tag is a single-platform image, whose platform is only
 * in its config). `parallel` commands run at once, as `xargs -P` would; 1 is a plain loop.
 */
export async function runSkopeo(
  { host, skopeoArgs }: { host: string; skopeoArgs: string[] },
  selection: Map<string, string[]>,
  parallel: number,
  home: string
): Promise<BaselineResult> {
  const skopeo = async (...args: string[]): Promise<Buffer> =>
    (
      await exec('skopeo', [...args.slice(0, -1), ...skopeoArgs, args[args.length - 1]!], {
        encoding: 'buffer',
        env: { PATH: process.env.PATH, HOME: home },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000
      })
    ).stdout
  const result: BaselineResult = new Map()
  await pool([...selection.keys()], parallel, async (repository) => {
    await skopeo('list-tags', `docker://${host}/${repository}`)
    result.set(repository, new Map())
  })
  const jobs = [...selection].flatMap(([repository, tags]) => tags.map((tag) => [repository, tag]))
  await pool(jobs, parallel, async ([repository, tag]) => {
    const reference = `docker://${host}/${repository}:${tag}`
    const raw = await skopeo('inspect', '--raw', reference)
    const manifest = JSON.parse(raw.toString('utf8')) as {
      manifests?: Array<{ digest: string; platform?: { os: string; architecture: string } }>
    }
    let platforms: Record<string, string> = {}
    if (Array.isArray(manifest.manifests)) {
      for (const entry of manifest.manifests) {
        const platform = entry.platform
        if (!platform || platform.os === 'unknown') continue
        platforms[`${platform.os}/${platform.architecture}`] ??= entry.digest
      }
    } else {
      const config = JSON.parse(
        (await skopeo('inspect', '--config', '--raw', reference)).toString('utf8')
      ) as { os: string; architecture: string }
      const digest = `sha256:${createHash('sha256').update(raw).digest('hex')}`
      platforms = { [`${config.os}/${config.architecture}`]: digest }
    }
    result.get(repository!)!.set(tag!, platforms)
  })
  return result
}

/** References in our digests.json the skopeo script read differently; 0 when they agree. */
export function compare(
  digests: Record<string, Record<string, Record<string, string>>>,
  baseline: BaselineResult
): number {
  let mismatches = 0
  for (const [image, tracks] of Object.entries(digests)) {
    const repository = image.slice(image.indexOf('/') + 1)
    for (const references of Object.values(tracks)) {
      for (const [platform, reference] of Object.entries(references)) {
        const [, tag, digest] = /:([^:@]+)@(sha256:[0-9a-f]+)$/.exec(reference) ?? []
        if (baseline.get(repository)?.get(tag!)?.[platform] !== digest) mismatches++
      }
    }
  }
  return mismatches
}

async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items]
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}

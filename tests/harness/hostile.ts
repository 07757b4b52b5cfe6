// What a hostile registry or token service does that no fault of a real one does: bodies of
// gigabytes made up as they are sent, hosts that record what a client was tricked into sending
// them, and the client's peak memory measured from inside its own process.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type CliRun } from './cli.js'

/**
 * Writes `prefix`, then `filler` chunks until `limit` bytes or the client stops reading; never
 * holds more than one chunk. Resolves with the bytes written, to show what the client read.
 */
export function streamLazily(
  res: ServerResponse,
  {
    status = 200,
    headers = { 'content-type': 'application/json' },
    prefix = '',
    limit,
    filler = Buffer.alloc(64 * 1024, 0x20)
  }: {
    status?: number
    headers?: Record<string, string>
    prefix?: string
    limit: number
    filler?: Buffer
  }
): Promise<number> {
  return new Promise((resolve) => {
    res.writeHead(status, headers)
    res.on('error', () => undefined)
    res.write(prefix)
    let sent = Buffer.byteLength(prefix)
    const done = (): void => resolve(sent)
    res.on('close', done)
    const more = (): void => {
      while (sent < limit && !res.destroyed) {
        sent += filler.length
        if (!res.write(filler)) {
          res.once('drain', more)
          return
        }
      }
      if (!res.destroyed) res.end()
    }
    more()
  })
}

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

export interface RecordingHost {
  /** `http://127.0.0.1:<port>`: another origin than every other loopback server. */
  url: string
  requests(): RecordedRequest[]
  stop(): Promise<void>
}

/** A host that only records (bodies up to 64 KiB) and answers 404: where stolen secrets land. */
export async function startRecordingHost(): Promise<RecordingHost> {
  const seen: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= 64 * 1024) chunks.push(chunk)
    })
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      })
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"details":"recording host"}')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Loaded into the CLI: on exit, writes the process's peak resident set size in bytes. */
const REPORT_PEAK_RSS = [
  "import { writeFileSync } from 'node:fs'",
  "process.on('exit', () => writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)))"
].join('\n')

/** Runs the CLI as runCli does, and reports its peak RSS as the kernel counted it. */
export async function runCliMeasured(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }
): Promise<CliRun & { peakRssBytes: number }> {
  const folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-rss-'))
  const preload = join(folder, 'peak-rss.mjs')
  const report = join(folder, 'peak-rss')
  writeFileSync(preload, REPORT_PEAK_RSS)
  const run = await runCli(args, {
    ...options,
    env: { ...options.env, PEAK_RSS_FILE: report },
    nodeArgs: ['--import', preload]
  })
  // A child killed at the timeout exits without writing it.
  if (!existsSync(report))
    throw new Error(`the CLI wrote no peak RSS (exit ${run.code}, killed at the timeout?)`)
  return { ...run, peakRssBytes: Number(readFileSync(report, 'utf8')) }
}

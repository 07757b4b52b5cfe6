// Starts a real CNCF distribution registry (Debian's docker-registry 2.8) on loopback, so the
// product is tested against real HTTP semantics rather than a mock of our own understanding.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { accessSync, constants, readFileSync, rmSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import {
  Agent as HttpAgent,
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage
} from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { runInThisContext } from 'node:vm'
import { hashSync } from 'bcryptjs'
import { Agent, request } from 'undici'
import {
  HARNESS_USER_AGENT,
  generateSigningCert,
  startTokenServer,
  type TokenRequest,
  type TokenServer
} from './token-server.js'

export { HARNESS_USER_AGENT }

export type AuthMode = 'none' | 'token' | 'htpasswd'

export interface StartOptions {
  auth?: AuthMode
  /** Extra users (name → password) for token or htpasswd auth. */
  users?: Record<string, string>
  /** Token auth only: may a client without credentials pull? Default true. */
  anonymousPull?: boolean
  /** Token auth only: identity (OAuth2 refresh) tokens → the user each stands for. */
  refreshTokens?: Record<string, string>
  /** Token auth only: token lifetime in seconds. Default 300. */
  tokenExpiresIn?: number
  /**
   * Serve `?n=` / `?last=` on tags/list with a `Link: <…>; rel="next"` header, as the OCI
   * distribution spec (and GHCR, Docker Hub, distribution 3) do. Distribution 2.8 ignores both
   * and returns every tag, so a pass-through loopback front adds them. Default false: the bare
   * 2.8 behaviour.
   */
  paginateTags?: boolean
  /** Serve HTTPS with this certificate (its CA trusted by the harness's own requests). */
  tls?: TlsFiles
  /** With tls: offer HTTP/2 by ALPN, as Go's net/http does by default. Default true. */
  http2?: boolean
  /**
   * Token auth only: the realm the registry names in its challenges, given the token server's
   * URL; for putting a relay (latency, counting) between clients and the token server.
   */
  realm?: (tokenUrl: string) => Promise<string>
  /**
   * Answer blob GETs with a 307 to this base URL plus the blob's storage path, through
   * distribution's own `redirect` storage middleware, as registries on S3 or a CDN do.
   */
  redirectBlobsTo?: string
}

export interface TlsFiles {
  certPath: string
  keyPath: string
  caPath: string
}

export interface AccessEntry {
  method: string
  /** Request URI as logged: path plus query string. */
  path: string
  status: number
}

/** How the harness's seeding authenticates. */
export type AdminAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'token'; username: string; password: string; tokenUrl: string; service: string }

export interface TokenServerControls {
  setFailing(status: number | null): void
  setPostSupported(supported: boolean): void
  /** Token requests since the last resetRequests(), the harness's own left out. */
  requests(): TokenRequest[]
}

export interface TestRegistry {
  readonly host: string
  readonly url: string
  readonly auth: AuthMode
  readonly tokenUrl?: string
  readonly service?: string
  readonly adminAuth: AdminAuth
  readonly tokenServer?: TokenServerControls
  /**
   * The registry's filesystem storage root. The benchmark copies repositories here to scale
   * out without pushing every copy; tests should seed over HTTP.
   */
  readonly storageDir: string
  /** Dispatcher for the harness's own requests; closed on stop(). */
  readonly agent: Agent
  requests(): Promise<AccessEntry[]>
  /** Requests since the last resetRequests() by the protocol logged (`HTTP/2.0`, `HTTP/1.1`). */
  protocols(): Promise<Record<string, number>>
  resetRequests(): Promise<void>
  tokenRequests(): number
  /** Registry stdout/stderr tail, for assertion messages. */
  logs(): string
  stop(): Promise<void>
}

export interface KindCounts {
  tagListPages: number
  headManifests: number
  getManifests: number
  getBlobs: number
  other: number
}

const SERVICE = 'oci-test-registry'
const ISSUER = 'oci-test-harness'
const ADMIN_USER = 'harness-admin'
const SENTINEL_PREFIX = '/harness-sentinel/'
const START_ATTEMPTS = 5
const READY_TIMEOUT_MS = 15_000
const SENTINEL_TIMEOUT_MS = 10_000
const STDERR_TAIL_BYTES = 32 * 1024

export function findRegistryBinary(): string {
  const candidates = [
    process.env.DOCKER_REGISTRY_BIN,
    '/usr/bin/docker-registry',
    ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'docker-registry'))
  ]
  for (const candidate of candidates) {
    if (!candidate) continue
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'docker-registry (CNCF distribution, Debian package docker-registry) is not installed: ' +
      'no /usr/bin/docker-registry and none on PATH. `bash scripts/test.sh` installs it.'
  )
}

export async function startRegistry(options: StartOptions = {}): Promise<TestRegistry> {
  const binary = findRegistryBinary()
  const auth = options.auth ?? 'none'
  const dir = await mkdtemp(join(tmpdir(), 'oci-registry-'))
  const live: Live = { proc: undefined, dir }
  track(live)

  let tokenServer: TokenServer | undefined
  const agent = new Agent({
    connect: {
      timeout: 5_000,
      ...(options.tls ? { ca: readFileSync(options.tls.caPath, 'utf8') } : {})
    },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
    keepAliveTimeout: 1_000
  })
  try {
    const admin = { username: ADMIN_USER, password: randomBytes(18).toString('base64url') }
    const users = { ...options.users, [admin.username]: admin.password }
    let adminAuth: AdminAuth = { kind: 'none' }
    let authYaml = ''

    if (auth === 'token') {
      const cert = await generateSigningCert(dir)
      tokenServer = await startTokenServer({
        cert,
        service: SERVICE,
        issuer: ISSUER,
        users,
        anonymousPull: options.anonymousPull ?? true,
        expiresIn: options.tokenExpiresIn ?? 300,
        ...(options.refreshTokens ? { refreshTokens: options.refreshTokens } : {})
      })
      adminAuth = { kind: 'token', ...admin, tokenUrl: tokenServer.url, service: SERVICE }
      authYaml = [
        'auth:',
        '  token:',
        `    realm: ${q(options.realm ? await options.realm(tokenServer.url) : tokenServer.url)}`,
        `    service: ${q(SERVICE)}`,
        `    issuer: ${q(ISSUER)}`,
        `    rootcertbundle: ${q(cert.certPath)}`
      ].join('\n')
    } else if (auth === 'htpasswd') {
      const path = join(dir, 'htpasswd')
      // Cost 4 (the minimum) because the registry runs bcrypt on every authenticated request.
      const lines = Object.entries(users).map(([u, p]) => `${u}:${hashSync(p, 4)}`)
      await writeFile(path, lines.join('\n') + '\n')
      adminAuth = { kind: 'basic', ...admin }
      authYaml = ['auth:', '  htpasswd:', `    realm: ${q(SERVICE)}`, `    path: ${q(path)}`].join(
        '\n'
      )
    }

    const log = new AccessLog()
    const tlsYaml = options.tls
      ? `  tls:\n    certificate: ${q(options.tls.certPath)}\n    key: ${q(options.tls.keyPath)}` +
        (options.http2 === false ? '\n  http2:\n    disabled: true' : '')
      : ''
    const scheme = options.tls ? 'https' : 'http'
    const redirectYaml = options.redirectBlobsTo
      ? [
          'middleware:',
          '  storage:',
          '    - name: redirect',
          '      options:',
          `        baseurl: ${q(options.redirectBlobsTo)}`
        ].join('\n')
      : ''
    const { port, proc } = await launch(
      binary,
      dir,
      [authYaml, redirectYaml].filter(Boolean).join('\n'),
      log,
      live,
      agent,
      tlsYaml,
      scheme
    )
    live.pager = options.paginateTags ? await startTagPager(port) : undefined
    const host = `127.0.0.1:${live.pager?.port ?? port}`
    const url = `${scheme}://${host}`
    // Sentinels go straight to the registry: they must not depend on the pager.
    const direct = `${scheme}://127.0.0.1:${port}`
    let mark = 0

    // The access log line is written after the response is produced, so a request's line can
    // trail its response. A sentinel request issued afterwards and awaited in the log puts a
    // fence behind everything the test sent before it.
    const fence = async (): Promise<number> => {
      const path = `${SENTINEL_PREFIX}${randomUUID()}`
      const seen = log.waitFor(path, SENTINEL_TIMEOUT_MS)
      const res = await request(`${direct}${path}`, {
        dispatcher: agent,
        headers: { 'user-agent': HARNESS_USER_AGENT }
      })
      await res.body.dump()
      return await seen
    }

    const since = async (): Promise<LoggedRequest[]> => {
      const end = await fence()
      return log.entries
        .slice(mark, end)
        .filter((e) => e.userAgent !== HARNESS_USER_AGENT && !e.path.startsWith(SENTINEL_PREFIX))
    }

    let stopped = false
    const registry: TestRegistry = {
      host,
      url,
      auth,
      adminAuth,
      agent,
      storageDir: join(dir, 'data'),
      ...(tokenServer && {
        tokenUrl: tokenServer.url,
        service: SERVICE,
        tokenServer: {
          setFailing: tokenServer.setFailing,
          setPostSupported: tokenServer.setPostSupported,
          requests: tokenServer.requests
        }
      }),
      async requests() {
        return (await since()).map(({ method, path, status }) => ({ method, path, status }))
      },
      async protocols() {
        const counts: Record<string, number> = {}
        for (const { protocol } of await since()) counts[protocol] = (counts[protocol] ?? 0) + 1
        return counts
      },
      async resetRequests() {
        mark = (await fence()) + 1
        tokenServer?.reset()
      },
      tokenRequests: () => tokenServer?.requests().length ?? 0,
      logs: () => log.tail(),
      async stop() {
        if (stopped) return
        stopped = true
        await agent.destroy().catch(() => undefined)
        await live.pager?.stop()
        await killProcess(proc)
        await tokenServer?.stop()
        await rm(dir, { recursive: true, force: true })
        untrack(live)
      }
    }
    return registry
  } catch (err) {
    await agent.destroy().catch(() => undefined)
    await live.pager?.stop()
    if (live.proc) await killProcess(live.proc)
    await tokenServer?.stop()
    await rm(dir, { recursive: true, force: true })
    untrack(live)
    throw err
  }
}

/** Classifies access-log entries by the request kinds a tag-listing client makes. */
export function countByKind(entries: readonly AccessEntry[]): KindCounts {
  const counts: KindCounts = {
    tagListPages: 0,
    headManifests: 0,
    getManifests: 0,
    getBlobs: 0,
    other: 0
  }
  for (const { method, path } of entries) {
    const bare = path.split('?')[0] ?? path
    if (method === 'GET' && /^\/v2\/.+\/tags\/list$/.test(bare)) counts.tagListPages++
    else if (method === 'HEAD' && /^\/v2\/.+\/manifests\/[^/]+$/.test(bare)) counts.headManifests++
    else if (method === 'GET' && /^\/v2\/.+\/manifests\/[^/]+$/.test(bare)) counts.getManifests++
    else if (method === 'GET' && /^\/v2\/.+\/blobs\/[^/]+:[^/]+$/.test(bare)) counts.getBlobs++
    else counts.other++
  }
  return counts
}

interface LoggedRequest extends AccessEntry {
  userAgent: string
  protocol: string
}

/** Parses the registry's stdout, which is gorilla's Apache "combined" access log. */
class AccessLog {
  readonly entries: LoggedRequest[] = []
  private readonly waiters = new Map<string, (index: number) => void>()
  private output = ''

  // 127.0.0.1 - - [23/Nov/2026:04:45:22 +0000] "GET /v2/ HTTP/1.1" 200 2 "" "curl/7.88.1"
  private static readonly LINE =
    /^\S+ \S+ \S+ \[[^\]]*\] "(\S+) (\S+) ([^"]*)" (\d{3}) \S+ "(?:[^"\\]|\\.)*" "((?:[^"\\]|\\.)*)"$/

  accessLine(line: string): void {
    const m = AccessLog.LINE.exec(line)
    if (!m) return this.other(line + '\n')
    const [, method = '', path = '', protocol = '', status = '0', userAgent = ''] = m
    this.entries.push({ method, path, status: Number(status), userAgent, protocol })
    this.waiters.get(path)?.(this.entries.length - 1)
  }

  other(text: string): void {
    this.output = (this.output + text).slice(-STDERR_TAIL_BYTES)
  }

  tail(): string {
    return this.output
  }

  /** Resolves with the index of the entry whose path is `path`, once it is logged. */
  waitFor(path: string, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(path)
        reject(new Error(`sentinel ${path} not in the registry access log after ${timeoutMs} ms`))
      }, timeoutMs)
      this.waiters.set(path, (index) => {
        clearTimeout(timer)
        this.waiters.delete(path)
        resolve(index)
      })
    })
  }
}

async function launch(
  binary: string,
  dir: string,
  authYaml: string,
  log: AccessLog,
  live: Live,
  agent: Agent,
  tlsYaml: string,
  scheme: string
): Promise<{ port: number; proc: ChildProcess }> {
  let lastError = ''
  // The free port can be taken between our probe and the registry's bind; retry on that only.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort()
    const configPath = join(dir, 'config.yml')
    await writeFile(configPath, registryConfig(dir, port, authYaml, tlsYaml))
    const proc = spawn(...withParentDeathSignal([binary, 'serve', configPath]), {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    live.proc = proc
    createInterface({ input: proc.stdout! }).on('line', (line) => log.accessLine(line))
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.other(chunk))
    proc.on('error', (err) => log.other(`spawn error: ${err.message}\n`))

    if (await waitReady(`${scheme}://127.0.0.1:${port}/v2/`, proc, agent)) return { port, proc }
    await killProcess(proc)
    lastError = log.tail()
    if (!/address already in use/i.test(lastError)) break
  }
  throw new Error(`docker-registry did not start; its output:\n${lastError}`)
}

/**
 * An 'exit' handler cannot run when the worker is SIGKILLed (jest's forceExit, OOM). util-linux
 * setpriv, on every Debian, makes the kernel kill the registry when its parent dies; it execs in
 * place, so the pid we hold is still the registry's.
 */
function withParentDeathSignal(argv: [string, ...string[]]): [string, string[]] {
  const setpriv = '/usr/bin/setpriv'
  try {
    accessSync(setpriv, constants.X_OK)
    return [setpriv, ['--pdeathsig', 'KILL', '--', ...argv]]
  } catch {
    return [argv[0], argv.slice(1)]
  }
}

function registryConfig(dir: string, port: number, authYaml: string, tlsYaml: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  formatter: text',
    '  accesslog:',
    '    disabled: false',
    // No blob descriptor cache: a deleted manifest must really be gone for the next request.
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${q(join(dir, 'data'))}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${q(randomBytes(16).toString('hex'))}`,
    tlsYaml,
    authYaml,
    ''
  ].join('\n')
}

/** Any HTTP answer on /v2/ (401 included, under auth) means the registry is serving. */
async function waitReady(url: string, proc: ChildProcess, agent: Agent): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false
    try {
      const res = await request(url, {
        dispatcher: agent,
        headers: { 'user-agent': HARNESS_USER_AGENT },
        headersTimeout: 2_000,
        bodyTimeout: 2_000
      })
      await res.body.dump()
      return true
    } catch {
      await sleep(50)
    }
  }
  return false
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function killProcess(proc: ChildProcess): Promise<void> {
  const exited = (): boolean => proc.exitCode !== null || proc.signalCode !== null
  if (exited()) return
  const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  proc.kill('SIGTERM')
  // Unref'd timers: a pending timeout must not hold the jest worker open after the exit.
  const timeout = (ms: number): Promise<false> => sleep(ms, false as const, { ref: false })
  if (await Promise.race([gone.then(() => true), timeout(5_000)])) return
  proc.kill('SIGKILL')
  await Promise.race([gone, timeout(2_000)])
}

interface TagPager {
  port: number
  stop(): Promise<void>
}

/**
 * A loopback front that forwards every request unchanged (same URI, headers and user agent, so
 * the access log and its counts stay exact) and pages 200 answers of GET tags/list that carry
 * `n` or `last`: tags sorted lexically, those after `last`, at most `n`, plus a Link header.
 */
async function startTagPager(registryPort: number): Promise<TagPager> {
  const upstreamAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 })
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://pager.invalid')
    const paged =
      req.method === 'GET' &&
      /^\/v2\/.+\/tags\/list$/.test(url.pathname) &&
      (url.searchParams.has('n') || url.searchParams.has('last'))
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: registryPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: upstreamAgent,
        timeout: 15_000
      },
      (up) => {
        if (!paged || up.statusCode !== 200) {
          res.writeHead(up.statusCode ?? 502, up.rawHeaders)
          up.pipe(res)
          return
        }
        readAll(up)
          .then((body) => {
            const { name, tags } = JSON.parse(body) as { name: string; tags: string[] | null }
            const page = pageOf(tags ?? [], url.searchParams)
            const headers: Record<string, string> = { 'content-type': 'application/json' }
            if (page.next !== undefined) {
              const n = url.searchParams.get('n') ?? ''
              const last = encodeURIComponent(page.next)
              headers.link = `</v2/${name}/tags/list?last=${last}&n=${n}>; rel="next"`
            }
            res.writeHead(200, headers)
            res.end(JSON.stringify({ name, tags: page.tags }))
          })
          .catch(() => res.destroy())
      }
    )
    upstream.on('timeout', () => upstream.destroy(new Error('registry did not answer')))
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        upstreamAgent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function pageOf(all: string[], params: URLSearchParams): { tags: string[]; next?: string } {
  const last = params.get('last')
  const after = [...all].sort().filter((t) => last === null || t > last)
  const n = params.has('n') ? Number(params.get('n')) : Infinity
  if (!Number.isFinite(n) || n < 0 || after.length <= n) return { tags: after }
  const tags = after.slice(0, n)
  return n === 0 ? { tags } : { tags, next: tags[tags.length - 1]! }
}

async function readAll(stream: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/** YAML double-quoted scalar; JSON string syntax is a subset of it. */
function q(value: string): string {
  return JSON.stringify(value)
}

interface Live {
  proc: ChildProcess | undefined
  pager?: TagPager | undefined
  dir: string
}

// A jest worker that exits without running afterAll must not leave registries behind. The
// listener is only installed while a registry is live, so test files that each load this
// module do not pile up 'exit' listeners in a reused worker.
const liveRegistries = new Set<Live>()

// Inside jest's sandbox `process` is a copy with its own event emitter that never emits
// 'exit'; the vm module is not sandboxed, so this reaches the worker's real process.
const hostProcess = runInThisContext('process') as NodeJS.Process

function killAllSync(): void {
  // The pager and token server live in this process and die with it.
  for (const { proc, dir } of liveRegistries) {
    try {
      proc?.kill('SIGKILL')
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

function track(live: Live): void {
  if (liveRegistries.size === 0) hostProcess.on('exit', killAllSync)
  liveRegistries.add(live)
}

function untrack(live: Live): void {
  liveRegistries.delete(live)
  if (liveRegistries.size === 0) hostProcess.off('exit', killAllSync)
}

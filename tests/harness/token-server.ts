// A minimal Docker "token auth" server (the protocol Docker Hub, GHCR and Harbor speak), so
// tests exercise the real 401 → token → retry dance against a real registry.
import { execFile } from 'node:child_process'
import { createPrivateKey, createSign, randomUUID, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

// The harness's own requests carry this user agent so request counters can leave them out.
export const HARNESS_USER_AGENT = 'oci-test-harness/1'

export interface SigningCert {
  certPath: string
  keyPath: string
}

export interface ResourceAccess {
  type: string
  name: string
  actions: string[]
}

export interface TokenRequest {
  method: string
  /** Basic-auth user name, undefined when the client sent no credentials. */
  user: string | undefined
  scopes: ResourceAccess[]
  status: number
}

export interface TokenServerOptions {
  cert: SigningCert
  service: string
  issuer: string
  /** user name → password; a user name here may request any action. */
  users: Record<string, string>
  /** Without credentials: grant `pull` (true) or nothing (false). */
  anonymousPull: boolean
  expiresIn: number
  /**
   * OAuth2 refresh tokens (identity tokens, as `az acr login` stores) → the user they stand for,
   * exchanged by POST with grant_type=refresh_token as the distribution token spec documents.
   */
  refreshTokens?: Record<string, string>
}

export interface TokenServer {
  url: string
  /** Answer every token request with this status (e.g. 500), or null to behave again. */
  setFailing(status: number | null): void
  /** False: answer POST with 404, as token services without the OAuth2 endpoint do. */
  setPostSupported(supported: boolean): void
  /** Token requests since the last reset, the harness's own left out. */
  requests(): TokenRequest[]
  reset(): void
  stop(): Promise<void>
}

/**
 * Self-signed RSA cert: the registry trusts it as root bundle and finds it in each JWT's x5c.
 * The TLS test CA is made the same way under another name.
 */
export async function generateSigningCert(
  dir: string,
  { name, subject } = { name: 'token-signer', subject: '/CN=oci-test-harness token signer' }
): Promise<SigningCert> {
  const certPath = join(dir, `${name}.crt`)
  const keyPath = join(dir, `${name}.key`)
  // ExtKeyUsage is left out on purpose: distribution verifies the chain with ExtKeyUsageAny.
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      subject,
      '-keyout',
      keyPath,
      '-out',
      certPath
    ],
    { timeout: 30_000 }
  )
  return { certPath, keyPath }
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const key = createPrivateKey(await readFile(options.cert.keyPath))
  const x5c = pemBody(await readFile(options.cert.certPath, 'utf8'))
  let failing: number | null = null
  let postSupported = true
  let log: TokenRequest[] = []

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) respond(res, 500, { details: String(err) })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://token.invalid')
    const own = req.headers['user-agent'] === HARNESS_USER_AGENT
    const record = (entry: TokenRequest): void => {
      if (!own) log.push(entry)
    }
    if (url.pathname !== '/token') return respond(res, 404, { details: 'not found' })

    // GET is the Docker token flow; POST is the OAuth2 form some clients (containerd) use.
    let params = url.searchParams
    if (req.method === 'POST') {
      if (!postSupported) return respond(res, 404, { details: 'not found' })
      params = new URLSearchParams(await readBody(req))
    } else if (req.method !== 'GET') return respond(res, 405, { details: 'method not allowed' })

    const scopes = params
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .flatMap(parseScope)
    const creds = credentials(req, params, options.refreshTokens ?? {})
    const base = { method: req.method, user: creds?.user, scopes }

    if (failing !== null) {
      record({ ...base, status: failing })
      return respond(res, failing, { details: 'token server told to fail' })
    }
    if (creds && creds.verified !== true && options.users[creds.user] !== creds.password) {
      record({ ...base, status: 401 })
      res.setHeader('WWW-Authenticate', 'Basic realm="oci-test-harness"')
      return respond(res, 401, { details: 'incorrect username or password' })
    }
    const service = params.get('service')
    if (service !== null && service !== options.service) {
      record({ ...base, status: 400 })
      return respond(res, 400, { details: `unknown service ${service}` })
    }

    const granted = creds
      ? scopes
      : options.anonymousPull
        ? scopes
            .map((s) => ({ ...s, actions: s.actions.filter((a) => a === 'pull') }))
            .filter((s) => s.type === 'repository' && s.actions.length > 0)
        : []
    const now = Math.floor(Date.now() / 1000)
    const token = signJwt(key, x5c, {
      iss: options.issuer,
      sub: creds?.user ?? '',
      aud: options.service,
      exp: now + options.expiresIn,
      // nbf a little in the past: the registry and this server share a clock, but seconds round.
      nbf: now - 1,
      iat: now,
      jti: randomUUID(),
      access: granted
    })
    record({ ...base, status: 200 })
    respond(res, 200, {
      token,
      access_token: token,
      expires_in: options.expiresIn,
      issued_at: new Date(now * 1000).toISOString()
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/token`,
    setFailing: (status) => {
      failing = status
    },
    setPostSupported: (supported) => {
      postSupported = supported
    },
    requests: () => [...log],
    reset: () => {
      log = []
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** `repository:library/foo:pull,push` → access entry; the name may itself contain ':'. */
export function parseScope(scope: string): ResourceAccess[] {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first < 0 || last === first) return []
  const actions = scope
    .slice(last + 1)
    .split(',')
    .filter((a) => a !== '')
  return [{ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions }]
}

function credentials(
  req: IncomingMessage,
  params: URLSearchParams,
  refreshTokens: Record<string, string>
): { user: string; password: string; verified?: boolean } | undefined {
  if (params.get('grant_type') === 'refresh_token') {
    // A refresh token stands for its user; an unknown one is refused like a wrong password.
    const user = refreshTokens[params.get('refresh_token') ?? '']
    return { user: user ?? '<token>', password: '', verified: user !== undefined }
  }
  const header = req.headers.authorization
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return { user: decoded, password: '' }
    const password = decoded.slice(colon + 1)
    // The GET fallback for an identity token: Basic with the refresh token as password.
    const holder = refreshTokens[password]
    if (holder !== undefined) return { user: holder, password, verified: true }
    return { user: decoded.slice(0, colon), password }
  }
  if (params.get('grant_type') === 'password') {
    return { user: params.get('username') ?? '', password: params.get('password') ?? '' }
  }
  return undefined
}

function signJwt(key: KeyObject, x5c: string, claims: object): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [x5c] }
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
  const signature = createSign('RSA-SHA256').update(input).sign(key)
  return `${input}.${b64url(signature)}`
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url')
}

/** The base64 between PEM armor lines is exactly the base64 DER that x5c wants. */
function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
}

function respond(res: ServerResponse, status: number, body: object): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify(body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 64 * 1024) throw new Error('token request body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

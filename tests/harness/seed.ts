// Seeds a TestRegistry through its HTTP API only, as a pushing client would, so what the product
// reads back is exactly what a real push leaves behind.
import { createHash, randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { request } from 'undici'
import { HARNESS_USER_AGENT, type TestRegistry } from './registry.js'

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

export type Flavor = 'oci' | 'docker'

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  platform?: Platform
  annotations?: Record<string, string>
}

export interface ImageResult {
  digest: string
  mediaType: string
  size: number
  platform: Platform
}

export interface IndexResult {
  digest: string
  mediaType: string
  size: number
  /** 'os/arch[/variant]' → image manifest digest. */
  manifests: Record<string, string>
  /** 'os/arch[/variant]' → digest of the attestation manifest for that image (OCI only). */
  attestations: Record<string, string>
}

export interface SeedOptions {
  mediaType?: Flavor
  /** Makes content (and so digests) differ between pushes that are otherwise the same. */
  salt?: string
  /** Annotations on the tagged manifest (the index, or a single image's manifest). */
  annotations?: Record<string, string>
  /** Extra labels in each image's config blob. */
  labels?: Record<string, string>
  /** Random (poorly compressible) bytes added to each image's layer, for realistic sizes. */
  layerBytes?: number
  /** Files added to each image's layer beside platform.txt, for an image a container can run. */
  files?: LayerFile[]
  /** The config's Cmd: what `docker run` starts when given no command. */
  cmd?: string[]
}

export interface LayerFile {
  path: string
  mode: number
  content: Buffer
}

export interface IndexOptions extends SeedOptions {
  /** Add BuildKit-style attestation manifests (OCI only). */
  attestations?: boolean
}

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json'
} as const

/** Every manifest type, for GET/HEAD that must not be refused or down-converted. */
export const ACCEPT_ALL = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerManifest
].join(', ')

export function platformString(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

/** Uploads a blob in one POST + PUT (monolithic upload), returning its descriptor fields. */
export async function pushBlob(
  reg: TestRegistry,
  repo: string,
  bytes: Buffer
): Promise<{ digest: string; size: number }> {
  const digest = sha256(bytes)
  const start = await adminRequest(reg, repo, 'POST', `/v2/${repo}/blobs/uploads/`)
  await expectStatus(start, 202, `start blob upload to ${repo}`)
  const location = new URL(header(start.headers, 'location') ?? '', reg.url)
  location.searchParams.set('digest', digest)
  const put = await adminRequest(reg, repo, 'PUT', location.pathname + location.search, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' }
  })
  await expectStatus(put, 201, `finish blob upload ${digest} to ${repo}`)
  return { digest, size: bytes.length }
}

/** PUTs manifest bytes under `reference` (a tag or their digest); returns the digest. */
export async function pushManifest(
  reg: TestRegistry,
  repo: string,
  reference: string,
  mediaType: string,
  bytes: Buffer
): Promise<string> {
  const digest = sha256(bytes)
  const res = await adminRequest(reg, repo, 'PUT', `/v2/${repo}/manifests/${reference}`, {
    body: bytes,
    headers: { 'content-type': mediaType }
  })
  await expectStatus(res, 201, `put manifest ${repo}:${reference}`)
  const returned = header(res.headers, 'docker-content-digest')
  if (returned !== digest) {
    throw new Error(`registry says ${repo}:${reference} is ${returned}, we computed ${digest}`)
  }
  return digest
}

/** Pushes a config blob, one layer and the image manifest (by digest, untagged). */
export async function pushImage(
  reg: TestRegistry,
  repo: string,
  platform: Platform,
  opts: SeedOptions = {}
): Promise<ImageResult> {
  return (await pushImageWithBytes(reg, repo, platform, opts)).image
}

async function pushImageWithBytes(
  reg: TestRegistry,
  repo: string,
  platform: Platform,
  opts: SeedOptions
): Promise<{ image: ImageResult; bytes: Buffer }> {
  const flavor = opts.mediaType ?? 'oci'
  const salt = opts.salt ?? ''
  const payload = opts.layerBytes ? randomBytes(opts.layerBytes).toString('base64') : ''
  const layerTar = tarOf([
    {
      path: 'platform.txt',
      mode: 0o644,
      content: Buffer.from(`${platformString(platform)} ${salt}\n${payload}`)
    },
    ...(opts.files ?? [])
  ])
  const layer = await pushBlob(reg, repo, gzipSync(layerTar))
  const config = await pushBlob(
    reg,
    repo,
    json({
      ...platform,
      config: {
        Labels: { 'oci-test-harness.salt': salt, ...opts.labels },
        ...(opts.cmd ? { Cmd: opts.cmd } : {})
      },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
      history: [{ created_by: 'oci-test-harness' }]
    })
  )
  const types =
    flavor === 'oci'
      ? {
          manifest: MEDIA_TYPES.ociManifest,
          config: MEDIA_TYPES.ociConfig,
          layer: MEDIA_TYPES.ociLayer
        }
      : {
          manifest: MEDIA_TYPES.dockerManifest,
          config: MEDIA_TYPES.dockerConfig,
          layer: MEDIA_TYPES.dockerLayer
        }
  const bytes = json({
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, ...config },
    layers: [{ mediaType: types.layer, ...layer }],
    ...(opts.annotations ? { annotations: opts.annotations } : {})
  })
  const digest = await pushManifest(reg, repo, sha256(bytes), types.manifest, bytes)
  return { image: { digest, mediaType: types.manifest, size: bytes.length, platform }, bytes }
}

/**
 * Pushes one image per platform, then an OCI index or Docker manifest list over them, tagged
 * with every tag in `tags`.
 */
export async function pushIndex(
  reg: TestRegistry,
  repo: string,
  tags: string[] | string,
  platforms: Platform[],
  opts: IndexOptions = {}
): Promise<IndexResult> {
  const flavor = opts.mediaType ?? 'oci'
  if (opts.attestations && flavor !== 'oci') {
    throw new Error('attestation manifests only exist in OCI indexes')
  }
  const entries: Descriptor[] = []
  const manifests: Record<string, string> = {}
  const attestations: Record<string, string> = {}
  const images: ImageResult[] = []
  const { annotations, ...imageOptions } = opts
  for (const platform of platforms) {
    const image = await pushImage(reg, repo, platform, imageOptions)
    images.push(image)
    manifests[platformString(platform)] = image.digest
    entries.push({ mediaType: image.mediaType, digest: image.digest, size: image.size, platform })
  }
  // BuildKit appends the attestation manifests after all images, one per image.
  if (opts.attestations) {
    for (const image of images) {
      const att = await pushAttestation(reg, repo, image.digest)
      attestations[platformString(image.platform)] = att.digest
      entries.push(att)
    }
  }
  const mediaType = flavor === 'oci' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.dockerList
  const index = json({
    schemaVersion: 2,
    mediaType,
    manifests: entries,
    ...(annotations ? { annotations } : {})
  })
  const digest = await tagBytes(reg, repo, tags, mediaType, index)
  return { digest, mediaType, size: index.length, manifests, attestations }
}

/** A tag that is a single image manifest, not an index. */
export async function pushSingle(
  reg: TestRegistry,
  repo: string,
  tags: string[] | string,
  platform: Platform,
  opts: SeedOptions = {}
): Promise<ImageResult> {
  const { image, bytes } = await pushImageWithBytes(reg, repo, platform, opts)
  await tagBytes(reg, repo, tags, image.mediaType, bytes)
  return image
}

/** Points `tag` at an existing manifest (by re-PUTting its exact bytes). */
export async function tagManifest(
  reg: TestRegistry,
  repo: string,
  digest: string,
  tag: string
): Promise<void> {
  const { mediaType, text } = await getManifest(reg, repo, digest)
  await pushManifest(reg, repo, tag, mediaType, Buffer.from(text, 'utf8'))
}

/** A manifest's exact bytes as the registry serves them by digest, with its media type. */
export async function getManifest(
  reg: TestRegistry,
  repo: string,
  digest: string
): Promise<{ mediaType: string; text: string }> {
  const res = await adminRequest(reg, repo, 'GET', `/v2/${repo}/manifests/${digest}`, {
    headers: { accept: ACCEPT_ALL }
  })
  if (res.statusCode !== 200) await expectStatus(res, 200, `get manifest ${repo}@${digest}`)
  const bytes = Buffer.from(await res.body.arrayBuffer())
  if (sha256(bytes) !== digest) throw new Error(`${repo}@${digest} served other bytes`)
  return {
    mediaType: header(res.headers, 'content-type') ?? MEDIA_TYPES.ociManifest,
    text: bytes.toString('utf8')
  }
}

/**
 * Seeds one index per tag, `concurrency` at a time. Each tag gets distinct content (salted by
 * its name and `opts.salt`) unless `shared`, where one index is pushed and tagged N times.
 */
export async function pushMany(
  reg: TestRegistry,
  repo: string,
  tags: string[],
  platforms: Platform[],
  opts: IndexOptions & { concurrency?: number; shared?: boolean } = {}
): Promise<Record<string, IndexResult>> {
  const results: Record<string, IndexResult> = {}
  if (opts.shared) {
    const result = await pushIndex(reg, repo, tags, platforms, opts)
    for (const tag of tags) results[tag] = result
    return results
  }
  const queue = [...tags]
  const worker = async (): Promise<void> => {
    for (let tag = queue.shift(); tag !== undefined; tag = queue.shift()) {
      const salt = `${opts.salt ?? ''}:${tag}`
      results[tag] = await pushIndex(reg, repo, tag, platforms, { ...opts, salt })
    }
  }
  const workers = Math.max(1, Math.min(opts.concurrency ?? 4, 16, tags.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}

export async function deleteManifest(
  reg: TestRegistry,
  repo: string,
  digest: string
): Promise<void> {
  const res = await adminRequest(reg, repo, 'DELETE', `/v2/${repo}/manifests/${digest}`)
  await expectStatus(res, 202, `delete manifest ${repo}@${digest}`)
}

/**
 * Deletes a tag the only way distribution 2.8 allows: HEAD it for its digest, then DELETE the
 * manifest by digest. Distribution 2.8 then untags EVERY tag pointing at that digest, not only
 * `tag` (and DELETE by tag name is refused). Returns the deleted digest.
 */
export async function deleteTag(reg: TestRegistry, repo: string, tag: string): Promise<string> {
  const res = await adminRequest(reg, repo, 'HEAD', `/v2/${repo}/manifests/${tag}`, {
    headers: { accept: ACCEPT_ALL }
  })
  await expectStatus(res, 200, `resolve ${repo}:${tag}`)
  const digest = header(res.headers, 'docker-content-digest')
  if (!digest) throw new Error(`no Docker-Content-Digest for ${repo}:${tag}`)
  await deleteManifest(reg, repo, digest)
  return digest
}

async function pushAttestation(
  reg: TestRegistry,
  repo: string,
  imageDigest: string
): Promise<Descriptor> {
  const statement = json({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: [{ name: `pkg:docker/${repo}`, digest: { sha256: imageDigest.slice(7) } }],
    predicate: { builder: { id: 'oci-test-harness' } }
  })
  const layer = await pushBlob(reg, repo, statement)
  const config = await pushBlob(
    reg,
    repo,
    json({
      architecture: 'unknown',
      os: 'unknown',
      config: {},
      rootfs: { type: 'layers', diff_ids: [layer.digest] }
    })
  )
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, ...config },
    layers: [
      {
        mediaType: MEDIA_TYPES.inToto,
        ...layer,
        annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' }
      }
    ]
  })
  const digest = await pushManifest(reg, repo, sha256(manifest), MEDIA_TYPES.ociManifest, manifest)
  return {
    mediaType: MEDIA_TYPES.ociManifest,
    digest,
    size: manifest.length,
    annotations: {
      'vnd.docker.reference.digest': imageDigest,
      'vnd.docker.reference.type': 'attestation-manifest'
    },
    platform: { architecture: 'unknown', os: 'unknown' }
  }
}

async function tagBytes(
  reg: TestRegistry,
  repo: string,
  tags: string[] | string,
  mediaType: string,
  bytes: Buffer
): Promise<string> {
  const list = typeof tags === 'string' ? [tags] : tags
  let digest = sha256(bytes)
  // With no tags the manifest is still pushed (by digest), so it can be tagged later.
  for (const ref of list.length > 0 ? list : [digest]) {
    digest = await pushManifest(reg, repo, ref, mediaType, bytes)
  }
  return digest
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'
type Response = Awaited<ReturnType<typeof request>>

/** Bearer tokens per registry and repository, so seeding asks the token server once per repo. */
const tokenCache = new WeakMap<TestRegistry, Map<string, string>>()

/**
 * A request as the harness admin. Under token auth a 401 (expired or missing token) fetches a
 * fresh token and retries once.
 */
async function adminRequest(
  reg: TestRegistry,
  repo: string,
  method: Method,
  path: string,
  init: { body?: Buffer; headers?: Record<string, string> } = {}
): Promise<Response> {
  const send = async (authorization: string | undefined): Promise<Response> =>
    request(`${reg.url}${path}`, {
      method,
      dispatcher: reg.agent,
      body: init.body,
      headers: {
        'user-agent': HARNESS_USER_AGENT,
        ...init.headers,
        ...(authorization && { authorization })
      }
    })
  const auth = reg.adminAuth
  if (auth.kind === 'none') return send(undefined)
  if (auth.kind === 'basic') return send(basic(auth.username, auth.password))

  const cache = tokenCache.get(reg) ?? new Map<string, string>()
  tokenCache.set(reg, cache)
  const cached = cache.get(repo)
  if (cached) {
    const res = await send(`Bearer ${cached}`)
    if (res.statusCode !== 401) return res
    await res.body.dump()
  }
  const scope = `repository:${repo}:pull,push,delete`
  const tokenUrl = new URL(auth.tokenUrl)
  tokenUrl.searchParams.set('service', auth.service)
  tokenUrl.searchParams.set('scope', scope)
  const tokenRes = await request(tokenUrl, {
    dispatcher: reg.agent,
    headers: {
      'user-agent': HARNESS_USER_AGENT,
      authorization: basic(auth.username, auth.password)
    }
  })
  const body = await expectStatus(tokenRes, 200, `admin token for ${scope}`)
  const { token } = JSON.parse(body) as { token: string }
  cache.set(repo, token)
  return send(`Bearer ${token}`)
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

function header(headers: Response['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Consumes and returns the body; throws with it when the status is unexpected. */
async function expectStatus(res: Response, status: number, what: string): Promise<string> {
  const text = await res.body.text()
  if (res.statusCode !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${res.statusCode}: ${text.slice(0, 500)}`
    )
  }
  return text
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}

/** A ustar archive of regular files, so layers are real (if tiny) tarballs that tools unpack. */
function tarOf(files: LayerFile[]): Buffer {
  const blocks: Buffer[] = []
  for (const file of files) {
    const header = Buffer.alloc(512)
    const field = (offset: number, length: number, value: string): void => {
      header.write(value, offset, length, 'ascii')
    }
    const octal = (offset: number, length: number, value: number): void => {
      field(offset, length, value.toString(8).padStart(length - 1, '0') + '\0')
    }
    field(0, 100, file.path)
    octal(100, 8, file.mode)
    octal(108, 8, 0)
    octal(116, 8, 0)
    octal(124, 12, file.content.length)
    octal(136, 12, 0)
    field(148, 8, '        ') // checksum is computed with its own field as spaces
    field(156, 1, '0')
    field(257, 8, 'ustar\u000000')
    let sum = 0
    for (const byte of header) sum += byte
    field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ')
    blocks.push(header, file.content, Buffer.alloc((512 - (file.content.length % 512)) % 512))
  }
  // Two zero blocks end the archive.
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

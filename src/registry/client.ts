// The registry concern's façade: the four questions the rest of the program asks a registry,
// each asked at most once per run. Sessions (one per registry) carry auth, limits and counts;
// tags.ts and content.ts speak the distribution API.
import { createDispatchers, type Dispatchers } from './dispatcher.js'
import { imageKey, type ImageReference } from './image-reference.js'
import {
  OCI_INDEX,
  OCI_MANIFEST,
  namesPlatformImage,
  type Manifest,
  type ManifestDocument
} from './manifest.js'
import type { Transport } from './http.js'
import type { RequestCounts } from './request-counts.js'
import { RegistrySession } from './session.js'
import type { PullBudget } from './pull-budget.js'
import { listTags } from './tags.js'
import { blobByDigest, headTag, manifestByDigest, type TagHead } from './content.js'
import { ContentSources, type ContentSource, type ContentSourceReport } from './content-sources.js'
import { ImageDeadline } from './image-deadline.js'
import {
  registrySettings,
  type EndpointSettings,
  type RegistryOptions,
  type RegistrySettings
} from './settings.js'

/** The registry settings (settings.ts), and what this run reads. */
export interface RegistryClientOptions extends RegistryOptions {
  /** False: send no manifest or blob GET at all (a plan reads tag lists and HEADs only). */
  getContent?: boolean
  /** imageKey → other repositories publishing the same images, read by digest first. */
  alternates?: Record<string, ImageReference[]>
}

/**
 * A client for the OCI distribution API. Every question is asked at most once per run: answers
 * (and failures) are memoised, so tracks sharing a tag or images sharing a repository cost
 * nothing extra.
 */
export class RegistryClient {
  private readonly settings: RegistrySettings
  private readonly dispatchers: Dispatchers
  private readonly sessions = new Map<string, RegistrySession>()
  /** By session key: the line its request counts are printed under. */
  private readonly countLabels = new Map<string, string>()
  private readonly memo = new Map<string, Promise<unknown>>()
  private readonly contentSources: ContentSources
  /** By imageKey, from the image's first question: what bounds its whole work. */
  private readonly deadlines = new Map<string, ImageDeadline>()

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.settings = registrySettings(options)
    this.contentSources = new ContentSources(this.settings.requestsPerRegistry)
    this.dispatchers = createDispatchers({
      connections: this.settings.requestsPerRegistry,
      timeoutMs: this.settings.http.attemptTimeoutMs,
      trust: this.settings.trust
    })
  }

  async close(): Promise<void> {
    const { registries, tokenServices } = this.dispatchers
    await Promise.all([registries.close(), tokenServices.close()])
  }

  /** Request counts per registry endpoint host (or registry and mirror host, when mirrored). */
  requestCounts(): Record<string, RequestCounts> {
    const counts: Record<string, RequestCounts> = {}
    for (const [key, session] of this.sessions)
      counts[this.countLabels.get(key)!] = { ...session.counts }
    return counts
  }

  /** Where by-digest reads went other than the image's own registry, and what went wrong. */
  contentReport(): ContentSourceReport {
    return this.contentSources.report()
  }

  /** The pull quota a registry announced this run, by registry name as in images.json. */
  budgets(): Map<string, PullBudget> {
    return new Map([...this.sessions].map(([registry, session]) => [registry, session.budget]))
  }

  /** Every tag of a repository, following `Link: rel="next"` pages. */
  listTags(image: ImageReference): Promise<string[]> {
    return this.once(`tags ${imageKey(image)}`, () =>
      listTags(this.session(image), image.repository, {
        ...(this.settings.tagPageSize ? { pageSize: this.settings.tagPageSize } : {}),
        maxPages: this.settings.maxTagPages,
        imageDeadline: this.deadline(image)
      })
    )
  }

  /** The digest a tag points at, from a HEAD. Null when the tag no longer exists. */
  headTag(image: ImageReference, tag: string): Promise<TagHead | null> {
    return this.once(`head ${imageKey(image)}:${tag}`, async () => {
      // A 404 on HEAD is only doubted for a tag the registry's own tag list names.
      const tags = this.memo.get(`tags ${imageKey(image)}`) as Promise<string[]> | undefined
      const listed = (await tags?.catch((): string[] => []))?.includes(tag) ?? false
      const found = await headTag(
        this.session(image),
        image.repository,
        tag,
        listed,
        this.deadline(image)
      )
      if (!found) return null
      // Read by tag for want of a digest header: seed the by-digest memo so the manifest is
      // not fetched a second time.
      if (found.manifest) {
        this.memo.set(
          `manifest ${imageKey(image)}@${found.head.digest}`,
          Promise.resolve(found.manifest)
        )
      }
      return found.head
    })
  }

  /**
   * A manifest by digest, its bytes verified against that digest; an index's entries that lack
   * the mediaType the OCI spec requires are typed by their own content.
   */
  manifest(image: ImageReference, digest: string): Promise<Manifest> {
    return this.once(`typed ${imageKey(image)}@${digest}`, async () => {
      const { manifest } = await this.manifestDocument(image, digest)
      return manifest.kind === 'index' ? this.typeEntries(image, manifest) : manifest
    })
  }

  /** The same read, with the verified bytes: one GET serves both callers. */
  manifestDocument(image: ImageReference, digest: string): Promise<ManifestDocument> {
    return this.once(`manifest ${imageKey(image)}@${digest}`, () =>
      this.byDigest(image, true, (session, repository) =>
        manifestByDigest(session, repository, digest, this.deadline(image))
      )
    )
  }

  /**
   * An entry without a mediaType could name another index, which must never pass for a
   * platform image: the child is read (one GET, only for such entries) and typed by its own
   * mediaType or shape. A nested index is then skipped as a declared one is, not followed.
   */
  private async typeEntries(
    image: ImageReference,
    index: Extract<Manifest, { kind: 'index' }>
  ): Promise<Manifest> {
    if (!index.manifests.some((entry) => !entry.mediaType && namesPlatformImage(entry)))
      return index
    const manifests = await Promise.all(
      index.manifests.map(async (entry) => {
        if (entry.mediaType || !namesPlatformImage(entry)) return entry
        const { manifest: child } = await this.manifestDocument(image, entry.digest)
        return { ...entry, mediaType: child.kind === 'index' ? OCI_INDEX : OCI_MANIFEST }
      })
    )
    return { ...index, manifests }
  }

  /** A blob by digest (image configs), its bytes verified against that digest. */
  blob(image: ImageReference, digest: string): Promise<Buffer> {
    return this.once(`blob ${imageKey(image)}@${digest}`, () =>
      this.byDigest(image, false, (session, repository) =>
        blobByDigest(session, repository, digest, this.deadline(image))
      )
    )
  }

  private byDigest<T>(
    image: ImageReference,
    manifest: boolean,
    read: (session: RegistrySession, repository: string) => Promise<T>
  ): Promise<T> {
    const origin = this.session(image)
    return this.contentSources.read(this.sourcesFor(image), read, {
      registry: image.registry,
      session: origin,
      repository: image.repository,
      manifest
    })
  }

  /** Alternates first (the image's own publisher), then the registry's content mirrors. */
  private sourcesFor(image: ImageReference): ContentSource[] {
    const alternates = (this.options.alternates?.[imageKey(image)] ?? []).map((alternate) => ({
      session: this.session(alternate),
      repository: alternate.repository,
      label: `${alternate.registry}/${alternate.repository}`
    }))
    const mirrors = this.settings.host(image.registry).contentMirrors.map((mirror) => {
      const session = this.endpointSession(
        `content mirror ${mirror.endpoint}`,
        mirror,
        'content mirror'
      )
      return {
        session,
        repository: image.repository,
        label: `${session.host} (content mirror of ${image.registry})`
      }
    })
    return [...alternates, ...mirrors]
  }

  /** The image's deadline, started by its first question. */
  private deadline(image: ImageReference): ImageDeadline {
    const key = imageKey(image)
    let deadline = this.deadlines.get(key)
    if (!deadline) {
      deadline = new ImageDeadline(this.settings.http.imageDeadlineMs)
      this.deadlines.set(key, deadline)
    }
    return deadline
  }

  private once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined
    if (!promise) {
      // A credential helper that fails does so while the session is made: a rejection, too.
      promise = Promise.resolve().then(compute)
      this.memo.set(key, promise)
    }
    return promise
  }

  private session(image: ImageReference): RegistrySession {
    const host = this.settings.host(image.registry)
    return this.endpointSession(image.registry, host, host.mirrored ? 'mirror' : 'registry')
  }

  /** One session per key: a registry by name, or a content mirror by URL. */
  private endpointSession(
    key: string,
    where: EndpointSettings,
    role: 'registry' | 'mirror' | 'content mirror'
  ): RegistrySession {
    let session = this.sessions.get(key)
    if (!session) {
      const { endpoint, host, mirrored } = where
      const credentials = where.credentials()
      const transport: Transport = {
        dispatcher: this.dispatchers.registries,
        tokenDispatcher: this.dispatchers.tokenServices,
        policy: this.settings.http,
        userAgent: this.settings.userAgent
      }
      session = new RegistrySession(
        { endpoint, host, mirrored, ...(credentials ? { credentials } : {}) },
        transport,
        this.settings.requestsPerRegistry,
        this.settings.pullReserve
      )
      if (this.options.getContent === false) session.budget.forbid('a plan sends no GETs')
      this.sessions.set(key, session)
      // Two registries mirrored to one host must not share a line.
      this.countLabels.set(
        key,
        role === 'registry'
          ? host
          : role === 'mirror'
            ? `${key} (mirror ${host})`
            : `${host} (content mirror)`
      )
    }
    return session
  }
}

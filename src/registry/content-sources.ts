// By-digest reads from wherever the same bytes live. A digest names content, not a
// place: once the image's own registry has said which digest a tag points at, its manifests
// and configs may come from an alternate repository or a content mirror, because their bytes
// are verified against the digest anyway. Only the last source, the image's own registry,
// spends its pull budget.
import { Semaphore } from '../common/concurrency.js'
import { plural } from '../common/plural.js'
import { RegistryError } from './errors.js'
import type { RegistrySession } from './session.js'

/** Bytes that do not hash to the digest asked for: the source is not to be asked again. */
export class ContentMismatchError extends RegistryError {
  override name = 'ContentMismatchError'
}

/** One place a repository's content may be read by digest. */
export interface ContentSource {
  session: RegistrySession
  repository: string
  /** `ghcr.io/org/app` or `mirror.gcr.io (content mirror of docker.io)`, for messages. */
  label: string
}

/** What the sources served this run, reported beside the request counts. */
export interface ContentSourceReport {
  /** Registry name → manifest GETs it did not have to answer because another source did. */
  pullsSaved: Record<string, number>
  /** One line per source that served wrong bytes (and was skipped from then on). */
  tampered: string[]
  /** One line per source that could not serve some reads (404, error, timeout). */
  missed: string[]
}

export class ContentSources {
  private readonly tampered = new Map<string, string>()
  /**
   * Per source, as many reads at once as its session allows, so reads queued behind one that
   * met wrong bytes see the verdict and are never sent.
   */
  private readonly gates = new Map<string, Semaphore>()
  private readonly saved = new Map<string, number>()
  /** Per source: reads it could not serve, and the first reason. */
  private readonly missed = new Map<string, { count: number; first: string }>()

  constructor(private readonly requestsAtOnce: number) {}

  /**
   * Reads from each source in turn, then from the origin. Any failure at a source moves on:
   * the origin still has the bytes, and its answer is the one that counts.
   */
  async read<T>(
    sources: readonly ContentSource[],
    read: (session: RegistrySession, repository: string) => Promise<T>,
    origin: { registry: string; session: RegistrySession; repository: string; manifest: boolean }
  ): Promise<T> {
    for (const source of sources) {
      const value = await this.gate(source).run(() => this.readFrom(source, read))
      if (value === undefined) continue
      if (origin.manifest)
        this.saved.set(origin.registry, (this.saved.get(origin.registry) ?? 0) + 1)
      return value.value
    }
    return read(origin.session, origin.repository)
  }

  /** The source's answer, or undefined when it has none (or is not to be asked). */
  private async readFrom<T>(
    source: ContentSource,
    read: (session: RegistrySession, repository: string) => Promise<T>
  ): Promise<{ value: T } | undefined> {
    // By host: a host that altered one body is trusted with no other content. Only reads from
    // it as a source stop; it is still asked as some other image's own registry.
    if (this.tampered.has(source.session.host)) return undefined
    try {
      return { value: await read(source.session, source.repository) }
    } catch (error) {
      if (error instanceof ContentMismatchError) {
        this.tampered.set(
          source.session.host,
          `${source.label} served bytes that do not match their digest (${error.message}); ` +
            'not asked again this run'
        )
      } else {
        const missed = this.missed.get(source.label)
        if (missed) missed.count++
        else this.missed.set(source.label, { count: 1, first: (error as Error).message })
      }
      return undefined
    }
  }

  private gate(source: ContentSource): Semaphore {
    let gate = this.gates.get(source.session.host)
    if (!gate) {
      gate = new Semaphore(this.requestsAtOnce)
      this.gates.set(source.session.host, gate)
    }
    return gate
  }

  report(): ContentSourceReport {
    return {
      pullsSaved: Object.fromEntries(this.saved),
      tampered: [...this.tampered.values()],
      missed: [...this.missed].map(
        ([label, { count, first }]) =>
          `${label} could not serve ${plural(count, 'read')}, read from the next source instead (first: ${first})`
      )
    }
  }
}

import { loadImagesConfig, type ImageConfig } from './config.js'
import { loadRegistryCredentials, type CredentialLookup } from '../registry/docker-credentials.js'
import {
  defaultStatePath,
  diffDigests,
  mergeImageEntry,
  parseDigests,
  parseState,
  readTextIfPresent,
  renderDocument,
  writeFileAtomic,
  type Change,
  type Digests,
  type StateDocument
} from './digests-document.js'
import { settleAll } from '../common/concurrency.js'
import { RegistryClient } from '../registry/client.js'
import type { RequestCounts } from '../registry/request-counts.js'
import type { HttpPolicy } from '../registry/http.js'
import { plural } from '../common/plural.js'
import { resolveImage } from './resolve-image.js'
import { planWarnings } from './plan-warnings.js'

export interface Logger {
  info(message: string): void
  warning(message: string): void
}

export interface UpdateOptions {
  imagesPath: string
  digestsPath: string
  /** Default: digests.state.json beside digestsPath. */
  statePath?: string
  /** Registry name → mirror base URL. */
  mirrors?: Record<string, string>
  dryRun?: boolean
  http?: Partial<HttpPolicy>
  /** Images resolved at once. */
  concurrency?: number
  requestsPerRegistry?: number
  tagPageSize?: number
  /** Default: loaded from Docker's config.json. */
  credentials?: CredentialLookup
  /**
   * Pulls left untouched at a registry that announces a quota, for the machines that run the
   * pinned images and share its address.
   */
  pullReserve?: number
  log?: Logger
}

/** Work a registry's pull quota did not allow this run; the next run continues it. */
export interface Deferral {
  /** Registry as named in images.json (`docker.io`). */
  registry: string
  /** Manifests (and config blobs) this run would have read there and did not. */
  manifests: number
  /** In the registry's own words and figures, e.g. `0 of 10 per 3600 s left`. */
  reason: string
  /** Tracks left at their published value (or absent, when new) because of it. */
  tracks: StaleTrack[]
}

export interface StaleTrack {
  image: string
  track: string
}

export interface ImageFailure {
  image: string
  message: string
}

export interface UpdateResult {
  changes: Change[]
  stale: StaleTrack[]
  failures: ImageFailure[]
  /** Per registry endpoint host. */
  requestCounts: Record<string, RequestCounts>
  /** True when digests.json's content changed (or would, in a dry run). */
  changed: boolean
  /** Files rewritten; empty in a dry run or when nothing differed. */
  written: string[]
  digestsPath: string
  statePath: string
  /** digests.json as the run found it, and as the run left it (or would have, in a dry run). */
  previous: Digests
  digests: Digests
  /** Per registry; empty when every read fitted its quota. */
  deferred: Deferral[]
  /** Tags held back and legacy aliases kept, one line per image and kind; also logged. */
  warnings: string[]
}

const silent: Logger = { info: () => undefined, warning: () => undefined }

/**
 * One update: configuration → tags → tracks → per-platform digests → digests.json. Bad input
 * throws before any file is touched; a failing image keeps its previous entries while the
 * others are still written, and is reported in `failures`.
 */
export async function runUpdate(options: UpdateOptions): Promise<UpdateResult> {
  const log = options.log ?? silent
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath)
  const images = await loadImagesConfig(options.imagesPath)
  const previousText = await readTextIfPresent(options.digestsPath)
  const previous = parseDigests(previousText, options.digestsPath)
  const previousStateText = await readTextIfPresent(statePath)
  const previousState = parseState(previousStateText, statePath)

  const client = new RegistryClient({
    ...(options.mirrors ? { mirrors: options.mirrors } : {}),
    credentials: options.credentials ?? loadRegistryCredentials(),
    ...(options.http ? { http: options.http } : {}),
    ...(options.requestsPerRegistry ? { requestsPerRegistry: options.requestsPerRegistry } : {}),
    ...(options.tagPageSize ? { tagPageSize: options.tagPageSize } : {})
  })
  let settled
  try {
    settled = await settleAll(images, options.concurrency ?? 4, (image) =>
      resolveImage(client, image, previousState.images[image.reference.written] ?? {})
    )
  } finally {
    await client.close()
  }

  const next: Digests = {}
  const nextState: StateDocument = { version: 1, images: {} }
  const stale: StaleTrack[] = []
  const failures: ImageFailure[] = []
  const warnings: string[] = []
  images.forEach((image: ImageConfig, index) => {
    const name = image.reference.written
    const outcome = settled[index]!
    if (outcome.status === 'rejected') {
      const message =
        outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)
      failures.push({ image: name, message })
      if (previous[name]) next[name] = previous[name]
      if (previousState.images[name]) nextState.images[name] = previousState.images[name]
      return
    }
    const merged = mergeImageEntry(previous[name], outcome.value.tracks, image, outcome.value.plan)
    for (const line of planWarnings(name, outcome.value.plan, merged.aliases)) {
      warnings.push(line)
      log.warning(line)
    }
    if (Object.keys(merged.entry).length > 0) next[name] = merged.entry
    if (Object.keys(outcome.value.state).length > 0) nextState.images[name] = outcome.value.state
    for (const track of merged.stale) {
      stale.push({ image: name, track })
      log.warning(
        `${name} ${track}: no tag of this track exists upstream any more; kept its last value`
      )
    }
    log.info(`${name}: ${plural(outcome.value.tracks.size, 'track')} resolved`)
  })

  const digestsText = renderDocument(next)
  const stateText = renderDocument(nextState)
  const written: string[] = []
  if (!options.dryRun) {
    // State first: if the run dies between the two writes, the state only knows more.
    if (stateText !== previousStateText) {
      await writeFileAtomic(statePath, stateText)
      written.push(statePath)
    }
    if (digestsText !== previousText) {
      await writeFileAtomic(options.digestsPath, digestsText)
      written.push(options.digestsPath)
    }
  }
  return {
    changes: diffDigests(previous, next),
    stale,
    failures,
    requestCounts: client.requestCounts(),
    changed: digestsText !== previousText,
    written,
    digestsPath: options.digestsPath,
    statePath,
    previous,
    digests: next,
    deferred: [],
    warnings
  }
}

import { loadImagesConfig } from './config.js'
import {
  defaultStatePath,
  diffDigests,
  parseDigests,
  parseState,
  readTextIfPresent,
  renderDocument,
  writeFileAtomic,
  type Digests,
  type StateDocument
} from './digests-document.js'
import { dictionary, own } from '../common/records.js'
import { decideImage } from './image-decision.js'
import { resolveAll } from './resolve-all.js'
import { DEFAULT_IMAGE_CONCURRENCY, clientOptions } from './client-options.js'
import { collectDeferrals, formatDeferral, type DeferredImage } from './deferrals.js'
import type {
  ImageFailure,
  Logger,
  ManifestsReport,
  StaleTrack,
  UpdateOptions,
  UpdateResult
} from './run-types.js'
import type { WaitingTrack } from './tracks/release-age.js'
import { currentTime } from './durations.js'
import { withReleaseLinks } from './release-notes.js'
import { defaultManifestsPath } from './manifests-document.js'
import { publishManifests, type ManifestsOutcome } from './manifest-publishing.js'

export type {
  Deferral,
  ImageFailure,
  Logger,
  StaleTrack,
  WaitingTrack,
  UpdateOptions,
  UpdateResult,
  ManifestsReport
} from './run-types.js'

const silent: Logger = { info: () => undefined, warning: () => undefined }

/**
 * One update: configuration → tags → tracks → per-platform digests → digests.json. Bad input
 * throws before any file is touched; a failing image keeps its previous entries while the
 * others are still written, and is reported in `failures`.
 */
export async function runUpdate(options: UpdateOptions): Promise<UpdateResult> {
  const log = options.log ?? silent
  const now = options.now ?? currentTime()
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath)
  const images = await loadImagesConfig(options.imagesPath)
  const previousText = await readTextIfPresent(options.digestsPath)
  const previous = parseDigests(previousText, options.digestsPath)
  const previousStateText = await readTextIfPresent(statePath)
  const previousState = parseState(previousStateText, statePath)
  const publishing = options.publishManifests !== false
  const manifestsPath = options.manifestsPath ?? defaultManifestsPath(options.digestsPath)
  const previousManifestsText = publishing ? await readTextIfPresent(manifestsPath) : undefined

  // Loaded only when there is an image to resolve: undici is most of the CLI bundle, and a run
  // with nothing to do should cost little more than starting Node.js.
  const client =
    images.length > 0
      ? new (await import('../registry/client.js')).RegistryClient(clientOptions(options, images))
      : undefined
  let settled: Awaited<ReturnType<typeof resolveAll>> = []
  if (client) {
    try {
      const concurrency = options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY
      settled = await resolveAll(client, images, previous, previousState, concurrency)
    } catch (error) {
      await client.close()
      throw error
    }
  }

  const next: Digests = dictionary()
  const nextState: StateDocument = { version: 1, images: dictionary() }
  const releases: NonNullable<StateDocument['releases']> = dictionary()
  const waiting: WaitingTrack[] = []
  const stale: StaleTrack[] = []
  const failures: ImageFailure[] = []
  const warnings: string[] = []
  const deferredImages: DeferredImage[] = []
  images.forEach((image, index) => {
    const name = image.reference.written
    const before = {
      entry: own(previous, name),
      state: own(previousState.images, name),
      releases: own(previousState.releases, name)
    }
    const decision = decideImage(
      image,
      settled[index]!,
      before,
      now,
      options.minimumReleaseAge,
      log
    )
    if (decision.failure) failures.push(decision.failure)
    if (decision.entry) next[name] = decision.entry
    if (decision.state) nextState.images[name] = decision.state
    if (decision.releases) releases[name] = decision.releases
    waiting.push(...decision.waiting)
    stale.push(...decision.stale)
    warnings.push(...decision.warnings)
    if (decision.deferred) deferredImages.push(decision.deferred)
  })
  // The manifests' reads come last, once every digest read is done: they never take a pull a
  // reference needed.
  let manifests: ManifestsOutcome | undefined
  try {
    if (publishing)
      manifests = await publishManifests(
        client,
        images,
        next,
        manifestsPath,
        previousManifestsText,
        new Set(failures.map((failure) => failure.image))
      )
  } finally {
    await client?.close()
  }
  deferredImages.push(...(manifests?.deferred ?? []))
  for (const line of manifests?.warnings ?? []) {
    warnings.push(line)
    log.warning(line)
  }
  const deferred = client ? collectDeferrals(deferredImages, client.budgets()) : []
  for (const deferral of deferred) log.warning(formatDeferral(deferral))
  const content = client?.contentReport()
  for (const line of content?.tampered ?? []) {
    warnings.push(line)
    log.warning(line)
  }
  for (const line of content?.missed ?? []) log.info(line)

  if (Object.keys(releases).length > 0) nextState.releases = releases
  const digestsText = renderDocument(next)
  const stateText = renderDocument(nextState)
  const written: string[] = []
  if (!options.dryRun) {
    // State first: if the run dies between the two writes, the state only knows more.
    if (stateText !== previousStateText) {
      await writeFileAtomic(statePath, stateText)
      written.push(statePath)
    }
    // Before digests.json: a reference whose manifest was read never lacks it on disk.
    if (manifests && manifests.text !== manifests.previousText) {
      await writeFileAtomic(manifests.path, manifests.text)
      written.push(manifests.path)
    }
    if (digestsText !== previousText) {
      await writeFileAtomic(options.digestsPath, digestsText)
      written.push(options.digestsPath)
    }
  }
  return {
    changes: diffDigests(previous, next).map((change) =>
      withReleaseLinks(change, previousState, nextState)
    ),
    stale,
    failures,
    requestCounts: client?.requestCounts() ?? {},
    changed: digestsText !== previousText,
    written,
    digestsPath: options.digestsPath,
    statePath,
    previous,
    digests: next,
    deferred,
    warnings,
    waiting,
    states: { before: previousState, after: nextState },
    pullsSaved: content?.pullsSaved ?? {},
    ...(manifests ? { manifests: manifestsReport(manifests) } : {})
  }
}

function manifestsReport(outcome: ManifestsOutcome): ManifestsReport {
  return {
    path: outcome.path,
    changed: outcome.text !== outcome.previousText,
    added: outcome.added,
    removed: outcome.removed,
    total: Object.keys(outcome.manifests).length
  }
}

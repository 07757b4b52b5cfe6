// Every image in two phases, so a short pull budget is spent where it matters: first what is
// free (tag lists and HEADs) for all images, then the manifest GETs in priority order across
// images: tracks already published first (a moved tag is a fix users are waiting for), then
// new tracks, each image's newest versions first, in images.json order. Only an image whose
// registry announced no pull quota skips the wait: its GETs follow its HEADs straight away and
// its walk starts as soon as its own HEADs are in, since no order decides what fits.
import type { ImageConfig } from './config.js'
import type { Digests, StateDocument } from './digests-document.js'
import { Semaphore } from '../common/concurrency.js'
import { own } from '../common/records.js'
import type { RegistryClient } from '../registry/client.js'
import {
  hasPullQuota,
  prepareImage,
  requestFirstReads,
  resolveImage,
  type ImageState,
  type PreparedImage,
  type PreparedTrack,
  type ResolvedImage
} from './resolve-image.js'

export interface ImageOutcome {
  result: PromiseSettledResult<ResolvedImage>
  /** Every manifest read for the image, even when it did not finish. */
  learned: ImageState
}

export async function resolveAll(
  client: RegistryClient,
  images: readonly ImageConfig[],
  previous: Digests,
  previousState: StateDocument,
  concurrency: number
): Promise<ImageOutcome[]> {
  // One limit for both phases, each holding a slot only while it works: an image waiting for
  // the others' HEADs holds none, so the images still to prepare can always get one.
  const slots = new Semaphore(concurrency)
  const preparing = prepareAll(client, images, previousState, slots, true)
  const prepared = Promise.allSettled(preparing)
  const firstReads = prepared.then((outcomes) => {
    const ready = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : []
    )
    requestFirstReads(client, priorityOrder(ready, previous))
  })
  const resolved = await Promise.allSettled(
    preparing.map(async (preparation, index) => {
      const ready = await preparation
      if (hasPullQuota(client, images[index]!)) await firstReads
      return slots.run(() => resolveImage(client, ready))
    })
  )
  const before = await prepared
  return resolved.map((result, index) => {
    const outcome = before[index]!
    return { result, learned: outcome.status === 'fulfilled' ? outcome.value.learned : {} }
  })
}

/**
 * Every image's free reads, all started at once: a registry that wants a token is asked
 * first by one request only (RegistrySession holds the others for its answer).
 */
export function prepareAll(
  client: RegistryClient,
  images: readonly ImageConfig[],
  previousState: StateDocument,
  slots: Semaphore,
  pipelined: boolean
): Array<Promise<PreparedImage>> {
  return images.map(async (image) => {
    const state = own(previousState.images, image.reference.written) ?? {}
    return slots.run(() => prepareImage(client, image, state, pipelined))
  })
}

function priorityOrder(ready: readonly PreparedImage[], previous: Digests): PreparedTrack[] {
  const all = ready.flatMap((prepared) => prepared.tracks.map((track) => ({ prepared, track })))
  const published = ({ prepared, track }: PreparedTrack): boolean =>
    own(own(previous, prepared.image.reference.written), track.key) !== undefined
  return [...all.filter(published), ...all.filter((entry) => !published(entry))]
}

// Every image in two phases, so a short pull budget is spent where it matters: first what is
// free (tag lists and HEADs) for all images, then the manifest GETs in priority order across
// images: tracks already published first (a moved tag is a fix users are waiting for), then
// new tracks, each image's newest versions first, in images.json order.
import type { ImageConfig } from './config.js'
import type { Digests, StateDocument } from './digests-document.js'
import { settleAll } from '../common/concurrency.js'
import type { RegistryClient } from '../registry/client.js'
import {
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
  const prepared = await settleAll(images, concurrency, (image) =>
    prepareImage(client, image, previousState.images[image.reference.written] ?? {})
  )
  const ready = prepared.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : []
  )
  requestFirstReads(client, priorityOrder(ready, previous))
  const resolved = await settleAll(prepared, concurrency, (outcome) =>
    outcome.status === 'fulfilled'
      ? resolveImage(client, outcome.value)
      : Promise.reject(outcome.reason as Error)
  )
  return resolved.map((result, index) => {
    const before = prepared[index]!
    return { result, learned: before.status === 'fulfilled' ? before.value.learned : {} }
  })
}

function priorityOrder(ready: readonly PreparedImage[], previous: Digests): PreparedTrack[] {
  const all = ready.flatMap((prepared) => prepared.tracks.map((track) => ({ prepared, track })))
  const published = ({ prepared, track }: PreparedTrack): boolean =>
    previous[prepared.image.reference.written]?.[track.key] !== undefined
  return [...all.filter(published), ...all.filter((entry) => !published(entry))]
}

// The registry client an update (or its plan) talks through, from the update's options.
import type { RegistryClientOptions } from '../registry/client.js'
import { loadRegistryCredentials } from '../registry/docker-credentials.js'
import { imageKey } from '../registry/image-reference.js'
import type { ImageConfig } from './config.js'
import type { UpdateOptions } from './run-types.js'

/**
 * Requests in flight per registry. A run is a few hundred small requests, each a round trip
 * of waiting: measured on issue 10's workload (25 ms each way), 8 at once spent most of a cold
 * run queued behind our own limit (2.2 s), 32 took 1.0 s and 64 took hardly more off.
 */
export const DEFAULT_REQUESTS_PER_REGISTRY = 32

/**
 * Images resolved at once: all of them. What keeps a run polite is the per-registry request
 * limit above; a cap on images only left registry slots idle while an image waited on a round
 * trip (4 images at once kept 8 slots half empty).
 */
export const DEFAULT_IMAGE_CONCURRENCY = Number.POSITIVE_INFINITY

export function clientOptions(
  options: UpdateOptions,
  images: readonly ImageConfig[]
): RegistryClientOptions {
  const alternates = Object.fromEntries(
    images.flatMap((image) =>
      image.alternates ? [[imageKey(image.reference), image.alternates]] : []
    )
  )
  return {
    ...(Object.keys(alternates).length > 0 ? { alternates } : {}),
    ...(options.contentMirrors ? { contentMirrors: options.contentMirrors } : {}),
    ...(options.mirrors ? { mirrors: options.mirrors } : {}),
    credentials: options.credentials ?? loadRegistryCredentials(),
    ...(options.http ? { http: options.http } : {}),
    ...(options.network ? { network: options.network } : {}),
    requestsPerRegistry: options.requestsPerRegistry ?? DEFAULT_REQUESTS_PER_REGISTRY,
    ...(options.tagPageSize ? { tagPageSize: options.tagPageSize } : {}),
    ...(options.pullReserve !== undefined ? { pullReserve: options.pullReserve } : {})
  }
}

// The registry client an update (or its plan) talks through, from the update's options.
import type { RegistryClientOptions } from '../registry/client.js'
import { HTTP2_MAX_STREAMS } from '../registry/connection-limits.js'
import { loadRegistryCredentials } from '../registry/docker-credentials.js'
import { imageKey } from '../registry/image-reference.js'
import type { ImageConfig } from './config.js'
import type { UpdateOptions } from './run-types.js'

/**
 * Requests in flight per registry: as many as the one HTTP/2 connection carries at once (the
 * streams we allow on it; distribution allows 250). Over HTTP/1.1 the registry still sees at
 * most HTTP1_CONNECTIONS_PER_ORIGIN at once, the rest wait in our pool. A run is a few hundred
 * small requests, each a round trip of waiting: on the benchmark's workload (20 images, token
 * auth, 50 ms each way) 32 at once left a cold run queued behind our own limit (1.7-1.9 s
 * against 1.4 s with 100, back to back), as 8 did on issue 10's workload before.
 */
export const DEFAULT_REQUESTS_PER_REGISTRY = HTTP2_MAX_STREAMS

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

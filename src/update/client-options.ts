// The registry client an update (or its plan) talks through, from the update's options.
import type { RegistryClientOptions } from '../registry/client.js'
import { commandRegistryOptions } from '../registry/settings.js'
import { imageKey } from '../registry/image-reference.js'
import type { ImageConfig } from './config.js'
import type { UpdateOptions } from './run-types.js'

/**
 * Images resolved at once: all of them. What keeps a run polite is the per-registry request
 * limit (registry/settings.ts); a cap on images only left registry slots idle while an image
 * waited on a round trip.
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
    ...commandRegistryOptions(options),
    ...(Object.keys(alternates).length > 0 ? { alternates } : {})
  }
}

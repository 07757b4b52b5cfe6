// Filling manifests.json once digests.json is decided. A platform manifest is immutable, so it
// is read once ever: what the previous file holds (re-verified) or what this run already read
// costs nothing. The reads come after every digest read, so a short pull budget goes to the
// references first; what it leaves unread is deferred, and the references stay published.
import { plural } from '../common/plural.js'
import type { RegistryClient } from '../registry/client.js'
import { PullQuotaDeferral } from '../registry/errors.js'
import type { ImageConfig } from './config.js'
import type { Digests } from './digests-document.js'
import type { DeferredImage } from './deferrals.js'
import type { ManifestsReport } from './run-types.js'
import {
  isPublishableDigest,
  parseManifests,
  publishedManifest,
  renderManifests,
  type Manifests
} from './manifests-document.js'

export interface ManifestsOutcome {
  path: string
  manifests: Manifests
  previousText: string | undefined
  text: string
  /** Keys this run added to, and dropped from, the previous file (as verified). */
  added: number
  removed: number
  /** Per image, the platform manifests its registry's pull quota left unread. */
  deferred: DeferredImage[]
  /** Tampered entries dropped, manifests that could not be read or published. */
  warnings: string[]
}

/**
 * Each platform-manifest digest digests.json references, with the first image (in images.json
 * order, one that did not fail this run if any) that references it and publishes manifests:
 * that image's registry, alternates and content mirrors are where it is read.
 */
export function wantedManifests(
  images: readonly ImageConfig[],
  digests: Digests,
  failed: ReadonlySet<string> = new Set()
): Map<string, ImageConfig> {
  const wanted = new Map<string, ImageConfig>()
  for (const image of images) {
    if (image.manifests === false) continue
    const healthy = !failed.has(image.reference.written)
    for (const platforms of Object.values(digests[image.reference.written] ?? {}))
      for (const reference of Object.values(platforms)) {
        const digest = reference.slice(reference.lastIndexOf('@') + 1)
        if (!isPublishableDigest(digest)) continue
        const first = wanted.get(digest)
        if (!first || (healthy && failed.has(first.reference.written))) wanted.set(digest, image)
      }
  }
  return wanted
}

export async function publishManifests(
  client: RegistryClient | undefined,
  images: readonly ImageConfig[],
  digests: Digests,
  path: string,
  previousText: string | undefined,
  /** Images that failed this run: their registry is not asked again; what was kept stays. */
  failed: ReadonlySet<string> = new Set()
): Promise<ManifestsOutcome> {
  const { manifests: previous, warnings } = parseManifests(previousText, path)
  const wanted = wantedManifests(images, digests, failed)
  const manifests: Manifests = {}
  const deferredByImage = new Map<ImageConfig, Set<string>>()
  await Promise.all(
    [...wanted].map(async ([digest, image]) => {
      const known = previous[digest]
      if (known) {
        manifests[digest] = known
        return
      }
      if (!client || failed.has(image.reference.written)) return
      try {
        const document = await client.manifestDocument(image.reference, digest)
        manifests[digest] = publishedManifest(digest, document)
      } catch (error) {
        if (error instanceof PullQuotaDeferral) {
          const reads = deferredByImage.get(image) ?? new Set<string>()
          reads.add(digest)
          deferredByImage.set(image, reads)
          return
        }
        warnings.push(
          `${image.reference.written}: platform manifest ${digest} not published: ` +
            `${(error as Error).message}; its references stay published and the next run ` +
            'tries again'
        )
      }
    })
  )
  const text = renderManifests(manifests)
  const kept = Object.keys(previous).filter((digest) => manifests[digest] !== undefined).length
  return {
    path,
    manifests,
    previousText,
    text,
    added: Object.keys(manifests).length - kept,
    removed: Object.keys(previous).length - kept,
    deferred: [...deferredByImage].map(([image, reads]) => ({
      image: image.reference.written,
      registry: image.reference.registry,
      tracks: [],
      reads,
      manifestsFile: reads.size
    })),
    warnings
  }
}

/** `manifests.json: 12 image manifests added, 3 removed (40 in all)`. */
export function formatManifestsReport(report: ManifestsReport, dryRun = false): string {
  const verb = dryRun ? 'would be ' : ''
  const removed = report.removed > 0 ? `, ${report.removed} ${verb}removed` : ''
  return (
    `${report.path}: ${plural(report.added, 'image manifest')} ${verb}added${removed} ` +
    `(${report.total} in all)`
  )
}

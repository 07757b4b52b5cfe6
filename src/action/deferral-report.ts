// How a run that a registry's pull quota cut short says so: one annotation per registry, and a
// note at the top of the pull request body and job summary. Deferral is not failure: the next
// scheduled run continues where this one stopped.
import { plural } from '../common/plural.js'
import type { Deferral } from '../update/run-update.js'

/** The manifests deferred across every registry: the `deferred` output. */
export function deferredManifests(deferred: readonly Deferral[]): number {
  return deferred.reduce((sum, deferral) => sum + deferral.manifests, 0)
}

/** `docker.io: 22 manifests deferred: 0 of 100 per 21600 s left; the next run continues` */
export function deferralAnnotation(deferral: Deferral): string {
  return (
    `${deferral.registry}: ${plural(deferral.manifests, 'manifest')} deferred: ` +
    `${deferral.reason}; the next run continues`
  )
}

/**
 * Markdown for the pull request body and the job summary: that the update is partial, how much
 * remains, and per registry why. Empty when nothing was deferred. `code` is the body's own
 * code-span helper, so registry names and reasons render the same way as the table's cells.
 */
export function renderDeferralNote(
  deferred: readonly Deferral[],
  code: (text: string) => string
): string[] {
  if (deferred.length === 0) return []
  const tracks = deferred.reduce((sum, deferral) => sum + deferral.tracks.length, 0)
  return [
    `**Partial update:** registry pull quotas deferred ` +
      `${plural(deferredManifests(deferred), 'manifest')} ` +
      `(${plural(tracks, 'track')} not yet resolved); the next scheduled run continues ` +
      'and adds them to this branch.',
    '',
    ...deferred.map(
      (deferral) =>
        `- ${code(deferral.registry)}: ${plural(deferral.manifests, 'manifest')}` +
        (deferral.manifestsFile
          ? ` (${deferral.manifestsFile} of them image manifests for manifests.json)`
          : '') +
        `, ${plural(deferral.tracks.length, 'track')}: ${code(deferral.reason)}`
    ),
    ''
  ]
}

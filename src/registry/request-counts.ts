// What the registry was asked in one run, by kind: the numbers the tests assert from the
// registry's access log and the CLI and action print, so a regression in request economy shows.
import { plural } from '../common/plural.js'

export interface RequestCounts {
  tagListPages: number
  headManifests: number
  getManifests: number
  getBlobs: number
  tokens: number
}

export function formatRequestCounts(host: string, counts: RequestCounts): string {
  return (
    `requests to ${host}: ${counts.tagListPages} tag-list pages, ${counts.headManifests} manifest HEADs, ` +
    `${counts.getManifests} manifest GETs, ${counts.getBlobs} blob GETs, ${counts.tokens} token requests`
  )
}

/** `pulls saved at docker.io: 30 manifest GETs answered by alternates or content mirrors`. */
export function formatPullsSaved(saved: Record<string, number>): string[] {
  return Object.entries(saved).map(
    ([registry, count]) =>
      `pulls saved at ${registry}: ${plural(count, 'manifest GET')} answered by alternates or content mirrors`
  )
}

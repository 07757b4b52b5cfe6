// What the registry was asked in one run, by kind: the numbers the tests assert from the
// registry's access log and the CLI and action print, so a regression in request economy shows.

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

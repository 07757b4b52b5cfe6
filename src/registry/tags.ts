// tags/list, page by page: the one request whose count grows with the repository, so the
// paging guards (a page limit, a Link loop) live here.
import { TAG_PATTERN } from './image-reference.js'
import { RegistryError, describeRequest } from './errors.js'
import { expectOk, type RegistrySession } from './session.js'

const MAX_TAG_PAGE_BYTES = 16 * 1024 * 1024
export const DEFAULT_MAX_TAG_PAGES = 1000

export interface TagPaging {
  /** `n` for tags/list; unset lets the registry choose its page size. */
  pageSize?: number
  maxPages: number
}

/** Every tag of a repository, following `Link: rel="next"` pages. */
export async function listTags(
  session: RegistrySession,
  repository: string,
  { pageSize, maxPages }: TagPaging
): Promise<string[]> {
  const first = new URL(`${session.endpoint}/v2/${repository}/tags/list`)
  if (pageSize) first.searchParams.set('n', String(pageSize))
  const tags: string[] = []
  const seenPages = new Set<string>()
  let next: string | undefined = first.toString()
  while (next) {
    if (seenPages.has(next)) {
      throw new RegistryError(
        describeRequest('GET', next),
        'Link header points back to a page already read'
      )
    }
    if (seenPages.size >= maxPages) {
      throw new RegistryError(
        describeRequest('GET', next),
        `tag list did not end within ${maxPages} pages`
      )
    }
    seenPages.add(next)
    const response = await session.send(
      repository,
      'GET',
      next,
      'tagListPages',
      MAX_TAG_PAGE_BYTES,
      {
        Accept: 'application/json'
      }
    )
    expectOk(response, 'GET', next)
    tags.push(...readTagPage(response.body, next))
    next = nextPage(response.headers.link, next)
  }
  return [...new Set(tags)]
}

function readTagPage(body: Buffer, url: string): string[] {
  let document: { tags?: unknown }
  try {
    document = JSON.parse(body.toString('utf8')) as { tags?: unknown }
  } catch {
    throw new RegistryError(describeRequest('GET', url), 'tag list is not JSON')
  }
  // Distribution answers `"tags": null` for a repository whose tags were all deleted.
  if (document.tags === null || document.tags === undefined) return []
  if (!Array.isArray(document.tags) || !document.tags.every((tag) => typeof tag === 'string')) {
    throw new RegistryError(describeRequest('GET', url), 'tag list has no "tags" array of strings')
  }
  // Only names the distribution spec allows as tags, so a tag can never reshape a URL.
  return (document.tags as string[]).filter((tag) => TAG_PATTERN.test(tag))
}

/** The `rel="next"` target of a Link header, resolved against the page it came with. */
export function nextPage(link: string | undefined, current: string): string | undefined {
  if (!link) return undefined
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)/.exec(part.trim())
    if (match && /;\s*rel="?next"?/i.test(match[2]!)) return new URL(match[1]!, current).toString()
  }
  return undefined
}

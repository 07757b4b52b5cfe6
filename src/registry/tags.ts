// tags/list, page by page: the one request whose count grows with the repository, so the
// paging guards (a page limit, a Link loop) live here.
import { TAG_PATTERN } from './image-reference.js'
import { RegistryError, describeRequest } from './errors.js'
import { resolveHttpUrl } from './http-urls.js'
import type { ImageDeadline } from './image-deadline.js'
import { expectOk, type RegistrySession } from './session.js'

const MAX_TAG_PAGE_BYTES = 16 * 1024 * 1024
/**
 * A whole tag list, every page together: pages alone bound nothing when each is full. The
 * largest public repositories hold tens of thousands of tags; these are far above that and
 * far below what would take the process past a few hundred MB.
 */
export const MAX_TAG_LIST_BYTES = 64 * 1024 * 1024
export const MAX_TAGS = 1_000_000

export interface TagPaging {
  /** `n` for tags/list; unset lets the registry choose its page size. */
  pageSize?: number
  maxPages: number
  imageDeadline?: ImageDeadline
}

/** Every tag of a repository, following `Link: rel="next"` pages. */
export async function listTags(
  session: RegistrySession,
  repository: string,
  { pageSize, maxPages, imageDeadline }: TagPaging
): Promise<string[]> {
  const first = new URL(`${session.endpoint}/v2/${repository}/tags/list`)
  if (pageSize) first.searchParams.set('n', String(pageSize))
  const tags: string[] = []
  const seenPages = new Set<string>()
  let bytes = 0
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
    const left = MAX_TAG_LIST_BYTES - bytes
    const response = await session
      .send(
        repository,
        'GET',
        next,
        'tagListPages',
        Math.min(MAX_TAG_PAGE_BYTES, left),
        { Accept: 'application/json' },
        imageDeadline
      )
      .catch((error: unknown) => {
        if (left >= MAX_TAG_PAGE_BYTES || !(error instanceof RegistryError)) throw error
        if (!/byte limit$/.test(error.reason)) throw error
        throw new RegistryError(
          error.request,
          `tag list exceeds ${MAX_TAG_LIST_BYTES} bytes over its ${seenPages.size} pages`
        )
      })
    expectOk(response, 'GET', next)
    bytes += response.body.length
    // One by one: a page is the registry's to size, and spreading it into a call's arguments
    // overflows the stack past about 120,000 tags.
    for (const tag of readTagPage(response.body, next)) tags.push(tag)
    if (tags.length > MAX_TAGS) {
      throw new RegistryError(
        describeRequest('GET', next),
        `tag list holds more than ${MAX_TAGS} tags after ${seenPages.size} pages`
      )
    }
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
    if (match && /;\s*rel="?next"?/i.test(match[2]!)) {
      const label = describeRequest('GET', current)
      return resolveHttpUrl(match[1]!, current, label, 'the Link header').toString()
    }
  }
  return undefined
}

import { isDigest } from '../common/digest.js'
import {
  ImageReferenceError,
  TAG_PATTERN,
  parseImageReference,
  type ImageReference
} from '../registry/image-reference.js'

/**
 * A full reference as people write it in configuration: `name[:tag][@digest]`, e.g.
 * `ghcr.io/org/app:1.2.3@sha256:…`. images.json names have neither tag nor digest; this is the
 * other half, for references found in users' own files.
 */
export interface ReferenceText {
  /** Exactly as written. */
  written: string
  /** The name part as written, without tag and digest. */
  name: string
  tag?: string
  digest?: string
  /** Registry and repository with Docker Hub's rules applied. */
  image: ImageReference
}

export function parseReferenceText(written: string): ReferenceText {
  const fail = (why: string): never => {
    throw new ImageReferenceError(`"${written}" is not a valid image reference: ${why}`)
  }
  if (written === '') fail('it is empty')
  let rest = written
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at !== -1) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!isDigest(digest)) fail(`"${digest}" is not a sha256 or sha512 digest`)
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG_PATTERN.test(tag)) fail(`"${tag}" is not a valid tag`)
  }
  let image: ImageReference
  try {
    image = parseImageReference(rest)
  } catch (error) {
    const why = (error as Error).message.replace(/^.*?: /, '')
    return fail(why)
  }
  return {
    written,
    name: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    image
  }
}

/** `name:tag@digest`, leaving out the parts that are absent. */
export function formatReferenceText(name: string, tag?: string, digest?: string): string {
  return `${name}${tag !== undefined ? `:${tag}` : ''}${digest !== undefined ? `@${digest}` : ''}`
}

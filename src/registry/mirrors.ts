import { canonicalRegistryName } from './image-reference.js'

export class MirrorError extends Error {
  override name = 'MirrorError'
}

/**
 * `docker.io=http://host:5000` lines → registry name → mirror URL. Shared by the CLI's
 * repeatable `--mirror` and the action's multi-line `registry-mirrors` input.
 */
export function parseMirrors(lines: readonly string[]): Record<string, string> {
  const mirrors: Record<string, string> = {}
  for (const [registry, url] of parseLines(lines, 'mirror')) mirrors[registry] = url
  return mirrors
}

/**
 * The same lines for `--content-mirror` and `content-mirrors`, where a registry may have
 * several, asked in the order written.
 */
export function parseContentMirrors(lines: readonly string[]): Record<string, string[]> {
  const mirrors: Record<string, string[]> = {}
  for (const [registry, url] of parseLines(lines, 'content mirror')) {
    const list = (mirrors[registry] ??= [])
    if (!list.includes(url)) list.push(url)
  }
  return mirrors
}

function parseLines(lines: readonly string[], what: string): Array<[string, string]> {
  return lines
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((line) => {
      const equals = line.indexOf('=')
      if (equals <= 0) throw new MirrorError(`${what} "${line}" must be REGISTRY=URL`)
      const url = line.slice(equals + 1).trim()
      let parsed: URL
      try {
        parsed = new URL(url)
      } catch {
        throw new MirrorError(`${what} "${line}": "${url}" is not a URL`)
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new MirrorError(`${what} "${line}": the URL must be http or https`)
      }
      return [canonicalRegistryName(line.slice(0, equals).trim()), url]
    })
}

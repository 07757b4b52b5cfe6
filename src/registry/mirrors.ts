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
  for (const line of lines.map((text) => text.trim()).filter((text) => text !== '')) {
    const equals = line.indexOf('=')
    if (equals <= 0) throw new MirrorError(`mirror "${line}" must be REGISTRY=URL`)
    const url = line.slice(equals + 1).trim()
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new MirrorError(`mirror "${line}": "${url}" is not a URL`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new MirrorError(`mirror "${line}": the URL must be http or https`)
    }
    mirrors[canonicalRegistryName(line.slice(0, equals).trim())] = url
  }
  return mirrors
}

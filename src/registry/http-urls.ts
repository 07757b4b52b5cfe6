// The URLs a registry names for us to follow (a redirect's Location, a token realm, a Link):
// only http and https, whatever it names.
import { RegistryError } from './errors.js'

/**
 * Only http and https: a realm, Location or Link naming `file:` or `data:` is the registry's
 * mistake or its attack, and asking again cannot change the scheme.
 */
export function requireHttpUrl(url: string, label: string): void {
  const { protocol } = new URL(url)
  if (protocol !== 'http:' && protocol !== 'https:')
    throw new RegistryError(label, `only http and https URLs are requested, not ${protocol}`)
}

/**
 * A URL a registry named (`source`: a redirect's Location, a token realm, a Link), resolved
 * against the request it came with; refused unless it is http or https.
 */
export function resolveHttpUrl(raw: string, base: string, label: string, source: string): URL {
  let url: URL
  try {
    url = new URL(raw, base)
  } catch {
    throw new RegistryError(label, `${source} is not a URL: ${JSON.stringify(raw.slice(0, 200))}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RegistryError(
      label,
      `${source} names a ${url.protocol} URL; only http and https URLs are followed`
    )
  }
  return url
}

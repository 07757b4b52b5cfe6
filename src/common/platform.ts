/** An OCI platform as the image index and the image config describe it. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
}

const PLATFORM_PATTERN = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/

// Names Go's runtime and Docker's CLI accept for the same architecture.
const ARCHITECTURE_ALIASES = new Map([
  ['x86_64', 'amd64'],
  ['x86-64', 'amd64'],
  ['aarch64', 'arm64'],
  ['armhf', 'arm'],
  ['armel', 'arm']
])

/**
 * The one spelling used for keys and comparisons. Registries publish `arm64` with and without
 * `v8` and `arm` with and without `v7` for the same thing; Docker treats them as equal, so do we.
 */
export function canonicalPlatform(platform: Platform): string {
  const os = platform.os.toLowerCase()
  const rawArchitecture = platform.architecture.toLowerCase()
  const architecture = ARCHITECTURE_ALIASES.get(rawArchitecture) ?? rawArchitecture
  let variant = platform.variant?.toLowerCase() || undefined
  if (architecture === 'arm64' && variant === 'v8') variant = undefined
  if (architecture === 'amd64' && variant === 'v1') variant = undefined
  if (architecture === 'arm' && variant === undefined)
    variant = rawArchitecture === 'armel' ? 'v6' : 'v7'
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`
}

/** Parses `os/arch[/variant]` as written in images.json; null when malformed. */
export function parsePlatform(text: string): Platform | null {
  const match = PLATFORM_PATTERN.exec(text)
  if (!match) return null
  const [, os, architecture, variant] = match
  return variant
    ? { os: os!, architecture: architecture!, variant }
    : { os: os!, architecture: architecture! }
}

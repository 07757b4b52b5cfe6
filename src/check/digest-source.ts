// Where pin (and check's suggestions) get the digest a `name:tag` reference should carry: the
// registry, or published data at hand (digests.json, the flake's ociHashes), which needs no network.
import type { RegistryClient } from '../registry/client.js'
import { parseReferenceText, type ReferenceText } from './image-reference-text.js'
import { findImage, type PublishedDigests } from './published-digests.js'
import { pinTarget } from './reference-lookup.js'

export type SourceTarget = { ok: true; digest: string } | { ok: false; message: string }

export interface DigestSource {
  /** The digest for `reference` (which has a tag), for `platform` when the file names one. */
  target(reference: ReferenceText, platform: string | undefined): Promise<SourceTarget>
}

export function registrySource(client: RegistryClient): DigestSource {
  return {
    async target({ image, name, tag }, platform) {
      const target = await pinTarget(client, image, tag!, platform)
      if (target.ok) return target
      return {
        ok: false,
        message:
          target.reason === 'tag-not-found'
            ? `${name}:${tag} does not exist in the registry`
            : `${name}:${tag} has no ${platform} image`
      }
    }
  }
}

/** The platform → reference map of the track whose references carry `tag` (else the track named `tag`). */
function platformsOf(tracks: Map<string, Map<string, string>>, tag: string): Map<string, string> {
  const tagOf = (reference: string): string | undefined => {
    try {
      return parseReferenceText(reference).tag
    } catch {
      return undefined
    }
  }
  for (const references of tracks.values()) {
    const first = references.values().next().value
    if (first !== undefined && tagOf(first) === tag) return references
  }
  return tracks.get(tag) ?? new Map()
}

export function publishedSource(published: PublishedDigests): DigestSource {
  return {
    async target({ name, tag }, platform) {
      const found = findImage(published, name)
      if (!found.ok) return found
      const platforms = platformsOf(found.tracks, tag!)
      const digestOf = (reference: string): string => reference.slice(reference.indexOf('@') + 1)
      if (platforms.size === 0)
        return {
          ok: false,
          message: `${name}:${tag} is not in ${published.source} (tracks of ${found.key}: ${[...found.tracks.keys()].sort().join(', ') || '(none)'})`
        }
      if (platform) {
        const reference = platforms.get(platform)
        if (reference) return { ok: true, digest: digestOf(reference) }
        return {
          ok: false,
          message: `${name}:${tag} has no ${platform} image in ${published.source} (it has ${[...platforms.keys()].sort().join(', ')})`
        }
      }
      // No platform named: the tag's index, which only the state file beside digests.json records.
      const wanted = [...platforms].map(([p, reference]) => [p, digestOf(reference)] as const)
      for (const [index, members] of published.indexes) {
        if (wanted.every(([p, digest]) => members.get(p) === digest))
          return { ok: true, digest: index }
      }
      const each = wanted.map(([p, digest]) => `${p} ${digest}`).join(', ')
      return {
        ok: false,
        message: `${name}:${tag}: no platform is named here and ${published.source} records only per-platform digests (${each}); name the platform (in the file, or with --platform where every host runs one), or pin against the registry`
      }
    }
  }
}

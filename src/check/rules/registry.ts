import { shortDigest } from '../../common/digest.js'
import type { RegistryClient } from '../../registry/client.js'
import { finding, type CheckedReference, type Finding } from '../findings.js'
import { formatReferenceText } from '../image-reference-text.js'
import {
  digestInfo,
  indexPlatforms,
  pinTarget,
  platformOfImage,
  tagTarget
} from '../reference-lookup.js'

/** Rules that ask the registry. Failures become a registry-error finding for the reference. */
export async function registryFindings(
  client: RegistryClient,
  reference: CheckedReference
): Promise<Finding[]> {
  if (reference.track) return []
  const { image, name, tag, digest } = reference.parsed
  const platform = reference.platform
  try {
    if (!digest) {
      if (tag === undefined || tag === 'latest') return []
      const target = await pinTarget(client, image, tag, platform)
      if (target.ok) return []
      return [
        target.reason === 'tag-not-found'
          ? finding(
              reference,
              'tag-not-found',
              'error',
              `${name}:${tag} does not exist in the registry`
            )
          : finding(
              reference,
              'tag-not-found',
              'error',
              `${name}:${tag} has no ${platform} image (it has ${target.platforms?.join(', ') || 'none'})`
            )
      ]
    }

    const pinned = await digestInfo(client, image, digest)
    if (!pinned.exists) {
      const target = tag ? await pinTarget(client, image, tag, platform) : null
      const now = target?.ok ? `; ${name}:${tag} is now ${target.digest}` : ''
      return [
        finding(
          reference,
          'digest-not-found',
          'error',
          `${shortDigest(digest)} does not exist in ${name}: a broken pin${now}`,
          { digest: true, ...(target?.ok ? { suggestion: target.digest } : {}) }
        )
      ]
    }

    const findings: Finding[] = []
    if (platform && pinned.isIndex) {
      const platforms = await indexPlatforms(client, image, digest)
      const own = platforms[platform]
      findings.push(
        finding(
          reference,
          'index-digest-for-platform',
          'warning',
          own
            ? `${shortDigest(digest)} is a multi-platform index but this file runs ${platform}; pin that platform's image ${own}`
            : `${shortDigest(digest)} is a multi-platform index with no ${platform} image, but this file runs ${platform}`,
          { digest: true, ...(own ? { suggestion: own } : {}) }
        )
      )
    }
    if (tag === undefined) return findings

    const current = await tagTarget(client, image, tag)
    if (!current) {
      findings.push(
        finding(
          reference,
          'tag-not-found',
          'warning',
          `${name}:${tag} no longer exists in the registry (the pinned digest still does)`
        )
      )
      return findings
    }
    if (current.digest === digest) return findings
    const platforms = current.isIndex ? await indexPlatforms(client, image, current.digest) : {}
    const pinnedPlatform = Object.entries(platforms).find(([, value]) => value === digest)?.[0]
    if (pinnedPlatform) {
      if (platform && pinnedPlatform !== platform) {
        const own = platforms[platform]
        findings.push(
          finding(
            reference,
            'platform-mismatch',
            'error',
            `${shortDigest(digest)} is the ${pinnedPlatform} image of ${name}:${tag}, but this file runs ${platform}${own ? `; its image is ${own}` : ''}`,
            { digest: true, ...(own ? { suggestion: own } : {}) }
          )
        )
      }
      return findings
    }
    // The tag moved: suggest the new digest for what the old pin stood for.
    let suggestion = current.digest
    if (current.isIndex) {
      const wanted =
        platform ?? (pinned.isIndex ? null : await platformOfImage(client, image, digest))
      if (wanted && platforms[wanted]) suggestion = platforms[wanted]
    }
    findings.push(
      finding(
        reference,
        'tag-moved',
        'info',
        `${name}:${tag} has moved upstream: pinned ${shortDigest(digest)}, the tag now points to ${suggestion}`,
        { digest: true, suggestion }
      )
    )
    return findings
  } catch (error) {
    return [
      finding(
        reference,
        'registry-error',
        'error',
        `could not check ${formatReferenceText(name, tag, digest)}: ${(error as Error).message}`
      )
    ]
  }
}

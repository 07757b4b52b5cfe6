// Each rule's friendly name and, in one line, what it finds and what to do about it: SARIF's rule
// descriptors (GitHub code scanning shows them beside every alert). Keyed by RuleId, so a new
// rule does not compile until it is described here.
import type { RuleId } from '../findings.js'

export interface RuleDescription {
  /** PascalCase, and never the id in other case: SARIF requires the two to differ. */
  name: string
  help: string
}

const rule = (name: string, help: string): RuleDescription => ({ name, help })

export const RULES: Readonly<Record<RuleId, RuleDescription>> = {
  'unreadable-file': rule('UnreadableFile', 'The file cannot be read; it was not checked.'),
  'binary-file': rule('BinaryFile', 'A file named like a configuration file holds binary data.'),
  'malformed-file': rule('MalformedFile', 'The file does not parse; it was not checked.'),
  'invalid-reference': rule('InvalidReference', 'The text is not a valid image reference.'),
  'no-tag': rule(
    'NoTag',
    'A reference without a tag means :latest; name a version tag and pin its digest.'
  ),
  'latest-tag': rule(
    'LatestTag',
    'The latest tag says nothing about the version; use a version tag.'
  ),
  'floating-tag': rule(
    'FloatingTag',
    'A tag such as alpine, stable or main names no version; follow a version track instead.'
  ),
  unpinned: rule(
    'TagWithoutDigest',
    'A tag without a digest can change under you; `nix-oci-hashes pin` adds it.'
  ),
  'digest-without-tag': rule(
    'DigestWithoutTag',
    'A digest without a tag is pinned, but nobody can read its version.'
  ),
  'inconsistent-references': rule(
    'InconsistentReferences',
    'One image is used at different versions or digests in one project.'
  ),
  'tag-not-found': rule(
    'TagNotFound',
    'The tag does not exist in the registry (or no longer does).'
  ),
  'digest-not-found': rule(
    'DigestNotFound',
    'The pinned digest does not exist in the registry: a broken pin.'
  ),
  'tag-moved': rule(
    'TagMoved',
    'The tag now points to another image; the message gives the new digest.'
  ),
  'index-digest-for-platform': rule(
    'IndexDigestForPlatform',
    'A multi-platform index is pinned where one platform runs.'
  ),
  'platform-mismatch': rule('PlatformMismatch', "The pinned digest is another platform's image."),
  'registry-error': rule(
    'RegistryError',
    'The registry could not be asked; the reference was not checked.'
  ),
  'unknown-image': rule(
    'UnknownImage',
    'imageTrack / lib.image names an image the published digests do not have.'
  ),
  'unknown-track': rule(
    'UnknownTrack',
    'imageTrack / lib.image names a track the published digests do not have.'
  ),
  'refused-entry': rule(
    'RefusedEntry',
    'The published entry it looks up is outside the grammar the flake accepts.'
  ),
  'version-mismatch': rule(
    'VersionMismatch',
    "The places that declare one application's version disagree."
  ),
  'version-missing': rule(
    'VersionMissing',
    "A place configured to declare an application's version does not."
  ),
  'no-build-file': rule(
    'NoBuildFile',
    'A folder the version sync covers has none of the build files it expects.'
  )
}

export const RULE_IDS = Object.keys(RULES) as RuleId[]

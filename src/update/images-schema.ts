import { TAG_PATTERN } from '../registry/image-reference.js'

/**
 * The JSON Schema for images.json. This object is the source; the bundle step writes it to
 * images.schema.json for editors, and the dist check keeps the two equal.
 */
const versionList = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note.'
}

const imageEntry = {
  type: 'object',
  additionalProperties: false,
  required: ['image'],
  properties: {
    image: {
      type: 'string',
      minLength: 1,
      description:
        'Image name as you write it (docker.io/nextcloud, ghcr.io/org/app, nginx, host:5000/team/app). Key in digests.json.'
    },
    platforms: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$' },
      description: 'os/arch[/variant]; default ["linux/amd64", "linux/arm64"].'
    },
    tracks: {
      type: 'array',
      uniqueItems: true,
      items: { enum: ['major', 'major-minor', 'major-minor-patch'] },
      description: 'Which version tracks to publish; default all three.'
    },
    tagPattern: {
      type: 'string',
      minLength: 1,
      description:
        'Regular expression in RE2 syntax (no lookarounds or backreferences) with named groups major (required), minor, patch and further numeric groups that order tags.'
    },
    minVersion: {
      type: 'string',
      pattern: '^v?[0-9]+(\\.[0-9]+)*$',
      description: 'Versions below this are ignored entirely, e.g. "2024.12".'
    },
    allowedVersions: {
      type: 'string',
      minLength: 1,
      description:
        'A range in the semver package\'s syntax ("16.x", ">=30 <33", "^1.2") matched against major.minor.patch; versions outside it are not published.'
    },
    minimumReleaseAge: {
      type: 'string',
      description:
        'A new value for a track is taken only once its digest has been seen upstream this long: "3d", "12h", "30m", "1d12h".'
    },
    tags: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: TAG_PATTERN.source },
      description: 'Literal tags pinned as they are (latest, stable); the key is the tag.'
    },
    alternates: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', minLength: 1 },
      description:
        'Other repositories that publish the same images (ghcr.io/org/app for docker.io/org/app). Manifests and configs are read there by digest first and verified; tags and their digests always come from "image".'
    },
    manifests: {
      type: 'boolean',
      description:
        "Publish this image's platform manifests in manifests.json (default true), which lib.fetchImage builds the image from. false: none are read or kept; each costs one manifest GET, once ever."
    },
    initialMajor: versionList,
    initialMajorMinor: versionList,
    initialMajorMinorPatch: versionList
  }
}

export const imagesSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://raw.githubusercontent.com/nix-oci-hashes/nix-oci-hashes/main/images.schema.json',
  title: 'nix-oci-hashes images.json',
  description: 'The images whose per-platform digests nix-oci-hashes keeps in digests.json.',
  definitions: { image: imageEntry },
  if: { type: 'array' },
  then: { type: 'array', items: { $ref: '#/definitions/image' } },
  else: {
    type: 'object',
    additionalProperties: false,
    required: ['images'],
    properties: {
      $schema: { type: 'string' },
      images: { type: 'array', items: { $ref: '#/definitions/image' } }
    }
  }
} as const

// The option tables of every command, apart from the commands themselves: the entry point finds
// the command word with them before it loads that command's code (and its dependencies).
import type { ParseArgsOptionsConfig } from 'node:util'

export class UsageError extends Error {}

export const REGISTRY_OPTIONS = {
  mirror: { type: 'string', multiple: true, default: [] },
  'content-mirror': { type: 'string', multiple: true, default: [] },
  'ca-file': { type: 'string', multiple: true, default: [] },
  'insecure-registry': { type: 'string', multiple: true, default: [] },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  deadline: { type: 'string' },
  'image-deadline': { type: 'string' },
  'requests-per-registry': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} satisfies ParseArgsOptionsConfig

export const UPDATE_OPTIONS = {
  images: { type: 'string', default: 'images.json' },
  digests: { type: 'string', default: 'digests.json' },
  state: { type: 'string' },
  manifests: { type: 'string' },
  'no-manifests': { type: 'boolean', default: false },
  mirror: { type: 'string', multiple: true, default: [] },
  'ca-file': { type: 'string', multiple: true, default: [] },
  'insecure-registry': { type: 'string', multiple: true, default: [] },
  'content-mirror': { type: 'string', multiple: true, default: [] },
  'dry-run': { type: 'boolean', default: false },
  plan: { type: 'boolean', default: false },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  deadline: { type: 'string' },
  'image-deadline': { type: 'string' },
  concurrency: { type: 'string' },
  'requests-per-registry': { type: 'string' },
  'page-size': { type: 'string' },
  'pull-reserve': { type: 'string' },
  'minimum-release-age': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} satisfies ParseArgsOptionsConfig

export const CHECK_OPTIONS = {
  ...REGISTRY_OPTIONS,
  format: { type: 'string', default: 'text' },
  offline: { type: 'boolean', default: false },
  digests: { type: 'string' },
  flake: { type: 'string' },
  'changed-since': { type: 'string' },
  exclude: { type: 'string', multiple: true, default: [] },
  verbose: { type: 'boolean', default: false }
} satisfies ParseArgsOptionsConfig

export const PIN_OPTIONS = {
  ...REGISTRY_OPTIONS,
  'dry-run': { type: 'boolean', default: false },
  exclude: { type: 'string', multiple: true, default: [] },
  digests: { type: 'string' },
  flake: { type: 'string' },
  platform: { type: 'string' }
} satisfies ParseArgsOptionsConfig

// What a run takes and gives back, apart from the engine, so the modules the engine uses can
// name these types without importing the engine.
import type { RequestCounts } from '../registry/request-counts.js'
import type { RegistryOptions } from '../registry/settings.js'
import type { Change, Digests, StateDocument } from './digests-document.js'
import type { WaitingTrack } from './tracks/release-age.js'

export type { WaitingTrack } from './tracks/release-age.js'

export interface Logger {
  info(message: string): void
  warning(message: string): void
}

/**
 * What an update reads and writes, and how; the registry settings (mirrors, content mirrors,
 * CAs, credentials, which default to the user's logins, limits) are registry/settings.ts's.
 */
export interface UpdateOptions extends RegistryOptions {
  imagesPath: string
  digestsPath: string
  /** Default: digests.state.json beside digestsPath. */
  statePath?: string
  /** Default: manifests.json in digestsPath's folder. */
  manifestsPath?: string
  /** False: manifests.json is neither read nor written (default true). */
  publishManifests?: boolean
  dryRun?: boolean
  /** Images resolved at once. */
  concurrency?: number
  /** Milliseconds a new digest must have been seen upstream before a track takes it; per image in images.json. */
  minimumReleaseAge?: number
  /** Default: NIX_OCI_HASHES_NOW, else the clock. */
  now?: Date
  log?: Logger
}

/** Work a registry's pull quota did not allow this run; the next run continues it. */
export interface Deferral {
  /** Registry as named in images.json (`docker.io`). */
  registry: string
  /** Manifests (and config blobs) this run would have read there and did not. */
  manifests: number
  /** In the registry's own words and figures, e.g. `0 of 100 per 21600 s left`. */
  reason: string
  /** Tracks left at their published value (or absent, when new) because of it. */
  tracks: StaleTrack[]
  /** How many of `manifests` are platform manifests manifests.json still lacks. */
  manifestsFile?: number
}

export interface StaleTrack {
  image: string
  track: string
}

export interface ImageFailure {
  image: string
  message: string
}

export interface UpdateResult {
  changes: Change[]
  stale: StaleTrack[]
  failures: ImageFailure[]
  /** Per registry endpoint host. */
  requestCounts: Record<string, RequestCounts>
  /** True when digests.json's content changed (or would, in a dry run). */
  changed: boolean
  /** Files rewritten; empty in a dry run or when nothing differed. */
  written: string[]
  digestsPath: string
  statePath: string
  /** digests.json as the run found it, and as the run left it (or would have, in a dry run). */
  previous: Digests
  digests: Digests
  /** Per registry; empty when every read fitted its quota. */
  deferred: Deferral[]
  /** Registry name → manifest GETs an alternate or content mirror answered in its place. */
  pullsSaved: Record<string, number>
  /** Tags held back and legacy aliases kept, one line per image and kind; also logged. */
  warnings: string[]
  /** Tracks whose new value waits for the minimum release age; they keep their published value. */
  waiting: WaitingTrack[]
  /** The state before and after the run, where release annotations are looked up. */
  states: { before: StateDocument; after: StateDocument }
  /** What the run did to manifests.json; absent when publishing is off. */
  manifests?: ManifestsReport
}

export interface ManifestsReport {
  path: string
  /** True when manifests.json's content changed (or would, in a dry run). */
  changed: boolean
  /** Entries added to and dropped from the previous file. */
  added: number
  removed: number
  /** Entries in the file as the run left it. */
  total: number
}

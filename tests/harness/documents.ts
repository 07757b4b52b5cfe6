// The documents the updater writes, typed as a test reads them back: from the files on disk or
// on a branch, not through the sources' own types, so a suite checks what a user receives.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeGitHub } from './github-api/index.js'

/** digests.json: image → track → platform → `<image>:<tag>@<digest>`. */
export type Digests = Record<string, Record<string, Record<string, string>>>

/** One image's part of digests.json: track → platform → reference. */
export type ImageEntry = Digests[string]

/** digests.state.json: what the next run reuses. */
export interface DigestsState {
  version: number
  /** image → index or manifest digest → platform → image manifest digest. */
  images: Record<string, Record<string, Record<string, string>>>
  /** image → digest → its first sighting and release annotations, where release age is on. */
  releases?: Record<string, Record<string, Record<string, string>>>
}

/** The digests.json in `folder`. */
export function readDigests(folder: string): Digests {
  return JSON.parse(readFileSync(join(folder, 'digests.json'), 'utf8')) as Digests
}

/** The digests.state.json in `folder`. */
export function readDigestsState(folder: string): DigestsState {
  return JSON.parse(readFileSync(join(folder, 'digests.state.json'), 'utf8')) as DigestsState
}

/** The digests.json on `branch` of the GitHub stand-in; empty where the branch has none. */
export function branchDigests(github: Pick<FakeGitHub, 'readFile'>, branch: string): Digests {
  return JSON.parse(github.readFile(branch, 'digests.json') ?? '{}') as Digests
}

import * as core from '@actions/core'
import { parseDuration } from '../update/durations.js'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { defaultStatePath } from '../update/digests-document.js'
import { defaultManifestsPath } from '../update/manifests-document.js'
import type { NetworkOptions } from '../registry/settings.js'
import { parseContentMirrors, parseMirrors } from '../registry/mirrors.js'
import { rememberSecret } from './secrets.js'

export type MergeMethod = 'SQUASH' | 'MERGE' | 'REBASE'

/** Every input of action.yml, read once, defaulted, validated and typed. */
export interface ActionInputs {
  /** GITHUB_WORKSPACE: the checked-out repository the update runs on. */
  workspace: string
  /** Absolute paths in the workspace. */
  imagesPath: string
  digestsPath: string
  statePath: string
  /** manifests.json beside digests.json. */
  manifestsPath: string
  /** The same files as paths inside the repository (POSIX separators), for the Git Data API. */
  digestsRepoPath: string
  stateRepoPath: string
  manifestsRepoPath: string
  /** False: manifests.json is neither read, written nor committed. */
  manifests: boolean
  token: string
  branch: string
  /** Undefined: the repository's default branch. */
  base: string | undefined
  title: string
  commitMessage: string
  labels: string[]
  mirrors: Record<string, string>
  /** CA files (absolute) and plain-HTTP registries. */
  network: NetworkOptions
  contentMirrors: Record<string, string[]>
  /** Undefined: the engine's default reserve. */
  pullReserve: number | undefined
  /** Milliseconds; images.json's minimumReleaseAge wins per image. */
  minimumReleaseAge: number | undefined
  dryRun: boolean
  /** Undefined: auto-merge stays off. */
  autoMerge: MergeMethod | undefined
  /** False: skip the update and its pull request (e.g. to only check). */
  update: boolean
  /** Paths in the workspace whose image references `check` annotates; empty: no check. */
  checkPaths: string[]
  /** Globs the check leaves out, as `check --exclude`. */
  checkExclude: string[]
  owner: string
  repo: string
  apiUrl: string
}

export class InputError extends Error {
  override name = 'InputError'
}

// The runner applies action.yml's defaults; these repeat them so the bundle also behaves when
// started by hand or from a test with only some INPUT_* variables set.
export const DEFAULTS = {
  images: 'images.json',
  digests: 'digests.json',
  branch: 'nix-oci-hashes/update',
  title: 'Update container image digests',
  commitMessage: 'Update container image digests',
  labels: 'dependencies'
} as const

function lines(name: string): string[] {
  return core
    .getMultilineInput(name)
    .map((line) => line.trim())
    .filter(Boolean)
}

function input(name: string, fallback = ''): string {
  const value = core.getInput(name)
  return value === '' ? fallback : value
}

/** YAML 1.2 core schema booleans, as core.getBooleanInput, but an empty value is `fallback`. */
function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name)
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(`input ${name}: "${value}" is not a boolean (true or false)`)
}

function autoMergeInput(): MergeMethod | undefined {
  const value = core.getInput('auto-merge').toLowerCase()
  if (value === '' || value === 'false') return undefined
  if (value === 'true' || value === 'squash') return 'SQUASH'
  if (value === 'merge') return 'MERGE'
  if (value === 'rebase') return 'REBASE'
  throw new InputError(
    `input auto-merge: "${value}" must be false, true (squash), squash, merge or rebase`
  )
}

/** Git's rules for a branch name, enough to refuse what the API would refuse less clearly. */
function branchName(name: string, value: string): string {
  const branch = value.replace(/^refs\/heads\//, '')
  if (
    branch === '' ||
    // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
    /[\s~^:?*[\\\x00-\x1f\x7f]/.test(branch) ||
    branch.includes('..') ||
    branch.includes('@{') ||
    branch.includes('//') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.endsWith('.lock') ||
    branch.startsWith('-')
  ) {
    throw new InputError(`input ${name}: "${value}" is not a valid branch name`)
  }
  return branch
}

function repositoryPath(workspace: string, path: string, name: string): string {
  const inside = relative(workspace, path)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new InputError(
      `input ${name}: ${path} is not inside the workspace ${workspace}, so it cannot be committed`
    )
  }
  return inside.split(sep).join('/')
}

/** A whole number of at least 0, or undefined when left empty. */
function countInput(name: string): number | undefined {
  const value = core.getInput(name)
  if (value === '') return undefined
  if (!/^\d+$/.test(value)) {
    throw new InputError(`input ${name}: "${value}" is not a whole number of 0 or more`)
  }
  return Number(value)
}

function durationInput(name: string): number | undefined {
  const value = core.getInput(name).trim()
  if (value === '') return undefined
  const age = parseDuration(value)
  if (age === undefined) {
    throw new InputError(`input ${name}: "${value}" is not a duration such as 3d, 12h or 30m`)
  }
  return age
}

/** Comma- or newline-separated; an input set to '' (not left out) means an empty list. */
function listInput(name: string, fallback: string): string[] {
  const given = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] !== undefined
  return (given ? core.getInput(name) : fallback)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

export function getInputs(env: NodeJS.ProcessEnv = process.env): ActionInputs {
  // Mask first, so nothing logged from here on can show it.
  const token = core.getInput('token')
  rememberSecret(token)

  const dryRun = booleanInput('dry-run', false)
  const update = booleanInput('update', true)
  if (token === '' && update && !dryRun) {
    throw new InputError(
      'input token is empty; pass ${{ github.token }} or a personal access token'
    )
  }
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner = '', repo = '', ...rest] = repository.split('/')
  if (update && !dryRun && (owner === '' || repo === '' || rest.length > 0)) {
    throw new InputError(`GITHUB_REPOSITORY must be owner/name, not "${repository}"`)
  }

  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd())
  const imagesPath = resolve(workspace, input('images', DEFAULTS.images))
  const digestsPath = resolve(workspace, input('digests', DEFAULTS.digests))
  const statePath = defaultStatePath(digestsPath)
  const manifestsPath = defaultManifestsPath(digestsPath)
  const base = input('base')

  let mirrors: Record<string, string>
  try {
    mirrors = parseMirrors(input('registry-mirrors').split('\n'))
  } catch (error) {
    throw new InputError(`input registry-mirrors: ${(error as Error).message}`)
  }
  let contentMirrors: Record<string, string[]>
  try {
    contentMirrors = parseContentMirrors(input('content-mirrors').split('\n'))
  } catch (error) {
    throw new InputError(`input content-mirrors: ${(error as Error).message}`)
  }

  return {
    workspace,
    imagesPath,
    digestsPath,
    statePath,
    manifestsPath,
    digestsRepoPath: repositoryPath(workspace, digestsPath, 'digests'),
    stateRepoPath: repositoryPath(workspace, statePath, 'digests'),
    manifestsRepoPath: repositoryPath(workspace, manifestsPath, 'digests'),
    manifests: booleanInput('manifests', true),
    token,
    branch: branchName('branch', input('branch', DEFAULTS.branch)),
    base: base === '' ? undefined : branchName('base', base),
    title: input('title', DEFAULTS.title).trim(),
    commitMessage: input('commit-message', DEFAULTS.commitMessage),
    labels: listInput('labels', DEFAULTS.labels),
    mirrors,
    network: {
      caFiles: lines('ca-files').map((path) => resolve(workspace, path)),
      insecureRegistries: lines('insecure-registries')
    },
    contentMirrors,
    pullReserve: countInput('pull-reserve'),
    minimumReleaseAge: durationInput('minimum-release-age'),
    dryRun,
    autoMerge: autoMergeInput(),
    update,
    checkPaths: lines('check'),
    checkExclude: lines('check-exclude'),
    owner,
    repo,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  }
}

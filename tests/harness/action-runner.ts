// The action as the Actions runner runs it: `node dist/index.js` with INPUT_* and GITHUB_*
// variables, in a workspace that is a fresh checkout of a branch of the loopback GitHub API
// (never the previous run's workspace), as a scheduled workflow's actions/checkout gives.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FakeGitHub } from './github-api/index.js'
import { countByKind, type TestRegistry } from './registry.js'
import type { Digests } from './documents.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BRANCH = 'nix-oci-hashes/update'
/**
 * For suites about digests, pull requests and housekeeping: their figures and files stay
 * theirs; tests/action-manifests.test.ts covers publishing through the action.
 */
export const WITHOUT_MANIFESTS = { manifests: 'false' } as const
const RUN_TIMEOUT_MS = 60_000

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  workspace: string
}

export interface RunOptions {
  fake: FakeGitHub
  /** Where each run's workspace, home and output files go. */
  scratch: string
  token: string
  /** A password docker/login-action would leave in config.json, for a registry not in use. */
  registryPassword: string
  /** INPUT_* values over action.yml's defaults, by input name. */
  inputs?: Record<string, string>
  /** Branch to check out; default main. */
  ref?: string
  /** Environment over the runner's (e.g. PATH with credential helpers, DOCKER_CONFIG). */
  env?: Record<string, string>
}

/** A fresh GitHub token and registry password for a suite, so a leak of either can be found. */
export function testSecrets(): { token: string; registryPassword: string } {
  return {
    token: `ghs_${randomBytes(18).toString('base64url')}`,
    registryPassword: `pw-${randomBytes(12).toString('hex')}`
  }
}

/** Reads the GITHUB_OUTPUT file @actions/core writes: `name<<DELIMITER`, value, `DELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^(.+?)<<(\S+)\r?\n([\s\S]*?)\r?\n\2\r?$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!
  return outputs
}

/** Checks out `ref` of the fake repository into a new workspace, then runs the bundle there. */
export async function runActionBundle(options: RunOptions): Promise<ActionRun> {
  const { fake } = options
  const dir = mkdtempSync(join(options.scratch, 'run-'))
  const workspace = join(dir, 'workspace')
  for (const [path, content] of Object.entries(fake.files(options.ref ?? 'main'))) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true })
    writeFileSync(join(workspace, path), content)
  }
  const home = join(dir, 'home')
  mkdirSync(join(home, '.docker'), { recursive: true })
  writeFileSync(
    join(home, '.docker', 'config.json'),
    JSON.stringify({
      auths: {
        'registry.example.test': {
          auth: Buffer.from(`robot:${options.registryPassword}`).toString('base64')
        }
      }
    })
  )
  const outputPath = join(dir, 'output')
  const summaryPath = join(dir, 'summary')
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: join(home, '.docker'),
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: dir,
    // What the runner passes for action.yml's inputs with their defaults applied.
    INPUT_IMAGES: 'images.json',
    INPUT_DIGESTS: 'digests.json',
    INPUT_TOKEN: options.token,
    INPUT_BRANCH: BRANCH,
    INPUT_BASE: '',
    INPUT_TITLE: 'Update container image digests',
    'INPUT_COMMIT-MESSAGE': 'Update container image digests',
    INPUT_LABELS: 'dependencies',
    'INPUT_REGISTRY-MIRRORS': '',
    'INPUT_DRY-RUN': 'false',
    'INPUT_AUTO-MERGE': 'false',
    INPUT_MANIFESTS: 'true'
  }
  Object.assign(env, options.env)
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value

  const child = spawn(process.execPath, [join(ROOT, 'dist', 'index.js')], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputPath, 'utf8')),
    summary: readFileSync(summaryPath, 'utf8'),
    workspace
  }
}

/** The `| image | track | platform |` cells of a report table, as `image track platform`. */
export function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(' | ')
        .slice(0, 3)
        .map((cell) => cell.replace(/^\| /, '').replace(/`/g, ''))
        .join(' ')
    )
    .sort()
}

/** Every `image track platform` a digests.json holds. */
export function digestRows(digests: Digests): string[] {
  return Object.entries(digests)
    .flatMap(([image, tracks]) =>
      Object.entries(tracks).flatMap(([track, platforms]) =>
        Object.keys(platforms).map((platform) => `${image} ${track} ${platform}`)
      )
    )
    .sort()
}

/**
 * A scheduled run: a fresh checkout of main, the bundle, and the reads it made at `registry`
 * (whose and the fake's request logs start empty). Throws with the run's output unless it
 * exits with `code`.
 */
export async function scheduledRun(registry: TestRegistry, options: RunOptions, code = 0) {
  await registry.resetRequests()
  options.fake.resetRequests()
  const run = await runActionBundle(options)
  if (run.code !== code)
    throw new Error(`the action exited ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return { run, reads: countByKind(await registry.requests()) }
}

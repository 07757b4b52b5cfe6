// GitHub's rate limits and refusals, as GitHub documents them, answered by the loopback GitHub
// API to the bundled action: a limit that lifts within the run is waited out (and the log says
// so), every other refusal fails the step with a hint that matches it, and a failure after the
// update still leaves the job summary and the outputs for what the update found.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  startFakeGitHub,
  type FakeGitHub,
  type InjectedFailure
} from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import { pushIndex } from './harness/seed.js'
import { AMD64, ARM64 } from './harness/reference-fixtures.js'
import {
  BRANCH,
  digestRows,
  runActionBundle,
  tableRows,
  testSecrets
} from './harness/action-runner.js'
import { githubCost } from './harness/github-cost.js'
import type { Digests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
const PRIMARY = 'API rate limit exceeded for installation ID 1.'
const PERMISSION_HINT = 'give the job `permissions: contents: write` and `pull-requests: write`'
const RATE_LIMIT_HINT = 'a GitHub rate limit, not a permission problem'

let registry: TestRegistry
const scratch = mkdtempSync(join(tmpdir(), 'action-github-limits-'))

/** Seconds since the epoch, `ahead` seconds from now, as `x-ratelimit-reset` carries it. */
const resetIn = (ahead: number): string => String(Math.ceil(Date.now() / 1000) + ahead)

beforeAll(async () => {
  registry = await startRegistry()
  await pushIndex(registry, 'team/web', '1.0.0', [AMD64, ARM64], { salt: '1.0.0' })
}, 180_000)

afterAll(async () => {
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** A new repository whose main has images.json and an empty digests.json. */
async function newRepository(): Promise<FakeGitHub> {
  const github = await startFakeGitHub({ token: TOKEN })
  github.commitFiles('main', {
    'images.json': JSON.stringify([{ image: `${registry.host}/team/web`, tracks: ['major'] }]),
    'digests.json': '{}\n'
  })
  return github
}

/** A new repository, `failure` injected, and one run of the bundle against it. */
async function runWith(failure: InjectedFailure) {
  const github = await newRepository()
  github.injectFailure(failure)
  const run = await runActionBundle({
    fake: github,
    scratch,
    token: TOKEN,
    registryPassword: REGISTRY_PASSWORD
  })
  return { github, run }
}

/** Requests matching `method` and `path`, as `status` codes in order. */
const statuses = (github: FakeGitHub, method: string, path: string): number[] =>
  github
    .requests()
    .filter((request) => request.method === method && request.path === path)
    .map((request) => request.status)

describe('a rate limit that lifts within the run is waited out', () => {
  const cases: Array<{ name: string; failure: InjectedFailure; said: RegExp }> = [
    {
      name: 'secondary: 403 with retry-after',
      failure: {
        method: 'POST',
        path: /^\/repos\/owner\/repo\/git\/blobs$/,
        status: 403,
        message: SECONDARY,
        headers: () => ({ 'retry-after': '1' })
      },
      said: /GitHub's secondary rate limit reached: waiting 1 s, then retrying POST \S+\/git\/blobs/
    },
    {
      name: 'primary: 403 with x-ratelimit-remaining 0',
      failure: {
        method: 'POST',
        path: /^\/repos\/owner\/repo\/pulls$/,
        status: 403,
        message: PRIMARY,
        headers: () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(1) })
      },
      said: /GitHub's primary rate limit reached: waiting [1-3] s, then retrying POST \S+\/pulls/
    },
    {
      name: 'primary: 429 with x-ratelimit-remaining 0',
      failure: {
        // The repository, for its default branch: a first run has no pull request to look up.
        method: 'GET',
        path: /^\/repos\/owner\/repo$/,
        status: 429,
        message: PRIMARY,
        headers: () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(2) })
      },
      said: /GitHub's primary rate limit reached: waiting [2-4] s, then retrying GET \/repos\/\{owner\}\/\{repo\}$/m
    }
  ]

  test.each(cases)('$name', async ({ failure, said }) => {
    const { github, run } = await runWith(failure)
    try {
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(said)
      expect(run.stdout).not.toMatch(/^::(warning|error)/m)
      // Refused once, then sent again and answered.
      const path = failure.path.source.replace(/^\^|\\|\$$/g, '')
      const answered = statuses(github, failure.method, path)
      expect(answered[0]).toBe(failure.status)
      expect(answered.slice(1).every((status) => status < 300)).toBe(true)
      expect(answered.length).toBeGreaterThanOrEqual(2)
      expect(run.outputs['pull-request-operation']).toBe('created')
      expect(github.pulls()).toHaveLength(1)
    } finally {
      await github.stop()
    }
  })
})

describe('a refusal fails the step with the hint that fits it, after the summary and outputs', () => {
  const cases: Array<{ name: string; failure: InjectedFailure; error: string; hint: string }> = [
    {
      name: 'a permanent 403: the permission hint',
      failure: {
        method: 'POST',
        path: /^\/repos\/owner\/repo\/pulls$/,
        status: 403,
        message: 'Resource not accessible by integration',
        times: 10
      },
      error: '403 Resource not accessible by integration',
      hint: PERMISSION_HINT
    },
    {
      name: 'a primary limit that lifts in an hour: the rate-limit hint, not a permission',
      failure: {
        method: 'POST',
        path: /^\/repos\/owner\/repo\/pulls$/,
        status: 403,
        message: PRIMARY,
        headers: () => ({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(3600) })
      },
      error: `403 ${PRIMARY}`,
      hint: RATE_LIMIT_HINT
    },
    {
      name: 'a 404 for the repository: the not-found hint',
      failure: {
        method: 'GET',
        path: /^\/repos\/owner\/repo$/,
        status: 404,
        message: 'Not Found',
        times: 10
      },
      error: '404 Not Found',
      hint: 'GitHub answers 404 for what does not exist and for what the token may not see'
    }
  ]

  test.each(cases)('$name', async ({ failure, error, hint }) => {
    const { github, run } = await runWith(failure)
    try {
      expect(run.code).toBe(1)
      const failed = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
      expect(failed).toHaveLength(1)
      expect(failed[0]).toContain(`: ${error}`)
      expect(failed[0]).toContain(hint)
      if (hint !== PERMISSION_HINT) expect(failed[0]).not.toContain(PERMISSION_HINT)
      // The update finished: its outputs are set and its summary lists every change.
      expect(run.outputs).toEqual({
        changed: 'true',
        'pull-request-number': '',
        'pull-request-url': '',
        'pull-request-operation': 'none',
        deferred: '0'
      })
      expect(run.summary).toContain('The update finished, but proposing it failed')
      expect(run.summary).toContain(error)
      const web = `${registry.host}/team/web`
      expect(tableRows(run.summary)).toEqual(
        digestRows({ [web]: { '1': { 'linux/amd64': 'x', 'linux/arm64': 'x' } } })
      )
      expect(github.pulls()).toEqual([])
    } finally {
      await github.stop()
    }
  })
})

describe('a pull request opened from the update branch while the run goes', () => {
  test('"already exists" on opening ours: the run looks again and brings that one up to date', async () => {
    const github = await newRepository()
    try {
      // Right after the run found no update branch, so it has no pull request to look up:
      // someone pushes the branch and opens a pull request from it.
      github.afterAnswer('GET', new RegExp(`^/repos/owner/repo/git/ref/heads/${BRANCH}$`), () => {
        github.commitFiles(BRANCH, { 'notes.txt': 'by hand\n' })
        github.openPull(BRANCH, 'main', 'Opened by hand', 'by hand')
      })
      const run = await runActionBundle({
        fake: github,
        scratch,
        token: TOKEN,
        registryPassword: REGISTRY_PASSWORD
      })
      expect(run.code).toBe(0)
      expect(run.outputs).toMatchObject({
        'pull-request-number': '1',
        'pull-request-operation': 'updated'
      })
      const pulls = github.pulls()
      expect(pulls).toHaveLength(1)
      expect(pulls[0]).toMatchObject({ state: 'open', title: 'Update container image digests' })
      const digests = JSON.parse(github.readFile(BRANCH, 'digests.json')!) as Digests
      expect(tableRows(pulls[0]!.body!)).toEqual(digestRows(digests))
      expect(github.readFile(BRANCH, 'notes.txt')).toBeUndefined()
      // Opening is refused (422), then the one look at the open pull request, then its update.
      const pullRequests = github
        .requests()
        .filter((request) => /^\/repos\/owner\/repo\/pulls\b/.test(request.path))
        .map((request) => `${request.method} ${request.path} ${request.status}`)
      expect(pullRequests).toEqual([
        'POST /repos/owner/repo/pulls 422',
        'GET /repos/owner/repo/pulls 200',
        'PATCH /repos/owner/repo/pulls/1 200'
      ])
      expect(githubCost(github, BRANCH).pulls).toBe(1)
    } finally {
      await github.stop()
    }
  })
})

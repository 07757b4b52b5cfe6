// The one way into GitHub's API for the action: a bounded fetch, and errors that say what was
// being done, in which repository, and what to change when it was a permission.
import { setTimeout as sleep } from 'node:timers/promises'
import { Octokit } from '@octokit/rest'

export class GitHubError extends Error {
  override name = 'GitHubError'
}

const REQUEST_TIMEOUT_MS = 30_000
const GET_RETRIES = 2
const RETRY_STATUSES = new Set([500, 502, 503, 504])

/**
 * fetch with a deadline per attempt; GETs (and only GETs) are retried a bounded number of times
 * on a network error or a 5xx, since repeating them is harmless.
 */
const boundedFetch: typeof fetch = async (input, init) => {
  const method = (init?.method ?? 'GET').toUpperCase()
  const retries = method === 'GET' ? GET_RETRIES : 0
  for (let attempt = 0; ; attempt++) {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    try {
      const response = await fetch(input, { ...init, signal })
      if (attempt < retries && RETRY_STATUSES.has(response.status)) {
        await response.body?.cancel()
        await sleep(500 * (attempt + 1))
        continue
      }
      return response
    } catch (error) {
      if (attempt >= retries || init?.signal?.aborted) throw error
      await sleep(500 * (attempt + 1))
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? status : undefined
}

/** The message and the `errors[].message` details of a GitHub error response. */
export function describe(error: unknown): string {
  const status = statusOf(error)
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> }
    | undefined
  const details = (data?.errors ?? [])
    .map((item) => item.message ?? [item.field, item.code].filter(Boolean).join(' '))
    .filter((text) => text !== '')
  const message = data?.message ?? (error as Error).message
  return [status ? `${status} ${message}` : message, ...details].join(': ')
}

function hint(error: unknown): string {
  const text = describe(error)
  if (/not permitted to create or approve pull requests/i.test(text)) {
    return ' (allow it under Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests", or pass a personal access token)'
  }
  const status = statusOf(error)
  if (status === 401) return ' (the token is invalid or expired)'
  if (status === 403 || status === 404) {
    return ' (give the job `permissions: contents: write` and `pull-requests: write`, and check the token can reach this repository)'
  }
  return ''
}

/** Every GitHub call the action makes, against the API at `apiUrl` (github.com or GHES). */
export class GitHubApi {
  readonly octokit: Octokit

  constructor(
    token: string,
    apiUrl: string,
    readonly owner: string,
    readonly repo: string,
    log: { debug(message: string): void; info(message: string): void }
  ) {
    this.octokit = new Octokit({
      auth: token,
      baseUrl: apiUrl,
      userAgent: 'nix-oci-hashes',
      request: { fetch: boundedFetch },
      // The request log reports every 4xx, expected ones (404 for a new branch) included; the
      // errors that matter are thrown with context instead.
      log: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.debug(message),
        warn: (message: string) => log.info(message),
        error: (message: string) => log.debug(message)
      }
    })
  }

  get repository(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo }
  }

  async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request()
    } catch (error) {
      throw this.error(what, error)
    }
  }

  /** The error for a failed call, with the repository and a hint at the fix. */
  error(what: string, error: unknown): GitHubError {
    return new GitHubError(
      `GitHub API: ${what} in ${this.owner}/${this.repo}: ${describe(error)}${hint(error)}`
    )
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.call('read the repository', () =>
      this.octokit.rest.repos.get(this.repository)
    )
    return data.default_branch
  }
}

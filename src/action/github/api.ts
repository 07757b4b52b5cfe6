// The one way into GitHub's API for the action: @actions/github's Octokit (the runner's proxy
// settings and GITHUB_API_URL), retried and throttled by Octokit's own plugins, and errors that
// say what was being done, in which repository, and what to change.
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'

export class GitHubError extends Error {
  override name = 'GitHubError'
}

const REQUEST_TIMEOUT_MS = 30_000
const RETRIES = 2
/** The longest wait for one rate limit to lift, and how often one request may wait. */
export const MAX_RATE_LIMIT_WAIT_S = 600
const MAX_RATE_LIMIT_RETRIES = 3

type Fetch = typeof fetch

/** The runner's (proxy-aware) fetch with a deadline per attempt, so a stalled answer is retried. */
function withDeadline(inner: Fetch): Fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    return inner(input, { ...init, signal })
  }
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? status : undefined
}

function headersOf(error: unknown): Record<string, string | undefined> {
  return (error as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}
}

/** The message and the `errors[].message` details of a GitHub error response. */
export function describe(error: unknown): string {
  const status = statusOf(error)
  const data = (error as { response?: { data?: unknown } }).response?.data as
    | { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> }
    | undefined
  const details = (Array.isArray(data?.errors) ? data.errors : [])
    .map((item) => item.message ?? [item.field, item.code].filter(Boolean).join(' '))
    .filter((text) => text !== '')
  const message = data?.message ?? (error as Error).message
  return [status ? `${status} ${message}` : message, ...details].join(': ')
}

/** GitHub's documented signs of a rate limit: primary (remaining 0) or secondary. */
function isRateLimit(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== 403 && status !== 429) return false
  const headers = headersOf(error)
  return (
    headers['x-ratelimit-remaining'] === '0' ||
    headers['retry-after'] !== undefined ||
    /secondary rate limit/i.test(describe(error))
  )
}

function hint(error: unknown): string {
  const text = describe(error)
  if (/not permitted to create or approve pull requests/i.test(text)) {
    return ' (allow it under Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests", or pass a personal access token)'
  }
  const status = statusOf(error)
  if (status === 401) return ' (the token is invalid or expired)'
  if (isRateLimit(error)) {
    const reset = Number(headersOf(error)['x-ratelimit-reset'])
    const when =
      reset > 0 ? `it resets at ${new Date(reset * 1000).toISOString()}` : 'it lifts in minutes'
    return (
      ` (a GitHub rate limit, not a permission problem: ${when}; the run waits out a limit of up ` +
      `to ${MAX_RATE_LIMIT_WAIT_S} s, ${MAX_RATE_LIMIT_RETRIES} times per request. Run it again ` +
      'later, less often, or with a token of its own)'
    )
  }
  if (status === 403) {
    return ' (give the job `permissions: contents: write` and `pull-requests: write`, and check the token can reach this repository)'
  }
  if (status === 404) {
    return ' (GitHub answers 404 for what does not exist and for what the token may not see: check the repository and branch names, and that the token has access to this repository)'
  }
  return ''
}

export interface ApiLog {
  debug(message: string): void
  info(message: string): void
}

function octokitFor(token: string, apiUrl: string, log: ApiLog) {
  const waitOut =
    (kind: string) =>
    (retryAfter: number, options: { method: string; url: string }, _: unknown, retries: number) => {
      const request = `${options.method} ${options.url}`
      if (retries >= MAX_RATE_LIMIT_RETRIES || retryAfter > MAX_RATE_LIMIT_WAIT_S) {
        log.info(
          `GitHub's ${kind} rate limit stopped ${request}: it lifts in ${retryAfter} s, ` +
            `past what this run waits (${MAX_RATE_LIMIT_WAIT_S} s, ${MAX_RATE_LIMIT_RETRIES} times)`
        )
        return false
      }
      log.info(
        `GitHub's ${kind} rate limit reached: waiting ${retryAfter} s, then retrying ${request}`
      )
      return true
    }
  const runnerFetch = (defaults.request?.fetch as Fetch | undefined) ?? fetch
  const octokit = getOctokit(
    token,
    {
      baseUrl: apiUrl,
      userAgent: 'nix-oci-hashes',
      request: { ...defaults.request, fetch: withDeadline(runnerFetch) },
      // 403 and 429 are the throttling plugin's to wait out; the rest would fail the same again.
      retry: { retries: RETRIES, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        onRateLimit: waitOut('primary'),
        onSecondaryRateLimit: waitOut('secondary'),
        // The plugin spaces writes 1 s (and pull requests 3 s) apart, as GitHub advises bulk
        // writers; a run makes a handful of writes one after another, and a secondary limit that
        // comes anyway is waited out above.
        write: new Bottleneck.Group({ maxConcurrent: 1 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1 })
      },
      // The request log reports every 4xx, expected ones (404 for a new branch) included; the
      // errors that matter are thrown with context instead.
      log: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.debug(message),
        warn: (message: string) => log.info(message),
        error: (message: string) => log.debug(message)
      }
    },
    retry,
    throttling
  )
  // A write that failed on the way back may still have landed: sent again, it could comment
  // twice. Only reads are retried after a network error or a 5xx; a rate limit is different
  // (GitHub did not act on the request), so the throttling plugin still waits out any of them.
  octokit.hook.before('request', (options) => {
    if (options.method !== 'GET' && options.method !== 'HEAD') {
      options.request = { ...options.request, retries: 0 }
    }
  })
  return octokit
}

/** Every GitHub call the action makes, against the API at `apiUrl` (github.com or GHES). */
export class GitHubApi {
  readonly octokit: ReturnType<typeof octokitFor>
  private defaultBranchName: Promise<string> | undefined
  private viewerLogin: Promise<string> | undefined

  constructor(
    token: string,
    apiUrl: string,
    readonly owner: string,
    readonly repo: string,
    log: ApiLog
  ) {
    this.octokit = octokitFor(token, apiUrl, log)
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

  /**
   * The token's own account: a user's login, or an app's `name[bot]` (`github-actions[bot]` for
   * the workflow's token). GraphQL's viewer answers for both; REST's /user refuses app tokens.
   */
  login(): Promise<string> {
    this.viewerLogin ??= this.call("read the token's account", () =>
      this.octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
    ).then(({ viewer }) => viewer.login)
    return this.viewerLogin
  }

  /** Read once per run: both the branch state and the proposal need it. */
  defaultBranch(): Promise<string> {
    this.defaultBranchName ??= this.call('read the repository', () =>
      this.octokit.rest.repos.get(this.repository)
    ).then(({ data }) => data.default_branch)
    return this.defaultBranchName
  }
}

// The pull request side of the action: open or refresh the one pull request, label it, and
// turn on auto-merge.
import type { MergeMethod } from '../inputs.js'
import { GitHubError, describe, statusOf, type GitHubApi } from './api.js'
import { redact } from '../secrets.js'

export type PullRequestOperation = 'created' | 'updated' | 'closed' | 'none'

export interface PullRequest {
  number: number
  url: string
  nodeId: string
  labels: string[]
  /** True when GitHub auto-merge is already enabled on it. */
  autoMerge: boolean
  /** Title and body as the run last read or wrote them, so a refresh writes only a change. */
  title: string
  body: string
  operation: PullRequestOperation
}

type ListedPull = Awaited<ReturnType<GitHubApi['octokit']['rest']['pulls']['list']>>['data'][number]

function pullRequestOf(listed: ListedPull): Omit<PullRequest, 'operation'> {
  return {
    number: listed.number,
    url: listed.html_url,
    nodeId: listed.node_id,
    labels: listed.labels.map((label) => label.name ?? '').filter((name) => name !== ''),
    autoMerge: listed.auto_merge !== null,
    title: listed.title,
    body: listed.body ?? ''
  }
}

export type AutoMergeOutcome = { enabled: true } | { enabled: false; reason: string }

export class PullRequests {
  constructor(private readonly api: GitHubApi) {}

  /** The open pull request from `branch` into `base`, if any, as it stands (operation `none`). */
  async openPull(branch: string, base: string): Promise<PullRequest | undefined> {
    const { data } = await this.api.call(`list pull requests from ${branch}`, () =>
      this.api.octokit.rest.pulls.list({
        ...this.api.repository,
        state: 'open',
        head: `${this.api.owner}:${branch}`,
        base,
        per_page: 10
      })
    )
    const open = data[0]
    return open && { ...pullRequestOf(open), operation: 'none' }
  }

  /** Comments first, so the reason is there when GitHub notifies of the close. */
  async closeWithComment(pull: PullRequest, comment: string): Promise<PullRequest> {
    await this.api.call(`comment on pull request #${pull.number}`, () =>
      this.api.octokit.rest.issues.createComment({
        ...this.api.repository,
        issue_number: pull.number,
        body: redact(comment)
      })
    )
    await this.api.call(`close pull request #${pull.number}`, () =>
      this.api.octokit.rest.pulls.update({
        ...this.api.repository,
        pull_number: pull.number,
        state: 'closed'
      })
    )
    return { ...pull, operation: 'closed' }
  }

  /**
   * Opens the pull request from `branch` into `base`, or brings `open`, the one the run found
   * open, up to date: its title and body are written only where they differ. `operation` is
   * `created`, `updated` when the title or body changed, else `none`.
   */
  async openOrUpdatePull(options: {
    branch: string
    base: string
    title: string
    body: string
    open: PullRequest | undefined
  }): Promise<PullRequest> {
    const { branch, base } = options
    // What is compared with the open pull request is what would be published.
    const title = redact(options.title)
    const body = redact(options.body)
    let open = options.open
    if (!open) {
      try {
        const { data } = await this.api.octokit.rest.pulls.create({
          ...this.api.repository,
          head: branch,
          base,
          title,
          body,
          maintainer_can_modify: false
        })
        return {
          number: data.number,
          url: data.html_url,
          nodeId: data.node_id,
          labels: data.labels.map((label) => label.name),
          autoMerge: data.auto_merge !== null,
          title: data.title,
          body: data.body ?? '',
          operation: 'created'
        }
      } catch (error) {
        // 422 "A pull request already exists for owner:branch": opened since the run looked, so
        // what the run knew is out of date; this is the one place it looks again.
        if (!(statusOf(error) === 422 && /already exists/i.test(describe(error)))) {
          throw this.api.error(`open a pull request from ${branch} into ${base}`, error)
        }
        open = await this.openPull(branch, base)
        if (!open) {
          throw new GitHubError(
            `GitHub API: a pull request from ${branch} into ${base} is said to exist, but none is open`
          )
        }
      }
    }
    const existing = open
    const stale = existing.title !== title || existing.body !== body
    if (stale) {
      await this.api.call(`update pull request #${existing.number}`, () =>
        this.api.octokit.rest.pulls.update({
          ...this.api.repository,
          pull_number: existing.number,
          title,
          body
        })
      )
    }
    return { ...existing, title, body, operation: stale ? 'updated' : 'none' }
  }

  /** Adds the labels the pull request lacks; GitHub creates a label that does not exist yet. */
  async addLabels(pull: PullRequest, labels: string[]): Promise<string[]> {
    const missing = labels.map(redact).filter((label) => !pull.labels.includes(label))
    if (missing.length === 0) return []
    await this.api.call(`label pull request #${pull.number}`, () =>
      this.api.octokit.rest.issues.addLabels({
        ...this.api.repository,
        issue_number: pull.number,
        labels: missing
      })
    )
    return missing
  }

  /**
   * Turns on GitHub auto-merge (GraphQL; REST has no endpoint for it). A repository that does not
   * allow auto-merge, or a pull request that could be merged at once, is an outcome, not an error.
   */
  async enableAutoMerge(pull: PullRequest, method: MergeMethod): Promise<AutoMergeOutcome> {
    try {
      await this.api.octokit.graphql(
        `mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
          enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
            pullRequest { number }
          }
        }`,
        { pullRequestId: pull.nodeId, mergeMethod: method }
      )
      return { enabled: true }
    } catch (error) {
      const errors = (error as { errors?: Array<{ message?: string }> }).errors
      const reason = errors?.length
        ? errors.map((item) => item.message ?? '').join('; ')
        : describe(error)
      return { enabled: false, reason }
    }
  }
}

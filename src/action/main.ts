import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { getInputs, type ActionInputs } from './inputs.js'
import { parseDigests, readTextIfPresent, type Digests } from '../update/digests-document.js'
import { loadDockerCredentials } from '../registry/docker-credentials.js'
import { GitHubApi, GitHubError } from './github/api.js'
import { GitData, gitBlobSha, type RepositoryFile } from './github/git-data.js'
import { PullRequests, type PullRequest, type PullRequestOperation } from './github/pull-request.js'
import {
  SUMMARY_LIMIT,
  redact,
  renderPullRequestBody,
  renderReport,
  type DigestsReport
} from './pull-request-body.js'
import { runCheck, type CheckResult } from '../check/run-check.js'
import { countBySeverity, formatSummary } from '../check/report.js'
import { RegistryClient } from '../registry/client.js'
import { formatChange } from '../update/report.js'
import { plural } from '../common/plural.js'
import { formatRequestCounts } from '../registry/request-counts.js'
import { runUpdate, type UpdateResult } from '../update/run-update.js'

interface Proposal {
  /** digests.json differs from the base branch (in a dry run: from the workspace). */
  changed: boolean
  /** digests.json as the diff starts from: the base branch's, or the workspace's in a dry run. */
  before: Digests
  base?: string
  pull?: PullRequest
  operation: PullRequestOperation
}

/** The action's entry point: errors from every module end here, and only here. */
export async function run(): Promise<void> {
  try {
    await act()
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}

async function act(): Promise<void> {
  const inputs = getInputs()
  const credentials = loadDockerCredentials()
  const secrets = [inputs.token]
  for (const { username, password } of credentials.values()) {
    core.setSecret(password)
    core.setSecret(Buffer.from(`${username}:${password}`).toString('base64'))
    secrets.push(password)
  }

  const updated = inputs.update ? await updateDigests(inputs, credentials, secrets) : undefined
  const checked =
    inputs.checkPaths.length > 0
      ? await core.group('Check image references', () => checkReferences(inputs, credentials))
      : undefined
  await writeSummary(inputs, updated, secrets, checked)

  const failures = updated?.result.failures ?? []
  for (const failure of failures) {
    core.error(`${failure.image}: ${failure.message}`, { title: 'Image failed' })
  }
  const problems: string[] = []
  if (failures.length > 0) {
    const names = failures.map((failure) => failure.image).join(', ')
    const pull = updated?.proposal.pull
    const others = inputs.dryRun
      ? 'the other images were still checked'
      : pull
        ? `the other images' changes are in pull request #${pull.number}`
        : 'the other images were still updated'
    const count = failures.length
    problems.push(
      `${count === 1 ? '1 image failed and kept its' : `${count} images failed and kept their`} ` +
        `previous entries (${names}); ${others}`
    )
  }
  const checkErrors = checked ? countBySeverity(checked.findings).errors : 0
  if (checkErrors > 0) {
    problems.push(
      `${plural(checkErrors, 'image reference problem')} in ` +
        `${inputs.checkPaths.join(', ')}; see the annotations`
    )
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
}

interface Updated {
  result: UpdateResult
  proposal: Proposal
}

/** The update and its pull request; sets the pull request outputs. */
async function updateDigests(
  inputs: ActionInputs,
  credentials: ReturnType<typeof loadDockerCredentials>,
  secrets: string[]
): Promise<Updated> {
  const result = await core.group('Update digests', async () => {
    const result = await runUpdate({
      imagesPath: inputs.imagesPath,
      digestsPath: inputs.digestsPath,
      statePath: inputs.statePath,
      mirrors: inputs.mirrors,
      dryRun: inputs.dryRun,
      credentials,
      // Stale tracks and failures become annotations, once each.
      log: { info: (message) => core.info(message), warning: (message) => core.info(message) }
    })
    for (const change of result.changes) core.info(formatChange(change))
    for (const [host, counts] of Object.entries(result.requestCounts)) {
      core.info(formatRequestCounts(host, counts))
    }
    return result
  })
  for (const { image, track } of result.stale) {
    core.warning(
      `${image} ${track}: no tag of this track exists upstream any more; kept its last value`,
      { title: 'Stale track' }
    )
  }

  const proposal: Proposal = inputs.dryRun
    ? { changed: result.changed, before: result.previous, operation: 'none' }
    : await core.group('Pull request', () => propose(inputs, result, secrets))

  core.setOutput('changed', String(proposal.changed))
  core.setOutput('pull-request-number', proposal.pull ? String(proposal.pull.number) : '')
  core.setOutput('pull-request-url', proposal.pull?.url ?? '')
  core.setOutput('pull-request-operation', proposal.operation)
  return { result, proposal }
}

/**
 * Compares the updated workspace files with the base branch and, when digests.json differs,
 * commits them onto the update branch through the Git Data API and opens or updates the pull
 * request. The state file rides along when it differs too, but is never a reason on its own for
 * a pull request: it only saves requests on the next run.
 */
async function propose(
  inputs: ActionInputs,
  result: UpdateResult,
  secrets: string[]
): Promise<Proposal> {
  const github = new GitHubApi(inputs.token, inputs.apiUrl, inputs.owner, inputs.repo, {
    debug: (message) => core.debug(message),
    info: (message) => core.info(message)
  })
  const git = new GitData(github)
  const pulls = new PullRequests(github)
  const baseName = inputs.base ?? (await github.defaultBranch())
  const base = await git.branchHead(baseName)
  if (!base) {
    throw new GitHubError(
      `the base branch ${baseName} does not exist in ${inputs.owner}/${inputs.repo}`
    )
  }

  const digestsText = await readFile(inputs.digestsPath, 'utf8')
  const baseDigestsSha = await git.blobShaAt(base.treeSha, inputs.digestsRepoPath)
  if (baseDigestsSha === gitBlobSha(digestsText)) {
    core.info(`${inputs.digestsRepoPath} on ${baseName} is already current; no pull request needed`)
    return { changed: false, before: result.digests, base: baseName, operation: 'none' }
  }
  const before = baseDigestsSha
    ? parseDigests(await git.readBlob(baseDigestsSha), `${baseName}:${inputs.digestsRepoPath}`)
    : {}

  const files: RepositoryFile[] = [{ path: inputs.digestsRepoPath, content: digestsText }]
  const stateText = await readTextIfPresent(inputs.statePath)
  if (
    stateText !== undefined &&
    (await git.blobShaAt(base.treeSha, inputs.stateRepoPath)) !== gitBlobSha(stateText)
  ) {
    files.push({ path: inputs.stateRepoPath, content: stateText })
  }
  const commit = await git.commitToBranch({
    branch: inputs.branch,
    base,
    files,
    message: inputs.commitMessage
  })
  core.info(
    commit.pushed
      ? `committed ${files.map((file) => file.path).join(' and ')} to ${inputs.branch} as ${commit.sha}`
      : `${inputs.branch} already holds exactly this change on top of ${baseName} (${commit.sha})`
  )

  const report: DigestsReport = {
    digestsPath: inputs.digestsRepoPath,
    before,
    after: result.digests,
    stale: result.stale,
    failures: result.failures
  }
  const pull = await pulls.openOrUpdatePull({
    branch: inputs.branch,
    base: baseName,
    title: redact(inputs.title, secrets),
    body: redact(renderPullRequestBody(report, inputs.branch), secrets)
  })
  const labelled = await pulls.addLabels(pull, inputs.labels)
  const operation: PullRequestOperation =
    pull.operation === 'created'
      ? 'created'
      : commit.pushed || pull.operation === 'updated' || labelled.length > 0
        ? 'updated'
        : 'none'
  core.info(
    operation === 'created'
      ? `opened pull request #${pull.number}: ${pull.url}`
      : operation === 'updated'
        ? `updated pull request #${pull.number}: ${pull.url}`
        : `pull request #${pull.number} already proposes exactly this: ${pull.url}`
  )

  if (inputs.autoMerge && !pull.autoMerge) {
    const outcome = await pulls.enableAutoMerge(pull, inputs.autoMerge)
    if (outcome.enabled) {
      core.info(`auto-merge (${inputs.autoMerge.toLowerCase()}) enabled on #${pull.number}`)
    } else {
      core.warning(
        `auto-merge could not be enabled on pull request #${pull.number}: ${outcome.reason}. ` +
          'Allow it under Settings → General → "Allow auto-merge", and protect the base branch ' +
          'with required status checks so there is something to wait for.',
        { title: 'Auto-merge not enabled' }
      )
    }
  }
  return { changed: true, before, base: baseName, pull, operation }
}

/**
 * `nix-oci-hashes check` over the paths of the `check` input: every finding becomes an
 * annotation on its file and line, so it shows on the pull request's diff.
 */
async function checkReferences(
  inputs: ActionInputs,
  credentials: ReturnType<typeof loadDockerCredentials>
): Promise<CheckResult> {
  const client = new RegistryClient({ mirrors: inputs.mirrors, credentials })
  let result: CheckResult
  try {
    result = await runCheck({ paths: inputs.checkPaths, cwd: inputs.workspace, client })
  } finally {
    await client.close()
  }
  if (result.missing.length > 0) {
    throw new Error(
      `input check: no such file or folder in the workspace: ${result.missing.join(', ')}`
    )
  }
  const annotate = { error: core.error, warning: core.warning, info: core.notice } as const
  for (const finding of result.findings) {
    annotate[finding.severity](finding.message, {
      title: `nix-oci-hashes ${finding.rule}`,
      file: finding.file,
      startLine: finding.line,
      ...(finding.column ? { startColumn: finding.column } : {})
    })
  }
  core.info(formatSummary(result))
  core.setOutput('check-errors', String(countBySeverity(result.findings).errors))
  return result
}

function statusLine(inputs: ActionInputs, proposal: Proposal): string {
  const pull = proposal.pull
  const link = pull ? `[#${pull.number}](${pull.url})` : ''
  if (inputs.dryRun) {
    return proposal.changed
      ? 'Dry run: nothing was written to GitHub. A pull request would propose the changes below.'
      : `Dry run: nothing was written to GitHub. \`${inputs.digestsRepoPath}\` is up to date.`
  }
  if (!pull)
    return `\`${inputs.digestsRepoPath}\` on \`${proposal.base}\` is up to date; no pull request needed.`
  if (proposal.operation === 'created')
    return `Opened pull request ${link} into \`${proposal.base}\`.`
  if (proposal.operation === 'updated') return `Updated pull request ${link}.`
  return `Pull request ${link} already proposes exactly these changes.`
}

async function writeSummary(
  inputs: ActionInputs,
  updated: Updated | undefined,
  secrets: string[],
  checked: CheckResult | undefined
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set; no job summary written')
    return
  }
  const sections = ['## nix-oci-hashes', '']
  if (updated) {
    const { result, proposal } = updated
    const requests = Object.entries(result.requestCounts).map(
      ([host, counts]) => `- ${formatRequestCounts(host, counts)}`
    )
    sections.push(
      statusLine(inputs, proposal),
      '',
      renderReport(
        {
          digestsPath: inputs.digestsRepoPath,
          before: proposal.before,
          after: result.digests,
          stale: result.stale,
          failures: result.failures
        },
        { limit: SUMMARY_LIMIT, fullListAt: 'the step log' }
      ),
      ...(requests.length > 0
        ? ['<details><summary>Registry requests</summary>', '', ...requests, '', '</details>', '']
        : [])
    )
  }
  if (checked) sections.push('### Image references', '', formatSummary(checked), '')
  await core.summary.addRaw(redact(sections.join('\n'), secrets), true).write()
}

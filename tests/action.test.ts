// The action as the Actions runner runs it: `node dist/index.js` (freshly bundled from the current
// sources) with INPUT_* and GITHUB_* variables, against a real distribution registry and a
// GitHub API on loopback. Each test continues the story of the previous one.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gitBlobSha } from '../src/action/github/git-data.js'
import { startFakeGitHub, type FakeGitHub } from './harness/github-api/index.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'
import {
  BRANCH,
  ROOT,
  WITHOUT_MANIFESTS,
  digestRows,
  runActionBundle,
  tableRows,
  testSecrets,
  type ActionRun
} from './harness/action-runner.js'
import { pushIndex, pushSingle } from './harness/seed.js'
import { BRANCH_READ_ONCE, githubCost } from './harness/github-cost.js'
import type { Digests } from './harness/documents.js'

const { token: TOKEN, registryPassword: REGISTRY_PASSWORD } = testSecrets()
const AMD64 = { os: 'linux', architecture: 'amd64' }
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' }

let registry: TestRegistry
let github: FakeGitHub
const scratch = mkdtempSync(join(tmpdir(), 'action-test-'))
const runs: ActionRun[] = []

function imagesJson(extra: object[] = []): string {
  return (
    JSON.stringify(
      [
        {
          image: `${registry.host}/team/app`,
          platforms: ['linux/amd64', 'linux/arm64'],
          tracks: ['major', 'major-minor']
        },
        { image: `${registry.host}/team/tool`, platforms: ['linux/amd64'], tags: ['latest'] },
        ...extra
      ],
      null,
      2
    ) + '\n'
  )
}

/** Checks out `ref` of the fake repository into a new workspace, then runs the bundle there. */
async function runAction(
  inputs: Record<string, string> = {},
  options: { ref?: string; fake?: FakeGitHub; token?: string } = {}
): Promise<ActionRun> {
  const run = await runActionBundle({
    fake: options.fake ?? github,
    scratch,
    token: options.token ?? TOKEN,
    registryPassword: REGISTRY_PASSWORD,
    inputs: { ...WITHOUT_MANIFESTS, ...inputs },
    ...(options.ref ? { ref: options.ref } : {})
  })
  runs.push(run)
  return run
}

/**
 * The token and the registry password reach GitHub's log only inside `::add-mask::` (which the
 * runner consumes), and never a file, a pull request or a commit.
 */
function expectNoSecrets(run: ActionRun, fake: FakeGitHub = github): void {
  const maskLines = run.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
  expect(maskLines).toEqual(expect.arrayContaining([`::add-mask::${REGISTRY_PASSWORD}`]))
  const rest = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  for (const secret of [TOKEN, REGISTRY_PASSWORD]) {
    expect(rest).not.toContain(secret)
    expect(run.stderr).not.toContain(secret)
    expect(run.summary).not.toContain(secret)
    expect(JSON.stringify(run.outputs)).not.toContain(secret)
    for (const pull of fake.pulls()) expect(`${pull.title}\n${pull.body}`).not.toContain(secret)
    for (const request of fake.requests())
      expect(JSON.stringify(request.body ?? '')).not.toContain(secret)
  }
  // The token is masked before anything else is printed.
  expect(run.stdout.startsWith(`::add-mask::${TOKEN}\n`)).toBe(true)
}

/**
 * A run on the action's own branch (manifests off): the branch read and judged once, its state
 * file and main's digests.json, and the lookup of an open pull request.
 */
const OWN_BRANCH_READS = { ...BRANCH_READ_ONCE, blob: 2, pulls: 1 }

function writesOf(fake: FakeGitHub = github): string[] {
  return fake.writes().map((request) => `${request.method} ${request.path}`)
}

beforeAll(async () => {
  registry = await startRegistry()
  await pushIndex(registry, 'team/app', '1.0.0', [AMD64, ARM64], { salt: '1.0.0' })
  await pushIndex(registry, 'team/app', '1.1.0', [AMD64, ARM64], { salt: '1.1.0' })
  await pushSingle(registry, 'team/tool', 'latest', AMD64, { salt: 'tool-1' })

  github = await startFakeGitHub({ token: TOKEN })
  github.commitFiles('main', {
    'images.json': imagesJson(),
    'digests.json': '{}\n',
    'README.md': '# digests\n'
  })
}, 180_000)

afterAll(async () => {
  await github?.stop()
  await registry?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

describe('the fake GitHub API', () => {
  test('computes the object IDs git does, as the action does for blobs', async () => {
    const dir = mkdtempSync(join(scratch, 'git-'))
    const files = { 'digests.json': '{\n  "a": {}\n}\n', 'nix/lib.nix': 'x\n', 'nix-b': 'y\n' }
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    }
    const git = (...args: string[]): string => {
      const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8', timeout: 10_000 })
      if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
      return result.stdout.trim()
    }
    git('init', '-q')
    git('add', '.')
    expect(git('hash-object', 'digests.json')).toBe(gitBlobSha(files['digests.json']))
    const fresh = await startFakeGitHub({ token: TOKEN })
    try {
      expect(fresh.commit(fresh.commitFiles('main', files)).tree).toBe(git('write-tree'))
    } finally {
      await fresh.stop()
    }
  })
})

describe('the action, run as the runner runs it', () => {
  test('first run: one verified commit on the branch and one pull request listing every track', async () => {
    const mainBefore = github.branchSha('main')!
    github.resetRequests()
    const run = await runAction({ 'auto-merge': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      changed: 'true',
      'pull-request-number': '1',
      'pull-request-url': `${github.apiUrl}/owner/repo/pull/1`,
      'pull-request-operation': 'created',
      deferred: '0'
    })

    // One commit on top of main, written by GitHub (verified), holding both files.
    const head = github.commit(github.branchSha(BRANCH)!)
    expect(head.parents).toEqual([mainBefore])
    expect(head.verified).toBe(true)
    expect(head.message).toBe('Update container image digests')
    const workspaceDigests = readFileSync(join(run.workspace, 'digests.json'), 'utf8')
    const workspaceState = readFileSync(join(run.workspace, 'digests.state.json'), 'utf8')
    expect(github.files(BRANCH)).toEqual({
      ...github.files('main'),
      'digests.json': workspaceDigests,
      'digests.state.json': workspaceState
    })
    const digests = JSON.parse(workspaceDigests) as Digests
    const app = `${registry.host}/team/app`
    expect(Object.keys(digests[app]!).sort()).toEqual(['1', '1.0', '1.1'])
    expect(digests[app]!['1']!['linux/amd64']).toMatch(new RegExp(`^${app}:1\\.1\\.0@sha256:`))

    // Through the Git Data API, in order, and nothing else written.
    expect(writesOf()).toEqual([
      'POST /repos/owner/repo/git/blobs',
      'POST /repos/owner/repo/git/blobs',
      'POST /repos/owner/repo/git/trees',
      'POST /repos/owner/repo/git/commits',
      'POST /repos/owner/repo/git/refs',
      'POST /repos/owner/repo/pulls',
      'POST /repos/owner/repo/issues/1/labels',
      'POST /graphql'
    ])
    expect(github.requests().every((request) => request.authorization === `token ${TOKEN}`)).toBe(
      true
    )
    // The update branch's ref twice, 404 both times: read once before the update, and again
    // right before writing. The repository (for its default branch), main's ref, commit, tree
    // and digests.json (the diff's "before"), and the writes. No lookup of an open pull
    // request: none stays open without its branch, and the branch did not exist.
    expect(githubCost(github, BRANCH)).toEqual({
      branchRef: 2,
      repository: 1,
      baseRef: 1,
      commit: 1,
      tree: 1,
      blob: 1,
      writes: 8,
      total: 15
    })

    const [pull] = github.pulls()
    expect(github.pulls()).toHaveLength(1)
    expect(pull).toMatchObject({
      number: 1,
      state: 'open',
      head: BRANCH,
      base: 'main',
      title: 'Update container image digests',
      labels: ['dependencies'],
      autoMerge: { mergeMethod: 'SQUASH' }
    })
    // Exactly the changed tracks: everything, since main had none.
    expect(tableRows(pull!.body!)).toEqual(digestRows(digests))
    expect(pull!.body).toContain('### Tracks added')
    expect(pull!.body).toMatch(/`1\.1\.0@sha256:[0-9a-f]{12}`/)

    expect(run.summary).toContain('## nix-oci-hashes')
    expect(run.summary).toContain(`Opened pull request [#1](${github.apiUrl}/owner/repo/pull/1)`)
    expect(tableRows(run.summary)).toEqual(digestRows(digests))
    expect(run.stdout).toContain('::group::Update digests')
    expect(run.stdout).toContain('::group::Pull request')
    // A branch that does not exist yet is expected, not worth an annotation.
    expect(run.stdout).not.toMatch(/^::(warning|error)/m)
    expectNoSecrets(run)
  })

  test('a further upstream change force-updates the branch and updates the same pull request', async () => {
    await pushIndex(registry, 'team/app', '1.1.1', [AMD64, ARM64], { salt: '1.1.1' })
    const mainSha = github.branchSha('main')!
    const previousHead = github.branchSha(BRANCH)!
    github.resetRequests()
    const run = await runAction({ 'auto-merge': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'pull-request-number': '1',
      'pull-request-operation': 'updated'
    })

    const head = github.commit(github.branchSha(BRANCH)!)
    expect(head.sha).not.toBe(previousHead)
    expect(head.parents).toEqual([mainSha])
    expect(github.readFile(BRANCH, 'digests.json')).toBe(
      readFileSync(join(run.workspace, 'digests.json'), 'utf8')
    )
    expect(writesOf()).toEqual([
      'POST /repos/owner/repo/git/blobs',
      'POST /repos/owner/repo/git/blobs',
      'POST /repos/owner/repo/git/trees',
      'POST /repos/owner/repo/git/commits',
      `PATCH /repos/owner/repo/git/refs/heads/${BRANCH}`,
      'PATCH /repos/owner/repo/pulls/1'
    ])
    expect(github.writes().find((request) => request.method === 'PATCH')!.body).toMatchObject({
      force: true
    })
    // The own branch's reads and the six writes above.
    expect(githubCost(github, BRANCH)).toEqual({ ...OWN_BRANCH_READS, writes: 6, total: 19 })

    expect(github.pulls()).toHaveLength(1)
    const body = github.pulls()[0]!.body!
    expect(body).toMatch(/`1\.1\.1@sha256:[0-9a-f]{12}`/)
    expect(body).not.toMatch(/`1\.1\.0@sha256/)
    const digests = JSON.parse(github.readFile(BRANCH, 'digests.json')!)
    expect(tableRows(body)).toEqual(digestRows(digests))
    expect(run.summary).toContain('Updated pull request [#1]')
    expectNoSecrets(run)
  })

  test('a rerun with nothing new leaves the branch and the pull request alone', async () => {
    const head = github.branchSha(BRANCH)
    github.resetRequests()
    const run = await runAction({ 'auto-merge': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'pull-request-number': '1',
      'pull-request-operation': 'none'
    })
    expect(github.branchSha(BRANCH)).toBe(head)
    // The tree the branch would get is computed locally from the trees GitHub holds.
    expect(writesOf()).toEqual([])
    // The own branch's reads, and no write.
    expect(githubCost(github, BRANCH)).toEqual({ ...OWN_BRANCH_READS, total: 13 })
    expect(run.summary).toContain('Pull request [#1]')
    expect(run.summary).toContain('already proposes exactly these changes')
    expectNoSecrets(run)
  })

  test('once merged, a run deletes the branch, and the next one writes nothing to GitHub', async () => {
    github.mergePull(1)
    github.resetRequests()
    const tidying = await runAction()
    expect(tidying.outputs['pull-request-operation']).toBe('none')
    // main holds everything the merged branch had, state included: nothing to keep it for.
    expect(github.writes().map((write) => `${write.method} ${write.path}`)).toEqual([
      `DELETE /repos/owner/repo/git/refs/heads/${BRANCH}`
    ])
    // The branch read and judged once, and its state file; nothing committed, so its ref is not
    // read again. main's tree is the branch's (the merge squashed exactly that), read once.
    expect(githubCost(github, BRANCH)).toEqual({
      ...BRANCH_READ_ONCE,
      branchRef: 1,
      tree: 1,
      blob: 1,
      pulls: 1,
      writes: 1,
      total: 11
    })
    expect(tidying.summary).toContain(`Deleted \`${BRANCH}\``)
    github.resetRequests()
    const run = await runAction()
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      changed: 'false',
      'pull-request-number': '',
      'pull-request-url': '',
      'pull-request-operation': 'none',
      deferred: '0'
    })
    expect(github.writes()).toEqual([])
    // No branch (one 404), then main's ref, commit and tree: digests.json is current.
    expect(githubCost(github, BRANCH)).toEqual({
      branchRef: 1,
      repository: 1,
      baseRef: 1,
      commit: 1,
      tree: 1,
      total: 5
    })
    expect(github.branchSha(BRANCH)).toBeUndefined()
    expect(github.pulls().filter((pull) => pull.state === 'open')).toEqual([])
    expect(run.summary).toContain('`digests.json` on `main` is up to date')
    expectNoSecrets(run)
  })

  test('dry run: computes and reports the change, makes no GitHub request and writes no file', async () => {
    await pushIndex(registry, 'team/app', '1.2.0', [AMD64, ARM64], { salt: '1.2.0' })
    github.resetRequests()
    const run = await runAction({ 'dry-run': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs).toEqual({
      changed: 'true',
      'pull-request-number': '',
      'pull-request-url': '',
      'pull-request-operation': 'none',
      deferred: '0'
    })
    expect(github.requests()).toEqual([])
    expect(readFileSync(join(run.workspace, 'digests.json'), 'utf8')).toBe(
      github.readFile('main', 'digests.json')
    )
    const app = `${registry.host}/team/app`
    expect(tableRows(run.summary)).toEqual([
      `${app} 1 linux/amd64`,
      `${app} 1 linux/arm64`,
      `${app} 1.2 linux/amd64`,
      `${app} 1.2 linux/arm64`
    ])
    expect(run.summary).toContain('Dry run: nothing was written to GitHub')
    expect(run.summary).toContain('### Tracks added')
    expectNoSecrets(run)
  })

  test('a failing image lets the others into the pull request, then fails the step', async () => {
    github.commitFiles('main', {
      'images.json': imagesJson([{ image: `${registry.host}/team/missing` }])
    })
    github.setAllowAutoMerge(false)
    github.resetRequests()
    const run = await runAction({ 'auto-merge': 'squash' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'pull-request-number': '2',
      'pull-request-operation': 'created'
    })
    const missing = `${registry.host}/team/missing`
    expect(run.stdout).toContain(`::error title=Image failed::${missing}: `)
    expect(run.stdout).toMatch(
      /::error::1 image failed and kept its previous entries \(.*team\/missing\); the other images' changes are in pull request #2/
    )
    expect(run.stdout).toContain('::warning title=Auto-merge not enabled::')
    expect(run.stdout).toContain('Auto merge is not allowed for this repository')

    const pull = github.pulls().find((item) => item.number === 2)!
    expect(pull.state).toBe('open')
    expect(pull.autoMerge).toBeNull()
    const app = `${registry.host}/team/app`
    expect(tableRows(pull.body!)).toEqual([
      `${app} 1 linux/amd64`,
      `${app} 1 linux/arm64`,
      `${app} 1.2 linux/amd64`,
      `${app} 1.2 linux/arm64`
    ])
    expect(pull.body).toContain('### Failed images')
    expect(pull.body).toContain(`\`${missing}\`: `)
    expect(run.summary).toContain('### Failed images')
    const digests = JSON.parse(github.readFile(BRANCH, 'digests.json')!)
    expect(digests[missing]).toBeUndefined()
    expectNoSecrets(run)
  })

  test('a bad token fails the step with GitHub’s reason, and is not printed', async () => {
    const wrong = `ghs_${randomBytes(18).toString('base64url')}`
    github.resetRequests()
    const run = await runAction({}, { token: wrong })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::GitHub API: .*401 Bad credentials \(the token is invalid or expired\)/
    )
    expect(run.stdout.split('\n').filter((line) => line.includes(wrong))).toEqual([
      `::add-mask::${wrong}`
    ])
    expect(github.writes()).toEqual([])
  })

  test('GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql', async () => {
    const enterprise = await startFakeGitHub({
      token: TOKEN,
      enterprise: true,
      owner: 'team',
      repo: 'infra'
    })
    try {
      enterprise.commitFiles('main', { 'images.json': imagesJson(), 'digests.json': '{}\n' })
      const run = await runAction(
        { 'auto-merge': 'rebase', labels: 'dependencies, images', base: 'main' },
        { fake: enterprise }
      )
      expect(run.code).toBe(0)
      expect(enterprise.apiUrl).toMatch(/\/api\/v3$/)
      expect(run.outputs['pull-request-operation']).toBe('created')
      expect(enterprise.pulls()[0]).toMatchObject({
        labels: ['dependencies', 'images'],
        autoMerge: { mergeMethod: 'REBASE' }
      })
      expect(enterprise.requests().some((request) => request.path === '/graphql')).toBe(true)
      // No default-branch lookup when base is given.
      expect(enterprise.requests().some((request) => request.path === '/repos/team/infra')).toBe(
        false
      )
      expectNoSecrets(run, enterprise)
    } finally {
      await enterprise.stop()
    }
  })
})

describe('the check input', () => {
  test('annotates unpinned references on their file and line, and fails the step', async () => {
    const fake = await startFakeGitHub({ token: TOKEN })
    try {
      fake.commitFiles('main', {
        'hosts/web.nix': [
          '{',
          `  virtualisation.oci-containers.containers.app.image = "${registry.host}/team/app:1.0.0";`,
          '  # a comment naming nginx:latest is not a reference',
          `  virtualisation.oci-containers.containers.tool.image = "${registry.host}/team/tool:latest";`,
          '}',
          ''
        ].join('\n'),
        'hosts/vendor/upstream.nix': `{ image = "${registry.host}/team/vendored:latest"; }\n`
      })
      // A repository that only checks: no images.json, no update, nothing written.
      const run = await runAction(
        { update: 'false', check: 'hosts\n', 'check-exclude': 'hosts/vendor/**\n' },
        { fake }
      )
      expect(run.code).toBe(1)
      expect(run.outputs['check-errors']).toBe('2')
      const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error '))
      expect(annotations).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^::error title=nix-oci-hashes unpinned,file=hosts\/web\.nix,line=2,col=\d+::/
          ),
          expect.stringMatching(
            /^::error title=nix-oci-hashes latest-tag,file=hosts\/web\.nix,line=4,col=\d+::/
          )
        ])
      )
      expect(run.stdout).not.toContain('line=3')
      expect(run.stdout).not.toContain('vendor')
      expect(run.stdout).toMatch(/1 file excluded/)
      expect(run.stdout).toMatch(
        /::error::2 image reference problems in hosts; see the annotations/
      )
      expect(run.summary).toContain('### Image references')
      expect(run.outputs['pull-request-operation']).toBeUndefined()
      expect(fake.requests()).toEqual([])
      expectNoSecrets(run, fake)
    } finally {
      await fake.stop()
    }
  })
})

describe('the check input on our own API (imageTrack, lib.image)', () => {
  // An image of its own: the tests above push more tags of team/api as their story goes on.
  beforeAll(async () => {
    await pushIndex(registry, 'team/api', '1.0.0', [AMD64], { salt: 'api-1.0.0' })
    await pushIndex(registry, 'team/api', '1.1.0', [AMD64], { salt: 'api-1.1.0' })
  })
  const host = (): string =>
    [
      '{',
      `  services.nix-oci-hashes.containers.app.imageTrack = { image = "${registry.host}/team/api"; track = "1.1"; };`,
      `  services.nix-oci-hashes.containers.next.imageTrack = { image = "${registry.host}/team/api"; track = "1.2"; };`,
      '}',
      ''
    ].join('\n')
  const unknownTrack = (source: string): string =>
    `::track "1.2" of image "${registry.host}/team/api" is not in ${source}; did you mean "1.0" or "1.1"? available tracks: 1, 1.0, 1.1`
  const ANNOTATION_AT_LINE_3 =
    /^::error title=nix-oci-hashes unknown-track,file=hosts\/web\.nix,line=3,col=\d+::/
  const annotationsOf = (run: ActionRun): string[] =>
    run.stdout.split('\n').filter((line) => /^::(error|warning|notice) /.test(line))
  /** A repository of `files` on a GitHub of its own, checked out and run with `inputs`. */
  async function checkRun(
    files: Record<string, string>,
    inputs: Record<string, string>
  ): Promise<{ run: ActionRun; requests: number }> {
    const fake = await startFakeGitHub({ token: TOKEN })
    try {
      fake.commitFiles('main', files)
      const run = await runAction({ check: 'hosts\n', ...inputs }, { fake })
      expectNoSecrets(run, fake)
      return { run, requests: fake.requests().length }
    } finally {
      await fake.stop()
    }
  }
  const UPDATED = (): Record<string, string> => ({
    'images.json': JSON.stringify([
      {
        image: `${registry.host}/team/api`,
        platforms: ['linux/amd64'],
        tracks: ['major', 'major-minor']
      }
    ]),
    // Nothing is published before the run: only the update's own output knows the tracks.
    'digests.json': '{}\n',
    'hosts/web.nix': host()
  })
  let written = ''

  test("looked up in the digests.json this run's update wrote: an unknown track is an error naming the closest", async () => {
    const { run } = await checkRun(UPDATED(), {})
    written = readFileSync(join(run.workspace, 'digests.json'), 'utf8')
    expect(Object.keys((JSON.parse(written) as Digests)[`${registry.host}/team/api`]!)).toEqual([
      '1',
      '1.0',
      '1.1'
    ])
    expect(run.code).toBe(1)
    expect(run.outputs['check-errors']).toBe('1')
    const found = annotationsOf(run).filter((line) => line.includes('hosts/web.nix'))
    expect(found).toEqual([expect.stringMatching(ANNOTATION_AT_LINE_3)])
    expect(found[0]).toContain(unknownTrack('digests.json'))
    expect(run.stdout).toContain(
      'imageTrack and lib.image references are looked up in digests.json'
    )
    expect(run.summary).toContain(
      '2 image references checked in 1 file: 1 error, 0 warnings, 0 notes'
    )
    expect(run.summary).not.toContain('not looked up')
    expect(run.outputs['pull-request-operation']).toBe('created')
  })

  test('a dry run looks them up in what its update would write, which is on no disk', async () => {
    const { run, requests } = await checkRun(UPDATED(), { 'dry-run': 'true' })
    expect(readFileSync(join(run.workspace, 'digests.json'), 'utf8')).toBe('{}\n')
    expect(run.code).toBe(1)
    const found = annotationsOf(run)
    expect(found).toEqual([expect.stringMatching(ANNOTATION_AT_LINE_3)])
    expect(found[0]).toContain(unknownTrack('digests.json (as this dry run would write it)'))
    expect(run.summary).not.toContain('not looked up')
    expect(requests).toBe(0)
  })

  test('without an update, looked up in the digests.json at the workspace root; its refused entries named', async () => {
    const forged = `{"Bad/Key": {"1": {"linux/amd64": "x"}}, ${written.trim().slice(1)}`
    const { run, requests } = await checkRun(
      { 'digests.json': forged, 'hosts/web.nix': host() },
      { update: 'false' }
    )
    expect(run.code).toBe(1)
    expect(run.outputs['check-errors']).toBe('1')
    const found = annotationsOf(run)
    expect(found).toEqual([
      '::warning title=nix-oci-hashes published data::digests.json: $["Bad/Key"]: "Bad/Key" is not an image name as Docker reads it, of at most 255 characters (rule: image name); skipped: the flake refuses this entry',
      expect.stringMatching(ANNOTATION_AT_LINE_3)
    ])
    expect(found[1]).toContain(unknownTrack('digests.json'))
    expect(run.stdout).toContain('::error::1 image reference problem in hosts; see the annotations')
    expect(run.summary).toContain(
      '2 image references checked in 1 file: 1 error, 0 warnings, 0 notes'
    )
    expect(run.summary).not.toContain('not looked up')
    expect(requests).toBe(0)
  })

  test('with no published data anywhere, the references are counted as not looked up', async () => {
    const { run } = await checkRun({ 'hosts/web.nix': host() }, { update: 'false' })
    expect(run.code).toBe(0)
    expect(run.outputs['check-errors']).toBe('0')
    expect(annotationsOf(run)).toEqual([])
    // Where the action takes published data from, in its own terms: the CLI's options are no
    // use in a workflow.
    const notLookedUp =
      '2 imageTrack or lib.image references not looked up: no published digests found ' +
      '(the `digests` input, a digests.json at the workspace root, or the update in the same step)'
    expect(run.summary).toContain(notLookedUp)
    expect(run.stdout).toContain(notLookedUp)
    expect(run.summary + run.stdout).not.toContain('--digests FILE')
    expect(run.summary + run.stdout).not.toContain('--flake')
  })
})

describe('the dist check (scripts/check-dist.sh)', () => {
  // A throwaway copy of the project, inside the checkout's git-ignored .tmp/ so node_modules can
  // be hard-linked; its dist/ is bundled from the same sources, then made stale on purpose.
  let copy: string
  const check = () =>
    spawnSync('bash', [join(copy, 'scripts', 'check-dist.sh')], {
      cwd: copy,
      encoding: 'utf8',
      timeout: 120_000
    })

  beforeAll(() => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true })
    copy = mkdtempSync(join(ROOT, '.tmp', 'dist-check-test-'))
    const cp = spawnSync(
      'bash',
      [
        '-c',
        'cp -R src scripts package.json tsconfig.json "$1"/ && ' +
          '(cp -al node_modules "$1"/node_modules 2>/dev/null || cp -R node_modules "$1"/node_modules) && ' +
          'cd "$1" && node scripts/bundle.mjs',
        'copy',
        copy
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }
    )
    if (cp.status !== 0) throw new Error(`copy failed: ${cp.stderr}`)
  }, 180_000)

  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  test('passes when dist/ is what the sources build', () => {
    const result = check()
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('dist/ and images.schema.json match the sources')
  })

  /** check() on the copy with one file edited, restored afterwards. */
  const checkEdited = (path: string[], edit: (text: string) => string) => {
    const file = join(copy, ...path)
    const original = readFileSync(file, 'utf8')
    writeFileSync(file, edit(original))
    try {
      return check()
    } finally {
      writeFileSync(file, original)
    }
  }

  test('fails with the diff and what to do when the bundle is stale', () => {
    const result = checkEdited(['dist', 'index.js'], (text) =>
      text.replace('pull-request-operation', 'pull-request-op')
    )
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      '::error file=dist/index.js::dist/index.js is not what the sources build'
    )
    expect(result.stderr).toContain('--- dist/index.js (in the checkout)')
    expect(result.stderr).toMatch(/^-.*"pull-request-op"/m)
    expect(result.stderr).toMatch(/^\+.*"pull-request-operation"/m)
    expect(result.stderr).toContain('Run `npm run bundle` and commit dist/ and images.schema.json')
  })

  test('fails when the generated images.json validator is not what the schema generates', () => {
    // As if images-schema.ts had changed and nobody ran the bundle: the validator lags behind.
    const result = checkEdited(['src', 'update', 'images-validator.generated.js'], (text) =>
      text.replace('"minLength":1', '"minLength":2')
    )
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      '::error file=src/update/images-validator.generated.js::src/update/images-validator.generated.js is not what the sources build'
    )
    expect(result.stderr).not.toContain('::error file=dist/')
  })

  test('fails on a stale images.schema.json and on files the build does not produce', () => {
    const schema = join(copy, 'images.schema.json')
    const original = readFileSync(schema, 'utf8')
    writeFileSync(schema, original.replace('"minItems": 1', '"minItems": 2'))
    writeFileSync(join(copy, 'dist', 'old.js'), '// left over\n')
    try {
      const result = check()
      expect(result.status).toBe(1)
      expect(result.stderr).toContain('images.schema.json is not what the sources build')
      expect(result.stderr).toContain('+./old.js')
    } finally {
      writeFileSync(schema, original)
      rmSync(join(copy, 'dist', 'old.js'))
    }
  })
})

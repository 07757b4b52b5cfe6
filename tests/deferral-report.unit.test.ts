import {
  deferralAnnotation,
  deferredManifests,
  renderDeferralNote
} from '../src/action/deferral-report.js'
import {
  code,
  renderPullRequestBody,
  renderReport,
  type DigestsReport
} from '../src/action/pull-request-body.js'
import type { Deferral } from '../src/update/run-update.js'

const NC = 'docker.io/nextcloud'
const ref = (tag: string, seed: string): string => `${NC}:${tag}@sha256:${seed.repeat(64)}`

const dockerHub: Deferral = {
  registry: 'docker.io',
  manifests: 22,
  reason: '0 of 10 per 3600 s left',
  tracks: [
    { image: NC, track: '31' },
    { image: NC, track: '31.0' }
  ]
}
const ghcr: Deferral = {
  registry: 'ghcr.io',
  manifests: 1,
  reason: '429 Too Many Requests: TOOMANYREQUESTS | retry later',
  tracks: [{ image: 'ghcr.io/o/app', track: '2' }]
}

const report = (deferred: Deferral[]): DigestsReport => ({
  digestsPath: 'digests.json',
  before: {},
  after: { [NC]: { '30': { 'linux/amd64': ref('30.0.4', 'a') } } },
  stale: [],
  failures: [],
  deferred
})

describe('deferral reporting', () => {
  test('the annotation names the registry, the count and its reason', () => {
    expect(deferralAnnotation(dockerHub)).toBe(
      'docker.io: 22 manifests deferred: 0 of 10 per 3600 s left; the next run continues'
    )
    expect(deferralAnnotation({ ...ghcr, reason: 'quota spent' })).toBe(
      'ghcr.io: 1 manifest deferred: quota spent; the next run continues'
    )
  })

  test('the deferred output sums every registry, 0 when none', () => {
    expect(deferredManifests([dockerHub, ghcr])).toBe(23)
    expect(deferredManifests([])).toBe(0)
  })

  test('the note says the update is partial, how much remains and why, per registry', () => {
    expect(renderDeferralNote([dockerHub, ghcr], code)).toEqual([
      '**Partial update:** registry pull quotas deferred 23 manifests (3 tracks not yet ' +
        'resolved); the next scheduled run continues and adds them to this branch.',
      '',
      '- `docker.io`: 22 manifests, 2 tracks: `0 of 10 per 3600 s left`',
      // A pipe in the registry's words cannot break the Markdown.
      '- `ghcr.io`: 1 manifest, 1 track: `429 Too Many Requests: TOOMANYREQUESTS \\| retry later`',
      ''
    ])
    expect(renderDeferralNote([], code)).toEqual([])
  })

  test('the note says how many of the deferred reads are for manifests.json', () => {
    const publishing: Deferral = { ...dockerHub, manifests: 30, manifestsFile: 8 }
    expect(renderDeferralNote([publishing], code)[2]).toBe(
      '- `docker.io`: 30 manifests (8 of them image manifests for manifests.json), 2 tracks: ' +
        '`0 of 10 per 3600 s left`'
    )
  })

  test('the pull request body and the job summary open with the note, above the table', () => {
    const body = renderPullRequestBody(report([dockerHub]), 'nix-oci-hashes/update')
    expect(body.startsWith('**Partial update:** registry pull quotas deferred 22 manifests')).toBe(
      true
    )
    expect(body.indexOf('Partial update')).toBeLessThan(body.indexOf('| Image |'))
    const summary = renderReport(report([dockerHub]), { limit: 300_000, fullListAt: 'the log' })
    expect(summary).toContain('- `docker.io`: 22 manifests, 2 tracks: `0 of 10 per 3600 s left`')
  })

  test('a complete update says nothing about quotas', () => {
    const body = renderPullRequestBody(report([]), 'nix-oci-hashes/update')
    expect(body).not.toContain('Partial update')
    expect(body.startsWith('Updates `digests.json`')).toBe(true)
  })
})

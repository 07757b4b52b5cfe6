import {
  PULL_REQUEST_BODY_LIMIT,
  code,
  renderPullRequestBody,
  renderReport,
  truncateMarkdown,
  type DigestsReport
} from '../src/action/pull-request-body.js'

const hex = (seed: string): string => seed.repeat(64).slice(0, 64)
const ref = (image: string, tag: string, seed: string): string =>
  `${image}:${tag}@sha256:${hex(seed)}`
const NC = 'docker.io/nextcloud'
const PG = 'docker.io/library/postgres'

function report(overrides: Partial<DigestsReport> = {}): DigestsReport {
  return {
    digestsPath: 'digests.json',
    before: {
      [NC]: {
        '30': {
          'linux/amd64': ref(NC, '30.0.3', 'a'),
          'linux/arm64': ref(NC, '30.0.3', 'b')
        },
        '29': { 'linux/amd64': ref(NC, '29.0.9', 'c') }
      },
      [PG]: { '16': { 'linux/amd64': ref(PG, '16.5', 'd') } }
    },
    after: {
      [NC]: {
        '30': {
          'linux/amd64': ref(NC, '30.0.4', 'e'),
          'linux/arm64': ref(NC, '30.0.4', 'f')
        },
        '31': { 'linux/amd64': ref(NC, '31.0.0', '1') }
      },
      [PG]: {
        '16': { 'linux/amd64': ref(PG, '16.5', 'd'), 'linux/arm64': ref(PG, '16.5', '2') }
      }
    },
    stale: [],
    failures: [],
    ...overrides
  }
}

describe('renderReport', () => {
  const options = { limit: PULL_REQUEST_BODY_LIMIT, fullListAt: 'the job summary' }

  test('one row per changed platform, old tag → new tag with short digests', () => {
    const text = renderReport(report(), options)
    expect(text).toContain(
      'Updates `digests.json` to the digests the registries serve now: 5 references in 4 tracks.'
    )
    const rows = text.split('\n').filter((line) => line.startsWith('| `'))
    expect(rows).toEqual([
      '| `docker.io/library/postgres` | `16` | `linux/arm64` | added `16.5@sha256:222222222222` |',
      '| `docker.io/nextcloud` | `29` | `linux/amd64` | removed (was `29.0.9@sha256:cccccccccccc`) |',
      '| `docker.io/nextcloud` | `30` | `linux/amd64` | `30.0.3@sha256:aaaaaaaaaaaa` → `30.0.4@sha256:eeeeeeeeeeee` |',
      '| `docker.io/nextcloud` | `30` | `linux/arm64` | `30.0.3@sha256:bbbbbbbbbbbb` → `30.0.4@sha256:ffffffffffff` |',
      '| `docker.io/nextcloud` | `31` | `linux/amd64` | added `31.0.0@sha256:111111111111` |'
    ])
    // An unchanged reference (postgres 16 amd64) is not listed.
    expect(text).not.toContain('| `16` | `linux/amd64`')
  })

  test('lists tracks added and removed, stale tracks and failed images', () => {
    const r = report({
      stale: [{ image: PG, track: '15' }],
      failures: [{ image: 'ghcr.io/org/app', message: 'GET https://ghcr.io/v2/: 503\nretry later' }]
    })
    const text = renderReport(r, options)
    expect(text).toContain(
      '### Tracks added and removed\n\n1 track added and 1 removed in 1 image.\n\n' +
        '- `docker.io/nextcloud`: 1 track added: `31`; 1 track removed: `29`\n'
    )
    // After the change table, so the table stays the first thing after the summary line.
    expect(text.indexOf('### Tracks added')).toBeGreaterThan(text.indexOf('| Image |'))
    expect(text).toContain('### Stale tracks\n\nNo tag of these tracks exists upstream any more')
    expect(text).toContain('- `docker.io/library/postgres` `15`')
    expect(text).toContain(
      '### Failed images\n\nThese images could not be resolved and keep their previous entries:\n\n' +
        '- `ghcr.io/org/app`: `GET https://ghcr.io/v2/: 503 retry later`'
    )
  })

  test('says so when nothing changed, and still reports failures', () => {
    const same = report().after
    const text = renderReport(
      report({ before: same, after: same, failures: [{ image: NC, message: 'x' }] }),
      options
    )
    expect(text).toContain('No reference in `digests.json` changed.')
    expect(text).not.toContain('| Image |')
    expect(text).not.toContain('### Tracks')
    expect(text).toContain('### Failed images')
  })

  test.each([
    [0, undefined],
    [1, '1 image manifest added to `manifests.json`, from which `lib.fetchImage` builds'],
    [12, '12 image manifests added to `manifests.json`, from which `lib.fetchImage` builds']
  ])('counts %i image manifests added, plainly, even when no reference changed', (added, line) => {
    const same = report().after
    const text = renderReport(
      report({ before: same, after: same, manifests: { path: 'manifests.json', added } }),
      options
    )
    expect(text).toContain('No reference in `digests.json` changed.')
    if (line) expect(text).toContain(line)
    else expect(text).not.toContain('image manifest')
  })

  test('failure text cannot break out of its code span, mention anyone or inject HTML', () => {
    expect(code('a `b` | c\n<img src=x> @octocat')).toBe('``a `b` \\| c <img src=x> @octocat``')
    expect(code('`edge`')).toBe('`` `edge` ``')
  })
})

test('legacy v aliases are counted apart from tracks and named as aliases', () => {
  const IM = 'ghcr.io/immich-app/immich-server'
  const v28 = { 'linux/amd64': ref(IM, 'v2.8.0', 'a') }
  const v27 = { 'linux/amd64': ref(IM, 'v2.7.5', 'b') }
  const text = renderReport(
    {
      digestsPath: 'digests.json',
      before: { [IM]: { '2.7': v27, 'v2.7': v27 } },
      after: { [IM]: { '2.8': v28, 'v2.8': v28, 'v2.7': v27, '2.7': v27 } },
      stale: [],
      failures: []
    },
    { limit: PULL_REQUEST_BODY_LIMIT, fullListAt: 'x' }
  )
  expect(text).toContain(
    '1 track added and 0 removed in 1 image; legacy v aliases, counted apart: 1 added and 0 removed.'
  )
  expect(text).toContain(`- \`${IM}\`: 1 track added: \`2.8\`; 1 legacy alias added: \`v2.8\`\n`)
})

describe('the pull request body', () => {
  function bigReport(images: number): DigestsReport {
    const after: DigestsReport['after'] = {}
    for (let i = 0; i < images; i++) {
      const image = `registry.example.com:5000/team/image-${String(i).padStart(4, '0')}`
      after[image] = {
        '1': { 'linux/amd64': ref(image, '1.2.3', 'a'), 'linux/arm64': ref(image, '1.2.3', 'b') }
      }
    }
    return {
      digestsPath: 'digests.json',
      before: {},
      after,
      stale: [{ image: 'docker.io/nextcloud', track: '28' }],
      failures: [{ image: 'ghcr.io/org/app', message: 'manifest unknown' }]
    }
  }

  test('fits GitHub’s limit by leaving out rows, says how many, and keeps the other sections', () => {
    const r = bigReport(1000)
    const full = renderReport(r, { limit: Number.MAX_SAFE_INTEGER, fullListAt: 'x' })
    expect(full.length).toBeGreaterThan(PULL_REQUEST_BODY_LIMIT)

    const body = renderPullRequestBody(r, 'nix-oci-hashes/update')
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT)
    const shown = body.split('\n').filter((line) => line.startsWith('| `')).length
    const omitted = Number(/_…and (\d+) more changes not listed here/.exec(body)?.[1])
    expect(shown).toBeGreaterThan(100)
    expect(shown + omitted).toBe(2000)
    // The track list keeps its totals whole and at most half the room.
    expect(body).toContain('1000 tracks added and 0 removed in 1000 images.')
    const listed = body.split('\n').filter((line) => line.startsWith('- `registry')).length
    const more = Number(/_…and (\d+) more images not listed here;/.exec(body)?.[1])
    expect(listed).toBeGreaterThan(100)
    expect(listed + more).toBe(1000)
    expect(body).toContain(
      "to stay within 65,536 characters; the workflow run's job summary lists all of them._"
    )
    expect(body).toContain('### Failed images')
    expect(body).toContain('### Stale tracks')
    expect(body).toContain('Each run rewrites the branch `nix-oci-hashes/update`')
    // As many rows as fit: the room left is less than one more row.
    const row = body.split('\n').find((line) => line.startsWith('| `'))!
    expect(PULL_REQUEST_BODY_LIMIT - body.length).toBeLessThan(row.length + 1)
  })

  test('a body of only its fixed sections past the limit is cut at a line with a note', () => {
    const failures = Array.from({ length: 3000 }, (_, i) => ({
      image: `ghcr.io/org/app-${i}`,
      message: 'manifest unknown'
    }))
    const body = renderPullRequestBody({ ...bigReport(0), failures }, 'b')
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_LIMIT)
    expect(body).toMatch(
      /\n\n_This text was cut to stay within 65,536 characters; the workflow run's job summary has all of it._\n$/
    )
  })
})

test('truncateMarkdown leaves short text alone and cuts long text at a line break', () => {
  expect(truncateMarkdown('short\n', 100, 'x')).toBe('short\n')
  const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')
  const cut = truncateMarkdown(long, 200, 'the log')
  expect(cut.length).toBeLessThanOrEqual(200)
  expect(
    cut
      .split('\n\n')[0]!
      .split('\n')
      .every((line) => /^line \d+$/.test(line))
  ).toBe(true)
  expect(cut).toContain('the log has all of it')
})

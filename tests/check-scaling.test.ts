// `check` on a repository far larger than any real one: one compose file of 150,000 image
// references. The work per reference must not grow with the number of references, and what is
// found must be exactly what the references say. Speed is not asserted; the run is bounded in
// time (a quadratic check does not finish within it) and its peak memory is capped.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Finding } from '../src/check/findings.js'
import { runCliMeasured } from './harness/hostile.js'
import { scalingReference, writeScalingRepo } from './harness/scaling-repos.js'

const REFERENCES = 150_000
const MIB = 1024 * 1024
/**
 * The whole CLI process, node itself included. Most of it is the YAML library's syntax tree of
 * the one file; the check with its list of references rebuilt per reference went past it.
 */
const RSS_CAP = 1024 * MIB
/** Loaded 2-core machine: the linear check finishes in a small part of this. */
const RUN_MS = 240_000

describe('check with 150,000 references in one file', () => {
  let folder: string
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-scaling-'))
    // One image (and an `edge:latest` beside it): every reference lands in one consistency group.
    writeScalingRepo(folder, 'compose', REFERENCES, 1)
  })
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  test(
    'finds what each reference says, once, within the memory cap',
    async () => {
      const run = await runCliMeasured(['check', '--offline', '--format', 'json'], {
        cwd: folder,
        timeoutMs: RUN_MS
      })
      expect(run.stderr).not.toMatch(/RangeError|heap out of memory/)
      expect(run.code).toBe(1)
      const report = JSON.parse(run.stdout) as {
        findings: Finding[]
        summary: { references: number }
      }
      expect(report.summary.references).toBe(REFERENCES)
      // What each reference's text says: `:latest`, or a tag without a digest.
      const expected = new Map<string, number>()
      for (let i = 0; i < REFERENCES; i++) {
        const reference = scalingReference(i, 1)
        const rule = reference.endsWith(':latest')
          ? 'latest-tag'
          : reference.includes('@')
            ? null
            : 'unpinned'
        if (rule) expected.set(rule, (expected.get(rule) ?? 0) + 1)
      }
      // The one image at seven versions.
      expected.set('inconsistent-references', 1)
      const found = new Map<string, number>()
      for (const { rule } of report.findings) found.set(rule, (found.get(rule) ?? 0) + 1)
      expect(Object.fromEntries(found)).toEqual(Object.fromEntries(expected))
      // Grouped whole: the first version's every reference counted, the first three listed.
      const atFirstVersion = Array.from({ length: REFERENCES }, (_, i) =>
        scalingReference(i, 1)
      ).filter((reference) => reference.startsWith('registry.example/team/app0:1.1.0'))
      const inconsistent = report.findings.find((f) => f.rule === 'inconsistent-references')!
      expect(inconsistent).toMatchObject({ file: 'compose.yaml', line: 5 })
      expect(inconsistent.message).toContain(
        `registry.example/team/app0 is used at 7 versions: 1.1.0 (compose.yaml:5, compose.yaml:19, compose.yaml:33 and ${atFirstVersion.length - 3} more); `
      )
      // Sorted by line, each reference's finding at its own line.
      const lines = report.findings.map((f) => f.line)
      expect(lines.every((line, i) => i === 0 || lines[i - 1]! <= line)).toBe(true)
      expect(run.peakRssBytes).toBeLessThan(RSS_CAP)
    },
    RUN_MS + 60_000
  )
})

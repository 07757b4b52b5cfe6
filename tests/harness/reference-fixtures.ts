// Fixture trees for `check` and `pin`: copied to a temp folder with every `{{key}}` replaced by a
// digest from seeding, so no digest is written into a fixture by hand. A key never starts with a
// space, `.` or `-`, so a Helm template's `{{ .Values.x }}` and `{{- if … }}` stay as they are.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Finding } from '../../src/check/findings.js'
import { runCli, type CliRun } from './cli.js'
import { startRegistry, type TestRegistry } from './registry.js'
import { deleteTag, pushIndex, pushSingle, type Platform } from './seed.js'

export const AMD64: Platform = { os: 'linux', architecture: 'amd64' }
export const ARM64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }

export const FIXTURES = join(process.cwd(), 'tests/fixtures/check')

/**
 * Seeds what the fixtures reference. Docker Hub names (`nginx`) and `ghcr.io/acme/…` both reach
 * the local registry through --mirror. Keys: `name:tag` → index digest, `name:tag os/arch` →
 * that platform's image, plus `… old` (a tag that moved since) and `… deleted` (a manifest gone).
 */
export async function seedReferences(registry: TestRegistry): Promise<Record<string, string>> {
  const digests: Record<string, string> = {}
  const index = async (name: string, repo: string, tags: string[], salt: string) => {
    const result = await pushIndex(registry, repo, tags, [AMD64, ARM64], { salt })
    for (const tag of tags) {
      digests[`${name}:${tag}`] = result.digest
      for (const [platform, digest] of Object.entries(result.manifests)) {
        digests[`${name}:${tag} ${platform.replace(/\/v8$/, '')}`] = digest
      }
    }
    return result
  }
  await index('nginx', 'library/nginx', ['1.27.3', 'latest'], 'nginx')
  await index('redis', 'library/redis', ['7.4.1'], 'redis-7.4.1')
  await index('redis', 'library/redis', ['7.2.0'], 'redis-7.2.0')
  await index('busybox', 'library/busybox', ['1.36.1'], 'busybox')
  await index('postgres', 'library/postgres', ['16.4'], 'postgres')
  await index('ghcr.io/acme/web', 'acme/web', ['2.0.0'], 'web')
  // The worker's tag moves after the fixture pinned it; the old manifest stays pullable.
  digests['ghcr.io/acme/worker:1.4.0 old'] = (
    await pushIndex(registry, 'acme/worker', '1.4.0', [AMD64, ARM64], { salt: 'worker-old' })
  ).digest
  await index('ghcr.io/acme/worker', 'acme/worker', ['1.4.0'], 'worker-new')
  // The api's pinned manifest was deleted, then the tag pushed again.
  await pushIndex(registry, 'acme/api', '3.1.0', [AMD64, ARM64], { salt: 'api-old' })
  digests['ghcr.io/acme/api:3.1.0 deleted'] = await deleteTag(registry, 'acme/api', '3.1.0')
  await index('ghcr.io/acme/api', 'acme/api', ['3.1.0'], 'api-new')
  digests['ghcr.io/acme/single:1.0.0'] = (
    await pushSingle(registry, 'acme/single', '1.0.0', AMD64, { salt: 'single' })
  ).digest
  return digests
}

/** Copies `tests/fixtures/check/<name>` to a fresh temp folder, filling in digests. */
export function fixtureTree(name: string, digests: Record<string, string>): string {
  const target = mkdtempSync(join(tmpdir(), `nix-oci-hashes-${name.replace(/\//g, '-')}-`))
  copyTree(join(FIXTURES, name), target, digests)
  return target
}

function copyTree(from: string, to: string, digests: Record<string, string>): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isDirectory()) {
      mkdirSync(target)
      copyTree(source, target, digests)
    } else {
      const text = readFileSync(source, 'utf8').replace(
        /\{\{([^}\s.-][^}]*)\}\}/g,
        (_, key: string) => {
          const digest = digests[key]
          if (!digest) throw new Error(`${source}: no seeded digest for {{${key}}}`)
          return digest
        }
      )
      writeFileSync(target, text)
    }
  }
}

/** `--mirror` arguments that send Docker Hub and ghcr.io to the local registry. */
export function mirrorArgs(registry: TestRegistry): string[] {
  return ['--mirror', `docker.io=${registry.url}`, '--mirror', `ghcr.io=${registry.url}`]
}

/** What `check --format json` prints. */
export interface JsonReport {
  findings: Finding[]
  summary: Record<string, number>
  skipped: Array<{ file: string; line: number; reason: string; reference?: string }>
}

/** `file:line rule` for each finding, for exact comparisons. */
export function findingKeys(
  findings: Array<{ file: string; line: number; rule: string; severity: string }>
): string[] {
  return findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}`).sort()
}

/**
 * A registry seeded with what the fixtures reference, started before a suite's tests and stopped
 * after them; `cli` runs a command against it through --mirror.
 */
export function seededRegistrySuite(): {
  digests: () => Record<string, string>
  cli: (cwd: string, command: string, ...args: string[]) => Promise<CliRun>
  /** The --mirror arguments, for runs started some other way. */
  mirrors: () => string[]
} {
  let registry: TestRegistry | undefined
  let digests: Record<string, string> = {}
  beforeAll(async () => {
    registry = await startRegistry()
    digests = await seedReferences(registry)
  })
  afterAll(async () => {
    await registry?.stop()
  })
  return {
    digests: () => digests,
    cli: (cwd, command, ...args) =>
      runCli([command, ...mirrorArgs(registry!), '--retries', '0', ...args], { cwd }),
    mirrors: () => mirrorArgs(registry!)
  }
}

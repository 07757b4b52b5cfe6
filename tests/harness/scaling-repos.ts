// Repositories holding many image references, for the check's scaling benchmark
// (bench/check-scaling.ts) and its memory test: one shape per file kind the check scans.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SCALING_SHAPES = ['compose', 'compose-files', 'nix', 'dockerfile'] as const
export type ScalingShape = (typeof SCALING_SHAPES)[number]

/** References per compose file in the `compose-files` shape. */
export const REFERENCES_PER_FILE = 10

/** Images the references spread over by default: few, as in many services on one stack. */
const IMAGES = 2

/**
 * The i-th reference, of `images` images. Half of them are used at seven versions (one
 * inconsistent-references finding per image and project), the other half at one version pinned to
 * several digests (one such finding per project); every third reference is pinned; every
 * fiftieth is another image's `:latest`.
 */
export function scalingReference(i: number, images = IMAGES): string {
  if (i % 50 === 0) return 'registry.example/team/edge:latest'
  const image = i % images
  const name = `registry.example/team/app${image}`
  const version = image < images / 2 ? `1.${i % 7}.0` : '2.0.0'
  if (i % 3 !== 0) return `${name}:${version}`
  const digest = `sha256:${((i % 4) + 1).toString(16).padStart(64, 'a')}`
  return `${name}:${version}@${digest}`
}

function composeFile(from: number, to: number, images: number): string {
  const lines = ['services:']
  for (let i = from; i < to; i++)
    lines.push(`  s${i}:`, `    image: ${scalingReference(i, images)}`)
  return lines.join('\n') + '\n'
}

/** Writes `count` references in the shape's files under `folder` (which must exist). */
export function writeScalingRepo(
  folder: string,
  shape: ScalingShape,
  count: number,
  images = IMAGES
): void {
  switch (shape) {
    case 'compose':
      writeFileSync(join(folder, 'compose.yaml'), composeFile(0, count, images))
      return
    case 'compose-files':
      for (let from = 0; from < count; from += REFERENCES_PER_FILE) {
        const project = join(folder, `p${from / REFERENCES_PER_FILE}`)
        mkdirSync(project)
        const to = Math.min(count, from + REFERENCES_PER_FILE)
        writeFileSync(join(project, 'compose.yaml'), composeFile(from, to, images))
      }
      return
    case 'nix': {
      // Every fifth reference names its registry through a `let` binding, every seventh is our
      // own API's `imageTrack`, written as attribute paths in the one set.
      const lines = ['{ ... }:', 'let', '  registry = "registry.example";', 'in', '{']
      lines.push('  virtualisation.oci-containers.containers = {')
      for (let i = 0; i < count; i++) {
        const reference = scalingReference(i, images)
        if (i % 7 === 6) {
          const image = reference.replace(/:.*/, '')
          lines.push(
            `    c${i}.imageTrack.image = "${image}";`,
            `    c${i}.imageTrack.track = "1";`
          )
        } else if (i % 5 === 4) {
          lines.push(`    c${i}.image = "${reference.replace('registry.example', '${registry}')}";`)
        } else lines.push(`    c${i}.image = "${reference}";`)
      }
      lines.push('  };', '}')
      writeFileSync(join(folder, 'containers.nix'), lines.join('\n') + '\n')
      return
    }
    case 'dockerfile': {
      const lines: string[] = []
      for (let i = 0; i < count; i++) lines.push(`FROM ${scalingReference(i, images)} AS s${i}`)
      writeFileSync(join(folder, 'Dockerfile'), lines.join('\n') + '\n')
      return
    }
  }
}

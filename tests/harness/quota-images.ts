// The images of the action's pull-quota cold starts: 3 repositories × 10 tags, one
// major-minor-patch track each, so a cold start reads 30 index manifests (each for two
// platforms). Shared by the suites that run the action against the quota stand-in.
import type { FakeGitHub } from './github-api/index.js'
import type { TestRegistry } from './registry.js'
import { AMD64, ARM64 } from './reference-fixtures.js'
import { pushIndex } from './seed.js'

export const REPOSITORIES = ['quota/a', 'quota/b', 'quota/c']
export const TAGS = Array.from({ length: 10 }, (_, minor) => `1.${minor}.0`)

/** Pushes the same images (same bytes, same digests) to every registry given. */
export async function seedQuotaImages(registries: readonly TestRegistry[]): Promise<void> {
  for (const repository of REPOSITORIES)
    for (const tag of TAGS)
      for (const registry of registries)
        await pushIndex(registry, repository, tag, [AMD64, ARM64], { salt: `${repository} ${tag}` })
}

/** Commits images.json naming the images at `host` and an empty digests.json to main. */
export function commitQuotaImages(github: FakeGitHub, host: string): void {
  const images = REPOSITORIES.map((repository) => ({
    image: `${host}/${repository}`,
    tracks: ['major-minor-patch']
  }))
  github.commitFiles('main', { 'images.json': JSON.stringify(images), 'digests.json': '{}\n' })
}

/** Every `image track platform` row a converged run proposes for the images at `host`. */
export function quotaRows(host: string): string[] {
  return REPOSITORIES.flatMap((repository) =>
    TAGS.flatMap((tag) =>
      ['linux/amd64', 'linux/arm64'].map((platform) => `${host}/${repository} ${tag} ${platform}`)
    )
  ).sort()
}

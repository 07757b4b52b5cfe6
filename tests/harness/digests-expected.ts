// What a converged update writes for images seeded by the harness: shared by the suites that
// seed the same tags on several registries and compare whole documents.
import type { Digests } from './documents.js'

/** repository → tag → platform → image manifest digest, as pushIndex returned them. */
export type Seeded = Record<string, Record<string, Record<string, string>>>

/**
 * The document for `repositories` reached at `host`, one major-minor-patch track per seeded
 * tag, the amd64 and arm64/v8 images of each index.
 */
export function expectedDocument(seeded: Seeded, host: string, repositories: string[]): Digests {
  const document: Digests = {}
  for (const repository of repositories) {
    const name = `${host}/${repository}`
    document[name] = {}
    for (const [tag, manifests] of Object.entries(seeded[repository]!)) {
      document[name][tag] = {
        'linux/amd64': `${name}:${tag}@${manifests['linux/amd64']}`,
        'linux/arm64': `${name}:${tag}@${manifests['linux/arm64/v8']}`
      }
    }
  }
  return document
}

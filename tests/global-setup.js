// The CLI and action tests run dist/ the way users and the Actions runner do, so build it from
// the current sources once before any test file starts.
import { execFileSync } from 'node:child_process'

export default function bundleBeforeTests() {
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' })
}

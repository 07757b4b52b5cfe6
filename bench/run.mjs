// `npm run bench`: bundles the benchmark and the CLI it measures into a temporary folder with
// esbuild (as scripts/bundle.mjs does for dist/, without touching dist/), then runs them on this
// Node.js. Arguments after `--` go to the benchmark; see `npm run bench -- --help`.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'

const out = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bench-build-'))
const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (undici, bcryptjs) call require() for node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
}
try {
  await build({ ...shared, entryPoints: ['bench/bench.ts'], outfile: join(out, 'bench.mjs') })
  await build({ ...shared, entryPoints: ['src/cli/index.ts'], outfile: join(out, 'cli.mjs') })
  const child = spawn(process.execPath, [join(out, 'bench.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CLI: join(out, 'cli.mjs') }
  })
  // Ctrl-C reaches the benchmark too (same process group); it stops its registry on the way out.
  process.exitCode = await new Promise((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  )
} finally {
  rmSync(out, { recursive: true, force: true })
}

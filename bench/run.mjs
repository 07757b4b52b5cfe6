// `npm run bench` and `npm run bench:check`: bundles a benchmark (the first argument, a .ts file)
// and the CLI it measures into a temporary folder with esbuild (with scripts/bundle.mjs's
// settings, without touching dist/), then runs them on this Node.js. Arguments after `--` go to
// the benchmark; see `npm run bench -- --help`.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { SHARED, buildCli } from '../scripts/build-cli.mjs'

const [entry, ...args] = process.argv.slice(2)
const out = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-bench-build-'))
try {
  await build({ ...SHARED, entryPoints: [entry], outfile: join(out, 'bench.mjs') })
  const cli = await buildCli(join(out, 'cli'))
  // As in the checkout (package.json's "type"): without it Node.js would first try every chunk
  // as CommonJS, and the start-up figure would measure that detour.
  writeFileSync(join(out, 'cli', 'package.json'), '{ "type": "module" }\n')
  const child = spawn(process.execPath, [join(out, 'bench.mjs'), ...args], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CLI: cli }
  })
  // Ctrl-C reaches the benchmark too (same process group); it stops its registry on the way out.
  process.exitCode = await new Promise((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  )
} finally {
  rmSync(out, { recursive: true, force: true })
}

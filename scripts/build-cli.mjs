// The esbuild settings of the bundles, shared by scripts/bundle.mjs (dist/) and bench/run.mjs
// (a temporary folder), so the benchmark measures the CLI exactly as it ships.
import { chmodSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

export const SHARED = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies (undici) call require() for node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
  }
}

/**
 * The CLI, split: `outdir`/cli.js stays the entry and loads the chunk of the command it runs
 * (check and pin bring the yaml parser, update and the registry client bring undici), so a run
 * with nothing to do does not parse the 1.7 MB that a single file would hold. The chunks are
 * relative imports beside it, so a checkout without node_modules still runs it.
 */
export async function buildCli(outdir) {
  // Chunk names carry a content hash: drop the previous build's, which nothing imports any more.
  rmSync(join(outdir, 'cli-chunks'), { recursive: true, force: true })
  await build({
    ...SHARED,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir,
    splitting: true,
    chunkNames: 'cli-chunks/[name]-[hash]',
    banner: { js: '#!/usr/bin/env node\n' + SHARED.banner.js }
  })
  // Executable, so pre-commit's `language: script` hook and `./dist/cli.js` run it directly.
  chmodSync(join(outdir, 'cli.js'), 0o755)
  return join(outdir, 'cli.js')
}

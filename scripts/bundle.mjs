// esbuild: one self-contained ES module per entry point in well under a second, with no
// plugin chain (ncc drags in webpack, rollup needs three plugins for the same result).
import { chmodSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { writeImagesValidator } from './images-validator.mjs'

const shared = {
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

// images.schema.json is generated from src/update/images-schema.ts so the code and the file editors
// read can never disagree; the dist check compares it like the bundles.
const schemaModule = await build({
  entryPoints: ['src/update/images-schema.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
  logLevel: 'warning'
})
const { imagesSchema } = await import(
  'data:text/javascript;base64,' + Buffer.from(schemaModule.outputFiles[0].text).toString('base64')
)
writeFileSync('images.schema.json', JSON.stringify(imagesSchema, null, 2) + '\n')
// Before the bundles, which include it.
writeImagesValidator(imagesSchema)

await build({ ...shared, entryPoints: ['src/action/index.ts'], outfile: 'dist/index.js' })
// The CLI is split: dist/cli.js stays the entry and loads the chunk of the command it runs
// (check and pin bring the yaml parser, update and the registry client bring undici), so a run
// with nothing to do does not parse the 1.7 MB that a single file would hold. The chunks are
// relative imports beside it, so a checkout without node_modules still runs it.
await build({
  ...shared,
  entryPoints: { cli: 'src/cli/index.ts' },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'cli-chunks/[name]-[hash]',
  banner: { js: '#!/usr/bin/env node\n' + shared.banner.js }
})
// Executable, so pre-commit's `language: script` hook and `./dist/cli.js` run it directly.
chmodSync('dist/cli.js', 0o755)

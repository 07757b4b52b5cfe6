// esbuild: the action as one self-contained ES module, the CLI as an entry with lazily loaded
// chunks, in well under a second and with no plugin chain (ncc drags in webpack, rollup needs
// three plugins for the same result).
import { writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { SHARED, buildCli } from './build-cli.mjs'
import { writeImagesValidator } from './images-validator.mjs'

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

await build({ ...SHARED, entryPoints: ['src/action/index.ts'], outfile: 'dist/index.js' })
await buildCli('dist')

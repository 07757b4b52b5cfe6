// `npm run bench:consumer`: bundles bench/consumer-build.ts with esbuild into .tmp/bench/ (two
// levels below the checkout, where the harness finds the flake files it copies) and runs it.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { SHARED } from '../scripts/build-cli.mjs'

const out = join('.tmp', 'bench', 'consumer-build.mjs')
mkdirSync(join('.tmp', 'bench'), { recursive: true })
await build({ ...SHARED, entryPoints: ['bench/consumer-build.ts'], outfile: out })
const child = spawn(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' })
process.exitCode = await new Promise((resolve) =>
  child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
)

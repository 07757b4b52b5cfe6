// The esbuild settings of the bundles, shared by scripts/bundle.mjs (dist/) and bench/run.mjs
// (a temporary folder), so the benchmark measures the CLI exactly as it ships.
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
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
 * How the CLI's chunks load Node.js built-ins and the dependencies in ON_DEMAND: on first use, so
 * that a run with nothing to do loads little more than Node.js itself (docs/performance.md, Start-up).
 *
 * An ES `import { parseArgs } from 'node:util'` builds the module's whole namespace, which runs
 * every lazy getter of node:util or node:fs and loads some 34 internal modules (streams,
 * worker_threads, readline) such a run never uses; node:crypto costs ~38 internal modules and
 * node:child_process ~37 (net, dgram, the streams) though only real work hashes or spawns; semver,
 * yaml, picomatch and dotenv build regular expressions and classes as they are evaluated. So each
 * import of one of these is served by a stub: its functions are wrappers that load the module
 * (through the banner's `require`) on their first call, its other exports (classes, constants)
 * are read from the module when the importing chunk is evaluated (pure, so dropped when unused),
 * and its default export is the module itself, behind a Proxy that loads it on first use.
 * Bundled CommonJS code (undici) keeps its plain require().
 */
const ON_DEMAND = /^(node:.*|semver|yaml|picomatch|dotenv)$/
const requireAtBuild = createRequire(import.meta.url)

/**
 * The names `importer` imports from `specifier`: 'default' and the named imports (type-only
 * ones left out, as TypeScript drops them). From the source text rather than from the module's
 * exports, so the stub, and with it every chunk's name, is the same on every Node.js version.
 */
function importedNames(importer, specifier) {
  const text = readFileSync(importer, 'utf8')
  const quoted = specifier.replace(/[/.]/g, '\\$&')
  const pattern = new RegExp(`import\\s+(?!type\\s)([^;'"]*?)\\s+from\\s+['"]${quoted}['"]`, 'g')
  const names = new Set()
  for (const [, clause] of text.matchAll(pattern)) {
    if (clause.includes('*')) throw new Error(`${importer}: import * from ${specifier} has no stub`)
    const named = /\{([^}]*)\}/.exec(clause)
    if (/^\s*[\w$]+/.test(clause.replace(/\{[^}]*\}/, ''))) names.add('default')
    for (const part of named?.[1].split(',') ?? []) {
      const [name] = part.trim().split(/\s+as\s+/)
      if (name && !name.startsWith('type ')) names.add(name)
    }
  }
  return [...names].sort()
}

/**
 * node:fs/promises loads ~10 more internal modules (readline among them) on top of node:fs; a run
 * with nothing to do only reads (images.json, the state, a config file, a folder listing), so
 * these reads go through node:fs's callback functions, which take the same arguments and give
 * the same results and errors. Writes (open, rename, unlink, writeFile) keep fs/promises.
 */
const READS_THROUGH_FS = new Set(['readFile', 'readdir', 'stat', 'lstat'])

function stubFor(specifier, names) {
  const real = requireAtBuild(specifier)
  const id = JSON.stringify(specifier)
  // The stub's own names start with __, which no export of these modules does.
  const exports = names.map((name) => {
    if (name === 'default')
      // A callable target, so a module that is a function (picomatch, node:module) stays one.
      return [
        'export default new Proxy(() => {}, {',
        '  get: (_, key) => __load()[key],',
        '  apply: (_, self, args) => Reflect.apply(__load(), self, args)',
        '})'
      ].join('\n')
    if (specifier === 'node:fs/promises' && READS_THROUGH_FS.has(name))
      return [
        `export function ${name}(...args) {`,
        `  return new Promise((resolve, reject) =>`,
        `    require('node:fs').${name}(...args, (error, value) => (error ? reject(error) : resolve(value)))`,
        '  )',
        '}'
      ].join('\n')
    if (typeof real[name] === 'function' && !/^[A-Z]/.test(name))
      return `export function ${name}(...args) { return __load().${name}(...args) }`
    return `export const ${name} = /* @__PURE__ */ __read(${JSON.stringify(name)})`
  })
  return [
    'let __module',
    `const __load = () => (__module ??= require(${id}))`,
    'const __read = (name) => __load()[name]',
    ...exports
  ].join('\n')
}

export const dependenciesOnDemand = {
  name: 'dependencies-on-demand',
  setup(build) {
    build.onResolve({ filter: ON_DEMAND }, (args) => {
      if (args.kind === 'import-statement' && args.namespace === 'file') {
        const names = importedNames(args.importer, args.path)
        return { path: `${args.path}:${names.join(',')}`, namespace: 'on-demand' }
      }
      // The stub's own require(), and bundled CommonJS code's: the module itself.
      return args.path.startsWith('node:') ? { path: args.path, external: true } : undefined
    })
    build.onLoad({ filter: /.*/, namespace: 'on-demand' }, (args) => {
      const split = args.path.lastIndexOf(':')
      const names = args.path
        .slice(split + 1)
        .split(',')
        .filter(Boolean)
      return {
        contents: stubFor(args.path.slice(0, split), names),
        loader: 'js',
        resolveDir: process.cwd()
      }
    })
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
    plugins: [dependenciesOnDemand],
    banner: { js: '#!/usr/bin/env node\n' + SHARED.banner.js }
  })
  // Executable, so pre-commit's `language: script` hook and `./dist/cli.js` run it directly.
  chmodSync(join(outdir, 'cli.js'), 0o755)
  return join(outdir, 'cli.js')
}

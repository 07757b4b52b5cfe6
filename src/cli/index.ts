// The CLI's entry point (dist/cli.js): picks the command and turns errors into exit status 2.
// It stays small and loads only the chosen command's code, so a run that has nothing to do costs
// little more than starting Node.js (the bundle's 1.7 MB are mostly undici and yaml).
import module from 'node:module'
import { parseArgs } from 'node:util'
import { MirrorError } from '../registry/mirrors.js'
import { CHECK_OPTIONS, PIN_OPTIONS, UPDATE_OPTIONS, UsageError } from './options.js'
import { printErr, printOut } from './print.js'
import { TOOL_NAME, TOOL_VERSION } from '../common/tool-version.js'

// Node.js ≥ 22.1 keeps the compiled code of the chunks loaded below on disk (in the OS temporary
// folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later runs skip parsing them.
module.enableCompileCache?.()

/** The command word, found the way the strict parse will see it (option values skipped). */
function commandOf(argv: string[]): string | undefined {
  const { positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { ...UPDATE_OPTIONS, ...CHECK_OPTIONS, ...PIN_OPTIONS }
  })
  return positionals[0]
}

const USAGE = `Usage: nix-oci-hashes COMMAND [options]

Commands:
  update   resolve images.json's version tracks to per-platform digests; rewrite digests.json
  check    find image references in Nix, Dockerfile, compose and Kubernetes files and report
           the unpinned, the broken and the inconsistent, and versions that disagree
  pin      rewrite name:tag references to name:tag@sha256:<digest>, from the registry or
           offline from a digests.json

Run "nix-oci-hashes COMMAND --help" for a command's options, "nix-oci-hashes --version" for
the version.`

async function main(argv: string[]): Promise<number> {
  const command = commandOf(argv)
  if (command === undefined && (argv.includes('--help') || argv.includes('-h'))) {
    printOut(USAGE + '\n')
    return 0
  }
  if (command === undefined && argv.length === 1 && argv[0] === '--version') {
    printOut(`${TOOL_NAME} ${TOOL_VERSION}\n`)
    return 0
  }
  if (command === 'check') return (await import('./check.js')).checkMain(argv)
  if (command === 'pin') return (await import('./pin.js')).pinMain(argv)
  return (await import('./update.js')).updateMain(argv)
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      error instanceof MirrorError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    printErr(`nix-oci-hashes: ${(error as Error).message}\n`)
    if (usage) printErr('Run "nix-oci-hashes --help" for usage.\n')
    process.exitCode = 2
  }
)

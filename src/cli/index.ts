// The CLI's entry point (dist/cli.js): picks the command and turns errors into exit status 2.
import { parseArgs } from 'node:util'
import { MirrorError } from '../registry/mirrors.js'
import { UsageError } from './arguments.js'
import { CHECK_OPTIONS, checkMain } from './check.js'
import { PIN_OPTIONS, pinMain } from './pin.js'
import { UPDATE_OPTIONS, updateMain } from './update.js'

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

async function main(argv: string[]): Promise<number> {
  const command = commandOf(argv)
  if (command === 'check') return checkMain(argv)
  if (command === 'pin') return pinMain(argv)
  return updateMain(argv)
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
    process.stderr.write(`nix-oci-hashes: ${(error as Error).message}\n`)
    if (usage) process.stderr.write('Run "nix-oci-hashes --help" for usage.\n')
    process.exitCode = 2
  }
)

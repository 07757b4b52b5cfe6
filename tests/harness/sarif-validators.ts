// Two independent judges of a SARIF log, both from the SARIF SDK's own npm package
// (@microsoft/sarif-multitool): its copy of the SARIF 2.1.0 JSON schema, applied with ajv (the
// multitool's own schema pass skips `enum` and `minimum`), and the multitool's `validate`, which
// adds the SARIF rules (SARIF1xxx/2xxx) and GitHub code scanning's ingestion rules (GHxxxx).
import { execFile } from 'node:child_process'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js'

// The project's own node_modules, for the two CommonJS packages below.
const projectRequire = createRequire(join(process.cwd(), 'package.json'))
// ajv-formats is CommonJS whose module object is the plugin itself.
const addFormats = projectRequire('ajv-formats') as (ajv: Ajv2020) => Ajv2020

/** The multitool's platform binary; its folder also holds sarif-2.1.0.json. */
function multitoolBinary(): string {
  let binary: string
  try {
    binary = projectRequire('@microsoft/sarif-multitool') as string
    accessSync(binary, constants.X_OK)
  } catch (error) {
    throw new Error(
      `the SARIF multitool is missing or not executable (${(error as Error).message}): ` +
        '`npm ci` installs @microsoft/sarif-multitool, a devDependency, and its postinstall ' +
        'script makes the binary executable',
      { cause: error }
    )
  }
  return binary
}

let schemaValidator: ((log: unknown) => string[]) | undefined

/** Every way `log` breaks the SARIF 2.1.0 schema, as `path: message`; empty when it conforms. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!schemaValidator) {
    const schema = JSON.parse(
      readFileSync(join(dirname(multitoolBinary()), 'sarif-2.1.0.json'), 'utf8')
    ) as object
    // strictRequired is off because the schema itself requires properties inside `anyOf`
    // branches that declare them only in the enclosing object; every other strict check stays.
    const ajv = new Ajv2020({ allErrors: true, strictRequired: false })
    addFormats(ajv)
    const validate = ajv.compile(schema)
    schemaValidator = (value) =>
      validate(value)
        ? []
        : (validate.errors ?? []).map(
            (e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`
          )
  }
  return schemaValidator(log)
}

export interface MultitoolResult {
  ruleId: string
  level: string
  /** The rule's message with its arguments filled in, for a readable failure. */
  text: string
}

interface ValidationLog {
  runs: Array<{
    tool: {
      driver: {
        rules?: Array<{ id: string; messageStrings?: Record<string, { text: string }> }>
      }
    }
    results?: Array<{
      ruleId: string
      level?: string
      message: { id?: string; text?: string; arguments?: string[] }
    }>
    invocations?: Array<{ executionSuccessful: boolean }>
  }>
}

/** What `Sarif.Multitool validate` reports about the log, notes included. */
export async function multitoolValidate(log: string): Promise<MultitoolResult[]> {
  const binary = multitoolBinary()
  const folder = mkdtempSync(join(tmpdir(), 'sarif-validate-'))
  try {
    const input = join(folder, 'input.sarif')
    const output = join(folder, 'validation.sarif')
    writeFileSync(input, log)
    // The input comes first: --level and --log take lists and would swallow it.
    const args = ['validate', input, '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note']
    await new Promise<void>((resolve, reject) => {
      execFile(
        binary,
        [...args, '--output', output, '--log', 'ForceOverwrite'],
        { timeout: 120_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HOME: folder } },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`Sarif.Multitool validate: ${error.message}\n${stdout}${stderr}`))
            : resolve()
      )
    })
    const [run] = (JSON.parse(readFileSync(output, 'utf8')) as ValidationLog).runs
    if (!run?.invocations?.every((i) => i.executionSuccessful))
      throw new Error('Sarif.Multitool validate did not complete its analysis')
    const messages = new Map(
      (run.tool.driver.rules ?? []).map((rule) => [rule.id, rule.messageStrings ?? {}])
    )
    return (run.results ?? []).map((result) => {
      const template =
        result.message.text ?? messages.get(result.ruleId)?.[result.message.id ?? '']?.text ?? ''
      const text = template.replace(
        /\{(\d+)\}/g,
        (_, n: string) => result.message.arguments?.[Number(n)] ?? ''
      )
      return { ruleId: result.ruleId, level: result.level ?? 'warning', text }
    })
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

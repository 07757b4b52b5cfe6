// The argument layer every command shares: usage errors, number options, and the registry
// options (mirrors, limits) that update, check and pin all take.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { RegistryClient } from '../registry/client.js'
import { loadRegistryCredentials } from '../registry/docker-credentials.js'
import type { HttpPolicy } from '../registry/http.js'
import { parseMirrors } from '../registry/mirrors.js'

export const REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --requests-per-registry N  requests in flight per registry (default: 8)
  -h, --help             show this help`

export class UsageError extends Error {}

/** A command's arguments, strictly parsed; undefined once --help has printed the usage. */
export function parseCommand<T extends ParseArgsOptionsConfig>(
  argv: string[],
  options: T,
  usage: string
) {
  const parsed = parseArgs({ args: argv, allowPositionals: true, options })
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(usage + '\n')
    return undefined
  }
  return parsed
}

export function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} must be a positive number, not "${value}"`)
  return number
}

export const REGISTRY_OPTIONS = {
  mirror: { type: 'string', multiple: true, default: [] },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  deadline: { type: 'string' },
  'requests-per-registry': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false }
} satisfies ParseArgsOptionsConfig

export interface RegistryValues {
  mirror: string[]
  timeout?: string | undefined
  retries?: string | undefined
  deadline?: string | undefined
  'requests-per-registry'?: string | undefined
}

/** The request limits every command shares: --timeout, --deadline, --retries, --requests-per-registry. */
export function registryLimits(values: RegistryValues): {
  http: Partial<HttpPolicy>
  requestsPerRegistry: number | undefined
} {
  const timeout = positiveNumber(values.timeout, '--timeout')
  const deadline = positiveNumber(values.deadline, '--deadline')
  const retries = values.retries === undefined ? undefined : Number(values.retries)
  if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) {
    throw new UsageError(`--retries must be a whole number, not "${values.retries}"`)
  }
  return {
    http: {
      ...(timeout ? { attemptTimeoutMs: timeout * 1000 } : {}),
      ...(deadline ? { deadlineMs: deadline * 1000 } : {}),
      ...(retries !== undefined ? { retries } : {})
    },
    requestsPerRegistry: positiveNumber(values['requests-per-registry'], '--requests-per-registry')
  }
}

export function registryClient(values: RegistryValues): RegistryClient {
  const { http, requestsPerRegistry } = registryLimits(values)
  return new RegistryClient({
    mirrors: parseMirrors(values.mirror),
    credentials: loadRegistryCredentials(),
    http,
    ...(requestsPerRegistry ? { requestsPerRegistry } : {})
  })
}

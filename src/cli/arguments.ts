// The argument layer every command shares: usage errors, number options, and the registry
// options (mirrors, limits) that update, check and pin all take.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import type { RegistryClient } from '../registry/client.js'
import type { HttpPolicy } from '../registry/http.js'
import { parseContentMirrors, parseMirrors } from '../registry/mirrors.js'
import {
  DEFAULT_REQUESTS_PER_REGISTRY,
  commandRegistryOptions,
  type NetworkOptions
} from '../registry/settings.js'
import { UsageError } from './options.js'
import { printOut } from './print.js'

export const REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --ca-file FILE         trust the CAs in this PEM file for every registry (repeatable;
                         /etc/docker/certs.d/<host>/*.crt are trusted per host as in Docker)
  --insecure-registry HOST  speak plain HTTP to HOST (host:port as in image names; repeatable)
  --content-mirror REGISTRY=URL  read REGISTRY's manifests by digest from URL first, verified
                         against the digest (repeatable, asked in order)
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --image-deadline SECONDS  per image, every request of its own together (default: 600)
  --requests-per-registry N  requests in flight per registry (default: ${DEFAULT_REQUESTS_PER_REGISTRY})
  -h, --help             show this help`

/** A command's arguments, strictly parsed; undefined once --help has printed the usage. */
export function parseCommand<T extends ParseArgsOptionsConfig>(
  argv: string[],
  options: T,
  usage: string
) {
  const parsed = parseArgs({ args: argv, allowPositionals: true, options })
  if ((parsed.values as { help?: boolean }).help) {
    printOut(usage + '\n')
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

export function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number))
    throw new UsageError(`${flag} must be a whole number, not "${value}"`)
  return number
}

export interface RegistryValues {
  mirror: string[]
  'content-mirror'?: string[] | undefined
  'ca-file'?: string[] | undefined
  'insecure-registry'?: string[] | undefined
  timeout?: string | undefined
  retries?: string | undefined
  deadline?: string | undefined
  'image-deadline'?: string | undefined
  'requests-per-registry'?: string | undefined
}

/** What every command shares about reaching registries: limits, CAs, plain-HTTP hosts. */
export function registryLimits(values: RegistryValues): {
  http: Partial<HttpPolicy>
  requestsPerRegistry: number | undefined
  network: NetworkOptions
} {
  const timeout = positiveNumber(values.timeout, '--timeout')
  const deadline = positiveNumber(values.deadline, '--deadline')
  const imageDeadline = positiveNumber(values['image-deadline'], '--image-deadline')
  const retries = wholeNumber(values.retries, '--retries')
  return {
    http: {
      ...(timeout ? { attemptTimeoutMs: timeout * 1000 } : {}),
      ...(deadline ? { deadlineMs: deadline * 1000 } : {}),
      ...(imageDeadline ? { imageDeadlineMs: imageDeadline * 1000 } : {}),
      ...(retries !== undefined ? { retries } : {})
    },
    requestsPerRegistry: positiveNumber(values['requests-per-registry'], '--requests-per-registry'),
    network: {
      caFiles: values['ca-file'] ?? [],
      insecureRegistries: values['insecure-registry'] ?? []
    }
  }
}

/** Loaded on first use, so `check --offline` never loads undici, most of the bundle. */
export async function registryClient(values: RegistryValues): Promise<RegistryClient> {
  const { http, requestsPerRegistry, network } = registryLimits(values)
  const { RegistryClient } = await import('../registry/client.js')
  return new RegistryClient(
    commandRegistryOptions({
      mirrors: parseMirrors(values.mirror),
      contentMirrors: parseContentMirrors(values['content-mirror'] ?? []),
      http,
      network,
      requestsPerRegistry
    })
  )
}

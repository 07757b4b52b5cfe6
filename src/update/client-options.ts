// The registry client an update (or its plan) talks through, from the update's options.
import type { RegistryClientOptions } from '../registry/client.js'
import { loadRegistryCredentials } from '../registry/docker-credentials.js'
import type { UpdateOptions } from './run-types.js'

export function clientOptions(options: UpdateOptions): RegistryClientOptions {
  return {
    ...(options.mirrors ? { mirrors: options.mirrors } : {}),
    credentials: options.credentials ?? loadRegistryCredentials(),
    ...(options.http ? { http: options.http } : {}),
    ...(options.network ? { network: options.network } : {}),
    ...(options.requestsPerRegistry ? { requestsPerRegistry: options.requestsPerRegistry } : {}),
    ...(options.tagPageSize ? { tagPageSize: options.tagPageSize } : {}),
    ...(options.pullReserve !== undefined ? { pullReserve: options.pullReserve } : {})
  }
}

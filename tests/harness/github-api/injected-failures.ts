// GitHub's limits and outages on demand: a test queues a refusal (a secondary rate limit, a 5xx)
// for requests matching a method and path, and the next matching requests get it instead of an
// answer, with the headers GitHub would send alongside.
import type { InjectedFailure } from './types.js'

/** The primary rate limit every answer reports unless an injected failure says otherwise. */
export const RATE_LIMIT_HEADERS: Readonly<Record<string, string>> = {
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4999'
}

export class InjectedFailures {
  private readonly queued: Array<InjectedFailure & { left: number }> = []

  add(failure: InjectedFailure): void {
    this.queued.push({ ...failure, left: failure.times ?? 1 })
  }

  /** The failure the request `method target` gets, counted as used; undefined when none. */
  take(method: string, target: string): InjectedFailure | undefined {
    const injected = this.queued.find(
      (failure) => failure.left > 0 && failure.method === method && failure.path.test(target)
    )
    if (injected) injected.left--
    return injected
  }
}

// A registry's pull quota as it announces it (Docker Hub: `ratelimit-limit: 100;w=21600`,
// `ratelimit-remaining: 76;w=21600` on every manifest response, HEADs included). The budget
// is tracked locally from the last figures seen, minus every GET sent since, so requests in
// flight at once can never overshoot it.
import { PullQuotaDeferral, describeRequest } from './errors.js'
import { describeFigures, parseRateLimit, type Figure } from './rate-limit-headers.js'

// Its default is set with every other registry default; named here too for the plan's sake.
export { DEFAULT_PULL_RESERVE } from './settings.js'

export class PullBudget {
  private remaining: Figure | undefined
  private limit: Figure | undefined
  /** Manifest GETs sent since `remaining` was last read from the registry. */
  private spent = 0
  private spentReason: string | undefined
  private forbidden: string | undefined

  constructor(readonly reserve: number) {}

  /** Reads the figures a manifest response carries; the lower of theirs and ours wins. */
  observe(headers: Record<string, string | undefined>): void {
    const remaining = parseRateLimit(headers['ratelimit-remaining'])
    if (!remaining) return
    this.limit = parseRateLimit(headers['ratelimit-limit']) ?? this.limit
    if (!this.remaining || remaining.count <= this.left()) {
      this.remaining = remaining
      this.spent = 0
    }
  }

  /** Takes one pull for a GET about to be sent, or throws PullQuotaDeferral. */
  take(method: string, url: string, counted: boolean): void {
    const reason = this.forbidden ?? this.refusal()
    if (reason) throw new PullQuotaDeferral(describeRequest(method, url), reason)
    if (counted) this.spent++
  }

  /** No GET at all this run, whatever the quota. */
  forbid(reason: string): void {
    this.forbidden = reason
  }

  /** The window is spent: the registry said so with a 429. */
  exhaust(reason: string): void {
    this.spentReason ??= reason
  }

  /** Why no more GETs go out, or undefined while they may. */
  refusal(): string | undefined {
    if (this.spentReason) return this.spentReason
    if (!this.remaining || this.left() > this.reserve) return undefined
    const left = { ...this.remaining, count: Math.max(0, this.left()) }
    const kept = this.reserve > 0 ? `, ${this.reserve} kept in reserve` : ''
    return `${describeFigures(left, this.limit)}${kept}`
  }

  /** Pulls this run may still spend, or undefined when the registry announced no quota. */
  spendable(): number | undefined {
    if (this.spentReason) return 0
    return this.remaining ? Math.max(0, this.left() - this.reserve) : undefined
  }

  /** The quota as last announced: `100 of 100 per 21600 s left`. */
  announced(): string | undefined {
    return describeFigures(this.remaining, this.limit)
  }

  /** Pulls a full window allows, as announced. */
  perWindow(): number | undefined {
    return this.limit?.count
  }

  private left(): number {
    return (this.remaining?.count ?? 0) - this.spent
  }
}

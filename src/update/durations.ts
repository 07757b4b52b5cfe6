// Time as a user writes it in images.json, the action's inputs and the CLI's options: a
// duration such as `1d12h`, and a fixed now so tests and replays see the same ages every run.

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }
export const DURATION_PATTERN = '^([0-9]+[dhms])+$'

/**
 * The longest wait a track may be given. Longer is no release policy, and a date that far off
 * is past what a Date can hold.
 */
export const MAXIMUM_DURATION_DAYS = 365
const MAXIMUM_DURATION = MAXIMUM_DURATION_DAYS * UNITS['d']!

/** `3d`, `12h`, `30m`, `1d12h` → milliseconds; undefined when not such a duration or too long. */
export function parseDuration(text: string): number | undefined {
  if (!isDurationSyntax(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([dhms])/g)) {
    total += Number(amount) * UNITS[unit!]!
  }
  return total <= MAXIMUM_DURATION ? total : undefined
}

/** Whether `text` is written as a duration, whatever its length. */
export function isDurationSyntax(text: string): boolean {
  return new RegExp(DURATION_PATTERN).test(text)
}

export class NowError extends Error {
  override name = 'NowError'
}

/** The run's notion of now: NIX_OCI_HASHES_NOW (ISO 8601) when set, for tests and replays. */
export function currentTime(env: NodeJS.ProcessEnv = process.env): Date {
  const fixed = env.NIX_OCI_HASHES_NOW
  if (fixed === undefined || fixed === '') return new Date()
  const time = new Date(fixed)
  if (!/^\d{4}-\d{2}-\d{2}/.test(fixed) || Number.isNaN(time.getTime())) {
    throw new NowError(`NIX_OCI_HASHES_NOW: "${fixed}" is not an ISO 8601 time (rule: ISO 8601)`)
  }
  return time
}

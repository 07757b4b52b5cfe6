// The headers a registry announces its pull quota with (Docker Hub: `ratelimit-limit: 100;w=21600`,
// `ratelimit-remaining: 76;w=21600`) and the 429 that says the window is spent.

export interface Figure {
  count: number
  windowSeconds?: number
}

/** `100;w=21600` → { count: 100, windowSeconds: 21600 }; undefined when it is not that shape. */
export function parseRateLimit(value: string | undefined): Figure | undefined {
  const match = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(value ?? '')
  if (!match) return undefined
  return {
    count: Number(match[1]),
    ...(match[2] !== undefined ? { windowSeconds: Number(match[2]) } : {})
  }
}

/**
 * The registry's own words when a 429 means its pull window is spent (a `TOOMANYREQUESTS`
 * error body, or `ratelimit-remaining: 0`); undefined for any other 429, which is retried.
 */
export function spentWindowReason(
  headers: Record<string, string | undefined>,
  body: Buffer
): string | undefined {
  let detail: string | undefined
  try {
    const document = JSON.parse(body.toString('utf8')) as {
      errors?: Array<{ code?: string; message?: string }>
    }
    const error = document.errors?.find((entry) => entry.code === 'TOOMANYREQUESTS')
    if (error) detail = `TOOMANYREQUESTS${error.message ? `: ${error.message}` : ''}`
  } catch {
    // Not a distribution error body; the headers may still say it.
  }
  const remaining = parseRateLimit(headers['ratelimit-remaining'])
  const figures = describeFigures(remaining, parseRateLimit(headers['ratelimit-limit']))
  if (detail) return figures ? `${figures} (${detail})` : detail
  return remaining?.count === 0 ? figures : undefined
}

export function describeFigures(
  remaining: Figure | undefined,
  limit: Figure | undefined
): string | undefined {
  if (!remaining) return undefined
  const window = remaining.windowSeconds ?? limit?.windowSeconds
  const of = limit ? ` of ${limit.count}` : ''
  return `${remaining.count}${of}${window !== undefined ? ` per ${window} s` : ''} left`
}

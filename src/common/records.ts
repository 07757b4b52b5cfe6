// Objects keyed by names from outside (images.json, a registry, digests.json, the state file).
// A plain object answers `constructor`, `toString` or `valueOf` without holding them, and
// assigning `__proto__` replaces its prototype instead of adding a key; an object without a
// prototype has neither problem, so every such key is data like any other.

/** An empty object with no prototype, or one holding `entries` (later keys win). */
export function dictionary<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>
  for (const [key, value] of entries) record[key] = value
  return record
}

/** The own properties of every source, later ones winning, in an object with no prototype. */
export function overlay<T>(...sources: Array<Record<string, T> | undefined>): Record<string, T> {
  const record = dictionary<T>()
  for (const source of sources) {
    if (source) for (const [key, value] of Object.entries(source)) record[key] = value
  }
  return record
}

/** `record[key]` only when the record holds it itself: nothing inherited is ever answered. */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}

/** JSON.parse whose every object has no prototype, so a file's keys are only data. */
export function parseJsonData(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? overlay(value as Record<string, unknown>)
      : value
  )
}

/** A JSON object (not null, not an array), whose keys are then read as data. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

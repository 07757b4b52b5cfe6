// `target.push(...items)` passes every item as an argument: past some hundred thousand items
// (a file of that many references) the call overflows the stack. These loop instead.

/** Appends every item to `target`, in order. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item)
}

/** Adds `value` to the list under `key`, in place: copying the list per value would be quadratic. */
export function appendTo<K, T>(lists: Map<K, T[]>, key: K, value: T): void {
  const list = lists.get(key)
  if (list) list.push(value)
  else lists.set(key, [value])
}

// `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` in a compose value or a Dockerfile FROM:
// the one expansion syntax both share (compose adds `$$` for a literal dollar).

/** A variable's value and where it was set, for the message. */
export interface VariableValue {
  value: string
  /** Where the value was set: `.env:3`, `ARG NGINX_VERSION at line 1`. */
  where: string
}

export type VariableLookup = (name: string) => VariableValue | undefined

export interface Expansion {
  value: string
  /** Where each variable's value came from, in order. */
  sources: string[]
}

const VARIABLE =
  /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|\$)/g

/**
 * The text with every variable replaced, or null when one has neither a value nor a default;
 * the names of those are added to `missing` when given.
 */
export function expandVariables(
  text: string,
  lookup: VariableLookup,
  missing?: string[]
): Expansion | null {
  const sources: string[] = []
  let unresolved = false
  const value = text.replace(
    VARIABLE,
    (whole, braced?: string, colon?: string, operator?: string, word?: string, bare?: string) => {
      if (whole === '$$') return '$'
      const name = (braced ?? bare)!
      const found = lookup(name)
      const set = found !== undefined && (colon !== ':' || found.value !== '')
      if (operator === '-') {
        if (set) sources.push(`${name} from ${found.where}`)
        else sources.push(`the default in \${${name}${colon}-…}`)
        return set ? found.value : word!
      }
      if (operator === '+') return set ? word! : ''
      if (!set) {
        unresolved = true
        missing?.push(name)
        return whole
      }
      sources.push(`${name} from ${found.where}`)
      return found.value
    }
  )
  return unresolved || value.includes('$') ? null : { value, sources }
}

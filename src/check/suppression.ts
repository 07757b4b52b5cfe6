// Inline suppression: `nix-oci-hashes: ignore` (every rule) or `nix-oci-hashes: ignore[rule,rule]`
// in a comment on the reference's line or the line above: `#` in Nix, YAML, Dockerfiles and
// .env files, and `/* … */` in Nix.
const MARKER = /(?:#|\/\*).*?nix-oci-hashes:\s*ignore(?:\[([^\]]*)\])?/

/** 'all', the rules a comment names, or null when no comment applies to `line` (1-based). */
export function suppressionAt(lines: readonly string[], line: number): 'all' | string[] | null {
  for (const text of [lines[line - 1], lines[line - 2]]) {
    const match = text === undefined ? null : MARKER.exec(text)
    if (!match) continue
    if (match[1] === undefined) return 'all'
    const rules = match[1]
      .split(',')
      .map((rule) => rule.trim())
      .filter(Boolean)
    return rules.length > 0 ? rules : 'all'
  }
  return null
}

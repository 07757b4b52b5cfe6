// Image references in Dockerfile and Containerfile FROM lines (and COPY --from).
import { canonicalPlatform, parsePlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'
import { expandVariables, type VariableLookup, type VariableValue } from './variables.js'

interface Word {
  text: string
  start: number
}

/** `bake` gives the docker-bake.hcl defaults of ARGs the Dockerfile declares without one. */
export function scanDockerfile(
  text: string,
  bake: VariableLookup = () => undefined
): FoundReference[] {
  const lines = new Lines(text)
  const physical = text.split('\n')
  const found: FoundReference[] = []
  const stages = new Set<string>()
  // Global ARGs: only those before the first FROM are in scope for FROM lines.
  const globalArgs = new Map<string, VariableValue>()
  // Global ARGs with no value, and why (no default; a default built from one with none).
  const unsetArgs = new Map<string, string>()
  let seenFrom = false
  let escape = '\\'
  let offset = 0
  let row = 0
  let directives = true

  // Walk physical lines, gathering each instruction's words with their offsets.
  const rows = physical.map((line) => {
    const row = { text: line.replace(/\r$/, ''), start: offset }
    offset += line.length + 1
    return row
  })
  while (row < rows.length) {
    const first = rows[row]!
    const trimmed = first.text.trim()
    if (directives) {
      const directive = /^#\s*escape\s*=\s*([\\`])\s*$/i.exec(trimmed)
      if (directive) {
        escape = directive[1]!
        row++
        continue
      }
      // `# syntax=docker/dockerfile:1`: the front-end image BuildKit pulls to read the file.
      const syntax = /^(\s*#\s*syntax\s*=\s*)(\S+)\s*$/i.exec(first.text)
      if (syntax) {
        push(syntax[2]!, first.start + syntax[1]!.length, 'syntax')
        row++
        continue
      }
      if (!/^#\s*\w+\s*=/.test(trimmed)) directives = false
    }
    if (trimmed === '' || trimmed.startsWith('#')) {
      row++
      continue
    }
    const words: Word[] = []
    let continued = true
    while (continued && row < rows.length) {
      const { text: line, start } = rows[row]!
      row++
      if (words.length > 0 && /^\s*#/.test(line)) continue
      let body = line
      continued = body.trimEnd().endsWith(escape)
      if (continued) body = body.trimEnd().slice(0, -1)
      for (const match of body.matchAll(/\S+/g)) {
        words.push({ text: match[0], start: start + match.index })
      }
    }
    const instruction = words[0]?.text.toUpperCase()
    const heredoc = words.map((word) => /^<<-?(["']?)(\w+)\1$/.exec(word.text)).find(Boolean)
    if (instruction === 'ARG' && !seenFrom) argInstruction(words.slice(1))
    if (instruction === 'FROM') fromInstruction(words.slice(1))
    else if (instruction === 'COPY') copyInstruction(words.slice(1))
    if (heredoc) {
      // Skip the here-document's body: its lines are data, not instructions.
      const delimiter = heredoc[2]!
      while (row < rows.length && rows[row]!.text.trim() !== delimiter) row++
      row++
    }
  }
  return found

  function push(value: string, start: number, context: string, platform?: string): void {
    const at = { context, start, end: start + value.length, ...lines.at(start) }
    const where = platform ? { platform } : {}
    if (literal(value)) {
      found.push({ value, ...at, ...where, editable: true })
      return
    }
    if (context !== 'FROM' || !value.includes('$')) return
    const missing: string[] = []
    const expanded = expandVariables(value, (name) => globalArgs.get(name), missing)
    if (!expanded) {
      const name = missing[0]
      const why = name
        ? (unsetArgs.get(name) ?? `$${name} is not declared by an ARG before the first FROM`)
        : 'not a literal after its variables are replaced'
      found.push({ value, ...at, ...where, editable: false, unresolved: why })
    } else if (literal(expanded.value) && !stages.has(expanded.value.toLowerCase())) {
      const via = expanded.sources.join(', ')
      found.push({ value: expanded.value, ...at, ...where, editable: false, via })
    }
  }

  function argInstruction(args: Word[]): void {
    for (const word of args) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(word.text)
      if (!match) continue
      const name = match[1]!
      const written = match[2]?.replace(/^(["'])(.*)\1$/, '$2')
      const arg = `ARG ${name} at line ${lines.at(word.start).line}`
      globalArgs.delete(name)
      unsetArgs.delete(name)
      if (written === undefined) {
        // docker buildx bake passes its variables as build arguments.
        const baked = bake(name)
        if (baked) globalArgs.set(name, { value: baked.value, where: `${arg}, ${baked.where}` })
        else unsetArgs.set(name, `${arg} has no default`)
        continue
      }
      // A default may name earlier ARGs: `ARG NGINX_VERSION=${CONTAINER_APP_VERSION}`.
      const missing: string[] = []
      const expanded = expandVariables(written, (other) => globalArgs.get(other), missing)
      if (expanded) {
        const from = expanded.sources.length > 0 ? ` (${expanded.sources.join(', ')})` : ''
        globalArgs.set(name, { value: expanded.value, where: `${arg}${from}` })
      } else {
        const cause = missing[0]
          ? (unsetArgs.get(missing[0]) ?? `$${missing[0]} is not declared`)
          : ''
        unsetArgs.set(name, `${arg} defaults to ${written}, and ${cause}`)
      }
    }
  }

  function fromInstruction(args: Word[]): void {
    seenFrom = true
    let platform: string | undefined
    let index = 0
    while (args[index]?.text.startsWith('--')) {
      const flag = /^--platform=(.+)$/.exec(args[index]!.text)
      const parsed = flag ? parsePlatform(flag[1]!) : null
      if (parsed) platform = canonicalPlatform(parsed)
      index++
    }
    const image = args[index]
    if (!image) return
    if (args[index + 1]?.text.toUpperCase() === 'AS' && args[index + 2])
      stages.add(args[index + 2]!.text.toLowerCase())
    const lower = image.text.toLowerCase()
    if (lower === 'scratch' || stages.has(lower)) return
    push(image.text, image.start, 'FROM', platform)
  }

  function copyInstruction(args: Word[]): void {
    for (const word of args) {
      if (!word.text.startsWith('--')) break
      const from = /^--from=(.+)$/.exec(word.text)
      if (!from) continue
      const value = from[1]!
      if (/^\d+$/.test(value) || stages.has(value.toLowerCase())) continue
      push(value, word.start + '--from='.length, 'COPY --from')
    }
  }
}

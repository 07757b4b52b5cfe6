// Image references in Dockerfile and Containerfile FROM lines (and COPY --from).
import { canonicalPlatform, parsePlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'
import { expandVariables, type VariableValue } from './variables.js'

interface Word {
  text: string
  start: number
}

export function scanDockerfile(text: string): FoundReference[] {
  const lines = new Lines(text)
  const physical = text.split('\n')
  const found: FoundReference[] = []
  const stages = new Set<string>()
  // Global ARGs: only those before the first FROM are in scope for FROM lines.
  const globalArgs = new Map<string, VariableValue>()
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
    const expanded = expandVariables(value, (name) => globalArgs.get(name))
    if (!expanded) {
      const why = 'uses an ARG with no default before the first FROM'
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
      const value = match[2]?.replace(/^(["'])(.*)\1$/, '$2')
      const where = `ARG ${match[1]} at line ${lines.at(word.start).line}`
      if (value === undefined) globalArgs.delete(match[1]!)
      else globalArgs.set(match[1]!, { value, where })
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

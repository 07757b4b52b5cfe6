// Image references in Dockerfile and Containerfile FROM lines (and COPY --from).
import { canonicalPlatform, parsePlatform } from '../../common/platform.js'
import { Lines, literal, type FoundReference } from './scanned-reference.js'

interface Word {
  text: string
  start: number
}

export function scanDockerfile(text: string): FoundReference[] {
  const lines = new Lines(text)
  const physical = text.split('\n')
  const found: FoundReference[] = []
  const stages = new Set<string>()
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
    if (!literal(value)) return
    found.push({
      value,
      context,
      start,
      end: start + value.length,
      ...lines.at(start),
      ...(platform ? { platform } : {}),
      editable: true
    })
  }

  function fromInstruction(args: Word[]): void {
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

import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar
} from 'yaml'
import { canonicalPlatform, parsePlatform } from './platform.js'
import type { FileKind } from './source-files.js'

/**
 * One image reference found in a file. Offsets index the file's text decoded as latin1, so they
 * are byte offsets and an edit between them leaves every other byte as it was.
 */
export interface FoundReference {
  /** The reference as it reads, `name[:tag][@digest]`. */
  value: string
  /** Where it was found: `image`, `pullImage`, `FROM`, `COPY --from`, `compose`, `kubernetes`. */
  context: string
  /** Bytes of `value` in the file; only meaningful when `editable`. */
  start: number
  end: number
  line: number
  column: number
  /** Line of the digest, when written apart from the name (pullImage's `imageDigest`). */
  digestLine?: number
  /** Canonical `os/arch[/variant]` when the file names the one platform this reference runs on. */
  platform?: string
  /** True when `value` appears literally between `start` and `end` and can be rewritten there. */
  editable: boolean
}

/** The file is not what its name says (malformed YAML), at a line. */
export class ScanError extends Error {
  override name = 'ScanError'
  constructor(
    message: string,
    readonly line: number
  ) {
    super(message)
  }
}

/** References in a file's text (latin1-decoded). Throws ScanError when it cannot be read as its kind. */
export function scanText(kind: FileKind, text: string): FoundReference[] {
  switch (kind) {
    case 'nix':
      return scanNix(text)
    case 'dockerfile':
      return scanDockerfile(text)
    case 'compose':
      return scanYaml(text, 'compose')
    case 'kubernetes':
      return looksLikeKubernetes(text) ? scanYaml(text, 'kubernetes') : []
  }
}

/** A YAML file is read as Kubernetes manifests only when it has top-level apiVersion or kind. */
export function looksLikeKubernetes(text: string): boolean {
  return /^(?:apiVersion|kind)\s*:/m.test(text)
}

// ---------------------------------------------------------------------------------------------
// Line numbers

class Lines {
  private readonly starts: number[] = [0]

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
      this.starts.push(i + 1)
  }

  /** 1-based line and column of a byte offset. */
  at(offset: number): { line: number; column: number } {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle]! <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 }
  }
}

/** References never contain these; a value that does is an expression, not checked. */
const NOT_LITERAL = /[$\s{}\\"'`]/

function literal(value: string): boolean {
  return value !== '' && !NOT_LITERAL.test(value)
}

// ---------------------------------------------------------------------------------------------
// Nix

interface NixToken {
  kind: 'ident' | 'string' | 'punct'
  text: string
  start: number
  end: number
  /** Strings: the content is literal (no interpolation, no escapes). */
  plain?: boolean
}

const NIX_OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++', '${']

/**
 * Tokens of a Nix file, comments dropped. Interpolations are lexed (to find where strings end)
 * but their tokens are not kept: a reference built from an expression is not a literal.
 */
function lexNix(text: string): NixToken[] {
  const tokens: NixToken[] = []
  const length = text.length

  const code = (from: number, out: NixToken[] | null, inInterpolation: boolean): number => {
    let i = from
    let depth = 0
    while (i < length) {
      const c = text[i]!
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++
      } else if (c === '#') {
        const end = text.indexOf('\n', i)
        i = end === -1 ? length : end
      } else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2)
        i = end === -1 ? length : end + 2
      } else if (c === '"') {
        i = doubleQuoted(i, out)
      } else if (c === "'" && text[i + 1] === "'") {
        i = indented(i, out)
      } else if (/[A-Za-z_]/.test(c)) {
        const match = /[A-Za-z_][A-Za-z0-9_'-]*/y
        match.lastIndex = i
        const word = match.exec(text)![0]
        out?.push({ kind: 'ident', text: word, start: i, end: i + word.length })
        i += word.length
      } else {
        const operator = NIX_OPERATORS.find((op) => text.startsWith(op, i)) ?? c
        if (operator === '{' || operator === '${') depth++
        if (operator === '}') {
          if (depth === 0 && inInterpolation) return i + 1
          depth--
        }
        out?.push({ kind: 'punct', text: operator, start: i, end: i + operator.length })
        i += operator.length
      }
    }
    return i
  }

  const doubleQuoted = (from: number, out: NixToken[] | null): number => {
    let i = from + 1
    let plain = true
    while (i < length) {
      const c = text[i]!
      if (c === '"') break
      if (c === '\\') {
        plain = false
        i += 2
      } else if (c === '$' && text[i + 1] === '$') {
        plain = false
        i += 2
      } else if (c === '$' && text[i + 1] === '{') {
        plain = false
        i = code(i + 2, null, true)
      } else {
        i++
      }
    }
    const end = Math.min(i + 1, length)
    out?.push({ kind: 'string', text: text.slice(from + 1, i), start: from, end, plain })
    return end
  }

  const indented = (from: number, out: NixToken[] | null): number => {
    let i = from + 2
    while (i < length) {
      if (text.startsWith("'''", i) || text.startsWith("''$", i)) i += 3
      else if (text.startsWith("''\\", i)) i += 4
      else if (text.startsWith("''", i)) break
      else if (text.startsWith('${', i)) i = code(i + 2, null, true)
      else i++
    }
    const end = Math.min(i + 2, length)
    out?.push({ kind: 'string', text: '', start: from, end, plain: false })
    return end
  }

  code(0, tokens, false)
  return tokens
}

/** `attr = "literal";` bindings directly inside the braces that open at `tokens[open]`. */
function nixBindings(tokens: NixToken[], open: number): Map<string, NixToken> {
  const bindings = new Map<string, NixToken>()
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token.kind === 'punct' && (token.text === '{' || token.text === '${')) depth++
    else if (token.kind === 'punct' && token.text === '}') {
      depth--
      if (depth === 0) break
    } else if (depth === 1 && token.kind === 'ident') {
      const equals = tokens[i + 1]
      const value = tokens[i + 2]
      const previous = tokens[i - 1]
      const startsBinding =
        previous?.kind === 'punct' && (previous.text === '{' || previous.text === ';')
      if (startsBinding && equals?.text === '=' && value?.kind === 'string' && value.plain)
        bindings.set(token.text, value)
    }
  }
  return bindings
}

/** For each token, the index of the `{` of the innermost set around it (-1 at top level). */
function enclosingBraces(tokens: NixToken[]): number[] {
  const stack: number[] = []
  return tokens.map((token, i) => {
    if (token.kind === 'punct' && token.text === '}') stack.pop()
    const around = stack.at(-1) ?? -1
    if (token.kind === 'punct' && (token.text === '{' || token.text === '${')) stack.push(i)
    return around
  })
}

/** `a.b.image` → `a.b.` for the ident at `i`: the attribute path written before it. */
function pathPrefix(tokens: NixToken[], i: number): string {
  let prefix = ''
  while (tokens[i - 1]?.text === '.' && tokens[i - 2]?.kind === 'ident') {
    prefix = `${tokens[i - 2]!.text}.${prefix}`
    i -= 2
  }
  return prefix
}

/**
 * NixOS loads an `imageFile` and runs it under the name `image` gives: that `image` names a
 * local image, so a registry digest there would be wrong.
 */
function hasImageFile(tokens: NixToken[], enclosing: number[], i: number): boolean {
  const prefix = pathPrefix(tokens, i)
  const set = enclosing[i]!
  return tokens.some(
    (token, j) =>
      token.kind === 'ident' &&
      token.text === 'imageFile' &&
      tokens[j + 1]?.text === '=' &&
      enclosing[j] === set &&
      pathPrefix(tokens, j) === prefix
  )
}

function scanNix(text: string): FoundReference[] {
  const lines = new Lines(text)
  const tokens = lexNix(text)
  const enclosing = enclosingBraces(tokens)
  const found: FoundReference[] = []
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident') return
    // `image = "…";`, alone or as the last part of an attribute path.
    if (token.text === 'image' && tokens[i - 1]?.text !== '?') {
      const equals = tokens[i + 1]
      const value = tokens[i + 2]
      if (
        equals?.text === '=' &&
        value?.kind === 'string' &&
        value.plain &&
        literal(value.text) &&
        !hasImageFile(tokens, enclosing, i)
      ) {
        found.push({
          value: value.text,
          context: 'image',
          start: value.start + 1,
          end: value.end - 1,
          ...lines.at(value.start + 1),
          editable: true
        })
      }
    }
    // `dockerTools.pullImage { imageName = …; imageDigest = …; finalImageTag = …; }`
    if (token.text === 'pullImage' && tokens[i + 1]?.text === '{') {
      const bindings = nixBindings(tokens, i + 1)
      const name = bindings.get('imageName')
      if (!name || !literal(name.text)) return
      const tag = bindings.get('finalImageTag')
      const digest = bindings.get('imageDigest')
      if ((tag && !literal(tag.text)) || (digest && !literal(digest.text))) return
      const arch = bindings.get('arch')
      const os = bindings.get('os')
      const variant = bindings.get('variant')
      const platform = arch
        ? canonicalPlatform({
            os: os?.text || 'linux',
            architecture: arch.text,
            ...(variant?.text ? { variant: variant.text } : {})
          })
        : undefined
      const value = `${name.text}${tag ? `:${tag.text}` : ''}${digest ? `@${digest.text}` : ''}`
      found.push({
        value,
        context: 'pullImage',
        start: name.start + 1,
        end: name.end - 1,
        ...lines.at(name.start + 1),
        ...(digest ? { digestLine: lines.at(digest.start).line } : {}),
        ...(platform ? { platform } : {}),
        // Changing imageDigest also changes the output hash, which only Nix can compute.
        editable: false
      })
    }
  })
  return found
}

// ---------------------------------------------------------------------------------------------
// Dockerfile / Containerfile

interface Word {
  text: string
  start: number
}

function scanDockerfile(text: string): FoundReference[] {
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

// ---------------------------------------------------------------------------------------------
// YAML: docker-compose and Kubernetes

function scanYaml(text: string, kind: 'compose' | 'kubernetes'): FoundReference[] {
  const lines = new Lines(text)
  // A UTF-8 byte-order mark reads as three latin1 characters: parse after it, shift offsets back.
  const shift = text.startsWith('\xef\xbb\xbf') ? 3 : 0
  const source = text.slice(shift)
  const documents = parseAllDocuments(source, { prettyErrors: true, uniqueKeys: false })
  const list: Document[] = Array.isArray(documents) ? documents : []
  for (const document of list) {
    const error = document.errors[0]
    if (error) {
      const line = lines.at(error.pos[0] + shift).line
      const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      throw new ScanError(`malformed YAML: ${message}`, line)
    }
  }
  const found: FoundReference[] = []
  const add = (node: Scalar, context: string, platform: string | undefined): void => {
    if (typeof node.value !== 'string' || !node.range || !literal(node.value)) return
    const start = node.range[0] + shift
    const valueEnd = node.range[1] + shift
    let editable = false
    let contentStart = start
    if (node.type === 'PLAIN') {
      editable = text.slice(start, valueEnd) === node.value
    } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      contentStart = start + 1
      editable = text.slice(start + 1, valueEnd - 1) === node.value
    }
    found.push({
      value: node.value,
      context,
      start: contentStart,
      end: contentStart + node.value.length,
      ...lines.at(contentStart),
      ...(platform ? { platform } : {}),
      editable
    })
  }
  for (const document of list) {
    const root = document.contents
    if (kind === 'compose') composeImages(root, add)
    else if (isMap(root) && (root.has('apiVersion') || root.has('kind')))
      kubernetesImages(root, undefined, add)
  }
  return found
}

type AddScalar = (node: Scalar, context: string, platform: string | undefined) => void

function platformOf(text: unknown): string | undefined {
  const parsed = typeof text === 'string' ? parsePlatform(text) : null
  return parsed ? canonicalPlatform(parsed) : undefined
}

function composeImages(root: unknown, add: AddScalar): void {
  if (!isMap(root)) return
  const services = root.get('services', true)
  if (!isMap(services)) return
  for (const service of services.items) {
    if (!isMap(service.value)) continue
    const image = service.value.get('image', true)
    const platform = platformOf(service.value.get('platform'))
    if (isScalar(image)) add(image, 'compose', platform)
  }
}

// PodSpec's container lists, which Pods, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and
// the CRDs that embed a PodSpec all share.
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers'])

/**
 * The `image:` of every container in a manifest, however deep its PodSpec sits. Other `image:`
 * keys are not container references (Flux's ImageRepository names a repository, no tag) and are
 * left alone. A pod spec whose nodeSelector names `kubernetes.io/arch` names the platform.
 */
function kubernetesImages(node: unknown, platform: string | undefined, add: AddScalar): void {
  if (isSeq(node)) {
    for (const item of node.items) kubernetesImages(item, platform, add)
    return
  }
  if (!isMap(node)) return
  const selector = node.get('nodeSelector', true)
  if (isMap(selector)) {
    const arch = selector.get('kubernetes.io/arch')
    const os = selector.get('kubernetes.io/os')
    if (typeof arch === 'string') {
      platform = platformOf(`${typeof os === 'string' ? os : 'linux'}/${arch}`) ?? platform
    }
  }
  for (const pair of node.items) {
    if (!isPair(pair)) continue
    const key = isScalar(pair.key) ? pair.key.value : pair.key
    if (typeof key === 'string' && CONTAINER_LISTS.has(key) && isSeq(pair.value)) {
      for (const container of pair.value.items) {
        const image = isMap(container) ? container.get('image', true) : undefined
        if (isScalar(image)) add(image, 'kubernetes', platform)
      }
    } else {
      kubernetesImages(pair.value as YamlNode, platform, add)
    }
  }
}

// What a file's neighbours say about it: the Helm chart a file belongs to (its templates are
// rendered before they are YAML; its templates say whether values carry `image.digest`), and the
// docker-bake.hcl variables a Dockerfile's ARGs default to.
import { open, readFile, readdir, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, sep } from 'node:path'
import { Lines } from './scanners/scanned-reference.js'
import type { VariableLookup } from './scanners/variables.js'

// Bounds on what is read to answer "does this chart read image.digest".
const MAX_TEMPLATE_FILES = 200
const MAX_TEMPLATE_BYTES = 256 << 10

export class FileContext {
  private readonly exists = new Map<string, Promise<boolean>>()
  private readonly digestCharts = new Map<string, Promise<boolean>>()
  private readonly bakes = new Map<string, Promise<Map<string, { value: string; line: number }>>>()

  constructor(private readonly cwd: string) {}

  private isFile(path: string): Promise<boolean> {
    let known = this.exists.get(path)
    if (!known) {
      known = stat(path).then(
        (info) => info.isFile() || info.isDirectory(),
        () => false
      )
      this.exists.set(path, known)
    }
    return known
  }

  /** The chart folder when `path` lies under a chart's `templates/` (beside its Chart.yaml). */
  async chartOfTemplate(path: string): Promise<string | null> {
    const parts = path.split(sep)
    for (let i = parts.length - 2; i > 0; i--) {
      if (parts[i] !== 'templates') continue
      const chart = parts.slice(0, i).join(sep)
      if (await this.isFile(join(chart, 'Chart.yaml'))) return chart
    }
    return null
  }

  /** Whether a chart's values file sits beside a Chart.yaml whose templates read a `digest`. */
  async chartReadsDigest(path: string): Promise<boolean> {
    const chart = dirname(path)
    if (!/^values.*\.ya?ml$/.test(basename(path))) return false
    if (!(await this.isFile(join(chart, 'Chart.yaml')))) return false
    let known = this.digestCharts.get(chart)
    if (!known) {
      known = templatesMention(join(chart, 'templates'), /\bdigest\b/)
      this.digestCharts.set(chart, known)
    }
    return known
  }

  /** Display path of the folder `path` is in, relative to the working directory when inside. */
  display(path: string): string {
    const rel = relative(this.cwd, path)
    return rel === '' || rel.startsWith('..') ? path : rel
  }

  /**
   * `variable "X" { default = "…" }` from docker-bake.hcl beside the Dockerfile, then from the
   * repository root (the nearest folder with .git, else the working directory).
   */
  async bakeDefaults(dockerfile: string): Promise<VariableLookup> {
    const folders = [dirname(dockerfile), await this.repositoryRoot(dirname(dockerfile))]
    const found = await Promise.all(
      [...new Set(folders)].map(async (folder) => ({ folder, vars: await this.bake(folder) }))
    )
    return (name) => {
      for (const { folder, vars } of found) {
        const variable = vars.get(name)
        if (variable) {
          const where = this.display(join(folder, 'docker-bake.hcl'))
          return { value: variable.value, where: `variable ${name} in ${where}:${variable.line}` }
        }
      }
      return undefined
    }
  }

  private async repositoryRoot(folder: string): Promise<string> {
    for (let at = folder; ; at = dirname(at)) {
      if (await this.isFile(join(at, '.git'))) return at
      if (dirname(at) === at) return this.cwd
    }
  }

  private bake(folder: string): Promise<Map<string, { value: string; line: number }>> {
    let known = this.bakes.get(folder)
    if (!known) {
      known = readFile(join(folder, 'docker-bake.hcl'), 'latin1').then(
        bakeVariables,
        () => new Map()
      )
      this.bakes.set(folder, known)
    }
    return known
  }
}

/** `variable "NAME" { default = "literal" }` blocks of an HCL bake file, with their lines. */
export function bakeVariables(text: string): Map<string, { value: string; line: number }> {
  const found = new Map<string, { value: string; line: number }>()
  const lines = new Lines(text)
  const block = /\bvariable\s+"([A-Za-z_][A-Za-z0-9_]*)"\s*\{([^{}]*)\}/g
  for (const match of text.matchAll(block)) {
    const value = /^[ \t]*default[ \t]*=[ \t]*"([^"$\\\n]*)"/m.exec(match[2]!)
    if (!value) continue
    const offset = match.index + match[0].indexOf(match[2]!) + value.index
    const { line } = lines.at(offset + value[0].indexOf('default'))
    found.set(match[1]!, { value: value[1]!, line })
  }
  return found
}

/** The first `bytes` of a file as latin1, or nothing when it cannot be read. */
async function head(path: string, bytes: number): Promise<string> {
  const file = await open(path).catch(() => null)
  if (!file) return ''
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await file.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead).toString('latin1')
  } catch {
    return ''
  } finally {
    await file.close()
  }
}

/** Whether any file under `folder` (bounded in count and size) matches `pattern`. */
async function templatesMention(folder: string, pattern: RegExp): Promise<boolean> {
  const queue = [folder]
  let files = 0
  while (queue.length > 0 && files < MAX_TEMPLATE_FILES) {
    const at = queue.pop()!
    const entries = await readdir(at, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) queue.push(path)
      else if (entry.isFile() && files++ < MAX_TEMPLATE_FILES) {
        if (pattern.test(await head(path, MAX_TEMPLATE_BYTES))) return true
      }
    }
  }
  return false
}

// The version sync check: each group of `versions:` in .nix-oci-hashes.yaml names the places
// that declare one application's version (a Dockerfile ARG, a YAML path, a Nix attribute); they
// must agree, a leading `v` aside. With `--changed-since REF` only the groups whose files changed
// are checked, all of them when a file shared by every folder (the versions file) or the
// settings file changed.
import { execFile } from 'node:child_process'
import { readFile, readdir, stat } from 'node:fs/promises'
import { basename, join, relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { appendAll } from '../common/arrays.js'
import type { Finding } from './findings.js'
import type { RepositoryConfig } from './repository-config.js'
import { readDeclarations, type Place } from './version-places.js'
import type { Declaration, VersionGroup } from './version-sync-config.js'

export class ChangedSinceError extends Error {
  override name = 'ChangedSinceError'
}

interface Instance {
  /** Posix path relative to the config's folder, '' for a group without folders. */
  folder: string
  name: string
}

const fill = (template: string, instance: Instance): string =>
  template.replace(/\{folder\}/g, instance.folder).replace(/\{name\}/g, instance.name)

/** Folders under `root` that a glob of plain segments (`containers/*`) matches. */
async function matchFolders(root: string, glob: string): Promise<string[]> {
  let found = ['']
  for (const segment of glob.split('/')) {
    const next: string[] = []
    for (const folder of found) {
      const entries = await readdir(join(root, folder), { withFileTypes: true }).catch(() => [])
      for (const entry of entries)
        if (entry.isDirectory() && picomatch.isMatch(entry.name, segment))
          next.push(folder ? `${folder}/${entry.name}` : entry.name)
    }
    found = next.sort()
  }
  return found
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error)
        reject(new ChangedSinceError(`git ${args.join(' ')}: ${stderr.trim() || error.message}`))
      else resolvePromise(stdout)
    })
  })
}

/** Absolute paths of files changed since `ref` (committed or not) and files git does not track yet. */
export async function changedFiles(ref: string, cwd: string): Promise<Set<string>> {
  const top = (await git(['rev-parse', '--show-toplevel'], cwd)).trim()
  const changed = await git(['diff', '--name-only', '-z', ref, '--'], top)
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z'], top)
  return new Set(
    `${changed}${untracked}`
      .split('\0')
      .filter(Boolean)
      .map((file) => resolve(top, file))
  )
}

export interface VersionSyncOptions {
  config: RepositoryConfig
  cwd: string
  /** Set by --changed-since: what changed; undefined checks everything. */
  changed?: Set<string>
}

export async function versionSyncFindings(options: VersionSyncOptions): Promise<Finding[]> {
  const { config, cwd, changed } = options
  const root = config.folder
  const display = (path: string): string => {
    const rel = relative(cwd, path)
    return rel === '' || rel.startsWith('..') ? path : rel
  }
  const everything = !changed || (config.path !== null && changed.has(config.path))
  const findings: Finding[] = []
  const files = new Map<string, Promise<string | null>>()
  const read = (path: string): Promise<string | null> => {
    let text = files.get(path)
    if (!text) files.set(path, (text = readFile(path, 'latin1').catch(() => null)))
    return text
  }
  for (const group of config.versions) {
    const instances: Instance[] = group.folders
      ? (await matchFolders(root, group.folders)).map((folder) => ({
          folder,
          name: basename(folder)
        }))
      : [{ folder: '', name: '' }]
    // A declaration file with no {folder} or {name} (the versions file) is every folder's.
    const shared = group.declarations
      .filter((d) => !/\{(?:folder|name)\}/.test(d.file))
      .map((d) => resolve(root, d.file))
    const all = everything || shared.some((path) => changed!.has(path))
    for (const instance of instances) {
      const folderPath = resolve(root, instance.folder)
      const paths = group.declarations.map((d) => resolve(root, fill(d.file, instance)))
      if (!all && !touches(changed!, folderPath, instance.folder !== '', paths)) continue
      const label = instance.name ? `${group.label} (${instance.name})` : group.label
      if (group.buildFiles.length > 0) {
        const present = await Promise.all(
          group.buildFiles.map((file) =>
            stat(join(folderPath, file)).then(
              () => true,
              () => false
            )
          )
        )
        if (!present.includes(true)) {
          findings.push({
            rule: 'no-build-file',
            severity: 'error',
            file: display(folderPath),
            line: 1,
            message: `${label}: the folder has no build file (${group.buildFiles.join(', ')})`
          })
          continue
        }
      }
      appendAll(findings, await compare(group, instance, label, root, read, display))
    }
  }
  return findings
}

function touches(
  changed: Set<string>,
  folder: string,
  perFolder: boolean,
  paths: string[]
): boolean {
  if (paths.some((path) => changed.has(path))) return true
  if (!perFolder) return false
  const inside = folder + sep
  for (const path of changed) if (path.startsWith(inside)) return true
  return false
}

async function compare(
  group: VersionGroup,
  instance: Instance,
  label: string,
  root: string,
  read: (path: string) => Promise<string | null>,
  display: (path: string) => string
): Promise<Finding[]> {
  const findings: Finding[] = []
  const places: Array<Place & { file: string }> = []
  for (const declaration of group.declarations) {
    const filled: Declaration = { ...declaration, key: fill(declaration.key, instance) }
    const path = resolve(root, fill(declaration.file, instance))
    const text = await read(path)
    const keys = declaration.key.split('.').map((segment) => fill(segment, instance))
    const found = text === null ? [] : readDeclarations(text, filled, keys)
    const what = describe(filled)
    if (found.length === 0) {
      findings.push({
        rule: 'version-missing',
        severity: 'error',
        file: display(path),
        line: 1,
        message:
          text === null
            ? `${label}: ${display(path)} does not exist; it should declare the version (${what})`
            : `${label}: no ${what} declares the version here`
      })
      continue
    }
    for (const place of found) places.push({ ...place, file: display(path) })
  }
  const normal = (value: string): string => value.replace(/^[vV](?=\d)/, '')
  const counts = new Map<string, number>()
  for (const place of places)
    counts.set(normal(place.value), (counts.get(normal(place.value)) ?? 0) + 1)
  if (counts.size < 2) return findings
  // Reported at the place that disagrees with most of the others (the first, on a tie).
  const [majority] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best))
  const odd = places.find((place) => normal(place.value) !== majority)!
  const list = places.map((p) => `${p.file}:${p.line} ${p.what} ${p.value}`).join('; ')
  findings.push({
    rule: 'version-mismatch',
    severity: 'error',
    file: odd.file,
    line: odd.line,
    ...(odd.column ? { column: odd.column } : {}),
    message: `${label}: the version is declared differently: ${list} (a leading v is ignored)`
  })
  return findings
}

function describe(declaration: Declaration): string {
  if (declaration.kind === 'dockerfile-arg') return `ARG ${declaration.key}`
  if (declaration.kind === 'yaml-path') return `YAML path ${declaration.key}`
  return `Nix attribute ${declaration.key}`
}

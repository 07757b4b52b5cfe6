import { dirname, relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { appendTo } from '../../common/arrays.js'
import { shortDigest } from '../../common/digest.js'
import { imageKey } from '../../registry/image-reference.js'
import { finding, type CheckedReference, type Finding } from '../findings.js'
import type { RepositoryConfig } from '../repository-config.js'

export interface ConsistencyScope {
  config: Pick<RepositoryConfig, 'folder' | 'consistency'>
  cwd: string
  /** Absolute folders holding a compose file, a Dockerfile or a kustomization: a project each. */
  projectFolders: ReadonlySet<string>
}

/** The project a file belongs to: a configured project folder, else the nearest build folder. */
function projectOf(file: string, scope: ConsistencyScope, configured: (path: string) => boolean) {
  const top = scope.config.folder
  let folder = dirname(resolve(scope.cwd, file))
  let nearest: string | null = null
  for (;;) {
    const rel = relative(top, folder).split(sep).join('/')
    if (rel !== '' && !rel.startsWith('..') && configured(rel)) return folder
    nearest ??= scope.projectFolders.has(folder) ? folder : null
    const parent = dirname(folder)
    if (rel === '' || rel.startsWith('..') || parent === folder) return nearest ?? top
    folder = parent
  }
}

// `frontend-v1.0.0beta-5` and `api-v1.0.0beta-5`: one repository holding several components.
const COMPONENT = /^([a-z][a-z0-9]*(?:[._][a-z0-9]+)*)-(?=v?\d)/i

/**
 * The same image should be referenced the same way within one project: one tag, and one digest
 * per platform named (references naming different platforms may pin different digests).
 */
export function consistencyFindings(
  references: CheckedReference[],
  scope: ConsistencyScope
): Finding[] {
  const settings = scope.config.consistency
  if (!settings.enabled) return []
  const matcher = (globs: string[]) =>
    globs.length > 0 ? picomatch(globs, { dot: true }) : () => false
  const ignored = matcher(settings.ignore)
  const configured = matcher(settings.projects)
  // Per file, not per reference: a file may hold a great many references.
  const projects = new Map<string, string | null>()
  const projectOfFile = (file: string): string | null => {
    let project = projects.get(file)
    if (project === undefined) {
      const path = relative(scope.config.folder, resolve(scope.cwd, file))
      project = ignored(path.split(sep).join('/')) ? null : projectOf(file, scope, configured)
      projects.set(file, project)
    }
    return project
  }
  const byImage = new Map<string, CheckedReference[]>()
  for (const reference of references) {
    if (reference.ignoreRules?.includes('inconsistent-references') || reference.track) continue
    const project = projectOfFile(reference.file)
    if (project === null) continue
    const component = COMPONENT.exec(reference.parsed.tag ?? '')?.[1] ?? ''
    const key = `${project}\0${imageKey(reference.parsed.image)}\0${component}`
    appendTo(byImage, key, reference)
  }
  const findings: Finding[] = []
  for (const group of byImage.values()) {
    // No tag means latest; a digest without a tag says nothing about the version.
    const tagOf = (ref: CheckedReference): string | null =>
      ref.parsed.tag ?? (ref.parsed.digest ? null : 'latest')
    const tagged = group.filter((ref) => tagOf(ref) !== null)
    const versions = new Map<string, CheckedReference[]>()
    for (const ref of tagged) {
      const version = withoutFlavour(tagOf(ref)!.replace(COMPONENT, ''))
      appendTo(versions, version, ref)
    }
    // The stages of one Dockerfile (a jdk builder, a jre runtime) differ on purpose.
    const oneDockerfile =
      new Set(tagged.map((ref) => ref.file)).size === 1 && tagged[0]?.context === 'FROM'
    if (versions.size > 1 && !oneDockerfile) {
      const first = tagged[0]!
      const list = [...versions.values()]
        .slice(0, MAX_LISTED)
        .map((refs) => `${tagOf(refs[0]!)} (${describe(refs)})`)
      if (versions.size > MAX_LISTED) list.push(`and ${versions.size - MAX_LISTED} more versions`)
      findings.push(
        finding(
          first,
          'inconsistent-references',
          'warning',
          `${first.parsed.name} is used at ${versions.size} versions: ${list.join('; ')}; use one version everywhere`
        )
      )
      continue
    }
    // Flavours of one version pin different digests rightly: compare per exact tag and platform.
    const byPlatform = new Map<string, CheckedReference[]>()
    for (const reference of group) {
      if (!reference.parsed.digest || oneDockerfile) continue
      const key = `${reference.parsed.tag ?? ''} ${reference.platform ?? ''}`
      appendTo(byPlatform, key, reference)
    }
    for (const same of byPlatform.values()) {
      const digests = new Map<string, CheckedReference[]>()
      for (const ref of same) appendTo(digests, ref.parsed.digest!, ref)
      if (digests.size < 2) continue
      const first = same[0]!
      const list = [...digests.entries()]
        .slice(0, MAX_LISTED)
        .map(([digest, refs]) => `${shortDigest(digest)} (${describe(refs)})`)
      if (digests.size > MAX_LISTED) list.push(`and ${digests.size - MAX_LISTED} more digests`)
      findings.push(
        finding(
          first,
          'inconsistent-references',
          'warning',
          `${first.parsed.name}:${first.parsed.tag} is pinned to ${digests.size} digests: ${list.join('; ')}; pin one digest everywhere`,
          { digest: true }
        )
      )
    }
  }
  return findings
}

// Variants of one version: `1.28-alpine` and `1.28-slim` are the same release built differently.
const FLAVOUR =
  /-(?:alpine|slim|jre|jdk|bookworm|bullseye|buster|trixie|noble|jammy|focal|debian|ubuntu|distroless|windowsservercore|nanoserver|musl|glibc)[\w.]*$/i

function withoutFlavour(tag: string): string {
  let previous
  let version = tag
  do {
    previous = version
    version = version.replace(FLAVOUR, '')
  } while (version !== previous && version !== '')
  return version || tag
}

const MAX_LISTED = 5

/** Up to three locations, then how many more. */
function describe(references: CheckedReference[]): string {
  const shown = references.slice(0, 3).map((ref) => `${ref.file}:${ref.line}`)
  return shown.join(', ') + (references.length > 3 ? ` and ${references.length - 3} more` : '')
}

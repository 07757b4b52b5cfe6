// Real Nix for the flake tests: a sandbox with its own HOME, caches and Nix store under a temp
// dir (nothing touches /nix, the network or this machine's Nix state), and helpers to run nix
// and git in it and to make git repositories holding copies of the flake.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const NIX_TIMEOUT_MS = 60_000

export type Digests = Record<string, Record<string, Record<string, string>>>
export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** A Nix string literal for arbitrary text (JSON escapes are valid Nix escapes, bar `${`). */
export const nixString = (text: string): string => JSON.stringify(text).replace(/\$\{/g, '\\${')

/**
 * The nixpkgs that consumer flakes take by `path:`: $NIXPKGS_PATH when set, else the test copy
 * `../shared/nixpkgs-mini` beside the checkout (see its README). Without either the suite fails
 * and says how to provide one; it never skips.
 */
export function nixpkgsPath(): string {
  const fromEnv = process.env['NIXPKGS_PATH']
  const candidates = fromEnv
    ? [resolve(fromEnv)]
    : [resolve(repoRoot, '..', 'shared', 'nixpkgs-mini')]
  for (const dir of candidates) if (existsSync(join(dir, 'flake.nix'))) return dir
  throw new Error(
    `No nixpkgs for the NixOS tests: ${fromEnv ? `NIXPKGS_PATH=${fromEnv} has no flake.nix` : `${candidates[0]} does not exist`}. ` +
      'Set NIXPKGS_PATH to a nixpkgs checkout (a directory with flake.nix, e.g. a clone of ' +
      'github.com/NixOS/nixpkgs at nixos-24.11; `bash scripts/test.sh` fetches its pinned revision ' +
      'itself where the network allows), or put the test nixpkgs-mini at ../shared/nixpkgs-mini ' +
      'beside this checkout.'
  )
}

export interface SandboxOptions {
  /**
   * Builds run in a chroot over the private store (Nix always chroots a store that is not at
   * /nix/store); this mounts the host paths below (HOST_PATHS_FOR_BUILDS) into it, where
   * nixpkgs-mini's tools link to, and turns the sandbox setting itself off.
   */
  build?: boolean
  /** More host paths the builds see (e.g. a netrc file's folder, as extra-sandbox-paths). */
  sandboxPaths?: string[]
}

/**
 * What of the host a build in the private store sees: nixpkgs-mini's tools link to the host's
 * binaries, which need their libraries, the CA bundle under /etc/ssl and Debian's
 * /etc/alternatives. Never the whole of /etc: for a fixed-output build Nix mounts the host's
 * /etc/resolv.conf, /etc/hosts and /etc/services into the chroot's /etc, creating each target
 * first, and with /etc itself bound from the host that emptied the host's own files.
 */
const HOST_PATHS_FOR_BUILDS = [
  '/bin',
  '/usr',
  '/lib',
  '/lib64',
  '/etc/ssl',
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/nsswitch.conf'
]

/** True when the nixpkgs the tests use is the offline test copy (its stub pkgs), or there is none. */
function usesNixpkgsMini(): boolean {
  try {
    return existsSync(join(nixpkgsPath(), 'pkgs', 'stub.nix'))
  } catch {
    return true
  }
}

export interface NixSandbox {
  root: string
  /** Where a /nix/store path of the private store is on this machine's file system. */
  physical(storePath: string): string
  run(cmd: string, args: string[], cwd: string, timeout?: number): Promise<RunResult>
  nix(cwd: string, ...args: string[]): Promise<RunResult>
  git(cwd: string, ...args: string[]): Promise<void>
  nixOk(cwd: string, ...args: string[]): Promise<string>
  nixJson<T = unknown>(cwd: string, ...args: string[]): Promise<T>
  /** `nix eval --json` that must fail; returns its stderr. */
  nixError(cwd: string, ...args: string[]): Promise<string>
  /** A fresh git repository under the sandbox holding `files` (path → content), committed. */
  gitRepo(name: string, files: Record<string, string>): Promise<string>
  /** A git repository with the flake files (flake.nix, nix/) and `digests` as digests.json. */
  flakeCopy(name: string, digests: string, extra?: Record<string, string>): Promise<string>
  /**
   * A consumer flake (a git repository holding `files`) with nixpkgs from nixpkgsPath() and this
   * flake from `upstream`. Its output `mk system modules` is a NixOS configuration importing
   * nixosModules.default, `baseModules` (Nix text) and `modules` (a string names a file of the
   * repository), with nixpkgs and nix-oci-hashes in specialArgs; `call file` imports a file of
   * the repository and calls it with { nixpkgs, nix-oci-hashes }.
   */
  nixosConsumer(
    name: string,
    upstream: string,
    files: Record<string, string>,
    baseModules?: string
  ): Promise<string>
  cleanup(): Promise<void>
}

/** Start a sandbox; call in beforeAll (it checks that `nix` runs) and clean up in afterAll. */
export async function nixSandbox(label: string, options: SandboxOptions = {}): Promise<NixSandbox> {
  const root = mkdtempSync(join(tmpdir(), `nix-oci-hashes-${label}-`))
  const home = join(root, 'home')
  mkdirSync(home)
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('NIX_') && !k.startsWith('GIT_'))
  )
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    // A throwaway store (a chroot store under root), no global registry: the tests never touch
    // /nix. nixpkgs-mini builds from host binaries, so nothing is substituted; a full nixpkgs
    // (NIXPKGS_PATH, or the pinned one test.sh fetches) would otherwise build curl and its
    // closure from source, so it takes NixOS's binary cache. build-users-group is empty:
    // builds run as root.
    NIX_CONFIG: [
      'experimental-features = nix-command flakes',
      `store = ${join(root, 'store')}`,
      usesNixpkgsMini() ? 'substituters =' : 'substituters = https://cache.nixos.org',
      'flake-registry =',
      'build-users-group =',
      'warn-dirty = false',
      ...(options.build
        ? [
            'sandbox = false',
            `sandbox-paths = ${HOST_PATHS_FOR_BUILDS.filter((d) => existsSync(d))
              .concat(options.sandboxPaths ?? [])
              .join(' ')}`
          ]
        : [])
    ].join('\n'),
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'flake test',
    GIT_AUTHOR_EMAIL: 'flake-test@example.invalid',
    GIT_COMMITTER_NAME: 'flake test',
    GIT_COMMITTER_EMAIL: 'flake-test@example.invalid'
  }

  const run = (
    cmd: string,
    args: string[],
    cwd: string,
    timeout = NIX_TIMEOUT_MS
  ): Promise<RunResult> =>
    new Promise((resolvePromise, reject) => {
      execFile(
        cmd,
        args,
        { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            // Spawn failure or timeout (killed by signal): not a Nix exit status to assert on.
            reject(
              new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${error.message}\n${stderr}`)
            )
            return
          }
          resolvePromise({
            code: error ? (error.code as unknown as number) : 0,
            stdout,
            // Nix may colour its messages; the tests compare plain text.
            // eslint-disable-next-line no-control-regex -- ESC starts the colour sequences
            stderr: stderr.replace(/\u001b\[[0-9;]*m/g, '')
          })
        }
      )
    })

  const nix = (cwd: string, ...args: string[]): Promise<RunResult> => run('nix', args, cwd)
  const git = async (cwd: string, ...args: string[]): Promise<void> => {
    const result = await run('git', args, cwd)
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`)
  }
  const nixOk = async (cwd: string, ...args: string[]): Promise<string> => {
    const result = await nix(cwd, ...args)
    if (result.code !== 0) {
      throw new Error(`nix ${args.join(' ')} exited ${result.code} in ${cwd}:\n${result.stderr}`)
    }
    return result.stdout
  }
  const nixJson = async <T = unknown>(cwd: string, ...args: string[]): Promise<T> =>
    JSON.parse(await nixOk(cwd, 'eval', '--json', ...args)) as T
  const nixError = async (cwd: string, ...args: string[]): Promise<string> => {
    const result = await nix(cwd, 'eval', '--json', ...args)
    // Nix 2.8 streams --json output, so stdout may hold a partial document: only the status counts.
    if (result.code === 0)
      throw new Error(`nix eval ${args.join(' ')} succeeded; expected an error`)
    return result.stderr
  }
  const gitRepo = async (name: string, files: Record<string, string>): Promise<string> => {
    const dir = join(root, name)
    mkdirSync(dir, { recursive: true })
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    }
    await git(dir, 'init', '-q', '-b', 'main')
    await git(dir, 'add', '-A')
    await git(dir, 'commit', '-q', '--allow-empty', '-m', name)
    return dir
  }
  const flakeCopy = async (
    name: string,
    digests: string,
    extra: Record<string, string> = {}
  ): Promise<string> => {
    const dir = join(root, name)
    mkdirSync(dir, { recursive: true })
    cpSync(join(repoRoot, 'flake.nix'), join(dir, 'flake.nix'))
    cpSync(join(repoRoot, 'nix'), join(dir, 'nix'), { recursive: true })
    return gitRepo(name, { 'digests.json': digests, ...extra })
  }
  const nixosConsumer = (
    name: string,
    upstream: string,
    files: Record<string, string>,
    baseModules = ''
  ): Promise<string> =>
    gitRepo(name, {
      ...files,
      'flake.nix': `{
  inputs.nixpkgs.url = ${nixString(`path:${nixpkgsPath()}`)};
  inputs.nix-oci-hashes.url = ${nixString(`git+file://${upstream}`)};

  outputs = { self, nixpkgs, nix-oci-hashes }: {
    mk = system: modules: nixpkgs.lib.nixosSystem {
      inherit system;
      specialArgs = { inherit nixpkgs nix-oci-hashes; };
      modules = [ nix-oci-hashes.nixosModules.default ${baseModules} ]
        ++ map (m: if builtins.isString m then self + "/\${m}" else m) modules;
    };
    # A file of the repository called with nixpkgs and nix-oci-hashes.
    call = name: import (self + "/\${name}") { inherit nixpkgs nix-oci-hashes; };
  };
}
`
    })
  const cleanup = async (): Promise<void> => {
    // The store makes its paths read-only; give write permission back before removing.
    await run('chmod', ['-R', 'u+w', root], tmpdir()).catch(() => undefined)
    rmSync(root, { recursive: true, force: true })
  }

  let version: RunResult
  try {
    version = await run('nix', ['--version'], root)
  } catch (e) {
    throw new Error(
      'The flake tests need the `nix` binary (Nix 2.8 or later) and it was not found on PATH. ' +
        '`bash scripts/test.sh` installs it (Debian package nix-bin); or run `apt-get install nix-bin`. ' +
        `(${(e as Error).message})`,
      { cause: e }
    )
  }
  if (version.code !== 0) throw new Error(`nix --version failed: ${version.stderr}`)

  return {
    root,
    physical: (storePath) => join(root, 'store', storePath),
    run,
    nix,
    git,
    nixOk,
    nixJson,
    nixError,
    gitRepo,
    flakeCopy,
    nixosConsumer,
    cleanup
  }
}

// Real container engines for loading image archives: Debian's dockerd (a private daemon with
// its own data root, socket and containerd namespace under a temp dir, vfs storage, no
// networking changes to the machine) and Debian's podman (its own root and runroot, vfs). Each
// load reports what the engine recorded: image ID, names and (podman) the manifest digest.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const RUN_TIMEOUT_MS = 120_000
const DOCKERD_READY_MS = 60_000

export interface LoadedImage {
  id: string
  names: string[]
  /** The manifest digest the engine keeps (podman); Docker's classic store keeps none. */
  digest?: string
}

export interface Engine {
  readonly kind: 'docker' | 'podman'
  /** The command line that reaches this private engine: its binary and global options. */
  readonly argv: readonly string[]
  /** `load -i archive`; returns what the engine printed. */
  load(archive: string): Promise<string>
  inspect(name: string): Promise<LoadedImage>
  remove(name: string): Promise<void>
  stop(): Promise<void>
}

function which(name: string, packageName: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    const path = join(dir, name)
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // next
    }
  }
  throw new Error(
    `${name} is not installed (Debian package ${packageName}); \`bash scripts/test.sh\` installs it`
  )
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stderr}`))
        else resolve(stdout + stderr)
      }
    )
  })
}

export async function startPodman(): Promise<Engine> {
  const podman = which('podman', 'podman')
  const dir = mkdtempSync(join(tmpdir(), 'podman-'))
  const base = [
    '--root',
    join(dir, 'root'),
    '--runroot',
    join(dir, 'runroot'),
    '--storage-driver',
    'vfs',
    '--runtime',
    which('runc', 'runc'),
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'file'
  ]
  return {
    kind: 'podman',
    argv: [podman, ...base],
    load: (archive) => run(podman, [...base, 'load', '-i', archive]),
    async inspect(name) {
      const [image] = JSON.parse(await run(podman, [...base, 'image', 'inspect', name])) as Array<{
        Id: string
        RepoTags: string[] | null
        Digest: string
      }>
      return { id: image!.Id, names: image!.RepoTags ?? [], digest: image!.Digest }
    },
    remove: async (name) => {
      await run(podman, [...base, 'rmi', '-f', name])
    },
    async stop() {
      await run('chmod', ['-R', 'u+w', dir]).catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export async function startDocker(): Promise<Engine> {
  const dockerd = which('dockerd', 'docker.io')
  const docker = which('docker', 'docker.io')
  const dir = mkdtempSync(join(tmpdir(), 'dockerd-'))
  const socket = `unix://${join(dir, 'docker.sock')}`
  const namespace = `nix-oci-hashes-${process.pid}`
  const proc: ChildProcess = spawn(
    '/usr/bin/setpriv',
    [
      '--pdeathsig',
      'KILL',
      '--',
      dockerd,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      '--host',
      socket,
      '--storage-driver',
      'vfs',
      '--bridge',
      'none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
      '--containerd-namespace',
      namespace,
      '--containerd-plugins-namespace',
      `${namespace}-plugins`
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let log = ''
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (log = (log + c).slice(-16_384)))
  const base = ['--host', socket]
  const deadline = Date.now() + DOCKERD_READY_MS
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`dockerd exited ${proc.exitCode}:\n${log}`)
    try {
      await run(docker, [...base, 'version', '--format', '{{.Server.Version}}'])
      break
    } catch (e) {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`dockerd did not answer within ${DOCKERD_READY_MS} ms:\n${log}`, {
          cause: e
        })
      }
      await sleep(250)
    }
  }
  return {
    kind: 'docker',
    argv: [docker, ...base],
    load: (archive) => run(docker, [...base, 'load', '-i', archive]),
    async inspect(name) {
      const [image] = JSON.parse(await run(docker, [...base, 'image', 'inspect', name])) as Array<{
        Id: string
        RepoTags: string[] | null
        RepoDigests: string[] | null
      }>
      return { id: image!.Id, names: image!.RepoTags ?? [] }
    },
    remove: async (name) => {
      await run(docker, [...base, 'rmi', '-f', name])
    },
    async stop() {
      if (proc.exitCode === null) {
        const gone = new Promise((resolve) => proc.once('exit', resolve))
        proc.kill('SIGTERM')
        await Promise.race([gone, sleep(15_000, undefined, { ref: false })])
        if (proc.exitCode === null) proc.kill('SIGKILL')
      }
      await run('chmod', ['-R', 'u+w', dir]).catch(() => undefined)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

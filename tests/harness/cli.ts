// Runs the bundled CLI the way a user does: `node dist/cli.js …` in a folder of their own.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; nodeArgs?: string[] }
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const script = join(process.cwd(), 'dist/cli.js')
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: options.cwd, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** A fresh folder holding `images.json` (written verbatim when a string). */
export function workspace(images: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'nix-oci-hashes-cli-'))
  writeFileSync(
    join(folder, 'images.json'),
    typeof images === 'string' ? images : JSON.stringify(images, null, 2)
  )
  return folder
}

/** Writes Docker's config.json the way `docker login` does and returns its folder. */
export function dockerConfig(folder: string, auths: Record<string, [string, string]>): string {
  const directory = join(folder, '.docker-config')
  mkdirSync(directory, { recursive: true })
  const entries = Object.fromEntries(
    Object.entries(auths).map(([host, [user, password]]) => [
      host,
      { auth: Buffer.from(`${user}:${password}`).toString('base64') }
    ])
  )
  writeFileSync(join(directory, 'config.json'), JSON.stringify({ auths: entries }))
  return directory
}

// `pin` as an adversary meets it: killed while writing, handed links out of the tree, handed a
// path it cannot read, and a file name crafted to start a workflow command in `check`'s output.
import { spawn } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type CliRun } from './harness/cli.js'
import { seededRegistrySuite } from './harness/reference-fixtures.js'

const NOBODY = 65534

function folder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `nix-oci-hashes-${prefix}-`))
}

describe('pin writes only whole files, only where it was sent', () => {
  const suite = seededRegistrySuite()

  test('a symbolic link named on the command line that leads out of the tree is refused; the rest is pinned', async () => {
    const digests = suite.digests()
    const outside = folder('outside')
    const secret = join(outside, 'secret.nix')
    writeFileSync(secret, '{ x.image = "nginx:1.27.3"; }\n')
    const repo = folder('links')
    mkdirSync(join(repo, '.git'))
    mkdirSync(join(repo, 'hosts'))
    writeFileSync(join(repo, 'hosts/real.nix'), '{ y.image = "redis:7.4.1"; }\n')
    symlinkSync(secret, join(repo, 'escape.nix'))
    symlinkSync(join(repo, 'hosts/real.nix'), join(repo, 'inside.nix'))
    symlinkSync(outside, join(repo, 'escape-dir'))
    writeFileSync(join(repo, 'own.nix'), '{ z.image = "busybox:1.36.1"; }\n')

    const run = await suite.cli(repo, 'pin', 'escape.nix', 'escape-dir', 'inside.nix', 'own.nix')
    expect(run.code).toBe(1)
    expect(readFileSync(secret, 'utf8')).toBe('{ x.image = "nginx:1.27.3"; }\n')
    expect(run.stderr).toContain(
      `escape.nix:1: error: resolves to ${secret}, outside ${repo} and the paths given; not written`
    )
    expect(run.stderr).toContain(
      `escape-dir/secret.nix:1: error: resolves to ${secret}, outside ${repo}`
    )
    // A link inside the tree is followed and stays a link; its target is replaced whole.
    expect(lstatSync(join(repo, 'inside.nix')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(repo, 'inside.nix'))).toBe(join(repo, 'hosts/real.nix'))
    expect(readFileSync(join(repo, 'hosts/real.nix'), 'utf8')).toBe(
      `{ y.image = "redis:7.4.1@${digests['redis:7.4.1']}"; }\n`
    )
    expect(readFileSync(join(repo, 'own.nix'), 'utf8')).toBe(
      `{ z.image = "busybox:1.36.1@${digests['busybox:1.36.1']}"; }\n`
    )
    expect(run.stderr).toContain('pinned 2 references in 2 files')

    // A directory walk never enters a link: the outside file is not even read.
    const walk = await suite.cli(repo, 'pin', '--dry-run', '.')
    expect(walk.stdout).not.toContain('secret.nix')
    expect(readFileSync(secret, 'utf8')).toBe('{ x.image = "nginx:1.27.3"; }\n')
  })

  test('an explicit path outside the working directory is the user asking: it is pinned', async () => {
    const elsewhere = folder('elsewhere')
    writeFileSync(join(elsewhere, 'a.nix'), '{ a.image = "nginx:1.27.3"; }\n')
    const cwd = folder('cwd')
    const run = await suite.cli(cwd, 'pin', join(elsewhere, 'a.nix'))
    expect([run.code, readFileSync(join(elsewhere, 'a.nix'), 'utf8')]).toEqual([
      0,
      `{ a.image = "nginx:1.27.3@${suite.digests()['nginx:1.27.3']}"; }\n`
    ])
  })

  test('the file mode and owner survive the rename: an executable or private file stays so', async () => {
    const repo = folder('modes')
    writeFileSync(join(repo, 'private.nix'), '{ a.image = "nginx:1.27.3"; }\n')
    chmodSync(join(repo, 'private.nix'), 0o600)
    writeFileSync(join(repo, 'Dockerfile'), 'FROM busybox:1.36.1\n')
    chmodSync(join(repo, 'Dockerfile'), 0o755)
    // Run as root (sudo, a container), pin must not hand a user's file to root.
    const owner = process.getuid?.() === 0 ? NOBODY : process.getuid?.()
    if (owner === NOBODY) chownSync(join(repo, 'private.nix'), NOBODY, NOBODY)
    const run = await suite.cli(repo, 'pin')
    expect(run.code).toBe(0)
    expect(statSync(join(repo, 'private.nix')).uid).toBe(owner)
    expect(statSync(join(repo, 'private.nix')).mode & 0o777).toBe(0o600)
    expect(statSync(join(repo, 'Dockerfile')).mode & 0o777).toBe(0o755)
    expect(readdirSync(repo).sort()).toEqual(['Dockerfile', 'private.nix'])
  })
})

describe('pin killed while it writes', () => {
  const suite = seededRegistrySuite()

  const TRIALS = 12
  const FILES = 3
  const FILLER_BYTES = 8 * 1024 * 1024

  test(`SIGKILL at ${TRIALS} moments leaves each large file old or new, never cut short`, async () => {
    const template = folder('kill-template')
    const filler = `# ${'x'.repeat(78)}\n`.repeat(FILLER_BYTES / 81)
    const names = Array.from({ length: FILES }, (_, i) => `big-${i}.nix`)
    for (const name of names)
      writeFileSync(join(template, name), `{ a.image = "nginx:1.27.3"; }\n${filler}`)
    const old = readFileSync(join(template, names[0]!), 'latin1')
    const pinned = old.replace('nginx:1.27.3', `nginx:1.27.3@${suite.digests()['nginx:1.27.3']}`)
    const args = [join(process.cwd(), 'dist/cli.js'), 'pin', ...suite.mirrors(), '.']

    const runOnce = (cwd: string, killAfterMs?: number) =>
      new Promise<{ ms: number; killed: boolean }>((resolve, reject) => {
        const started = process.hrtime.bigint()
        const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' })
        const timer =
          killAfterMs === undefined
            ? undefined
            : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        const guard = setTimeout(() => child.kill('SIGKILL'), 60_000)
        child.on('error', reject)
        child.on('close', (code, signal) => {
          clearTimeout(timer)
          clearTimeout(guard)
          const ms = Number(process.hrtime.bigint() - started) / 1e6
          resolve({ ms, killed: signal === 'SIGKILL' || code === null })
        })
      })

    // One whole run says how long a pin takes here; the kills are spread over its second half,
    // where the reading, the scanning and the writing are.
    const baseline = folder('kill-baseline')
    cpSync(template, baseline, { recursive: true })
    const { ms } = await runOnce(baseline)
    expect(readFileSync(join(baseline, names[0]!), 'latin1')).toBe(pinned)

    const outcomes = { old: 0, new: 0 }
    for (let trial = 0; trial < TRIALS; trial++) {
      const cwd = folder('kill')
      cpSync(template, cwd, { recursive: true })
      await runOnce(cwd, Math.round(ms * (0.3 + (0.8 * trial) / TRIALS)))
      for (const name of names) {
        const text = readFileSync(join(cwd, name), 'latin1')
        const state = text === old ? 'old' : text === pinned ? 'new' : 'torn'
        expect([trial, name, state === 'torn' ? `torn at ${text.length} bytes` : 'whole']).toEqual([
          trial,
          name,
          'whole'
        ])
        outcomes[state as 'old' | 'new']++
      }
      // A later run finishes the job and removes what a killed run left behind.
      if (trial % 3 !== 0) continue
      const again = await runOnce(cwd)
      expect(again.killed).toBe(false)
      expect(readdirSync(cwd).sort()).toEqual(names)
      for (const name of names) expect(readFileSync(join(cwd, name), 'latin1')).toBe(pinned)
    }
    console.log(
      `pin killed ${TRIALS} times over a ${Math.round(ms)} ms run: ${outcomes.old} files old, ${outcomes.new} new, 0 torn`
    )
  }, 300_000)
})

describe('unreadable input and crafted file names', () => {
  const suite = seededRegistrySuite()

  // As root every file is readable: the runs whose input must be unreadable drop to nobody.
  const asUser = (cwd: string, args: string[]): Promise<CliRun> => {
    if (process.getuid?.() !== 0) return runCli(args, { cwd })
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(process.cwd(), 'dist/cli.js'), ...args], {
        cwd,
        uid: NOBODY,
        gid: NOBODY,
        env: { PATH: process.env.PATH, HOME: cwd },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
      child.on('error', reject)
      child.on('close', (code) => {
        clearTimeout(timer)
        resolve({ code: code ?? -1, stdout, stderr })
      })
    })
  }

  test.each([
    ['a file in a folder it cannot enter', 'locked/b.nix'],
    ['a folder it cannot list', 'locked']
  ])('pin with %s: an error for that path, exit 1, the rest still pinned', async (_, path) => {
    const repo = folder('unreadable')
    writeFileSync(join(repo, 'a.nix'), '{ a.image = "nginx:1.27.3"; }\n')
    mkdirSync(join(repo, 'locked'))
    writeFileSync(join(repo, 'locked/b.nix'), '{ b.image = "redis:7.4.1"; }\n')
    if (process.getuid?.() === 0) {
      for (const p of [repo, join(repo, 'a.nix'), join(repo, 'locked/b.nix')])
        chownSync(p, NOBODY, NOBODY)
    }
    chmodSync(join(repo, 'locked'), 0o000)
    const run = await asUser(repo, ['pin', ...suite.mirrors(), 'a.nix', path])
    chmodSync(join(repo, 'locked'), 0o755)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(new RegExp(`^${path}:1: error: cannot read .*EACCES`, 'm'))
    expect(run.stderr).not.toContain('no such file or directory')
    expect(readFileSync(join(repo, 'a.nix'), 'utf8')).toBe(
      `{ a.image = "nginx:1.27.3@${suite.digests()['nginx:1.27.3']}"; }\n`
    )
    expect(readFileSync(join(repo, 'locked/b.nix'), 'utf8')).toBe('{ b.image = "redis:7.4.1"; }\n')
  })

  test('a file name holding a line break and a workflow command stays on its own line in every format', async () => {
    const repo = folder('crafted')
    const name = 'evil\n::error file=x::pwned\r\n::set-output name=x::y.nix'
    writeFileSync(join(repo, name), '{ a.image = "busybox"; b.image = "nginx:1.27.3"; }\n')
    const command = /^::(?:error file=x|set-output)/
    const report = await runCli(['check', '--offline', '--format', 'json'], { cwd: repo })
    const findings = (JSON.parse(report.stdout) as { findings: unknown[] }).findings.length
    expect(findings).toBeGreaterThanOrEqual(2)
    for (const format of ['text', 'github']) {
      const run = await runCli(['check', '--offline', '--format', format, '--verbose'], {
        cwd: repo
      })
      expect(run.code).toBe(1)
      const lines = run.stdout.split('\n').filter(Boolean)
      expect([format, lines.length, lines.filter((line) => command.test(line))]).toEqual([
        format,
        findings,
        []
      ])
    }
    const text = await runCli(['check', '--offline'], { cwd: repo })
    expect(text.stdout.split('\n')[0]).toMatch(
      /^evil\\n::error file=x::pwned\\r\\n::set-output name=x::y\.nix:1:14: error no-tag: /
    )
    for (const extra of [['--dry-run'], []]) {
      const pin = await runCli(['pin', ...suite.mirrors(), ...extra], { cwd: repo })
      const lines = `${pin.stdout}\n${pin.stderr}`.split('\n')
      expect([extra, lines.filter((line) => command.test(line))]).toEqual([extra, []])
      expect(pin.stdout).toContain('evil\\n::error file=x::pwned')
    }
    expect(readFileSync(join(repo, name), 'utf8')).toContain(
      `b.image = "nginx:1.27.3@${suite.digests()['nginx:1.27.3']}"`
    )
  })
})

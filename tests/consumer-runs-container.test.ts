// A NixOS host starts its container the way the oci-containers module starts it, from an image
// that reached the Nix store through imageTrack.fetch, while the registry is down: `update` (the
// bundled CLI) publishes digests.json and manifests.json from the real registry on loopback; Nix
// builds the image from its blobs; the registry stops; then what the module's pre-start runs for
// an imageStream (`<stream> | docker load`) and its ExecStart command line, evaluated from the
// real module, run against a private dockerd, and the container prints what its image says.
import { randomBytes } from 'node:crypto'
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, workspace } from './harness/cli.js'
import { type Engine, startDocker } from './harness/container-engines.js'
import { X86, consumerNix, host, streamed, type ConsumerNix } from './harness/fetch-image-build.js'
import { seedImage, type SeededImage } from './harness/fetch-image-fixture.js'
import { type NixSandbox, type RunResult, nixSandbox, nixString } from './harness/nix.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'

// A statically linked busybox runs in an image that holds nothing else.
const BUSYBOX = '/bin/busybox'
const salt = randomBytes(8).toString('hex')
const GREETING = `hello from the Nix store ${salt}`

let sandbox: NixSandbox
let registry: TestRegistry
let registryStopped = false
let docker: Engine
let nix: ConsumerNix
let image: SeededImage
/** A folder whose `docker` reaches the private dockerd, first on the scripts' PATH. */
let bin: string

function busybox(): Buffer {
  try {
    accessSync(BUSYBOX, constants.X_OK)
  } catch (error) {
    throw new Error(
      `${BUSYBOX} is missing: install Debian's busybox-static (\`bash scripts/test.sh\` does)`,
      { cause: error }
    )
  }
  return readFileSync(BUSYBOX)
}

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`

function bash(script: string): Promise<RunResult> {
  return sandbox.run(
    'env',
    [
      `PATH=${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      'bash',
      '-euo',
      'pipefail',
      '-c',
      script
    ],
    sandbox.root,
    120_000
  )
}

beforeAll(async () => {
  const program = busybox()
  ;[sandbox, registry, docker] = await Promise.all([
    nixSandbox('consumer-runs-container', { build: true }),
    startRegistry(),
    startDocker()
  ])
  bin = mkdtempSync(join(tmpdir(), 'docker-bin-'))
  writeFileSync(
    join(bin, 'docker'),
    `#!/bin/sh\nexec ${docker.argv.map(shellQuote).join(' ')} "$@"\n`
  )
  chmodSync(join(bin, 'docker'), 0o755)

  image = (
    await seedImage(
      registry,
      'apps/hello',
      '1.0.0',
      '1.0',
      [{ os: 'linux', architecture: 'amd64' }],
      'oci',
      salt,
      0,
      {
        files: [{ path: 'bin/busybox', mode: 0o755, content: program }],
        cmd: ['/bin/busybox', 'echo', GREETING]
      }
    )
  ).seeded
  const folder = workspace([{ image: image.image, tracks: ['major-minor'] }])
  const update = await runCli(['update'], { cwd: folder })
  if (update.code !== 0) throw new Error(`update exited ${update.code}:\n${update.stderr}`)
  const read = (name: string): string => readFileSync(join(folder, name), 'utf8')
  const upstream = await sandbox.flakeCopy('upstream', read('digests.json'), {
    'manifests.json': read('manifests.json')
  })
  // Plain HTTP on loopback needs its URL named, and this machine's dockerd has no journald;
  // everything else is what a user writes.
  const consumer = await sandbox.nixosConsumer(
    'consumer',
    upstream,
    {
      'configuration.nix': `{ ... }: {
  nix-oci-hashes.sources.${nixString(registry.host)} = [ ${nixString(registry.url)} ];
  virtualisation.oci-containers.backend = "docker";
  virtualisation.oci-containers.containers.hello = {
    imageTrack = { image = ${nixString(image.image)}; track = ${nixString(image.track)}; fetch = true; };
    log-driver = "json-file";
  };
}
`
    },
    './configuration.nix'
  )
  nix = await consumerNix(sandbox, consumer)
}, 300_000)

afterAll(async () => {
  await Promise.all([
    registryStopped ? undefined : registry?.stop(),
    docker?.stop(),
    sandbox?.cleanup()
  ])
})

describe('a fetched image runs under the oci-containers module with the registry down', () => {
  test('docker runs it by name:tag, never pulled, and it prints what its image says', async () => {
    const [archive] = await nix.build(streamed(X86, 'hello'))
    const evaluated = await nix.evalIn(
      `let h = ${host(X86)}; c = h.config.virtualisation.oci-containers.containers.hello; in { inherit (c) image pull; script = h.config.systemd.services.docker-hello.script; }`
    )
    expect(evaluated.stderr).not.toContain('error:')
    const unit = JSON.parse(evaluated.stdout) as { image: string; pull: string; script: string }
    expect([unit.image, unit.pull]).toEqual([image.loadsAs, 'never'])
    expect(unit.script).toContain('--pull')
    expect(unit.script).toContain(image.loadsAs)

    await registry.stop()
    registryStopped = true

    // The module's pre-start for an imageStream pipes the stream into `docker load`; the archive
    // built above holds exactly the bytes that stream writes.
    const load = await bash(`docker load < ${shellQuote(sandbox.physical(archive!))}`)
    expect([load.code, load.stderr]).toEqual([0, ''])
    const loaded = await docker.inspect(image.loadsAs)
    expect(loaded.id).toBe(image.platforms['linux/amd64']!.config)

    const run = await bash(unit.script)
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `${GREETING}\n` })
    // The control: the same line with `--pull always` needs the registry, and it is gone.
    const pulled = await bash(unit.script.replace(/--pull never/, '--pull always'))
    expect(pulled.code).not.toBe(0)
    expect(pulled.stderr).toMatch(/connection refused|dial tcp/i)
    // The container's --rm (autoRemoveOnStop) took it away: nothing is left behind.
    const left = await bash('docker ps -a --format "{{.Names}}"')
    expect(left.stdout).toBe('')
  }, 600_000)
})

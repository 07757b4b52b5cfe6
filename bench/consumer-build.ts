// `npm run bench:consumer`: what a consumer's NixOS build costs with imageTrack.fetch, measured
// with real Nix 2.8 against the real registry on loopback set up as Docker Hub is (the token
// flow, blobs redirected to a CDN host), behind added latency: requests by kind, bytes, seconds
// and store size, for a cold build and a warm one. See docs/bench.md#consumer-build.
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startBlobCdn } from '../tests/harness/blob-cdn.js'
import { startFaultProxy } from '../tests/harness/fault-proxy.js'
import {
  NIX_SYSTEMS,
  publish,
  seedImage,
  type SeededImage
} from '../tests/harness/fetch-image-fixture.js'
import { nixSandbox, nixString } from '../tests/harness/nix.js'
import { countByKind, startRegistry } from '../tests/harness/registry.js'

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '4' },
    'layer-mib': { type: 'string', default: '8' },
    latency: { type: 'string', default: '25' }
  }
})
const imageCount = Number(values.images)
const layerBytes = Math.round(Number(values['layer-mib']) * 1024 * 1024 * 0.75)
const latencyMs = Number(values.latency)
const BUILD_TIMEOUT_MS = 900_000
const log = (m: string): void => void process.stderr.write(`[consumer-build] ${m}\n`)

const cdn = await startBlobCdn()
const registry = await startRegistry({ auth: 'token', redirectBlobsTo: cdn.url })
cdn.setRoot(registry.storageDir)
const front = await startFaultProxy(registry.url, { latencyMs, connectLatencyMs: latencyMs * 2 })
const sandbox = await nixSandbox('bench-consumer', { build: true })
try {
  const salt = randomBytes(8).toString('hex')
  log(`seeding ${imageCount} images, 2 platforms, ~${values['layer-mib']} MiB layer each`)
  const seeded: Array<Awaited<ReturnType<typeof seedImage>>> = []
  for (let i = 0; i < imageCount; i++) {
    seeded.push(
      await seedImage(
        registry,
        `bench/app${i}`,
        '1.0.0',
        '1',
        Object.values(NIX_SYSTEMS),
        'oci',
        salt,
        layerBytes
      )
    )
  }
  // Published under the front's name, so every request the build makes crosses the latency.
  const images: SeededImage[] = seeded.map(({ seeded: s }) => ({
    ...s,
    image: s.image.replace(registry.host, front.host),
    loadsAs: s.loadsAs.replace(registry.host, front.host)
  }))
  const published = publish(images.map((s, i) => ({ seeded: s, manifests: seeded[i]!.manifests })))
  const upstream = await sandbox.flakeCopy('upstream', JSON.stringify(published.digests), {
    'manifests.json': JSON.stringify(published.manifests)
  })
  const containers = images
    .map((s, i) => `app${i}.imageTrack = { image = ${nixString(s.image)}; track = "1"; };`)
    .join('\n    ')
  const consumer = await sandbox.nixosConsumer(
    'consumer',
    upstream,
    {
      'configuration.nix': `{ ... }: {
  nix-oci-hashes.fetch = true;
  nix-oci-hashes.sources.${nixString(front.host)} = [ ${nixString(front.url)} ];
  virtualisation.oci-containers.containers = {
    ${containers}
  };
}
`
    },
    './configuration.nix'
  )
  await sandbox.nixOk(consumer, 'flake', 'lock')
  await sandbox.git(consumer, 'add', 'flake.lock')
  await sandbox.git(consumer, 'commit', '-q', '-m', 'lock')

  // Every container's imageStream, run inside a build as the service would run it at start.
  const expr = (mode: string): string => `let
    c = builtins.getFlake ${nixString(`git+file://${consumer}`)};
    h = c.mk "x86_64-linux" [ { nix-oci-hashes.fetchInto = ${nixString(mode)}; } ];
    cs = h.config.virtualisation.oci-containers.containers;
  in builtins.attrValues (builtins.mapAttrs (_: x: if x.imageFile != null then x.imageFile else x.imageStream) cs)`

  const measure = async (label: string, mode: string) => {
    await registry.resetRequests()
    cdn.resetRequests()
    front.resetLog()
    const t0 = process.hrtime.bigint()
    const result = await sandbox.run(
      'nix',
      ['build', '--impure', '--no-link', '--json', '--expr', expr(mode)],
      sandbox.root,
      BUILD_TIMEOUT_MS
    )
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    if (result.code !== 0) throw new Error(`${label}: nix build failed:\n${result.stderr}`)
    const kinds = countByKind(await registry.requests())
    const atCdn = cdn.requests()
    const sizes = Object.assign(
      {},
      ...images.map((s) => s.platforms['linux/amd64']!.sizes)
    ) as Record<string, number>
    const bytes = atCdn
      .filter((r) => r.status === 200)
      .reduce((sum, r) => sum + (sizes[`sha256:${r.path.split('/').at(-2)}`] ?? 0), 0)
    const outputs = (JSON.parse(result.stdout) as Array<{ outputs: { out: string } }>).map(
      (o) => o.outputs.out
    )
    const outputBytes = outputs.reduce((sum, p) => sum + statSync(sandbox.physical(p)).size, 0)
    return {
      label,
      seconds: Number(seconds.toFixed(2)),
      registryRequests: front.log().length,
      manifestRequests: kinds.getManifests + kinds.headManifests,
      blobRequests: kinds.getBlobs,
      tokenRequests: registry.tokenRequests(),
      cdnRequests: atCdn.length,
      cdnAuthorization: atCdn.filter((r) => r.headers.authorization !== undefined).length,
      bytes,
      outputBytes
    }
  }

  const rows = [
    await measure('cold, imageStream', 'stream'),
    await measure('warm, imageStream', 'stream'),
    await measure('imageFile after stream (blobs in store)', 'file'),
    await measure('warm, imageFile', 'file')
  ]
  const blobBytes = images.reduce(
    (sum, s) => sum + Object.values(s.platforms['linux/amd64']!.sizes).reduce((a, b) => a + b, 0),
    0
  )
  console.log(JSON.stringify({ images: imageCount, latencyMs, blobBytes, rows }, null, 2))
  console.log(
    [
      '| build | seconds | registry requests (manifest / blob) | token requests | CDN requests (with Authorization) | bytes downloaded |',
      '|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.label} | ${r.seconds} | ${r.registryRequests} (${r.manifestRequests} / ${r.blobRequests}) | ${r.tokenRequests} | ${r.cdnRequests} (${r.cdnAuthorization}) | ${r.bytes} |`
      )
    ].join('\n')
  )
} finally {
  await front.stop()
  await registry.stop()
  await cdn.stop()
  await sandbox.cleanup()
}

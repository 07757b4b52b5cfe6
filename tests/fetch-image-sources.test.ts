// lib.fetchImage's sources, built for real with Nix 2.8 against real registries on loopback: a
// list of places to fetch the same blobs from where the digest check makes any of them safe, a
// private registry reached through a netrc file, a registry that redirects to another registry,
// a proxy from the environment, Docker Hub's naming, and blobs already in the store from
// another registry.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BLOB_PATH as BLOB,
  blobsOf,
  blobsServed as blobGets,
  fetchImageBuilder,
  sourcesFor
} from './harness/fetch-image-build.js'
import { NIX_SYSTEMS, publish, seedImage, type SeededImage } from './harness/fetch-image-fixture.js'
import { type FaultProxy, startFaultProxy } from './harness/fault-proxy.js'
import { type NixSandbox, nixSandbox, nixString, nixpkgsPath } from './harness/nix.js'
import { startRegistry, type TestRegistry } from './harness/registry.js'

const salt = randomBytes(8).toString('hex')
const amd64 = [NIX_SYSTEMS['x86_64-linux']!]

let sandbox: NixSandbox
let netrcDir = ''
const registries: Record<'origin' | 'empty' | 'copy' | 'private' | 'target', TestRegistry> =
  {} as never
let corrupting: FaultProxy
let alias: FaultProxy
let upstream = ''
let fetchImage: ReturnType<typeof fetchImageBuilder>
const images: Record<'app' | 'copy' | 'secret' | 'moved' | 'proxied' | 'hub', SeededImage> =
  {} as never

beforeAll(async () => {
  netrcDir = mkdtempSync(join(tmpdir(), 'fetch-image-netrc-'))
  const [origin, empty, copy, priv, target] = await Promise.all([
    startRegistry(),
    startRegistry(),
    startRegistry(),
    startRegistry({ auth: 'token', anonymousPull: false, users: { reader: 'reader-secret-1' } }),
    startRegistry({ auth: 'token' })
  ])
  Object.assign(registries, { origin, empty, copy, private: priv, target })
  sandbox = await nixSandbox('fetch-image-sources', { build: true, sandboxPaths: [netrcDir] })
  corrupting = await startFaultProxy(origin!.url)
  corrupting.setRules([{ method: 'GET', path: BLOB, fault: { kind: 'corrupt' } }])
  // A registry name that answers every blob request with a redirect to another registry.
  alias = await startFaultProxy(target!.url)
  alias.setRules([
    {
      path: BLOB,
      fault: {
        kind: 'respond',
        handler: (_req, res, url) => {
          res.writeHead(307, { location: `${target!.url}${url.pathname}` }).end()
        }
      }
    }
  ])
  const seeded = [
    await seedImage(origin!, 'team/app', '1.0.0', '1', amd64, 'oci', salt),
    // The same repository and content in another registry: the same blobs.
    await seedImage(copy!, 'team/app', '1.0.0', '1', amd64, 'oci', salt),
    await seedImage(priv!, 'team/secret', '3.1.0', '3', amd64, 'docker', salt),
    await seedImage(target!, 'team/moved', '2.0.0', '2', amd64, 'oci', salt),
    await seedImage(origin!, 'team/proxied', '4.0.0', '4', amd64, 'oci', salt),
    // Docker Hub's official images live under library/.
    await seedImage(origin!, 'library/nextcloud', '30.0.4', '30', amd64, 'oci', salt)
  ]
  const names = ['app', 'copy', 'secret', 'moved', 'proxied', 'hub'] as const
  names.forEach((name, i) => (images[name] = seeded[i]!.seeded))
  // The moved image is published under the alias's name, as a renamed registry would leave it.
  images.moved.image = `${alias.host}/team/moved`
  images.moved.loadsAs = `${alias.host}/team/moved:2.0.0`
  // Published as the updater names a Docker Hub image; fetched through a source for docker.io.
  images.hub.image = 'docker.io/nextcloud'
  images.hub.loadsAs = 'docker.io/library/nextcloud:30.0.4'
  const published = publish(seeded)
  upstream = await sandbox.flakeCopy('upstream', JSON.stringify(published.digests), {
    'manifests.json': JSON.stringify(published.manifests)
  })
  fetchImage = fetchImageBuilder(sandbox, upstream)
}, 300_000)

afterAll(async () => {
  await Promise.all([
    ...Object.values(registries).map((r) => r?.stop()),
    corrupting?.stop(),
    alias?.stop(),
    sandbox?.cleanup()
  ])
  rmSync(netrcDir, { recursive: true, force: true })
})

test('sources are tried in order: a cache without the blob, then one serving other bytes, then the origin', async () => {
  const { origin, empty } = registries
  await Promise.all([origin.resetRequests(), empty.resetRequests()])
  corrupting.resetLog()
  const result = await fetchImage(
    images.app,
    sourcesFor(images.app, [empty.url, corrupting.url, origin.url])
  )
  expect(result.stderr).not.toContain('error:')
  expect(result.code).toBe(0)
  const blobs = blobsOf(images.app)
  expect((await empty.requests()).filter((r) => BLOB.test(r.path)).map((r) => r.status)).toEqual(
    blobs.map(() => 404)
  )
  expect(corrupting.log().map((e) => e.action)).toEqual(blobs.map(() => 'corrupt'))
  for (const blob of blobs) {
    expect(result.stderr).toContain(
      `nix-oci-hashes: blob ${blob} from ${corrupting.url}/v2/team/app/blobs/${blob} hashes to`
    )
  }
  // Each blob once through the corrupting proxy and once directly.
  expect(await blobGets(origin)).toEqual([...blobs, ...blobs].sort())
}, 300_000)

test('blobs already in the store from another registry are not fetched again', async () => {
  const { copy } = registries
  await copy.resetRequests()
  expect(blobsOf(images.copy)).toEqual(blobsOf(images.app))
  const result = await fetchImage(images.copy, sourcesFor(images.copy, [copy.url]))
  expect(result.code).toBe(0)
  expect(await copy.requests()).toEqual([])
}, 300_000)

test('a private registry is reached with the netrc file given, and refused without it', async () => {
  const reg = registries.private
  const netrc = join(netrcDir, 'netrc')
  writeFileSync(netrc, 'machine 127.0.0.1 login reader password reader-secret-1\n', { mode: 0o600 })
  const sources = sourcesFor(images.secret, [reg.url])

  const refused = await fetchImage(images.secret, sources)
  expect(refused.code).not.toBe(0)
  // Nix stops at the first blob that fails; the message names it.
  const failed = /nix-oci-hashes: could not fetch blob (sha256:[0-9a-f]{64}) of team\/secret/.exec(
    refused.stderr
  )
  expect(blobsOf(images.secret)).toContain(failed?.[1])

  await reg.resetRequests()
  const result = await fetchImage(
    images.secret,
    `(${sources} // { netrcFile = ${nixString(netrc)}; })`
  )
  expect(result.stderr).not.toContain('error:')
  expect(result.code).toBe(0)
  expect(await blobGets(reg)).toEqual(blobsOf(images.secret))
  expect(reg.tokenServer!.requests().map((r) => r.user)).toContain('reader')
  // The password never shows in the build's output.
  expect(result.stderr + refused.stderr).not.toContain('reader-secret-1')
}, 300_000)

test('a netrc file given as a Nix path is refused: it would copy the secret into the store', async () => {
  const result = await fetchImage(images.secret, `{ netrcFile = ${join(netrcDir, 'netrc')}; }`)
  expect(result.code).not.toBe(0)
  expect(result.stderr).toContain(
    'fetchImage: netrcFile must be a string (an absolute path read at build time), not a Nix path'
  )
  const copied = await sandbox.run(
    'grep',
    ['-rl', 'reader-secret-1', sandbox.physical('/nix/store')],
    sandbox.root
  )
  expect(copied.stdout).toBe('')
})

test('a registry that redirects to another registry gets its token there and is retried there', async () => {
  const { target } = registries
  await target.resetRequests()
  alias.resetLog()
  const result = await fetchImage(images.moved, sourcesFor(images.moved, [alias.url]))
  expect(result.stderr).not.toContain('error:')
  expect(result.code).toBe(0)
  const blobs = blobsOf(images.moved)
  expect(alias.log().map((e) => e.action)).toEqual(blobs.map(() => 'respond'))
  // At the target: a 401 without a token, then the blob with the target's own token.
  const atTarget = (await target.requests()).filter((r) => BLOB.test(r.path))
  expect(atTarget.map((r) => r.status).sort()).toEqual(
    [...blobs.map(() => 200), ...blobs.map(() => 401)].sort()
  )
  expect(target.tokenRequests()).toBe(blobs.length)
}, 300_000)

test('a proxy in the environment carries the requests (impureEnvVars)', async () => {
  const proxy = await startFaultProxy(registries.origin.url)
  try {
    // A source only the proxy can reach: the name does not resolve.
    const result = await fetchImage(
      images.proxied,
      sourcesFor(images.proxied, ['http://registry.proxied.invalid']),
      [`http_proxy=${proxy.url}`]
    )
    expect(result.stderr).not.toContain('error:')
    expect(result.code).toBe(0)
    expect(
      proxy
        .log()
        .map((e) => e.url)
        .sort()
    ).toEqual(blobsOf(images.proxied).map((b) => `/v2/team/proxied/blobs/${b}`))
  } finally {
    await proxy.stop()
  }
}, 300_000)

test('a Docker Hub image is fetched from library/ at registry-1.docker.io, then mirror.gcr.io, or the sources for docker.io', async () => {
  const image = images.hub
  const { origin } = registries
  const attrs = await sandbox.run(
    'nix',
    [
      'eval',
      '--impure',
      '--json',
      '--expr',
      `let
        up = builtins.getFlake ${nixString(`git+file://${upstream}`)};
        pkgs = (builtins.getFlake ${nixString(`path:${nixpkgsPath()}`)}).legacyPackages.x86_64-linux;
        img = up.lib.fetchImage { image = "nextcloud"; track = 30; system = "x86_64-linux"; inherit pkgs; };
        blob = img.blobs.${nixString(image.platforms['linux/amd64']!.config)};
      in { inherit (img) imageName; inherit (blob) repository sources outputHash outputHashMode outputHashAlgo; }`
    ],
    sandbox.root
  )
  expect(attrs.stderr).not.toContain('error:')
  expect(JSON.parse(attrs.stdout)).toEqual({
    imageName: 'docker.io/library/nextcloud:30.0.4',
    repository: 'library/nextcloud',
    sources: 'https://registry-1.docker.io\nhttps://mirror.gcr.io',
    outputHash: image.platforms['linux/amd64']!.config.slice('sha256:'.length),
    outputHashMode: 'flat',
    outputHashAlgo: 'sha256'
  })

  await origin.resetRequests()
  const result = await fetchImage(image, `{ sources."docker.io" = [ ${nixString(origin.url)} ]; }`)
  expect(result.stderr).not.toContain('error:')
  expect(result.code).toBe(0)
  expect(await blobGets(origin)).toEqual(blobsOf(image))
  expect(
    (await origin.requests()).every((r) => r.path.startsWith('/v2/library/nextcloud/blobs/'))
  ).toBe(true)
}, 300_000)

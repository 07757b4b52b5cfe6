// Where the benchmark's registries live: the real registry, serving TLS (with a test CA both
// tools trust) or plain HTTP, behind a TCP relay that adds the latency. The relay passes bytes
// through, so TLS handshakes and HTTP/2 are end to end and each tool pays for what it opens.
import { mkdirSync, mkdtempSync, copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { startRegistry, type StartOptions, type TestRegistry } from '../tests/harness/registry.js'
import { startTcpRelay, type TcpRelay } from '../tests/harness/tcp-relay.js'
import { makeTestCa } from '../tests/harness/test-ca.js'

export type Transport = 'tls' | 'plain'

/** The name images carry; our CLI reaches it as a mirror, so a loopback address can be TLS. */
export const BENCH_REGISTRY = 'bench.example'

export interface BenchRegistry {
  registry: TestRegistry
  /** `127.0.0.1:port` of the relay, as skopeo names the registry. */
  host: string
  /** Arguments our CLI needs to reach it (the mirror, the CA). */
  ourArgs: string[]
  /** Arguments each skopeo command needs (the CA folder, or no TLS verification). */
  skopeoArgs: string[]
  /** TCP connections opened through the relay so far, token server's included. */
  connections(): number
  stop(): Promise<void>
}

export async function startBenchRegistry(
  home: string,
  transport: Transport,
  latencyMs: number,
  options: Pick<StartOptions, 'auth'> = {}
): Promise<BenchRegistry> {
  const network = { latencyMs, connectLatencyMs: 2 * latencyMs }
  const relays: TcpRelay[] = []
  const relay = async (port: number): Promise<TcpRelay> => {
    const started = await startTcpRelay(port, network)
    relays.push(started)
    return started
  }
  let tls
  const skopeoArgs = ['--tls-verify=false']
  if (transport === 'tls') {
    const dir = mkdtempSync(join(home, 'ca-'))
    tls = await makeTestCa(dir, [BENCH_REGISTRY])
    // skopeo's --cert-dir reads *.crt as CAs, as Docker's certs.d does.
    const certDir = join(dir, 'skopeo-certs')
    mkdirSync(certDir)
    copyFileSync(tls.caPath, join(certDir, 'ca.crt'))
    skopeoArgs.splice(0, 1, '--cert-dir', certDir)
  }
  const registry = await startRegistry({
    ...options,
    ...(tls ? { tls } : {}),
    // The token service stays plain HTTP, behind its own relay with the same latency.
    realm: async (tokenUrl) => {
      const url = new URL(tokenUrl)
      return `http://${(await relay(Number(url.port))).host}${url.pathname}`
    }
  })
  const front = await relay(Number(registry.host.split(':')[1]))
  const scheme = transport === 'tls' ? 'https' : 'http'
  return {
    registry,
    host: front.host,
    // The comparison with the skopeo script is of the digests both write; what publishing
    // manifests.json adds is measured on its own (issue-workload.ts).
    ourArgs: [
      NO_MANIFESTS,
      '--mirror',
      `${BENCH_REGISTRY}=${scheme}://${front.host}`,
      ...(tls ? ['--ca-file', tls.caPath] : [])
    ],
    skopeoArgs,
    connections: () => relays.reduce((sum, r) => sum + r.connections(), 0),
    async stop() {
      for (const r of relays) await r.stop()
      await registry.stop()
    }
  }
}

/** Our CLI's switch that leaves manifests.json out of a run. */
export const NO_MANIFESTS = '--no-manifests'

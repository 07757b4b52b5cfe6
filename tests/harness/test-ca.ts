// A test CA and a server certificate it signed, made by openssl, for registries served over TLS.
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { TlsFiles } from './registry.js'
import { generateSigningCert } from './token-server.js'

const run = promisify(execFile)

/** The CA at `caPath`; the server cert is valid for each name in `names` and for 127.0.0.1. */
export async function makeTestCa(dir: string, names: string[]): Promise<TlsFiles> {
  const caKey = join(dir, 'ca.key')
  const caPath = join(dir, 'ca.crt')
  const keyPath = join(dir, 'server.key')
  const csr = join(dir, 'server.csr')
  const certPath = join(dir, 'server.crt')
  const extensions = join(dir, 'server.ext')
  const openssl = (args: string[]) => run('openssl', args, { timeout: 30_000 })
  await generateSigningCert(dir, { name: 'ca', subject: '/CN=nix-oci-hashes test CA' })
  await openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${names[0] ?? '127.0.0.1'}`,
    '-keyout',
    keyPath,
    '-out',
    csr
  ])
  const alternatives = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',')
  await writeFile(extensions, `subjectAltName=${alternatives}\nextendedKeyUsage=serverAuth\n`)
  await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caPath,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    extensions,
    '-out',
    certPath
  ])
  return { certPath, keyPath, caPath }
}

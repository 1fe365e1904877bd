/**
 * A throwaway private PKI for tests: a CA, a server certificate for 127.0.0.1/localhost and a
 * client certificate (plus the same client key encrypted with a passphrase), made with the
 * openssl CLI in a temporary folder. Nothing here is a real credential.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function createPki({ clientCn = 'token-lease-test-client', passphrase = 'client-key-pass-4711' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'token-lease-pki-'))
  const f = (name) => join(dir, name)
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  const key = (name) => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f(name))

  key('ca.key')
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    f('ca.key'),
    '-subj',
    '/CN=token-lease test CA',
    '-days',
    '2',
    '-out',
    f('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )

  const issue = (name, subject, ext) => {
    key(`${name}.key`)
    ssl('req', '-new', '-key', f(`${name}.key`), '-subj', subject, '-out', f(`${name}.csr`))
    writeFileSync(f(`${name}.ext`), ext)
    ssl(
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.pem`),
    )
  }
  issue('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  issue('client', `/CN=${clientCn}`, 'extendedKeyUsage=clientAuth\n')
  ssl('pkcs8', '-topk8', '-in', f('client.key'), '-out', f('client-enc.key'), '-v2', 'aes-256-cbc', '-passout', `pass:${passphrase}`)

  const read = (name) => readFileSync(f(name), 'utf8')
  const pki = {
    ca: { cert: read('ca.pem'), key: read('ca.key') },
    server: { cert: read('server.pem'), key: read('server.key') },
    client: { cert: read('client.pem'), key: read('client.key'), cn: clientCn },
    clientEncrypted: { key: read('client-enc.key'), passphrase },
  }
  rmSync(dir, { recursive: true, force: true })
  return pki
}

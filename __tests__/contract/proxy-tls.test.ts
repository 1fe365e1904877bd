/**
 * Runner contract, proxies and private CAs: the dist/ bundles run as the runner runs them, with
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY set, against a fault-injecting HTTPS server on 127.0.0.1
 * whose certificate comes from a throwaway private CA.
 *
 * @actions/http-client never proxies loopback hosts (localhost, 127.*, [::1]) whatever NO_PROXY
 * says, so the token URL uses a host name that only the test proxy (scripts/lib/connect-proxy.mjs,
 * CONNECT only) resolves: a request that reaches the server went through the proxy, and each
 * tunnel the proxy opened is counted. The server certificate is issued for that name, so the
 * TLS handshake inside the tunnel checks both the trust anchors and the host name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { basicCredential } from '../../src/oauth/client-auth.js'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { issueServerCertificate, startFaultServer, type FaultServer } from '../support/fault-server.js'
import { expectNoLeak, runMain, runPost, type StepResult } from '../support/steps.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki } from '../../scripts/lib/pki.mjs'

const IDP = 'idp.proxy-only.test'
const MTLS = 'mtls.proxy-only.test'
const CLIENT_ID = 'proxy-client'
const SECRET = 'Pr0xy secret+/= value'
const BASIC = basicCredential(CLIENT_ID, SECRET)
const TOKEN_BODY = 'grant_type=client_credentials&scope=api%3Aread'
const PROXY_PASSWORD = 'proxy-pa55-word'

const pki = createPki()
let idp: FaultServer
let mtls: FaultServer
let plain: FaultServer
let proxy: ConnectProxy
let dir: string
let caFile: string

beforeAll(async () => {
  idp = await startFaultServer({ tls: issueServerCertificate(pki.ca, [IDP]) })
  mtls = await startFaultServer({ tls: { ...issueServerCertificate(pki.ca, [MTLS]), ca: pki.ca.cert, requestCert: true } })
  plain = await startFaultServer()
  proxy = await startConnectProxy({ hosts: { [IDP]: '127.0.0.1', [MTLS]: '127.0.0.1' } })
  dir = mkdtempSync(join(tmpdir(), 'token-lease-ca-'))
  caFile = join(dir, 'extra-ca.pem')
  writeFileSync(caFile, pki.ca.cert)
})
afterAll(async () => {
  await Promise.all([idp.close(), mtls.close(), plain.close(), proxy.close()])
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  for (const s of [idp, mtls, plain]) s.reset()
  proxy.tunnels.length = 0
})

const newToken = () => `at-${randomBytes(18).toString('base64url')}`
const tokenAnswer = (token: string) => ({
  status: 200,
  json: { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'api:read' },
})
const idpUrl = (path: string) => `https://${IDP}:${idp.port}${path}`
const inputs = (extra: Record<string, string> = {}) => ({
  'token-url': idpUrl('/token'),
  'revocation-url': idpUrl('/revoke'),
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  scope: 'api:read',
  ...extra,
})
const viaProxy = (extra: Record<string, string> = {}) => ({ HTTPS_PROXY: proxy.url, ...extra })
const errorLine = (step: StepResult) => step.log.split('\n').find((l) => l.startsWith('##[error]')) ?? ''

test('HTTPS_PROXY with ca-certificate: token and revocation each go through one tunnel; the CA reaches the handshake', async () => {
  const token = newToken()
  idp.route('POST', '/token', tokenAnswer(token))
  idp.route('POST', '/revoke', { status: 200 })
  const main = await runMain({ inputs: inputs({ 'ca-certificate': pki.ca.cert }), env: viaProxy(), debug: true })
  expect(main.code).toBe(0)
  expect(main.outputs.token).toBe(token)
  expect(proxy.tunnels).toEqual([{ target: `${IDP}:${idp.port}`, host: IDP, port: idp.port, proxyAuthorization: undefined, status: 200 }])
  expect(idp.requests).toHaveLength(1)
  expect(idp.requests[0]).toMatchObject({ method: 'POST', path: '/token', body: TOKEN_BODY })
  expect(idp.requests[0].headers).toMatchObject({
    host: `${IDP}:${idp.port}`,
    authorization: `Basic ${BASIC}`,
    'content-type': 'application/x-www-form-urlencoded',
  })
  expect(main.log).toContain(`POST https://${IDP}:${idp.port}/token via proxy 127.0.0.1:${proxy.port} → HTTP 200`)

  const post = await runPost({ inputs: inputs({ 'ca-certificate': pki.ca.cert }), state: main.state, env: viaProxy(), debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(proxy.tunnels).toHaveLength(2)
  expect(idp.requests[1]).toMatchObject({ method: 'POST', path: '/revoke', body: `token=${token}&token_type_hint=access_token` })
  expectNoLeak(main, [SECRET, BASIC, token])
  expectNoLeak(post, [SECRET, BASIC, token])
})

test('NODE_EXTRA_CA_CERTS instead of ca-certificate also works through the proxy', async () => {
  const token = newToken()
  idp.route('POST', '/token', tokenAnswer(token))
  const main = await runMain({ inputs: inputs(), env: viaProxy({ NODE_EXTRA_CA_CERTS: caFile }) })
  expect(main.code).toBe(0)
  expect(main.outputs.token).toBe(token)
  expect(proxy.tunnels).toHaveLength(1)
  expect(idp.requests).toHaveLength(1)
  expect(idp.requests[0]).toMatchObject({ method: 'POST', path: '/token', body: TOKEN_BODY })
})

test('ca-certificate together with NODE_EXTRA_CA_CERTS: both trust stores are kept', async () => {
  // The server's CA comes only from NODE_EXTRA_CA_CERTS; ca-certificate adds an unrelated CA.
  const other = createPki()
  const token = newToken()
  idp.route('POST', '/token', tokenAnswer(token))
  const main = await runMain({ inputs: inputs({ 'ca-certificate': other.ca.cert }), env: viaProxy({ NODE_EXTRA_CA_CERTS: caFile }) })
  expect(main.code).toBe(0)
  expect(main.outputs.token).toBe(token)
  expect(proxy.tunnels).toHaveLength(1)
})

test('without the private CA: a TLS trust failure inside the tunnel, not retried, with the ca-certificate hint', async () => {
  const main = await runMain({ inputs: inputs(), env: viaProxy() })
  expect(main.code).toBe(1)
  expect(errorLine(main)).toMatch(
    new RegExp(
      `^##\\[error\\]Token request \\(POST https://${IDP.replace(/\./g, '\\.')}:${idp.port}/token via proxy 127\\.0\\.0\\.1:${proxy.port}\\) failed: the server's TLS certificate is not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)\\. Hint: for a private CA, pass its PEM certificate in 'ca-certificate'`,
    ),
  )
  expect(proxy.tunnels).toHaveLength(1)
  expect(idp.requests).toHaveLength(0)
  expectNoLeak(main, [SECRET, BASIC])
})

test('mutual TLS through the tunnel: the client certificate with its encrypted key reaches the server; key and passphrase stay masked', async () => {
  const token = newToken()
  mtls.route('POST', '/token', tokenAnswer(token))
  const main = await runMain({
    inputs: {
      'token-url': `https://${MTLS}:${mtls.port}/token`,
      'client-id': CLIENT_ID,
      'client-certificate': pki.client.cert,
      'client-key': pki.clientEncrypted.key,
      'client-key-passphrase': pki.clientEncrypted.passphrase,
      'ca-certificate': pki.ca.cert,
      scope: 'api:read',
    },
    env: viaProxy(),
    debug: true,
  })
  expect(main.code).toBe(0)
  expect(main.outputs.token).toBe(token)
  expect(proxy.tunnels).toEqual([expect.objectContaining({ target: `${MTLS}:${mtls.port}`, status: 200 })])
  expect(mtls.requests).toHaveLength(1)
  expect(mtls.requests[0]).toMatchObject({
    method: 'POST',
    path: '/token',
    body: `grant_type=client_credentials&scope=api%3Aread&client_id=${CLIENT_ID}`,
    clientCertCn: pki.client.cn,
  })
  expect(mtls.requests[0].headers.authorization).toBeUndefined()
  const keyLines = pki.clientEncrypted.key.split('\n').filter((l: string) => l && !l.startsWith('-----'))
  expect(main.masks).toEqual(expect.arrayContaining([...keyLines, pki.clientEncrypted.passphrase, token]))
  expectNoLeak(main, [...keyLines, pki.clientEncrypted.passphrase, token])
})

test('NO_PROXY naming the domain: the proxy is bypassed (no tunnel), so the name does not resolve: a DNS error with a hint', async () => {
  const main = await runMain({
    inputs: inputs({ 'ca-certificate': pki.ca.cert }),
    env: viaProxy({ NO_PROXY: 'example.org,.proxy-only.test' }),
  })
  expect(main.code).toBe(1)
  expect(proxy.tunnels).toHaveLength(0)
  expect(idp.requests).toHaveLength(0)
  expect(errorLine(main)).toBe(
    `##[error]Token request (POST https://${IDP}:${idp.port}/token) failed: DNS lookup of ${IDP} failed (ENOTFOUND). Hint: check the host name in the URL; a host that only a proxy can resolve needs HTTPS_PROXY (or HTTP_PROXY) set, and must not match NO_PROXY.`,
  )
})

test('HTTP_PROXY for an http:// URL (allow-insecure-http): tunnelled too', async () => {
  const token = newToken()
  plain.route('POST', '/token', tokenAnswer(token))
  const url = `http://${IDP}:${plain.port}/token`
  const main = await runMain({
    inputs: { ...inputs(), 'token-url': url, 'revocation-url': `http://${IDP}:${plain.port}/revoke`, 'allow-insecure-http': 'true' },
    env: { HTTP_PROXY: proxy.url },
  })
  expect(main.code).toBe(0)
  expect(main.outputs.token).toBe(token)
  expect(proxy.tunnels).toEqual([expect.objectContaining({ target: `${IDP}:${plain.port}`, status: 200 })])
  expect(plain.requests).toHaveLength(1)
  expect(plain.requests[0]).toMatchObject({ method: 'POST', path: '/token', body: TOKEN_BODY })
  expect(plain.requests[0].headers).toMatchObject({ authorization: `Basic ${BASIC}` })
})

test('a proxy with credentials in HTTPS_PROXY: Proxy-Authorization is sent; the password is never printed', async () => {
  const locked = await startConnectProxy({ hosts: { [IDP]: '127.0.0.1' }, credentials: `ci:${PROXY_PASSWORD}` })
  try {
    const token = newToken()
    idp.route('POST', '/token', tokenAnswer(token))
    const withAuth = `http://ci:${PROXY_PASSWORD}@127.0.0.1:${locked.port}`
    const main = await runMain({ inputs: inputs({ 'ca-certificate': pki.ca.cert }), env: { HTTPS_PROXY: withAuth }, debug: true })
    expect(main.code).toBe(0)
    expect(locked.tunnels).toEqual([
      expect.objectContaining({ status: 200, proxyAuthorization: `Basic ${Buffer.from(`ci:${PROXY_PASSWORD}`).toString('base64')}` }),
    ])
    expect(main.log).toContain(`via proxy 127.0.0.1:${locked.port} → HTTP 200`)
    expectNoLeak(main, [PROXY_PASSWORD, token])

    const refused = await runMain({
      inputs: inputs({ 'ca-certificate': pki.ca.cert }),
      env: { HTTPS_PROXY: `http://127.0.0.1:${locked.port}` },
    })
    expect(refused.code).toBe(1)
    expect(locked.tunnels).toHaveLength(2)
    expect(errorLine(refused)).toBe(
      `##[error]Token request (POST https://${IDP}:${idp.port}/token via proxy 127.0.0.1:${locked.port}) failed: the proxy 127.0.0.1:${locked.port} refused the tunnel to ${IDP}:${idp.port} (HTTP 407). Hint: the proxy wants credentials: put them in the proxy URL (http://user:password@host:port).`,
    )
  } finally {
    await locked.close()
  }
})

test('proxy credentials are masked before any request: NODE_DEBUG output and step debug show no part of them', async () => {
  const password = 'pr0xy:p@ss/w0rd'
  const encoded = encodeURIComponent(password)
  const locked = await startConnectProxy({ hosts: { [IDP]: '127.0.0.1' }, credentials: `ci:${password}` })
  try {
    const token = newToken()
    idp.route('POST', '/token', tokenAnswer(token))
    const main = await runMain({
      inputs: inputs({ 'ca-certificate': pki.ca.cert }),
      env: { HTTPS_PROXY: `http://ci:${encoded}@127.0.0.1:${locked.port}`, NODE_DEBUG: 'net,http,https,tls,tunnel' },
      debug: true,
    })
    expect(main.code).toBe(0)
    expect(locked.tunnels).toEqual([expect.objectContaining({ status: 200 })])
    // Step debug says what was sent, without the credential.
    expect(main.log).toMatch(
      /##\[debug\]Token request, attempt 1 of 4: POST https:\/\/idp\.proxy-only\.test:\d+\/token via proxy 127\.0\.0\.1:\d+; headers accept: application\/json, authorization \(Basic, hidden\)/,
    )
    const proxyAuth = Buffer.from(`ci:${password}`).toString('base64')
    const secrets = [password, encoded, proxyAuth, `ci:${encoded}`, token, SECRET]
    // Node's own debug output goes to stderr, which the runner masks like stdout: masked before any request, it shows none.
    expect(main.stderr).toMatch(/TUNNEL|NET|HTTP/)
    const maskedStderr = [...main.masks].sort((a, b) => b.length - a.length).reduce((t, m) => t.split(m).join('***'), main.stderr)
    expect(secrets.filter((s) => `${main.log}\n${maskedStderr}`.includes(s))).toEqual([])
    expect(expectNoLeak({ ...main, stderr: '' }, secrets)).toBeUndefined()
  } finally {
    await locked.close()
  }
})

test('NODE_TLS_REJECT_UNAUTHORIZED=0 in the job environment: certificates are still checked, directly and through the tunnel', async () => {
  idp.route('POST', '/token', tokenAnswer(newToken()))
  const env = { NODE_TLS_REJECT_UNAUTHORIZED: '0' }
  const direct = await runMain({ inputs: { ...inputs(), 'token-url': idp.url('/token') }, env })
  const tunnelled = await runMain({ inputs: inputs(), env: { ...env, HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` } })
  for (const step of [direct, tunnelled]) {
    expect(step.code).toBe(1)
    expect(errorLine(step)).toMatch(/failed: the server's TLS certificate is not trusted \(/)
    expect(step.outputs.token).toBeUndefined()
  }
  expect(idp.requests).toHaveLength(0)
})

test('a proxy that refuses the tunnel (403): not retried, the message names the proxy and the target', async () => {
  const strict = await startConnectProxy({ refuse: 403 })
  try {
    const main = await runMain({ inputs: inputs({ 'ca-certificate': pki.ca.cert }), env: { HTTPS_PROXY: strict.url } })
    expect(main.code).toBe(1)
    expect(strict.tunnels).toEqual([expect.objectContaining({ target: `${IDP}:${idp.port}`, status: 403 })])
    expect(idp.requests).toHaveLength(0)
    expect(errorLine(main)).toBe(
      `##[error]Token request (POST https://${IDP}:${idp.port}/token via proxy 127.0.0.1:${strict.port}) failed: the proxy 127.0.0.1:${strict.port} refused the tunnel to ${IDP}:${idp.port} (HTTP 403). Hint: ask for CONNECT to ${IDP}:${idp.port} to be allowed, or list the host in NO_PROXY if it is reachable directly.`,
    )
  } finally {
    await strict.close()
  }
})

test('a proxy that is down: retried, then an error naming the proxy', async () => {
  const down = await startConnectProxy()
  const port = down.port
  await down.close()
  const main = await runMain({
    inputs: inputs({ 'ca-certificate': pki.ca.cert, retries: '1' }),
    env: { HTTPS_PROXY: `http://127.0.0.1:${port}` },
  })
  expect(main.code).toBe(1)
  expect(main.log).toMatch(/→ PROXY_ECONNREFUSED \(attempt 1 of 2\); retrying in [01]\.\d s/)
  expect(errorLine(main)).toBe(
    `##[error]Token request (POST https://${IDP}:${idp.port}/token via proxy 127.0.0.1:${port}) failed: could not connect to the proxy 127.0.0.1:${port} (ECONNREFUSED) after 2 attempts. Hint: check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY.`,
  )
})

test('a proxy that never answers the CONNECT: the per-request deadline still ends the attempt', async () => {
  const stuck = await startConnectProxy({ hang: true })
  try {
    const main = await runMain({
      inputs: inputs({ 'ca-certificate': pki.ca.cert, timeout: '1', retries: '0' }),
      env: { HTTPS_PROXY: stuck.url },
    })
    expect(main.code).toBe(1)
    expect(stuck.tunnels).toEqual([expect.objectContaining({ target: `${IDP}:${idp.port}`, status: 0 })])
    expect(idp.requests).toHaveLength(0)
    expect(main.durationMs).toBeLessThan(6000)
    expect(errorLine(main)).toBe(
      `##[error]Token request (POST https://${IDP}:${idp.port}/token via proxy 127.0.0.1:${stuck.port}) timed out (1 s per attempt). Hint: check that the server is reachable from the runner (firewall, HTTPS_PROXY / NO_PROXY), or raise 'timeout'.`,
    )
  } finally {
    await stuck.close()
  }
})

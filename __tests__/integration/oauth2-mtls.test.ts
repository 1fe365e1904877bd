/**
 * RFC 8705 tls_client_auth against oidc-provider over HTTPS (features.mTLS, tlsClientAuth) with a
 * throwaway PKI (scripts/lib/pki.mjs): the client certificate and key go on the TLS connection,
 * the client id in the body, 'ca-certificate' is the only trust anchor for the private CA; post
 * revokes over the same mutual-TLS connection. Through the provider as main and post wire it.
 */
import type { RawInputs } from '../../src/inputs.js'
import { wiredOauth2Provider } from '../support/wired-oauth2.js'
import { startOidcServer, type OidcServer } from '../support/oidc-server.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki as createPkiJs } from '../../scripts/lib/pki.mjs'

interface Pki {
  ca: { cert: string }
  server: { cert: string; key: string }
  client: { cert: string; key: string; cn: string }
  clientEncrypted: { key: string; passphrase: string }
}
const createPki = (options: { clientCn?: string } = {}): Pki => createPkiJs(options)

let pki: Pki
let strangerPki: Pki
let op: OidcServer

beforeAll(async () => {
  pki = createPki()
  strangerPki = createPki()
  const client = (id: string, subjectDn: string) => ({
    client_id: id,
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: subjectDn,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'api:read api:write',
  })
  op = await startOidcServer({
    mtls: { pki },
    clients: [client('mtls-client', `CN=${pki.client.cn}`), client('other-subject', 'CN=another-client')],
  })
})
afterAll(() => op?.close())

/** The provider as main and post build it (makeDeps puts the TLS material into the HTTP layer). */
const provider = (raw: RawInputs) => wiredOauth2Provider(raw, {})

/** Runs acquire, which must fail; also returns why the server refused, from oidc-provider's events (the response only says invalid_client). */
async function refusal(p: { acquire(): Promise<unknown> }): Promise<{ error: Error; details: (string | undefined)[] }> {
  const details: (string | undefined)[] = []
  const listener = (_ctx: unknown, err: { error_detail?: string }) => details.push(err.error_detail)
  op.provider.on('grant.error', listener)
  try {
    const error = (await p.acquire().then(
      () => new Error('acquired a token'),
      (e: unknown) => e,
    )) as Error
    return { error, details }
  } finally {
    op.provider.off('grant.error', listener)
  }
}

const tls = () => ({ 'ca-certificate': pki.ca.cert, 'client-certificate': pki.client.cert, 'client-key': pki.client.key })

test('discovery, token and revocation over mutual TLS; the client id in the body, nothing else authenticates', async () => {
  const from = op.requests.length
  const { provider: p, masked } = provider({
    issuer: op.issuer,
    'client-auth': 'tls_client_auth',
    'client-id': 'mtls-client',
    scope: 'api:read',
    ...tls(),
  })
  const { lease } = await p.acquire()
  expect(lease).toMatchObject({
    clientAuth: 'tls_client_auth',
    tokenEndpoint: `${op.issuer}/token`,
    revocationEndpoint: `${op.issuer}/token/revocation`,
    scope: 'api:read',
  })
  expect(await op.introspect(lease.token)).toMatchObject({ active: true, client_id: 'mtls-client', scope: 'api:read' })
  await expect(p.revoke(lease)).resolves.toBe('revoked')
  expect(await op.introspect(lease.token)).toEqual({ active: false })

  const sent = op.requests.slice(from)
  expect(sent.map((r) => [r.method, r.path, r.status, r.headers.authorization])).toEqual([
    ['GET', '/.well-known/oauth-authorization-server', 200, undefined],
    ['POST', '/token', 200, undefined],
    ['POST', '/token/revocation', 200, undefined],
  ])
  expect(sent[1].body).toEqual({ grant_type: 'client_credentials', scope: 'api:read', client_id: 'mtls-client' })
  expect(sent[2].body).toEqual({ token: lease.token, token_type_hint: 'access_token', client_id: 'mtls-client' })
  // Every line of the client key is masked.
  for (const line of pki.client.key.trim().split('\n').slice(1, -1)) expect(masked).toContain(line)
})

test('an encrypted client key with its passphrase; client-auth not given: tls_client_auth, from the certificate', async () => {
  const { provider: p, masked } = provider({
    'token-url': `${op.issuer}/token`,
    'client-id': 'mtls-client',
    'ca-certificate': pki.ca.cert,
    'client-certificate': pki.client.cert,
    'client-key': pki.clientEncrypted.key,
    'client-key-passphrase': pki.clientEncrypted.passphrase,
  })
  const { lease } = await p.acquire()
  expect(lease.clientAuth).toBe('tls_client_auth')
  expect(await op.introspect(lease.token)).toMatchObject({ active: true, client_id: 'mtls-client' })
  expect(masked).toContain(pki.clientEncrypted.passphrase)
})

test('a certificate from another CA: invalid_client (the server does not trust it)', async () => {
  const { provider: p } = provider({
    'token-url': `${op.issuer}/token`,
    'client-auth': 'tls_client_auth',
    'client-id': 'mtls-client',
    'ca-certificate': pki.ca.cert,
    'client-certificate': strangerPki.client.cert,
    'client-key': strangerPki.client.key,
  })
  const { error, details } = await refusal(p)
  expect(error.message).toMatch(
    /POST https:\/\/127\.0\.0\.1:\d+\/token → HTTP 401; error invalid_client: client authentication failed; Hint: check 'client-id' and the client credential/,
  )
  expect(details).toEqual(['client certificate was not verified'])
})

test('a certificate whose subject is not the registered one: invalid_client', async () => {
  const { provider: p } = provider({
    'token-url': `${op.issuer}/token`,
    'client-auth': 'tls_client_auth',
    'client-id': 'other-subject',
    ...tls(),
  })
  const { error, details } = await refusal(p)
  expect(error.message).toMatch(/HTTP 401; error invalid_client: client authentication failed/)
  expect(details).toEqual(['certificate subject value does not match the registered one'])
})

test("without 'ca-certificate' the private CA is not trusted: a TLS error that names the input", async () => {
  const { provider: p } = provider({
    'token-url': `${op.issuer}/token`,
    'client-auth': 'tls_client_auth',
    'client-id': 'mtls-client',
    'client-certificate': pki.client.cert,
    'client-key': pki.client.key,
  })
  const err = (await p.acquire().catch((e: unknown) => e)) as Error
  expect(err.name).toBe('RequestError')
  expect(err.message).toMatch(
    /^Token request \(POST https:\/\/127\.0\.0\.1:\d+\/token\) failed: the server's TLS certificate is not trusted .*'ca-certificate'/,
  )
})

test('a wrong passphrase fails before any request, naming the input and not the passphrase', async () => {
  const from = op.requests.length
  const wrong = 'not-the-passphrase-42'
  const err = (() => {
    try {
      return provider({
        'token-url': `${op.issuer}/token`,
        'client-id': 'mtls-client',
        ...tls(),
        'client-key': pki.clientEncrypted.key,
        'client-key-passphrase': wrong,
      })
    } catch (e) {
      return e
    }
  })() as Error
  expect(err.name).toBe('InputError')
  expect(err.message).toContain("'client-key-passphrase'")
  expect(err.message).not.toContain(wrong)
  expect(op.requests.length).toBe(from)
})

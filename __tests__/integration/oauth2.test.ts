/**
 * main() and post() in-process, with the real HTTP layer, against a real authorization server
 * (panva's oidc-provider on 127.0.0.1, scripts/lib/oidc-server.mjs): discovery, the three
 * secret-or-none client authentications, the JSON request format, and revocation seen through
 * RFC 7662 introspection. The server records each request it receives, as it parsed it.
 */
import { mainStep, postStep } from '../support/in-process.js'
import { CI_CLIENT, startOidcServer, type OidcServer, type RecordedRequest } from '../support/oidc-server.js'

const POST_CLIENT = { id: 'post-client', secret: 'p0st:secret & "more"+%' }
const PUBLIC_CLIENT = { id: 'public-client' }
const clients = [
  {
    client_id: POST_CLIENT.id,
    client_secret: POST_CLIENT.secret,
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'api:read api:write',
  },
  {
    client_id: PUBLIC_CLIENT.id,
    token_endpoint_auth_method: 'none',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'api:read',
  },
]
/** RFC 6749 §2.3.1, written out: id and secret form-encoded, then base64. */
const CI_BASIC = `Basic ${Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')}`
const FORM = 'application/x-www-form-urlencoded'
/** A fresh 3600 s token, seen a second or two later on a loaded machine. */
const LIFETIME = expect.stringMatching(/^(3600|359\d)$/)

let server: OidcServer
beforeAll(async () => {
  server = await startOidcServer({ clients })
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const runMain = mainStep
const runPost = postStep

/** The parts of a recorded request a test pins down: method, path, client auth header, content type, body. */
const wire = (r: RecordedRequest) => ({
  method: r.method,
  path: r.path,
  authorization: r.headers.authorization,
  contentType: r.headers['content-type'],
  body: r.body,
  status: r.status,
})

test('discovery and client_secret_basic: a live token, then revoked by post', async () => {
  const inputs = { issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, scope: 'api:read' }
  const m = await runMain(inputs)
  expect(m.args('setFailed')).toEqual([])
  const token = m.outputs.token
  expect(token).toMatch(/^[\w-]{20,}$/)
  expect(m.outputs).toEqual({
    token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': LIFETIME,
    'expires-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    scope: 'api:read',
    revocation: 'scheduled',
  })
  expect(Date.parse(m.outputs['expires-at']) / 1000 - Date.now() / 1000).toBeGreaterThan(3500)
  expect(server.requests.map(wire)).toEqual([
    {
      method: 'GET',
      path: '/.well-known/oauth-authorization-server',
      authorization: undefined,
      contentType: undefined,
      body: undefined,
      status: 200,
    },
    {
      method: 'POST',
      path: '/token',
      authorization: CI_BASIC,
      contentType: FORM,
      body: { grant_type: 'client_credentials', scope: 'api:read' },
      status: 200,
    },
  ])
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: CI_CLIENT.id, scope: 'api:read', token_type: 'Bearer' })
  expect(m.args('setSecret')).toEqual(expect.arrayContaining([CI_CLIENT.secret, CI_BASIC, token]))

  server.requests.length = 0
  const p = await runPost(inputs, m.saved)
  expect(p.args('warning')).toEqual([])
  expect(p.args('info')).toContainEqual(expect.stringMatching(/^Revoked — /))
  // Post first re-discovers (no credentials) to check the lease's endpoints; these are what it sent with them.
  expect(server.requests.map(wire).filter((r) => r.method === 'POST')).toEqual([
    {
      method: 'POST',
      path: '/token/revocation',
      authorization: CI_BASIC,
      contentType: FORM,
      body: { token, token_type_hint: 'access_token' },
      status: 200,
    },
  ])
  expect(await server.introspect(token)).toEqual({ active: false })
  for (const text of [...m.visible(), ...p.visible()])
    for (const secret of [token, CI_CLIENT.secret, CI_BASIC.slice(6)]) expect(text).not.toContain(secret)
})

test('client_secret_post: id and secret in the body, at the token and the revocation endpoint', async () => {
  const inputs = {
    issuer: server.issuer,
    'client-id': POST_CLIENT.id,
    'client-secret': POST_CLIENT.secret,
    'client-auth': 'client_secret_post',
    scope: 'api:write',
  }
  const m = await runMain(inputs)
  expect(m.args('setFailed')).toEqual([])
  const token = m.outputs.token
  expect(m.outputs.scope).toBe('api:write')
  expect(server.requests.map(wire).slice(-1)).toEqual([
    {
      method: 'POST',
      path: '/token',
      authorization: undefined,
      contentType: FORM,
      body: { grant_type: 'client_credentials', scope: 'api:write', client_id: POST_CLIENT.id, client_secret: POST_CLIENT.secret },
      status: 200,
    },
  ])
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: POST_CLIENT.id })

  server.requests.length = 0
  const p = await runPost(inputs, m.saved)
  expect(p.args('info')).toContainEqual(expect.stringMatching(/^Revoked — /))
  // Post first re-discovers (no credentials) to check the lease's endpoints; these are what it sent with them.
  expect(server.requests.map(wire).filter((r) => r.method === 'POST')).toEqual([
    {
      method: 'POST',
      path: '/token/revocation',
      authorization: undefined,
      contentType: FORM,
      body: { token, token_type_hint: 'access_token', client_id: POST_CLIENT.id, client_secret: POST_CLIENT.secret },
      status: 200,
    },
  ])
  expect(await server.introspect(token)).toEqual({ active: false })
})

test('a wrong secret sent with client_secret_post: a clear invalid_client that does not show the secret', async () => {
  const wrong = 'wrong:secret & "value"'
  const m = await runMain({
    issuer: server.issuer,
    'client-id': POST_CLIENT.id,
    'client-secret': wrong,
    'client-auth': 'client_secret_post',
  })
  expect(server.requests.map(wire).slice(-1)).toEqual([
    {
      method: 'POST',
      path: '/token',
      authorization: undefined,
      contentType: FORM,
      body: { grant_type: 'client_credentials', client_id: POST_CLIENT.id, client_secret: wrong },
      status: 401,
    },
  ])
  expect(m.calls.findIndex((c) => c[0] === 'setSecret' && c[1] === wrong)).toBe(0)
  for (const text of m.visible()) expect(text).not.toContain(wrong)
  expect(m.args('setFailed')).toEqual([
    expect.stringMatching(
      new RegExp(
        `^Token request failed: POST http://127\\.0\\.0\\.1:${server.port}/token → HTTP 401; error invalid_client: .*; Hint: check 'client-id' and the client credential .* that 'client-auth' is a method the server accepts for this client\\.$`,
      ),
    ),
  ])
  expect(m.saved).toEqual({ lease: 'none' })
  expect(m.outputs).toEqual({})
})

test('none: a public client sends only its id, and can revoke its token', async () => {
  const inputs = {
    'token-url': `${server.issuer}/token`,
    'revocation-url': `${server.issuer}/token/revocation`,
    'client-id': PUBLIC_CLIENT.id,
    'client-auth': 'none',
  }
  const m = await runMain(inputs)
  expect(m.args('setFailed')).toEqual([])
  const token = m.outputs.token
  // No discovery: both endpoints were given. No scope asked, none granted.
  expect(server.requests.map(wire)).toEqual([
    {
      method: 'POST',
      path: '/token',
      authorization: undefined,
      contentType: FORM,
      body: { grant_type: 'client_credentials', client_id: PUBLIC_CLIENT.id },
      status: 200,
    },
  ])
  expect(m.outputs).toMatchObject({ scope: '', revocation: 'scheduled', 'expires-in': LIFETIME })
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: PUBLIC_CLIENT.id })

  server.requests.length = 0
  const p = await runPost(inputs, m.saved)
  expect(p.args('info')).toContainEqual(expect.stringMatching(/^Revoked — /))
  // Post first re-discovers (no credentials) to check the lease's endpoints; these are what it sent with them.
  expect(server.requests.map(wire).filter((r) => r.method === 'POST')).toEqual([
    {
      method: 'POST',
      path: '/token/revocation',
      authorization: undefined,
      contentType: FORM,
      body: { token, token_type_hint: 'access_token', client_id: PUBLIC_CLIENT.id },
      status: 200,
    },
  ])
  expect(await server.introspect(token)).toEqual({ active: false })
})

test('request-format json: oidc-provider takes only form bodies, and the error says so', async () => {
  const m = await runMain({ issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, 'request-format': 'json' })
  expect(server.requests.map((r) => [r.method, r.path, r.headers['content-type'], r.status])).toEqual([
    ['GET', '/.well-known/oauth-authorization-server', undefined, 200],
    ['POST', '/token', 'application/json', 400],
  ])
  expect(m.args('setFailed')).toEqual([
    `Token request failed: POST http://127.0.0.1:${server.port}/token → HTTP 400; error invalid_request: only application/x-www-form-urlencoded content-type bodies are supported on POST /token; Hint: the server found the request malformed: check the inputs for this grant type.`,
  ])
  expect(m.saved).toEqual({ lease: 'none' })
})

test('a scope the client may not have: invalid_scope with its hint', async () => {
  const m = await runMain({ issuer: server.issuer, 'client-id': PUBLIC_CLIENT.id, 'client-auth': 'none', scope: 'api:write' })
  expect(m.args('setFailed')).toEqual([
    expect.stringMatching(/→ HTTP 400; error invalid_scope: .*; Hint: check 'scope': request only scopes the client is allowed\.$/),
  ])
})

test('revoke: false and a token-url without revocation: nothing is sent by post', async () => {
  const disabled = { issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, revoke: 'false' }
  const m1 = await runMain(disabled)
  expect(m1.outputs.revocation).toBe('disabled')
  const unsupported = { 'token-url': `${server.issuer}/token`, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret }
  const m2 = await runMain(unsupported)
  expect(m2.outputs.revocation).toBe('unsupported')

  server.requests.length = 0
  const p1 = await runPost(disabled, m1.saved)
  const p2 = await runPost(unsupported, m2.saved)
  expect(server.requests).toEqual([])
  expect(p1.args('info')).toEqual(['Not revoked: revoke is false.'])
  expect(p2.args('info')).toEqual([
    expect.stringMatching(
      /^Not revoked: oauth2 offers no revocation; the token stays valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (1 h|5\d min( \d{1,2} s)?)\)\.$/,
    ),
  ])
  expect(await server.introspect(m1.outputs.token)).toMatchObject({ active: true })
  expect(await server.introspect(m2.outputs.token)).toMatchObject({ active: true })
})

/**
 * Signeasy end to end, in process: main and post (src/main.ts, src/post.ts) with a core that
 * records every call, against the Signeasy emulator (scripts/lib/signeasy-emulator.mjs, a real
 * HTTP(S) server on 127.0.0.1 written from PROTOCOLS.md §4). What the emulator received is
 * asserted request by request; post revokes with Signeasy's documented DELETE, and the emulator's
 * API then refuses the token (it is really dead), or, where the server refuses, post says the
 * revocation is not confirmed. The first block shows the emulator itself refuses what the real API would.
 */
import { decodeJwt } from 'jose'
import { main, type Runtime } from '../../src/main.js'
import { post } from '../../src/post.js'
import { runStep } from '../support/fake-core.js'
import {
  rawRequest,
  SIGNEASY,
  signeasyInputs,
  SIGNEASY_AUDIENCE,
  startSigneasyEmulator,
  type SigneasyEmulator,
} from '../support/signeasy-emulator.js'
import { createPki, type Pki } from '../support/tpp-emulator.js'

const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const EXPIRES_AT = '2025-07-15T15:06:40Z' // NOW + 30 days
let se: SigneasyEmulator
let pki: Pki

beforeAll(async () => {
  pki = createPki()
  se = await startSigneasyEmulator({ clients: [{ id: SIGNEASY.clientId, secret: SIGNEASY.clientSecret }], now: () => NOW })
})
afterAll(() => se.close())

/** Runs a step in process with a core that records, in order, what the runner would see. */
const step = (run: (rt: Runtime) => Promise<void>, inputs: Record<string, string>, state: Record<string, string> = {}) =>
  runStep(run, inputs, { state, trimInputs: true, now: () => NOW })

const inputs = (extra: Record<string, string> = {}) => signeasyInputs(se, extra)
const since = (n: number) => se.requests.slice(n)

describe('the emulator refuses what the real API would', () => {
  const documented = () => ({
    client_id: SIGNEASY.clientId,
    client_secret: SIGNEASY.clientSecret,
    audience: SIGNEASY_AUDIENCE,
    grant_type: 'client_credentials',
  })
  const json = (body: object) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

  test('the documented request gets a 30-day RS256 JWT for the API audience', async () => {
    const res = await rawRequest(se.tokenUrl, json(documented()))
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      access_token: expect.stringMatching(/^eyJ/),
      scope: 'rs:read rs:update',
      expires_in: 2592000,
      token_type: 'Bearer',
    })
    expect(decodeJwt(res.json!.access_token as string)).toMatchObject({
      aud: SIGNEASY_AUDIENCE,
      sub: `${SIGNEASY.clientId}@clients`,
      azp: SIGNEASY.clientId,
      exp: NOW + 2592000,
      gty: 'client-credentials',
    })
  })

  test.each([
    ['a text/plain body', { headers: { 'content-type': 'text/plain' }, body: JSON.stringify(documented()) }, 415, 'invalid_request'],
    ['no content type', { body: JSON.stringify(documented()) }, 415, 'invalid_request'],
    ['JSON that does not parse', { headers: { 'content-type': 'application/json' }, body: '{"client_id":' }, 400, 'invalid_request'],
    ['an extra field', json({ ...documented(), redirect_uri: 'https://x.example' }), 400, 'invalid_request'],
    ['no client_secret', json({ ...documented(), client_secret: undefined }), 400, 'invalid_request'],
    ['no grant_type', json({ ...documented(), grant_type: undefined }), 400, 'invalid_request'],
    ['no audience', json({ ...documented(), audience: undefined }), 403, 'access_denied'],
    ['another audience', json({ ...documented(), audience: 'https://api.signeasy.com/' }), 403, 'access_denied'],
    ['grant_type password', json({ ...documented(), grant_type: 'password' }), 403, 'unauthorized_client'],
    ['an unknown grant_type', json({ ...documented(), grant_type: 'client-credentials' }), 400, 'unsupported_grant_type'],
    ['an unknown client', json({ ...documented(), client_id: 'someone-else' }), 401, 'access_denied'],
    ['a wrong secret', json({ ...documented(), client_secret: 'not-the-secret' }), 401, 'access_denied'],
    ['a scope not granted', json({ ...documented(), scope: 'rs:read user:create' }), 403, 'access_denied'],
    [
      'two client authentications',
      {
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${SIGNEASY.clientId}:x`).toString('base64')}` },
        body: JSON.stringify(documented()),
      },
      400,
      'invalid_request',
    ],
  ])('%s', async (_, request, status, error) => {
    const res = await rawRequest(se.tokenUrl, request)
    expect(res.status).toBe(status)
    expect(res.json).toEqual({ error, error_description: expect.any(String) })
  })

  test('revocation is DELETE /oauth2/tokens/revoke/ with a live Bearer token; afterwards the API refuses the token', async () => {
    const token = (await rawRequest(se.tokenUrl, json(documented()))).json!.access_token as string
    const bearer = { authorization: `Bearer ${token}` }
    expect((await rawRequest(`${se.url}/v3/me`, { method: 'GET', headers: bearer })).status).toBe(200)
    expect((await rawRequest(se.revocationUrl, { method: 'POST', headers: bearer })).status).toBe(405)
    expect((await rawRequest(se.revocationUrl, { method: 'DELETE' })).status).toBe(401)
    expect((await rawRequest(`${se.url}/oauth/revoke`, json({ client_id: SIGNEASY.clientId, token }))).status).toBe(404)
    const revoked = await rawRequest(se.revocationUrl, { method: 'DELETE', headers: bearer })
    expect(revoked).toMatchObject({ status: 200, json: { message: 'Access Revoked' } })
    expect((await rawRequest(`${se.url}/v3/me`, { method: 'GET', headers: bearer })).status).toBe(401)
    expect((await rawRequest(se.revocationUrl, { method: 'DELETE', headers: bearer })).status).toBe(401)
    expect(se.isLive(token)).toBe(false)
    expect((await rawRequest(se.tokenUrl, { method: 'GET' })).status).toBe(405)
  })
})

test('main leases a 30-day token with the documented request; post revokes it with the DELETE, and the token is dead', async () => {
  const n = se.requests.length
  const m = await step(main, inputs())
  expect(m.failed).toEqual([])

  const sent = since(n)
  expect(sent).toHaveLength(1)
  expect(sent[0]).toMatchObject({ method: 'POST', path: '/oauth/token' })
  expect(sent[0].headers['content-type']).toBe('application/json')
  expect(sent[0].headers.authorization).toBeUndefined()
  expect(JSON.parse(sent[0].body)).toEqual({
    client_id: SIGNEASY.clientId,
    client_secret: SIGNEASY.clientSecret,
    audience: 'https://api-ext.signeasy.com/',
    grant_type: 'client_credentials',
  })

  const issued = se.issued.at(-1)!
  expect(m.outputs).toEqual({
    token: issued.token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': '2592000',
    'expires-at': EXPIRES_AT,
    scope: 'rs:read rs:update',
    revocation: 'scheduled',
  })
  // Masks first: the secret before anything else, the token before it is saved or output.
  expect(m.first('setSecret', SIGNEASY.clientSecret)).toBe(0)
  expect(m.first('setSecret', issued.token)).toBeLessThan(m.calls.findIndex((c) => c[0] === 'saveState' && c[2] !== 'none'))
  expect(m.first('setSecret', issued.token)).toBeLessThan(m.first('setOutput', 'token'))
  expect(m.warnings).toEqual([])
  expect(m.args('info')).toContain('The post step will revoke it when the job ends.')
  expect(m.summary).toContain('| Provider | signeasy |')
  expect(m.summary).toContain(`| Expires | ${EXPIRES_AT} \\(in 30 d\\) |`)
  expect(m.summary).toContain('| Revocation | scheduled for the end of the job |')
  expect(se.isLive(issued.token)).toBe(true)

  const before = se.requests.length
  const p = await step(post, inputs(), m.saved)
  expect(p.failed).toEqual([])
  expect(p.warnings).toEqual([])
  expect(since(before)).toEqual([expect.objectContaining({ method: 'DELETE', path: '/oauth2/tokens/revoke/', body: '' })])
  expect(since(before)[0].headers.authorization).toBe(`Bearer ${issued.token}`)
  // Signeasy has no endpoint that says whether a token is dead: post says so, and the API's refusal below proves it.
  expect(p.args('info')).toContain('Revoked — not confirmed: signeasy offers no way to ask whether a token is dead.')
  expect(p.summary).toContain('| Revocation | Revoked — not confirmed: signeasy offers no way to ask whether a token is dead. |')
  // Really dead: the API refuses it now.
  expect(se.isLive(issued.token)).toBe(false)
  expect((await rawRequest(`${se.url}/v3/me`, { method: 'GET', headers: { authorization: `Bearer ${issued.token}` } })).status).toBe(401)

  for (const rec of [m, p]) expect(rec.leaks([SIGNEASY.clientSecret, issued.token, issued.token.split('.')[2]])).toEqual([])
})

describe('a server that refuses to revoke a client-credentials token (the docs write the endpoint for OAuth apps)', () => {
  let strict: SigneasyEmulator
  beforeAll(async () => {
    strict = await startSigneasyEmulator({
      clients: [{ id: SIGNEASY.clientId, secret: SIGNEASY.clientSecret }],
      revokesClientCredentials: false,
      now: () => NOW,
    })
  })
  afterAll(() => strict.close())

  test('post says the revocation is not confirmed, with the honest hint; a warning, or a failure with revoke-failure: fail', async () => {
    const m = await step(main, signeasyInputs(strict))
    expect(m.failed).toEqual([])
    const token = m.outputs.token
    const p = await step(post, signeasyInputs(strict), m.saved)
    expect(p.failed).toEqual([])
    expect(p.warnings).toEqual([
      `Revocation not confirmed: DELETE ${strict.revocationUrl} → HTTP 403 Forbidden; error access_denied. Hint: Signeasy documents this endpoint for OAuth apps ('Revoking Access Tokens'); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires. The token stays valid until ${EXPIRES_AT} (in 30 d).`,
    ])
    const url = strict.revocationUrl.replace('http://', 'http:\u200b//')
    expect(p.summary).toContain(
      `| Revocation | failed: Revocation not confirmed: DELETE ${url} → HTTP 403 Forbidden; error access\\_denied. Hint: Signeasy documents this endpoint for OAuth apps \\('Revoking Access Tokens'\\); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires. |`,
    )
    expect(p.args('info').join('\n')).not.toMatch(/Revoked/)
    expect(strict.isLive(token)).toBe(true)

    const hard = await step(post, signeasyInputs(strict, { 'revoke-failure': 'fail' }), m.saved)
    expect(hard.failed).toEqual([expect.stringMatching(/^Revocation not confirmed: DELETE .* → HTTP 403 Forbidden/)])
    for (const rec of [m, p, hard]) expect(rec.leaks([SIGNEASY.clientSecret, token])).toEqual([])
  })
})

test("a token-url of another environment without revocation-url: 'unsupported', and post sends nothing (never to Signeasy's production endpoint)", async () => {
  const { 'revocation-url': _, ...withoutRevocationUrl } = inputs()
  const m = await step(main, withoutRevocationUrl)
  expect(m.failed).toEqual([])
  expect(m.outputs.revocation).toBe('unsupported')
  const before = se.requests.length
  const p = await step(post, withoutRevocationUrl, m.saved)
  expect(se.requests.length).toBe(before)
  expect(p.failed).toEqual([])
  // Clean up: the token is live.
  await step(post, inputs(), { lease: m.saved.lease.replace('"unsupported"', '"scheduled"') })
  expect(se.isLive(m.outputs.token)).toBe(false)
})

test('the overrides a sandbox or a proxy needs: audience, form body, Basic client authentication, scope', async () => {
  const sandbox = await startSigneasyEmulator({
    clients: [{ id: SIGNEASY.clientId, secret: SIGNEASY.clientSecret, scopes: ['rs:read', 'rs:update', 'user:read'] }],
    audience: 'https://api-sandbox.signeasy.example/',
    now: () => NOW,
  })
  try {
    const m = await step(
      main,
      inputs({
        'token-url': sandbox.tokenUrl,
        'revocation-url': sandbox.revocationUrl,
        audience: 'https://api-sandbox.signeasy.example/',
        'request-format': 'form',
        'client-auth': 'client_secret_basic',
        scope: 'user:read',
      }),
    )
    expect(m.failed).toEqual([])
    expect(sandbox.requests).toHaveLength(1)
    expect(sandbox.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(sandbox.requests[0].headers.authorization).toMatch(/^Basic /)
    expect(Object.fromEntries(new URLSearchParams(sandbox.requests[0].body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'user:read',
      audience: 'https://api-sandbox.signeasy.example/',
    })
    expect(sandbox.issued[0]).toMatchObject({
      format: 'form',
      clientAuth: 'client_secret_basic',
      claims: { aud: 'https://api-sandbox.signeasy.example/', scope: 'user:read' },
    })
    expect(m.outputs).toMatchObject({ token: sandbox.issued[0].token, scope: 'user:read', revocation: 'scheduled' })
    expect(m.leaks([SIGNEASY.clientSecret, sandbox.requests[0].headers.authorization as string, sandbox.issued[0].token])).toEqual([])
    // revocation-url sends the DELETE to the sandbox, never to api.signeasy.com.
    await step(post, inputs({ 'token-url': sandbox.tokenUrl, 'revocation-url': sandbox.revocationUrl }), m.saved)
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /oauth/token', 'DELETE /oauth2/tokens/revoke/'])
    expect(sandbox.isLive(sandbox.issued[0].token)).toBe(false)
  } finally {
    await sandbox.close()
  }
})

test('over HTTPS with a private CA: refused without ca-certificate, leased with it', async () => {
  const tls = await startSigneasyEmulator({ clients: [{ id: SIGNEASY.clientId, secret: SIGNEASY.clientSecret }], pki, now: () => NOW })
  try {
    const untrusted = await step(main, inputs({ 'token-url': tls.tokenUrl, retries: '0' }))
    expect(untrusted.failed).toHaveLength(1)
    expect(untrusted.failed[0]).toMatch(
      /TLS certificate is not trusted.*Hint: for a private CA, pass its PEM certificate in 'ca-certificate'/,
    )
    const trusted = await step(main, inputs({ 'token-url': tls.tokenUrl, 'ca-certificate': pki.ca.cert }))
    expect(trusted.failed).toEqual([])
    expect(trusted.outputs.token).toBe(tls.issued[0].token)
    // The token is the one this emulator issued over TLS.
    expect(decodeJwt(trusted.outputs.token)).toMatchObject({ iss: `${tls.url}/`, aud: SIGNEASY_AUDIENCE })
  } finally {
    await tls.close()
  }
})

test('a transient 503 is retried after Retry-After; a 4xx is not', async () => {
  se.inject('/oauth/token', { status: 503, headers: { 'retry-after': '2' }, body: '{"error":"temporarily_unavailable"}' })
  const n = se.requests.length
  const ok = await step(main, inputs())
  expect(ok.failed).toEqual([])
  expect(since(n)).toHaveLength(2)
  expect(ok.waits).toHaveLength(1)
  expect(ok.waits[0]).toBeGreaterThanOrEqual(2000)

  const m = se.requests.length
  const refused = await step(main, inputs({ 'client-secret': 'wrong-secret-value-123' }))
  expect(since(m)).toHaveLength(1)
  expect(refused.failed).toEqual([
    `Token request failed: POST ${se.tokenUrl} → HTTP 401; error access_denied: Unauthorized; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.`,
  ])
  expect(refused.saved).toEqual({ lease: 'none' })
  expect(refused.outputs).toEqual({})
  expect(refused.leaks(['wrong-secret-value-123'])).toEqual([])
})

test.each([
  [
    'a wrong audience',
    { audience: 'https://api.signeasy.com/' },
    'HTTP 403; error access_denied: Service not found: https://api.signeasy.com/',
  ],
  [
    'a scope not granted',
    { scope: 'rs:read template:manage' },
    'HTTP 403; error access_denied: Client has not been granted scopes: template:manage',
  ],
])('%s fails main with the server’s reason', async (_, extra, reason) => {
  const m = await step(main, inputs(extra))
  expect(m.failed).toHaveLength(1)
  expect(m.failed[0]).toContain(reason)
  expect(m.saved).toEqual({ lease: 'none' })
  expect(m.leaks([SIGNEASY.clientSecret])).toEqual([])
})

test('the post step of a failed main says there is nothing to revoke', async () => {
  const before = se.requests.length
  const p = await step(post, inputs())
  expect(p.args('info')).toEqual(['The main step leased no token: nothing to revoke.'])
  expect(se.requests.length).toBe(before)
})

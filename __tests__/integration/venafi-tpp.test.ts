/**
 * Venafi TPP end to end, in process: main and post (src/main.ts, src/post.ts) with a core that
 * records every call, against the TPP emulator (scripts/lib/tpp-emulator.mjs: real HTTPS with a
 * private CA and client-certificate requests) and, for the keyless way in, the stand-in for the
 * runner's OIDC token service. What the emulator received is asserted request by request, and
 * its grant state after post shows the token really was revoked.
 */
import type { ActionsCore } from '../../src/core.js'
import { parseConfig } from '../../src/inputs.js'
import { decodeLease } from '../../src/lease.js'
import { main, makeDeps, type Runtime } from '../../src/main.js'
import { post } from '../../src/post.js'
import { create } from '../../src/providers/venafi-tpp.js'
import { Secrets } from '../../src/secrets.js'
import { runStep } from '../support/fake-core.js'
import { passwordInputsFor, useTppFixture } from '../support/tpp-fixture.js'
import { createPki, startTppEmulator, TPP } from '../support/tpp-emulator.js'

const fx = useTppFixture()

/** Runs a step in process with a core that records what the runner would see. */
const step = (
  run: (rt: Runtime) => Promise<void>,
  inputs: Record<string, string>,
  options: { state?: Record<string, string>; env?: NodeJS.ProcessEnv } = {},
) => runStep(run, inputs, { ...options, trimInputs: true })

const since = (n: number) => fx.tpp.requests.slice(n)
const grantOf = (token: string) => fx.tpp.grants.find((g) => g.accessToken === token)!

const passwordInputs = (extra: Record<string, string> = {}) => passwordInputsFor(fx, extra)

test('username/password: main leases a live token from POST /vedauth/authorize/oauth; post revokes the whole grant', async () => {
  const before = fx.tpp.requests.length
  const m = await step(main, passwordInputs())
  expect(m.failed).toEqual([])

  const [authorize] = since(before)
  expect(since(before)).toHaveLength(1)
  expect(authorize).toMatchObject({ method: 'POST', path: '/vedauth/authorize/oauth' })
  expect(authorize.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache', accept: 'application/json' })
  expect(authorize.body).toBe(
    JSON.stringify({ client_id: TPP.clientId, username: TPP.username, password: TPP.password, scope: 'certificate:manage,revoke' }),
  )

  const token = m.outputs.token
  const grant = grantOf(token)
  expect(grant).toMatchObject({ identity: TPP.userIdentity, clientId: TPP.clientId, scope: 'certificate:manage,revoke', revoked: false })
  expect(m.outputs).toEqual({
    token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': expect.stringMatching(/^\d+$/),
    'expires-at': new Date(grant.accessExpires * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    scope: 'certificate:manage,revoke',
    revocation: 'scheduled',
  })
  expect(Number(m.outputs['expires-in'])).toBeGreaterThan(3500)
  // The refresh token TPP issued is masked and goes nowhere.
  expect(grant.refreshToken).toBeDefined()
  expect(m.masks).toEqual(expect.arrayContaining([TPP.password, token, grant.refreshToken]))
  expect(Object.values(m.outputs)).not.toContain(grant.refreshToken)
  expect(m.saved.lease).not.toContain(grant.refreshToken)
  expect(m.summary).toContain(`| Identity | ${TPP.userIdentity} \\(${TPP.clientId}\\) |`)
  expect(m.summary).toContain('| Scope | certificate:manage,revoke |')
  expect((await fx.tpp.verify(token)).status).toBe(200)

  const afterMain = fx.tpp.requests.length
  const p = await step(post, passwordInputs(), { state: m.saved })
  expect(p.failed).toEqual([])
  expect(p.warnings).toEqual([])
  expect(p.log).toContain('Revoked — confirmed by the server.')
  // The revoke, then one verify that TPP answers 401: the grant is dead.
  const [revoke, verify] = since(afterMain)
  expect(since(afterMain).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /vedauth/revoke/token', 'GET /vedauth/authorize/verify'])
  expect(verify.headers.authorization).toBe(`Bearer ${token}`)
  expect(revoke).toMatchObject({ method: 'GET', path: '/vedauth/revoke/token', body: '' })
  // vcert's headers on the GET too: the emulator refuses a revoke without the JSON content type.
  expect(revoke.headers).toMatchObject({
    authorization: `Bearer ${token}`,
    'cache-control': 'no-cache',
    'content-type': 'application/json',
  })
  expect(p.summary).toContain('| Revocation | Revoked — confirmed by the server. |')

  // The grant is gone: the access token fails verify, the refresh token fails refresh.
  expect(grantOf(token).revoked).toBe(true)
  expect((await fx.tpp.verify(token)).status).toBe(401)
  expect(await fx.tpp.refresh(TPP.clientId, grant.refreshToken!)).toMatchObject({
    status: 400,
    statusText: 'Grant has been revoked, has expired, or the refresh token is invalid',
  })
  expect(m.leaks([TPP.password, token, grant.refreshToken])).toEqual([])
  expect(p.leaks([TPP.password, token, grant.refreshToken])).toEqual([])

  // A second post gets 401: TPP refused the token, which proves nothing was revoked now, so it is never reported as success.
  const again = await step(post, passwordInputs(), { state: m.saved })
  expect(again.log.join('\n')).not.toMatch(/Revoked/)
  expect(again.warnings).toEqual([
    expect.stringMatching(
      /^Revocation failed: GET https:\/\/127\.0\.0\.1:\d+\/vedauth\/revoke\/token → HTTP 401 Unauthorized; not revoked: the server refused the token \(401\); Hint: TPP answers 401 for any token it does not accept/,
    ),
  ])
  expect(again.summary).toMatch(
    /\| Revocation \| failed: Revocation failed: GET https:\u200b\/\/127\.0\.0\.1:\d+\/vedauth\/revoke\/token → HTTP 401 Unauthorized; not revoked: the server refused the token \\\(401\\\); Hint: TPP answers 401 for any token/,
  )
  const strict = await step(post, passwordInputs({ 'revoke-failure': 'fail' }), { state: m.saved })
  expect(strict.failed).toEqual([expect.stringMatching(/not revoked: the server refused the token \(401\)/)])
})

test('a server-url without a scheme (host:port/vedsdk) means https://: the whole lease runs over TLS', async () => {
  const inputs = passwordInputs({ 'server-url': `127.0.0.1:${fx.tpp.port}/vedsdk` })
  const before = fx.tpp.requests.length
  const m = await step(main, inputs)
  expect(m.failed).toEqual([])
  const p = await step(post, inputs, { state: m.saved })
  expect(p.log).toContain('Revoked — confirmed by the server.')
  expect(since(before).map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /vedauth/authorize/oauth',
    'GET /vedauth/revoke/token',
    'GET /vedauth/authorize/verify',
  ])
  expect(JSON.parse(m.saved.lease)).toMatchObject({
    tokenEndpoint: `https://127.0.0.1:${fx.tpp.port}/vedauth/authorize/oauth`,
    revocationEndpoint: `https://127.0.0.1:${fx.tpp.port}/vedauth/revoke/token`,
  })
  expect(grantOf(m.outputs.token).revoked).toBe(true)
})

describe('verify: the provider asks TPP whether the revoked token is dead (GET /vedauth/authorize/verify)', () => {
  /** The provider as post would build it from the inputs. */
  function providerFor(inputs: Record<string, string>) {
    const config = parseConfig(inputs)
    const secrets = new Secrets(() => {})
    secrets.add(TPP.password)
    const core = { info: () => {}, warning: () => {}, debug: () => {} } as unknown as ActionsCore
    return { provider: create(config, makeDeps(config, secrets, { core, env: {}, sleep: async () => {} })), secrets }
  }

  test('alive while the grant lives; dead (401) once post revoked it; one request each, with the token as Bearer', async () => {
    const m = await step(main, passwordInputs())
    const lease = decodeLease(m.saved.lease)!
    const { provider } = providerFor(passwordInputs())
    let before = fx.tpp.requests.length
    expect(await provider.verify!(lease)).toEqual({ state: 'alive' })
    expect(since(before)).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/vedauth/authorize/verify',
        headers: expect.objectContaining({ authorization: `Bearer ${lease.token}`, 'content-type': 'application/json' }),
      }),
    ])
    await step(post, passwordInputs(), { state: m.saved })
    before = fx.tpp.requests.length
    expect(await provider.verify!(lease)).toEqual({ state: 'dead' })
    expect(since(before)).toHaveLength(1)
  })

  test('a server that says 200 at revoke but keeps the token: verify tells alive', async () => {
    const m = await step(main, passwordInputs())
    const lease = decodeLease(m.saved.lease)!
    fx.tpp.inject('/vedauth/revoke/token', { status: 200, body: 'Grant has been revoked' })
    const p = await step(post, passwordInputs(), { state: m.saved })
    // Post asks verify itself: a 200 that kept the token is never reported as revoked.
    expect(p.warnings).toEqual([
      expect.stringMatching(
        /^Not revoked: the server accepted the revocation but still reports the token active; it may stay valid until /,
      ),
    ])
    expect(p.log.join('\n')).not.toMatch(/Revoked/)
    expect(await providerFor(passwordInputs()).provider.verify!(lease)).toEqual({ state: 'alive' })
    await fx.tpp.probe('GET', '/vedauth/revoke/token', { headers: { authorization: `Bearer ${lease.token}` } })
  })

  test('any other answer is unknown, with a reason that carries no secret (a reason phrase echoing the token is cut out)', async () => {
    const m = await step(main, passwordInputs())
    const lease = decodeLease(m.saved.lease)!
    const { provider, secrets } = providerFor(passwordInputs())
    secrets.add(lease.token)
    fx.tpp.inject('/vedauth/authorize/verify', { status: 403, reason: `Forbidden for ${lease.token}` })
    const result = await provider.verify!(lease)
    expect(result).toEqual({
      state: 'unknown',
      reason: `GET https://127.0.0.1:${fx.tpp.port}/vedauth/authorize/verify answered HTTP 403 Forbidden for ***`,
    })
    fx.tpp.inject('/vedauth/authorize/verify', { reset: true, times: 4 })
    const failed = await provider.verify!(lease)
    expect(failed.state).toBe('unknown')
    expect(failed.state === 'unknown' && failed.reason).toMatch(
      /^TPP token check \(GET .*\/vedauth\/authorize\/verify\) failed: .*ECONNRESET/,
    )
    await step(post, passwordInputs(), { state: m.saved })
  })
})

test('the granted scope is what TPP says; a scope within the integration is asked for exactly as given', async () => {
  const before = fx.tpp.requests.length
  const m = await step(main, passwordInputs({ scope: 'certificate:revoke,manage;configuration' }))
  expect(m.failed).toEqual([])
  expect(since(before)[0].json).toMatchObject({ scope: 'certificate:revoke,manage;configuration' })
  expect(m.outputs.scope).toBe('certificate:manage,revoke;configuration')
  await step(post, passwordInputs(), { state: m.saved })
  expect(grantOf(m.outputs.token).revoked).toBe(true)
})

test('client certificate with an encrypted key: a real mutual-TLS handshake to POST /vedauth/authorize/certificate', async () => {
  const inputs = {
    provider: 'venafi-tpp',
    'server-url': fx.tpp.url,
    'client-id': TPP.clientId,
    'client-certificate': fx.pki.client.cert,
    'client-key': fx.pki.clientEncrypted.key,
    'client-key-passphrase': fx.pki.clientEncrypted.passphrase,
    'ca-certificate': fx.pki.ca.cert,
  }
  const before = fx.tpp.requests.length
  const m = await step(main, inputs)
  expect(m.failed).toEqual([])
  const [authorize] = since(before)
  expect(authorize).toMatchObject({
    method: 'POST',
    path: '/vedauth/authorize/certificate',
    clientCertificate: { cn: fx.pki.client.cn, authorized: true },
  })
  expect(authorize.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache' })
  expect(authorize.body).toBe(JSON.stringify({ client_id: TPP.clientId, scope: 'certificate:manage,revoke' }))
  const token = m.outputs.token
  expect(grantOf(token).identity).toBe(TPP.certIdentity)
  expect(m.summary).toContain(`| Identity | ${TPP.certIdentity} \\(${TPP.clientId}\\) |`)

  const afterMain = fx.tpp.requests.length
  const p = await step(post, inputs, { state: m.saved })
  expect(p.log).toContainEqual(expect.stringMatching(/^Revoked — /))
  expect(since(afterMain)[0]).toMatchObject({
    method: 'GET',
    path: '/vedauth/revoke/token',
    headers: expect.objectContaining({ authorization: `Bearer ${token}` }),
  })
  expect((await fx.tpp.verify(token)).status).toBe(401)
  const secrets = [fx.pki.clientEncrypted.key, fx.pki.clientEncrypted.passphrase, token, grantOf(token).refreshToken]
  expect(m.leaks(secrets)).toEqual([])
  expect(p.leaks(secrets)).toEqual([])
})

test('a client certificate of an unknown issuer, or one that maps to no identity, is refused with the certificate hint', async () => {
  const stranger = createPki({ clientCn: fx.pki.client.cn })
  const inputs = (cert: string, key: string) => ({
    provider: 'venafi-tpp',
    'server-url': fx.tpp.url,
    'client-id': TPP.clientId,
    'client-certificate': cert,
    'client-key': key,
    'ca-certificate': fx.pki.ca.cert,
  })
  const unknownIssuer = await step(main, inputs(stranger.client.cert, stranger.client.key))
  expect(unknownIssuer.failed).toEqual([
    expect.stringMatching(
      /^TPP token request failed: POST https:\/\/127\.0\.0\.1:\d+\/vedauth\/authorize\/certificate → HTTP 400 The client certificate was not issued by an approved issuer; error invalid_grant; Hint: check that the client certificate is issued by a CA the TPP server trusts/,
    ),
  ])

  // Same CA, but no certificate mapping on this server.
  const unmapped = await startTppEmulator({
    pki: fx.pki,
    integrations: [{ id: TPP.clientId, scope: TPP.integrationScope }],
    certificates: [],
  })
  try {
    const m = await step(main, { ...inputs(fx.pki.client.cert, fx.pki.client.key), 'server-url': unmapped.url })
    expect(unmapped.requests[0].clientCertificate).toEqual({ cn: fx.pki.client.cn, authorized: true })
    expect(m.failed[0]).toMatch(
      /→ HTTP 400 The client certificate does not map to an identity; error invalid_grant; Hint: check that the client certificate .* maps to a TPP identity/,
    )
    expect(m.saved).toEqual({ lease: 'none' })
    expect(m.leaks([fx.pki.client.key])).toEqual([])
  } finally {
    await unmapped.close()
  }
})

test("keyless: the job's OIDC token, verified against the stand-in's JWKS, signs in at POST /vedauth/authorize/jwt", async () => {
  const inputs = {
    provider: 'venafi-tpp',
    'server-url': `${fx.tpp.url}/`,
    'client-id': TPP.clientId,
    'oidc-audience': TPP.jwtAudience,
    'ca-certificate': fx.pki.ca.cert,
  }
  const before = fx.tpp.requests.length
  const ghBefore = fx.gh.requests.length
  const m = await step(main, inputs, { env: fx.gh.env })
  expect(m.failed).toEqual([])
  expect(fx.gh.requests.slice(ghBefore)).toEqual([
    { method: 'GET', path: '/token', audience: TPP.jwtAudience, authorization: `Bearer ${fx.gh.requestToken}` },
  ])
  const jwt = fx.gh.issued[fx.gh.issued.length - 1]
  const [authorize] = since(before)
  expect(authorize).toMatchObject({ method: 'POST', path: '/vedauth/authorize/jwt' })
  expect(authorize.body).toBe(JSON.stringify({ client_id: TPP.clientId, jwt, scope: 'certificate:manage,revoke' }))
  const token = m.outputs.token
  expect(grantOf(token).identity).toBe(TPP.jwtIdentity)
  expect(m.masks).toEqual(expect.arrayContaining([jwt, fx.gh.requestToken]))

  const p = await step(post, inputs, { state: m.saved, env: fx.gh.env })
  expect(p.log).toContainEqual(expect.stringMatching(/^Revoked — /))
  expect((await fx.tpp.verify(token)).status).toBe(401)
  // Post needs no new OIDC token: it revokes with the access token.
  expect(fx.gh.requests.length).toBe(ghBefore + 1)
  expect(m.leaks([jwt, fx.gh.requestToken, token])).toEqual([])
  expect(p.leaks([jwt, fx.gh.requestToken, token])).toEqual([])
})

test('keyless with an audience no JWT mapping expects: refused with the JWT-mapping hint', async () => {
  const inputs = {
    provider: 'venafi-tpp',
    'server-url': fx.tpp.url,
    'client-id': TPP.clientId,
    'oidc-audience': 'https://somewhere.else',
    'ca-certificate': fx.pki.ca.cert,
  }
  const m = await step(main, inputs, { env: fx.gh.env })
  expect(m.failed).toEqual([
    expect.stringMatching(
      /→ HTTP 400 The JWT is not valid for any JWT mapping; error invalid_grant; Hint: check the server's JWT mapping \(TPP 22\.4 or later\)/,
    ),
  ])
  expect(m.leaks(fx.gh.issued)).toEqual([])
})

test('without ca-certificate the private CA is not trusted: a clear refusal, and nothing reaches the server', async () => {
  const before = fx.tpp.requests.length
  const inputs = passwordInputs()
  delete (inputs as Record<string, string>)['ca-certificate']
  const m = await step(main, inputs)
  expect(m.failed).toHaveLength(1)
  // The wording is the HTTP layer's (src/http.ts); what matters here: it names TLS trust and the input that fixes it.
  expect(m.failed[0]).toMatch(
    /^TPP token request \(POST https:\/\/127\.0\.0\.1:\d+\/vedauth\/authorize\/oauth\) failed: the server's TLS certificate .*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
  )
  expect(m.failed[0]).toContain("'ca-certificate'")
  expect(m.waits).toEqual([])
  expect(fx.tpp.requests.length).toBe(before)
  expect(m.saved).toEqual({ lease: 'none' })
  expect(m.leaks([TPP.password])).toEqual([])
})

test("a wrong password: 400 at once, with TPP's reason and a hint; no retry, no state", async () => {
  const wrong = 'not-the-Pa55word-4711'
  const before = fx.tpp.requests.length
  const m = await step(main, passwordInputs({ password: wrong }))
  expect(since(before)).toHaveLength(1)
  expect(m.waits).toEqual([])
  expect(m.failed).toEqual([
    `TPP token request failed: POST ${fx.tpp.url}/vedauth/authorize/oauth → HTTP 400 Username/password combination not valid; error invalid_grant; Hint: check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'.`,
  ])
  expect(m.saved).toEqual({ lease: 'none' })
  expect(m.leaks([wrong])).toEqual([])
})

test('a scope outside the integration, and an unknown client id, are refused with the matching hint', async () => {
  const scope = await step(main, passwordInputs({ scope: 'certificate:delete' }))
  expect(scope.failed[0]).toMatch(
    /→ HTTP 400 The requested scope is not within the scope of API integration 'token-lease-ci'; error invalid_scope; Hint: check 'scope': TPP syntax/,
  )
  const client = await step(main, passwordInputs({ 'client-id': 'Token-Lease-CI' }))
  expect(client.failed[0]).toMatch(
    /→ HTTP 400 The client_id 'Token-Lease-CI' does not match an API integration; error invalid_client; Hint: check 'client-id': it must equal the API integration's id exactly \(case-sensitive\)\.$/,
  )
})

test('a TPP that gives its reason only in the status line (no error body) is reported just as clearly', async () => {
  const terse = await startTppEmulator({
    pki: fx.pki,
    errorStyle: 'reason',
    integrations: [{ id: TPP.clientId, scope: TPP.integrationScope }],
    users: [],
  })
  try {
    const m = await step(main, { ...passwordInputs(), 'server-url': terse.url })
    expect(terse.requests).toHaveLength(1)
    expect(m.failed).toEqual([
      `TPP token request failed: POST ${terse.url}/vedauth/authorize/oauth → HTTP 400 Username/password combination not valid; Hint: check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'.`,
    ])
  } finally {
    await terse.close()
  }
})

test('transient failures are retried: 503 and a reset connection in main, a 502 in post', async () => {
  fx.tpp.inject('/vedauth/authorize/oauth', { status: 503, reason: 'Service Unavailable', times: 1 })
  fx.tpp.inject('/vedauth/authorize/oauth', { reset: true, times: 1 })
  const before = fx.tpp.requests.length
  const m = await step(main, passwordInputs())
  expect(m.failed).toEqual([])
  expect(since(before).map((r) => r.path)).toEqual(Array(3).fill('/vedauth/authorize/oauth'))
  expect(new Set(since(before).map((r) => r.body)).size).toBe(1)
  expect(m.waits).toHaveLength(2)
  expect(m.log.filter((l) => /retrying in/.test(l))).toHaveLength(2)

  fx.tpp.inject('/vedauth/revoke/token', { status: 502, times: 1 })
  const afterMain = fx.tpp.requests.length
  const p = await step(post, passwordInputs(), { state: m.saved })
  expect(since(afterMain).map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /vedauth/revoke/token',
    'GET /vedauth/revoke/token',
    'GET /vedauth/authorize/verify',
  ])
  expect(p.log).toContain('Revoked — confirmed by the server.')
  expect(grantOf(m.outputs.token).revoked).toBe(true)
})

test("post: TPP's 202 '[token] not found' revoked nothing, so it is a warning and the summary says so", async () => {
  const m = await step(main, passwordInputs())
  fx.tpp.inject('/vedauth/revoke/token', { status: 202, reason: '[token] not found', body: '[token] not found' })
  const p = await step(post, passwordInputs(), { state: m.saved })
  expect(p.failed).toEqual([])
  expect(p.warnings).toEqual([
    expect.stringMatching(
      /^Not revoked: the server found no token to revoke; the token may stay valid until \d{4}-.*Hint: check that no proxy drops the Authorization header\.$/,
    ),
  ])
  expect(p.summary).toContain('| Revocation | Not revoked: the server found no token to revoke')
  expect((await fx.tpp.verify(m.outputs.token)).status).toBe(200)
  // Clean up: this grant is live.
  await step(post, passwordInputs(), { state: m.saved })
  expect(grantOf(m.outputs.token).revoked).toBe(true)
})

test('post with revoke: false leaves the grant alone; a failed min-lifetime in main is still revoked by post', async () => {
  const kept = await step(main, passwordInputs({ revoke: 'false' }))
  expect(kept.outputs.revocation).toBe('disabled')
  const keptPost = await step(post, passwordInputs({ revoke: 'false' }), { state: kept.saved })
  expect(keptPost.log).toContain('Not revoked: revoke is false.')
  expect(grantOf(kept.outputs.token).revoked).toBe(false)
  await fx.tpp.probe('GET', '/vedauth/revoke/token', { headers: { authorization: `Bearer ${kept.outputs.token}` } })

  const short = await step(main, passwordInputs({ 'min-lifetime': '2h' }))
  expect(short.failed[0]).toMatch(/sooner than 'min-lifetime' \(2 h\)\. The post step will still revoke it\./)
  const token = grantOf(JSON.parse(short.saved.lease).token)
  expect(token.revoked).toBe(false)
  const p = await step(post, passwordInputs({ 'min-lifetime': '2h' }), { state: short.saved })
  expect(p.log).toContainEqual(expect.stringMatching(/^Revoked — /))
  expect(token.revoked).toBe(true)
})

describe('the emulator rejects what TPP rejects (so the tests above would catch a client that got it wrong)', () => {
  const authorize = (body: unknown, contentType = 'application/json') =>
    fx.tpp.probe('POST', '/vedauth/authorize/oauth', {
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const good = { client_id: TPP.clientId, username: TPP.username, password: TPP.password, scope: 'certificate:manage' }
  const refused = (status: number, error: string, description: string) => ({
    status,
    statusText: description,
    body: JSON.stringify({ error, error_description: description }),
  })

  test('the documented request works, and yields TPP token JSON', async () => {
    const res = await authorize(good)
    expect(res.status).toBe(200)
    const json = JSON.parse(res.body)
    expect(Object.keys(json)).toEqual(['access_token', 'refresh_token', 'expires', 'token_type', 'scope', 'identity', 'refresh_until'])
    expect(json).toMatchObject({ token_type: 'Bearer', scope: 'certificate:manage', identity: TPP.userIdentity })
    expect(json.access_token).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    await fx.tpp.probe('GET', '/vedauth/revoke/token', { headers: { authorization: `Bearer ${json.access_token}` } })
  })

  test('a form body instead of JSON', async () => {
    const res = await authorize(new URLSearchParams(good).toString(), 'application/x-www-form-urlencoded')
    expect(res.status).toBe(415)
  })

  test('field names in another case (they are case-sensitive)', async () => {
    expect(
      await authorize({ Client_Id: TPP.clientId, username: TPP.username, password: TPP.password, scope: 'certificate:manage' }),
    ).toMatchObject(refused(400, 'invalid_request', 'client_id is required'))
    expect(await authorize({ ...good, Password: TPP.password, password: undefined })).toMatchObject(
      refused(400, 'invalid_request', 'username and password are required'),
    )
  })

  test('a missing scope, an unknown scope, a scope outside the integration', async () => {
    expect(await authorize({ ...good, scope: undefined })).toMatchObject(refused(400, 'invalid_request', 'scope is required'))
    expect(await authorize({ ...good, scope: 'certificates:manage' })).toMatchObject(
      refused(400, 'invalid_scope', "Unknown scope 'certificates'"),
    )
    expect(await authorize({ ...good, scope: 'certificate:manage,delete' })).toMatchObject(
      refused(400, 'invalid_scope', `The requested scope is not within the scope of API integration '${TPP.clientId}'`),
    )
  })

  test('an unknown client id (exact match only)', async () => {
    expect(await authorize({ ...good, client_id: TPP.clientId.toUpperCase() })).toMatchObject(
      refused(400, 'invalid_client', `The client_id '${TPP.clientId.toUpperCase()}' does not match an API integration`),
    )
  })

  test('no client certificate at /authorize/certificate; a JWT not signed by the trusted issuer at /authorize/jwt', async () => {
    const body = JSON.stringify({ client_id: TPP.clientId, scope: 'certificate:manage' })
    expect(
      await fx.tpp.probe('POST', '/vedauth/authorize/certificate', { headers: { 'content-type': 'application/json' }, body }),
    ).toMatchObject(refused(400, 'invalid_grant', 'No client certificate was presented'))
    const forged = 'eyJhbGciOiJub25lIn0.eyJyZXBvc2l0b3J5Ijoib2N0by1vcmcvb2N0by1yZXBvIn0.'
    expect(
      await fx.tpp.probe('POST', '/vedauth/authorize/jwt', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: TPP.clientId, jwt: forged, scope: 'certificate:manage' }),
      }),
    ).toMatchObject(refused(400, 'invalid_grant', 'The JWT is not valid for any JWT mapping'))
  })

  test('revoke and verify without the JSON content type vcert sends (our reading, see the emulator): 415', async () => {
    const m = await step(main, passwordInputs())
    const bare = { headers: { authorization: `Bearer ${m.outputs.token}`, 'content-type': '' } }
    expect((await fx.tpp.probe('GET', '/vedauth/authorize/verify', bare)).status).toBe(415)
    expect((await fx.tpp.probe('GET', '/vedauth/revoke/token', bare)).status).toBe(415)
    expect(grantOf(m.outputs.token).revoked).toBe(false)
    await step(post, passwordInputs(), { state: m.saved })
    expect(grantOf(m.outputs.token).revoked).toBe(true)
  })

  test('revoke without a token header is 202 "[token] not found"; verify is at /authorize/verify, not /verify/token', async () => {
    expect(await fx.tpp.probe('GET', '/vedauth/revoke/token')).toMatchObject({ status: 202, statusText: '[token] not found' })
    expect((await fx.tpp.probe('GET', '/vedauth/verify/token')).status).toBe(404)
    expect((await fx.tpp.probe('POST', '/vedauth/revoke/token')).status).toBe(405)
    expect(await fx.tpp.probe('GET', '/vedauth/authorize/isAuthServer')).toMatchObject({
      status: 202,
      statusText: 'Venafi Authentication Server',
    })
  })
})

/**
 * Runner contract for provider venafi-tpp: the committed dist/ bundles run as the runner runs
 * them (scripts/lib/runner.mjs) against the TPP emulator (scripts/lib/tpp-emulator.mjs: real
 * HTTPS on 127.0.0.1 with a throwaway private CA, asking for client certificates) and, for the
 * keyless way in, the stand-in for the runner's OIDC token service. Every case checks that no
 * secret reaches the rendered log, stderr or the summary.
 */
import { leaks, runMain, runPost } from '../support/steps.js'
import { passwordInputsFor, useTppFixture } from '../support/tpp-fixture.js'
import { createPki, startTppEmulator, TPP } from '../support/tpp-emulator.js'

const fx = useTppFixture()

const grantOf = (token: string) => fx.tpp.grants.find((g) => g.accessToken === token)!
const since = (n: number) => fx.tpp.requests.slice(n)
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

const passwordInputs = (extra: Record<string, string> = {}) => passwordInputsFor(fx, extra)

test('username/password (step debug on): main leases, post revokes the grant; no secret in log, stderr or summary', async () => {
  const before = fx.tpp.requests.length
  const main = await runMain({ inputs: passwordInputs(), debug: true })
  expect(main.stderr).toBe('')
  expect(main.code).toBe(0)
  const token = main.outputs.token
  const grant = grantOf(token)
  expect(since(before)).toHaveLength(1)
  expect(since(before)[0]).toMatchObject({ method: 'POST', path: '/vedauth/authorize/oauth' })
  expect(since(before)[0].headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache' })
  expect(since(before)[0].body).toBe(
    JSON.stringify({ client_id: TPP.clientId, username: TPP.username, password: TPP.password, scope: 'certificate:manage,revoke' }),
  )
  expect(main.outputs).toEqual({
    token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': expect.stringMatching(/^\d+$/),
    'expires-at': new Date(grant.accessExpires * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    scope: 'certificate:manage,revoke',
    revocation: 'scheduled',
  })
  expect(main.outputs['expires-at']).toMatch(ISO)
  expect(main.masks).toEqual(expect.arrayContaining([TPP.password, token, grant.refreshToken]))
  expect(main.log).toMatch(
    new RegExp(`Leased a Bearer token from 127\\.0\\.0\\.1:\\d+ for ${TPP.userIdentity.replace(/[{}]/g, '\\$&')} \\(${TPP.clientId}\\)`),
  )
  expect(main.summary).toContain(`| Identity | ${TPP.userIdentity} \\(${TPP.clientId}\\) |`)
  expect(main.summary).toContain('| Scope | certificate:manage,revoke |')
  expect((await fx.tpp.verify(token)).status).toBe(200)

  const afterMain = fx.tpp.requests.length
  const post = await runPost({ inputs: passwordInputs(), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('\nRevoked — confirmed by the server.\n')
  // The revoke, then the one verify (401: dead), both with the token as Bearer.
  expect(since(afterMain)).toEqual([
    expect.objectContaining({ method: 'GET', path: '/vedauth/revoke/token', body: '' }),
    expect.objectContaining({ method: 'GET', path: '/vedauth/authorize/verify', body: '' }),
  ])
  for (const r of since(afterMain)) expect(r.headers.authorization).toBe(`Bearer ${token}`)
  expect((await fx.tpp.verify(token)).status).toBe(401)
  expect((await fx.tpp.refresh(TPP.clientId, grant.refreshToken!)).status).toBe(400)

  const secrets = [TPP.password, token, grant.refreshToken!]
  expect(leaks(main, secrets)).toEqual([])
  expect(leaks(post, secrets)).toEqual([])
})

test('client certificate with an encrypted key and its passphrase (step debug on): mutual TLS in main and post', async () => {
  const inputs = {
    provider: 'venafi-tpp',
    'server-url': fx.tpp.url,
    'client-id': TPP.clientId,
    'client-certificate': fx.pki.client.cert,
    'client-key': fx.pki.clientEncrypted.key,
    'client-key-passphrase': fx.pki.clientEncrypted.passphrase,
    'ca-certificate': fx.pki.ca.cert,
    scope: 'certificate:manage,revoke;configuration',
  }
  const before = fx.tpp.requests.length
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  expect(since(before)).toEqual([
    expect.objectContaining({
      method: 'POST',
      path: '/vedauth/authorize/certificate',
      body: JSON.stringify({ client_id: TPP.clientId, scope: 'certificate:manage,revoke;configuration' }),
      clientCertificate: { cn: fx.pki.client.cn, authorized: true },
    }),
  ])
  const token = main.outputs.token
  expect(grantOf(token).identity).toBe(TPP.certIdentity)
  expect(main.outputs.scope).toBe('certificate:manage,revoke;configuration')
  expect(main.masks).toEqual(expect.arrayContaining([fx.pki.clientEncrypted.passphrase, token]))

  const afterMain = fx.tpp.requests.length
  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(since(afterMain)[0]).toMatchObject({
    method: 'GET',
    path: '/vedauth/revoke/token',
    clientCertificate: { cn: fx.pki.client.cn, authorized: true },
  })
  expect((await fx.tpp.verify(token)).status).toBe(401)

  const keyLines = fx.pki.clientEncrypted.key.split('\n').filter((l) => l && !l.startsWith('-----'))
  const secrets = [fx.pki.clientEncrypted.key, fx.pki.clientEncrypted.passphrase, token, grantOf(token).refreshToken!, ...keyLines]
  expect(leaks(main, secrets)).toEqual([])
  expect(leaks(post, secrets)).toEqual([])
})

test("keyless: the job's OIDC token (from the runner's token service stand-in) signs in at /vedauth/authorize/jwt", async () => {
  const inputs = {
    provider: 'venafi-tpp',
    'server-url': `${fx.tpp.url}/vedsdk`,
    'client-id': TPP.clientId,
    'oidc-audience': TPP.jwtAudience,
    'ca-certificate': fx.pki.ca.cert,
  }
  const before = fx.tpp.requests.length
  const ghBefore = fx.gh.requests.length
  const main = await runMain({ inputs, env: fx.gh.env, debug: true })
  expect(main.code).toBe(0)
  expect(fx.gh.requests.slice(ghBefore)).toEqual([
    { method: 'GET', path: '/token', audience: TPP.jwtAudience, authorization: `Bearer ${fx.gh.requestToken}` },
  ])
  const jwt = fx.gh.issued[fx.gh.issued.length - 1]
  expect(since(before)).toEqual([
    expect.objectContaining({
      method: 'POST',
      path: '/vedauth/authorize/jwt',
      body: JSON.stringify({ client_id: TPP.clientId, jwt, scope: 'certificate:manage,revoke' }),
    }),
  ])
  const token = main.outputs.token
  expect(grantOf(token).identity).toBe(TPP.jwtIdentity)
  expect(main.masks).toEqual(expect.arrayContaining([jwt, fx.gh.requestToken, token]))

  const post = await runPost({ inputs, state: main.state, env: fx.gh.env, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect((await fx.tpp.verify(token)).status).toBe(401)
  const secrets = [jwt, jwt.split('.')[2], fx.gh.requestToken, token]
  expect(leaks(main, secrets)).toEqual([])
  expect(leaks(post, secrets)).toEqual([])
})

test('keyless without id-token permission: fails before any request and says how to grant it', async () => {
  const before = fx.tpp.requests.length
  const main = await runMain({
    inputs: { provider: 'venafi-tpp', 'server-url': fx.tpp.url, 'client-id': TPP.clientId, 'ca-certificate': fx.pki.ca.cert },
  })
  expect(main.code).toBe(1)
  expect(main.log).toMatch(
    /##\[error\]provider venafi-tpp with neither 'username'\/'password' nor 'client-certificate'\/'client-key' signs in with the job's GitHub OIDC token\..*id-token: write/,
  )
  expect(fx.tpp.requests.length).toBe(before)
})

test('ca-certificate missing: the private CA is not trusted and main says so, naming the input; nothing is sent', async () => {
  const before = fx.tpp.requests.length
  const inputs: Record<string, string> = passwordInputs()
  delete inputs['ca-certificate']
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(1)
  expect(main.log).toMatch(
    /##\[error\]TPP token request \(POST https:\/\/127\.0\.0\.1:\d+\/vedauth\/authorize\/oauth\) failed: the server's TLS certificate .*'ca-certificate'/,
  )
  expect(fx.tpp.requests.length).toBe(before)
  expect(main.state).toEqual({ lease: 'none' })
  expect(leaks(main, [TPP.password])).toEqual([])
  const post = await runPost({ inputs, state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toContain('The main step leased no token: nothing to revoke.')
})

test("wrong password: HTTP 400 at once, with TPP's reason and a hint; the password never shows", async () => {
  const wrong = 'Wr0ng-pa55word:with%chars'
  const before = fx.tpp.requests.length
  const main = await runMain({ inputs: passwordInputs({ password: wrong }), debug: true })
  expect(main.code).toBe(1)
  expect(since(before)).toHaveLength(1)
  expect(main.log).toContain(
    `##[error]TPP token request failed: POST ${fx.tpp.url}/vedauth/authorize/oauth → HTTP 400 Username/password combination not valid; error invalid_grant; Hint: check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'.`,
  )
  expect(main.log).not.toMatch(/retrying/)
  expect(main.state).toEqual({ lease: 'none' })
  expect(main.masks).toContain(wrong)
  expect(leaks(main, [wrong, encodeURIComponent(wrong)])).toEqual([])
})

test('clashing ways in are refused before any request, naming the inputs', async () => {
  const before = fx.tpp.requests.length
  const main = await runMain({ inputs: passwordInputs({ 'client-certificate': fx.pki.client.cert, 'client-key': fx.pki.client.key }) })
  expect(main.code).toBe(1)
  expect(main.log).toContain(
    "##[error]Invalid input: 'username'/'password' and 'client-certificate'/'client-key' clash: give one way in for provider venafi-tpp (or neither, for the job's OIDC token)",
  )
  expect(fx.tpp.requests.length).toBe(before)
  expect(leaks(main, [TPP.password, fx.pki.client.key])).toEqual([])
})

test("post: TPP's 202 '[token] not found' is a warning; the step still succeeds", async () => {
  const main = await runMain({ inputs: passwordInputs() })
  expect(main.code).toBe(0)
  fx.tpp.inject('/vedauth/revoke/token', { status: 202, reason: '[token] not found', body: '[token] not found' })
  const post = await runPost({ inputs: passwordInputs(), state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toMatch(/##\[warning\]Not revoked: the server found no token to revoke; the token may stay valid until /)
  expect((await fx.tpp.verify(main.outputs.token)).status).toBe(200)
  const again = await runPost({ inputs: passwordInputs(), state: main.state })
  expect(again.log).toContain('Revoked — ')
  expect(leaks(post, [TPP.password, main.outputs.token])).toEqual([])
})

test('post: a 401 at revocation is a warning that says "not revoked", never "Revoked"; revoke-failure: fail fails the step', async () => {
  const main = await runMain({ inputs: passwordInputs() })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  await runPost({ inputs: passwordInputs(), state: main.state })
  expect(grantOf(token).revoked).toBe(true)
  // The same lease again: TPP refuses the token with 401; nothing was revoked by this request.
  const again = await runPost({ inputs: passwordInputs(), state: main.state, debug: true })
  expect(again.code).toBe(0)
  expect(again.log).toMatch(
    /##\[warning\]Revocation failed: GET https:\/\/127\.0\.0\.1:\d+\/vedauth\/revoke\/token → HTTP 401 Unauthorized; not revoked: the server refused the token \(401\); Hint: /,
  )
  expect(again.log).not.toContain('Revoked')
  const strict = await runPost({ inputs: passwordInputs({ 'revoke-failure': 'fail' }), state: main.state })
  expect(strict.code).toBe(1)
  expect(strict.log).toMatch(/##\[error\]Revocation failed: .* not revoked: the server refused the token \(401\)/)
  for (const step of [again, strict]) expect(leaks(step, [TPP.password, token])).toEqual([])
})

test('a client-id with a line break is refused as input before any request; the refusal starts no workflow command (step debug on)', async () => {
  const clientId = 'token-lease-ci\n::warning::planted-by-client-id'
  const pki = createPki()
  // An emulator whose integration id is exactly that text: a sign-in would succeed, so only the input check stops it.
  const tpp = await startTppEmulator({
    pki,
    integrations: [{ id: clientId, scope: TPP.integrationScope }],
    users: [{ username: TPP.username, password: TPP.password, identity: TPP.userIdentity }],
  })
  try {
    const inputs = { ...passwordInputsFor({ tpp, pki }), 'client-id': clientId }
    const main = await runMain({ inputs, debug: true })
    expect(main.code).toBe(1)
    expect(tpp.requests).toEqual([])
    expect(main.log).toContain("##[error]Invalid input: 'client-id' must be one line without control characters; got 'token-lease-ci ***'")
    expect(main.log).not.toMatch(/^##\[warning\]planted-by-client-id/m)
    expect(main.stdout).not.toMatch(/^::warning::planted-by-client-id/m)
    const post = await runPost({ inputs, state: main.state, debug: true })
    expect(post.code).toBe(0)
    expect(post.log).toContain('The main step leased no token: nothing to revoke.')
    expect(post.stdout).not.toMatch(/^::warning::planted-by-client-id/m)
    expect(tpp.requests).toEqual([])
  } finally {
    await tpp.close()
  }
})

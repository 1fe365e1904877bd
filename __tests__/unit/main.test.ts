/**
 * The main step in-process (src/main.ts): a fake ActionsCore records every call, and nock's
 * answers record each request into the same list, so the order of masking, requests,
 * state and outputs can be asserted — masks first, always.
 */
import nock from 'nock'
import type { ActionsCore } from '../../src/core.js'
import { decodeLease, type Lease } from '../../src/lease.js'
import { main } from '../../src/main.js'
import { createHash } from 'node:crypto'
import { type Call, type FakeCore, fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

const ORIGIN = 'https://as.example'
const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const CLIENT_ID = 'ci-client'
const SECRET = 'Sup3r:secret+with%chars & "quotes"'
const BASIC = `Basic ${Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')}`
const ACCESS_TOKEN = 'opaque-access-token-7Hq2xZ'
const REFRESH_TOKEN = 'opaque-refresh-token-9Lm4pQ'

/** Answers POST `path` once, recording the request into `calls` in order; a string body is sent as it is. */
function tokenEndpoint(calls: Call[], status: number, body: unknown, path = '/token') {
  nock(ORIGIN)
    .post(path)
    .reply(function (uri, requestBody) {
      calls.push(['request', this.req.method, uri, this.req.headers.authorization, requestBody])
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }]
    })
}

const inputs = {
  'token-url': `${ORIGIN}/token`,
  'revocation-url': `${ORIGIN}/revoke`,
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  scope: 'api:read',
}
const tokenBody = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'api:read' }
const run = (core: ActionsCore, env: NodeJS.ProcessEnv = {}) => main({ core, env, now: () => NOW, sleep: async () => {} })
/** The saveState calls after main's first act (the placeholder 'none'). */
const leaseSaves = (f: FakeCore) => f.of('saveState').filter((c) => c[2] !== 'none')
const leaseSave = (f: FakeCore) => f.calls.findIndex((c) => c[0] === 'saveState' && c[2] !== 'none')
const FINGERPRINT = createHash('sha256').update(ACCESS_TOKEN).digest('hex').slice(0, 16)

offlineWithNock()

test("the proxy variables' password is masked before the first request", async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, tokenBody)
  // NO_PROXY sends the request direct (to nock); the proxy's credential is masked all the same.
  const env = { HTTPS_PROXY: 'http://ci-proxy:Pr0xy%2Fpa55@proxy.example:3128', NO_PROXY: 'as.example' }
  await main({ core: f.core, env, now: () => NOW, sleep: async () => {} })
  const request = f.first('request')
  expect(request).toBeGreaterThanOrEqual(0)
  for (const form of ['Pr0xy%2Fpa55', 'Pr0xy/pa55']) {
    expect(f.first('setSecret', form)).toBeGreaterThanOrEqual(0)
    expect(f.first('setSecret', form)).toBeLessThan(request)
  }
})

test('masks, one request, state, outputs, log and summary — in that order', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)

  expect(f.of('request')).toEqual([['request', 'POST', '/token', BASIC, 'grant_type=client_credentials&scope=api%3Aread']])
  const request = f.first('request')
  // Secret inputs (with their encoded forms) and the Basic credential are masked before the request.
  for (const form of [SECRET, 'Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22', BASIC.slice(6), BASIC]) {
    expect(f.first('setSecret', form)).toBeGreaterThanOrEqual(0)
    expect(f.first('setSecret', form)).toBeLessThan(request)
  }
  // The token is masked after it arrives and before state or any output carries it.
  const tokenMask = f.first('setSecret', ACCESS_TOKEN)
  expect(tokenMask).toBeGreaterThan(request)
  // Masks first, then main's own placeholder state before anything can fail: no planted STATE_lease
  // can stand for its lease.
  expect(f.calls[0]).toEqual(['setSecret', SECRET])
  expect(f.first('saveState')).toBe(f.calls.findIndex((c) => c[0] !== 'setSecret'))
  expect(f.calls[f.first('saveState')]).toEqual(['saveState', 'lease', 'none'])
  expect(tokenMask).toBeLessThan(leaseSave(f))
  expect(leaseSave(f)).toBeLessThan(f.first('setOutput'))

  expect(f.outputs).toEqual({
    token: ACCESS_TOKEN,
    'token-type': 'Bearer',
    'expires-in': '3600',
    'expires-at': '2025-06-15T16:06:40Z',
    scope: 'api:read',
    'token-fingerprint': FINGERPRINT,
    revocation: 'scheduled',
  })
  const [[, key, state]] = leaseSaves(f)
  expect(key).toBe('lease')
  expect(decodeLease(state as string)).toEqual<Lease>({
    provider: 'oauth2',
    token: ACCESS_TOKEN,
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 3600,
    scope: 'api:read',
    identity: CLIENT_ID,
    tokenEndpoint: `${ORIGIN}/token`,
    revocation: 'scheduled',
    revocationEndpoint: `${ORIGIN}/revoke`,
    clientAuth: 'client_secret_basic',
  })
  expect(f.of('info').map((c) => c[1])).toEqual([
    expect.stringMatching(/^POST https:\/\/as\.example\/token → HTTP 200\b/),
    'Leased a Bearer token from as.example for ci-client; expires 2025-06-15T16:06:40Z (in 1 h); scope: api:read.',
    `Token fingerprint ${FINGERPRINT} (SHA-256, first 16 hex).`,
    'The post step will revoke it when the job ends.',
  ])
  expect(f.of('appendSummary')).toHaveLength(1)
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | scheduled for the end of the job |')
  expect(f.of('warning')).toEqual([])
  expect(f.of('setFailed')).toEqual([])
  expect(f.calls.at(-1)?.[0]).toBe('appendSummary')
  for (const text of f.visible()) for (const secret of [SECRET, ACCESS_TOKEN, BASIC.slice(6)]) expect(text).not.toContain(secret)
})

test('client_secret_post with a JSON body: the JSON-escaped secret is masked before the request too', async () => {
  const f = fakeCore({ ...inputs, 'client-auth': 'client_secret_post', 'request-format': 'json' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('request')).toEqual([
    [
      'request',
      'POST',
      '/token',
      undefined,
      { grant_type: 'client_credentials', scope: 'api:read', client_id: CLIENT_ID, client_secret: SECRET },
    ],
  ])
  expect(f.first('setSecret', 'Sup3r:secret+with%chars & \\"quotes\\"')).toBeLessThan(f.first('request'))
  expect(f.outputs.token).toBe(ACCESS_TOKEN)
})

test('a refresh token issued unasked is masked before the state that carries it', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { ...tokenBody, refresh_token: REFRESH_TOKEN })
  await run(f.core)
  expect(f.first('setSecret', REFRESH_TOKEN)).toBeLessThan(leaseSave(f))
  expect(decodeLease(leaseSaves(f)[0][2] as string)?.refreshToken).toBe(REFRESH_TOKEN)
  expect(f.outputs['refresh-token']).toBeUndefined()
})

test('a bad input fails before any request, with its secret masked and not shown', async () => {
  const f = fakeCore({ ...inputs, timeout: 'soon' })
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.of('setFailed')).toEqual([['setFailed', "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got 'soon'"]])
  expect(f.masks).toContain(SECRET)
  expect(f.first('setSecret', SECRET)).toBeLessThan(f.first('setFailed'))
  expect(leaseSaves(f)).toEqual([])
  expect(f.of('setOutput')).toEqual([])
})

test('plain http to a remote host fails before any request', async () => {
  const f = fakeCore({ ...inputs, 'token-url': 'http://as.example/token' })
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.of('setFailed')).toEqual([
    [
      'setFailed',
      "Invalid input: 'token-url' is plain http to a host that is not loopback (as.example): use https, or set allow-insecure-http: true",
    ],
  ])
})

test('a token-endpoint error fails the step with endpoint, status, code and hint; no state, no outputs', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 400, { error: 'invalid_scope', error_description: 'scope api:read is not allowed' })
  await run(f.core)
  expect(f.of('request')).toHaveLength(1)
  expect(f.of('setFailed')).toEqual([
    [
      'setFailed',
      "Token request failed: POST https://as.example/token → HTTP 400; error invalid_scope: scope api:read is not allowed; Hint: check 'scope': request only scopes the client is allowed.",
    ],
  ])
  expect(leaseSaves(f)).toEqual([])
  expect(f.of('setOutput')).toEqual([])
  // The failed step's own table: what was asked, the error as the log shows it, what post will do.
  expect(f.summary).toBe(
    [
      '### token-lease: no token',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | as.example |',
      '| Identity asked for | ci-client |',
      "| Error | Token request failed: POST https:\u200b//as.example/token → HTTP 400; error invalid\\_scope: scope api:read is not allowed; Hint: check 'scope': request only scopes the client is allowed. |",
      '| Post step | nothing: no token was leased |',
      '',
    ].join('\n'),
  )
})

test('a token that expires sooner than min-lifetime fails the step, but the lease is saved for post', async () => {
  const f = fakeCore({ ...inputs, 'min-lifetime': '15m' })
  tokenEndpoint(f.calls, 200, { ...tokenBody, expires_in: 600 })
  await run(f.core)
  expect(leaseSaves(f)).toHaveLength(1)
  expect(f.of('setOutput')).toEqual([])
  expect(f.of('setFailed')).toEqual([
    [
      'setFailed',
      "The token expires in 10 min, sooner than 'min-lifetime' (15 min). The post step will still revoke it. Hint: ask the server for a longer lifetime, or lower 'min-lifetime'.",
    ],
  ])
})

test('export-env exports the token after it is masked', async () => {
  const f = fakeCore({ ...inputs, 'export-env': 'API_TOKEN' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('exportVariable')).toEqual([['exportVariable', 'API_TOKEN', ACCESS_TOKEN]])
  expect(f.first('setSecret', ACCESS_TOKEN)).toBeLessThan(f.first('exportVariable'))
})

test('without a revocation endpoint: revocation unsupported, and a warning says how long the token lives', async () => {
  const { 'revocation-url': _, ...noRevocation } = inputs
  const f = fakeCore(noRevocation)
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.outputs.revocation).toBe('unsupported')
  expect(f.of('warning')).toEqual([
    [
      'warning',
      "This server offers no revocation: the token stays valid until it expires (2025-06-15T16:06:40Z (in 1 h)). No 'revocation-url' was given and no 'issuer' to discover one from: give 'revocation-url' if the server has a revocation endpoint (RFC 7009).",
    ],
  ])
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | not supported by this server: the token stays valid until it expires |')
})

test('the metadata lists no revocation endpoint: the warning names the issuer as given, digits and port included', async () => {
  const issuer = `${ORIGIN}:8443/realms/ci-2024`
  const { 'revocation-url': _, 'token-url': __, ...rest } = inputs
  const f = fakeCore({ ...rest, issuer })
  nock(`${ORIGIN}:8443`)
    .get('/.well-known/oauth-authorization-server/realms/ci-2024')
    .reply(200, { issuer, token_endpoint: `${ORIGIN}:8443/realms/ci-2024/token` })
  nock(`${ORIGIN}:8443`).post('/realms/ci-2024/token').reply(200, tokenBody)
  await run(f.core)
  expect(f.outputs.revocation).toBe('unsupported')
  expect(f.of('warning')).toEqual([
    [
      'warning',
      `This server offers no revocation: the token stays valid until it expires (2025-06-15T16:06:40Z (in 1 h)). The metadata of ${issuer} lists no revocation_endpoint: give 'revocation-url' if the server has a revocation endpoint (RFC 7009).`,
    ],
  ])
})

test('revoke: false gives revocation disabled and no promise of a revoke', async () => {
  const f = fakeCore({ ...inputs, revoke: 'false' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.outputs.revocation).toBe('disabled')
  expect(f.of('info').map((c) => c[1])).not.toContain('The post step will revoke it when the job ends.')
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | disabled \\(revoke: false\\) |')
})

test('summary: false writes no job summary; an unknown expiry leaves expires-in and expires-at empty', async () => {
  const f = fakeCore({ ...inputs, summary: 'false' })
  tokenEndpoint(f.calls, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' })
  await run(f.core)
  expect(f.of('appendSummary')).toEqual([])
  expect(f.outputs).toMatchObject({ 'expires-in': '', 'expires-at': '', scope: 'api:read' })
  // The server stated no scope: the output keeps the requested one, the log says it is not confirmed.
  expect(f.of('info').map((c) => c[1])).toContain(
    'Leased a Bearer token from as.example for ci-client; expires unknown; scope: api:read (requested; the server did not state a scope, so it is not confirmed).',
  )
})

test('an unexpected error is not printed: it might carry a secret', async () => {
  let saves = 0
  const f = fakeCore(inputs, {
    onSaveState: () => {
      // The placeholder saves; the lease does not.
      if (saves++ > 0) throw new TypeError(`cannot save ${ACCESS_TOKEN}`)
    },
  })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('setFailed')).toEqual([['setFailed', 'Unexpected TypeError. Please report it; re-run with step debug logging for details.']])
  // Step debug shows where it came from: the stack frames, not the message.
  const debug = f.of('debug').map((c) => String(c[1]))
  expect(debug.some((d) => /^TypeError at:\n\s+at /.test(d))).toBe(true)
  expect(debug.join('\n')).not.toContain(ACCESS_TOKEN)
})

test('a job summary that cannot be written is a warning naming the error; the lease stands', async () => {
  const f = fakeCore(inputs, { summaryFails: Object.assign(new Error(`EACCES ${ACCESS_TOKEN}`), { name: 'SystemError' }) })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('appendSummary')).toHaveLength(1)
  expect(f.of('warning')).toEqual([['warning', 'Could not write the job summary (SystemError).']])
  expect(f.of('setFailed')).toEqual([])
  expect(f.outputs).toMatchObject({ token: ACCESS_TOKEN, revocation: 'scheduled' })
  expect(leaseSaves(f)).toHaveLength(1)
})

test('server text in the "Leased" line is cleaned: no line break can start a workflow command, secrets are redacted', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, {
    ...tokenBody,
    token_type: 'Bearer\r\n::warning::y',
    scope: `api:read\n::error::x\u0007`,
  })
  await run(f.core)
  const leased = f
    .of('info')
    .map((c) => String(c[1]))
    .filter((m) => m.startsWith('Leased'))
  expect(leased).toEqual([
    'Leased a Bearer *** token from as.example for ci-client; expires 2025-06-15T16:06:40Z (in 1 h); scope: api:read ::error::x.',
  ])
  const log = f.calls.filter((c) => ['info', 'warning', 'debug', 'setFailed'].includes(c[0])).map((c) => String(c[1]))
  for (const text of log) {
    for (const line of text.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^::/)
    expect(text).not.toContain(SECRET)
  }
  expect(f.summary).toContain('| Scope | api:read ::error::x |')
})

test.each([
  ['as it is', SECRET],
  ['percent-encoded', encodeURIComponent(SECRET)],
  ['in base64', Buffer.from(SECRET).toString('base64')],
])(
  'a granted scope that echoes a secret (%s) is withheld from the log, the summary, the scope output and the saved lease',
  async (_, echo) => {
    const f = fakeCore(inputs)
    tokenEndpoint(f.calls, 200, { ...tokenBody, scope: `api:read ${echo}` })
    await run(f.core)
    expect(f.of('setFailed')).toEqual([])
    expect(f.outputs.scope).toBe('')
    expect(f.of('info').map((c) => c[1])).toContain(
      'Leased a Bearer token from as.example for ci-client; expires 2025-06-15T16:06:40Z (in 1 h); scope: withheld: the scope the server sent echoes a secret.',
    )
    expect(f.summary).toContain('| Scope | withheld: the scope the server sent echoes a secret |')
    expect(f.visible().join('\n')).not.toContain(echo)
    // The state post reads carries the withheld text, so post's summary says the same.
    const saved = leaseSaves(f).map((c) => String(c[2]))
    expect(saved).toHaveLength(1)
    expect(JSON.parse(saved[0]).scope).toBe('withheld: the scope the server sent echoes a secret')
    expect(saved[0]).not.toContain(echo)
  },
)

test.each([
  ['expires_in 1e16', '{"access_token":"opaque-access-token-7Hq2xZ","token_type":"Bearer","expires_in":1e16}'],
  ['expires_in 1e400 (Infinity once parsed)', '{"access_token":"opaque-access-token-7Hq2xZ","token_type":"Bearer","expires_in":1e400}'],
])(
  'an implausible expiry (%s) is treated as unknown: empty expiry outputs, min-lifetime not applied, a readable lease',
  async (_, body) => {
    const f = fakeCore({ ...inputs, 'min-lifetime': '10m' })
    tokenEndpoint(f.calls, 200, body)
    await run(f.core)
    expect(f.of('setFailed')).toEqual([])
    expect(f.outputs).toMatchObject({ token: ACCESS_TOKEN, 'expires-in': '', 'expires-at': '' })
    const [[, , state]] = leaseSaves(f)
    const lease = decodeLease(state as string)
    expect(lease).toMatchObject({ token: ACCESS_TOKEN, revocation: 'scheduled' })
    expect(lease!.expiresAt).toBeUndefined()
    expect(f.of('info').map((c) => c[1])).toContain(
      'Leased a Bearer token from as.example for ci-client; expires unknown; scope: api:read (requested; the server did not state a scope, so it is not confirmed).',
    )
    expect(f.of('appendSummary')[0][1]).toContain('| Expires | unknown |')
  },
)

test('a JWT access token whose exp is implausible (1e16): expiry unknown', async () => {
  const jwt = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ sub: 'ci', exp: 1e16 })).toString('base64url')}.c2lnbmF0dXJl`
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { access_token: jwt, token_type: 'Bearer' })
  await run(f.core)
  expect(f.of('setFailed')).toEqual([])
  expect(f.outputs).toMatchObject({ token: jwt, 'expires-in': '', 'expires-at': '' })
  expect(decodeLease(leaseSaves(f)[0][2] as string)!.expiresAt).toBeUndefined()
})

test.each<[string, Record<string, string>]>([
  ['a discovered server with client-auth github-oidc', { issuer: ORIGIN, 'client-id': CLIENT_ID, 'client-auth': 'github-oidc' }],
  ['a private_key_jwt key that is not a PEM key', { issuer: ORIGIN, 'client-id': CLIENT_ID, 'private-key': 'not a pem key at all' }],
])('preflight: %s fails before any request, discovery included', async (_, raw) => {
  // No nock interceptor is set: a discovery GET would fail the test with a different error.
  const f = fakeCore(raw)
  await run(f.core)
  expect(f.of('request')).toEqual([])
  const [[, message]] = f.of('setFailed')
  expect(String(message)).toMatch(/runner offers none|'private-key'/)
  expect(leaseSaves(f)).toEqual([])
})

// ---- Issue 14: the lease record, the lifetime policy; issue 12: tokens post could not carry ----

/** The revocation endpoint: answers once, recording what it was sent. */
function revocationEndpoint(calls: Call[], status: number) {
  nock(ORIGIN)
    .post('/revoke')
    .reply(function (uri, body) {
      calls.push(['request', this.req.method, uri, this.req.headers.authorization, body])
      return [status, '']
    })
}

const GITHUB_ENV = {
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_WORKFLOW: 'Deploy\n::error::injected',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_JOB: 'release',
  GITHUB_ACTOR: 'octocat',
}

test('the lease record: fingerprint output, who leased it from the runner variables (cleaned), in the log and the summary', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core, GITHUB_ENV)
  expect(FINGERPRINT).toMatch(/^[0-9a-f]{16}$/)
  expect(f.outputs['token-fingerprint']).toBe(FINGERPRINT)
  const record = `Token fingerprint ${FINGERPRINT} (SHA-256, first 16 hex); leased by octo/app, workflow Deploy ***, run 4242 attempt 2, job release, actor octocat.`
  expect(f.args('info')).toContain(record)
  for (const line of f.visible().join('\n').split('\n')) expect(line).not.toMatch(/^::/)
  expect(f.summary).toContain(`| Fingerprint | ${FINGERPRINT} \\(SHA-256 of the token, first 16 hex\\) |`)
  expect(f.summary).toContain('| Leased by | octo/app, workflow Deploy \\*\\*\\*, run 4242 attempt 2, job release, actor octocat |')
  expect(f.summary).toContain('| Lifetime granted | 1 h |')
})

test("a JWT's jti, sub and aud are in the record, never its signature", async () => {
  const signature = 'c2lnbmF0dXJlLW9mLXRoZS1qd3QtdG9rZW4'
  const claims = { jti: 'a1b2c3', sub: 'svc-deploy', aud: ['api://one', 'api://two'], exp: NOW + 600 }
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { access_token: jwt, token_type: 'Bearer', scope: 'api:read' })
  await run(f.core)
  const fingerprint = createHash('sha256').update(jwt).digest('hex').slice(0, 16)
  expect(f.args('info')).toContain(
    `Token fingerprint ${fingerprint} (SHA-256, first 16 hex); token claims: jti a1b2c3, sub svc-deploy, aud api://one api://two.`,
  )
  // In the summary the URL-ish audience cannot become a link.
  expect(f.summary).toContain('| Token claims | jti a1b2c3, sub svc-deploy, aud api:\u200b//one api:\u200b//two |')
  expect(f.visible().join('\n')).not.toContain(signature)
})

test('max-lifetime: a longer-lived token is revoked at once, not output, and the step fails naming both lifetimes', async () => {
  const f = fakeCore({ ...inputs, 'max-lifetime': '30m' })
  tokenEndpoint(f.calls, 200, tokenBody)
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([
    ['request', 'POST', '/token', BASIC, 'grant_type=client_credentials&scope=api%3Aread'],
    ['request', 'POST', '/revoke', BASIC, `token=${ACCESS_TOKEN}&token_type_hint=access_token`],
  ])
  expect(f.outputs).toEqual({})
  expect(f.failed).toEqual([
    "The server granted a token that lives 1 h, longer than 'max-lifetime' (30 min); it was not output. The token is already revoked.",
  ])
  // Post finds main's word that it revoked the token, not a lease to revoke again.
  expect(f.of('saveState').map((c) => c[2])).toEqual(['none', 'revoked-by-main'])
  expect(f.summary).toContain('| Post step | nothing: main already revoked the token |')
})

test('max-lifetime: a token within it is leased as usual, with no extra request', async () => {
  const f = fakeCore({ ...inputs, 'max-lifetime': '1h' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('request')).toHaveLength(1)
  expect(f.failed).toEqual([])
  expect(f.outputs.token).toBe(ACCESS_TOKEN)
})

test('max-lifetime: when the immediate revocation fails, the message says so and post gets the lease to try again', async () => {
  const f = fakeCore({ ...inputs, 'max-lifetime': '30m', retries: '0' })
  tokenEndpoint(f.calls, 200, tokenBody)
  revocationEndpoint(f.calls, 500)
  await run(f.core)
  expect(f.outputs).toEqual({})
  expect(f.failed).toEqual([
    "The server granted a token that lives 1 h, longer than 'max-lifetime' (30 min); it was not output. Revoking it at once failed (Revocation failed: POST https://as.example/revoke → HTTP 500 Internal Server Error; Hint: the server failed; try again later): it stays valid until 2025-06-15T16:06:40Z (in 1 h); the post step will try again.",
  ])
  expect(decodeLease(leaseSaves(f)[0][2] as string)?.token).toBe(ACCESS_TOKEN)
  expect(f.summary).toContain('| Post step | try again to revoke the token when the job ends |')
})

test('max-lifetime: a token whose lifetime the server did not state is refused too', async () => {
  const f = fakeCore({ ...inputs, 'max-lifetime': '1h' })
  tokenEndpoint(f.calls, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' })
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.failed[0]).toMatch(
    /^The server did not say how long the token lives, so it cannot be shown to meet 'max-lifetime' \(1 h\).*already revoked\.$/,
  )
  expect(f.outputs.token).toBeUndefined()
})

test('a token too large for the post step is revoked at once and never output as scheduled', async () => {
  const big = `big-${'x'.repeat(40_000)}`
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { ...tokenBody, access_token: big })
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request').map((c) => c[2])).toEqual(['/token', '/revoke'])
  expect(f.outputs).toEqual({})
  expect(f.failed[0]).toMatch(
    /^The token is too large to hand to the post step \(its lease is \d+ characters; the limit is 32000, as the lease travels to the post step in one environment variable\), so it was not output\. The token is already revoked\.$/,
  )
  expect(f.of('saveState').map((c) => c[2])).toEqual(['none', 'revoked-by-main'])
})

test.each([
  ['expires_in 0', 0],
  ['expires_in -1', -1],
])('a token granted already expired (%s) gets a warning; it is still scheduled for revocation', async (_, expiresIn) => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { ...tokenBody, expires_in: expiresIn })
  await run(f.core)
  expect(f.warnings).toEqual([
    'The server granted a token that has already expired: later steps will find it refused. The post step still revokes it.',
  ])
  expect(f.outputs.revocation).toBe('scheduled')
})

test('a token about to expire gets a warning', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, { ...tokenBody, expires_in: '30' })
  await run(f.core)
  expect(f.warnings).toEqual(['The token expires in 30 s: later steps may find it expired.'])
})

test('a bad input: the failed step still writes its summary, from the raw inputs, cleaned', async () => {
  const f = fakeCore({ ...inputs, provider: 'oauth3', 'client-id': 'ci\n::error::x' })
  await run(f.core)
  // Both refused, each named: the client-id with a line break is refused as input (it is printed and sent as is).
  const error = [
    'Invalid inputs:',
    "- 'provider' must be one of: oauth2, venafi-tpp, m-trust, signeasy; got 'oauth3'",
    "- 'client-id' must be one line without control characters; got 'ci ::error::x'",
  ].join('\n')
  expect(f.failed).toEqual([error])
  expect(f.summary).toBe(
    [
      '### token-lease: no token',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth3 |',
      '| Endpoint | as.example |',
      '| Identity asked for | ci ::error::x |',
      "| Error | Invalid inputs: - 'provider' must be one of: oauth2, venafi-tpp, m-trust, signeasy; got 'oauth3' - 'client-id' must be one line without control characters; got 'ci ::error::x' |",
      '| Post step | nothing: no token was leased |',
      '',
    ].join('\n'),
  )
  expect(f.summary).not.toContain(SECRET)
})

test('summary: false is honoured by the failed step too, even when the inputs do not parse', async () => {
  const f = fakeCore({ ...inputs, timeout: 'soon', summary: 'false' })
  await run(f.core)
  expect(f.failed).toHaveLength(1)
  expect(f.of('appendSummary')).toEqual([])
})

test('min-lifetime failure: the summary says post will still revoke the token', async () => {
  const f = fakeCore({ ...inputs, 'min-lifetime': '2h' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.summary).toContain('| Post step | revoke the token when the job ends, as planned |')
})

test('max-lifetime on a server without revocation: the token is not output, and the summary says it stays valid', async () => {
  const { 'revocation-url': _, ...noRevocation } = inputs
  const f = fakeCore({ ...noRevocation, 'max-lifetime': '30m' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.of('request')).toHaveLength(1)
  expect(f.outputs).toEqual({})
  expect(f.failed).toEqual([
    "The server granted a token that lives 1 h, longer than 'max-lifetime' (30 min); it was not output. This server offers no revocation: it stays valid until 2025-06-15T16:06:40Z (in 1 h).",
  ])
  expect(f.summary).toContain('| Post step | nothing: the token could not be revoked and stays valid until it expires |')
})

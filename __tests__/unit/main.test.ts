/**
 * The main step in-process (src/main.ts): a fake ActionsCore records every call, and nock's
 * answers record each request into the same list, so the order of masking, requests,
 * state and outputs can be asserted — masks first, always.
 */
import nock from 'nock'
import type { ActionsCore } from '../../src/core.js'
import { decodeLease, type Lease } from '../../src/lease.js'
import { main } from '../../src/main.js'
import { type Call, fakeCore } from '../support/fake-core.js'
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
const run = (core: ActionsCore) => main({ core, env: {}, now: () => NOW, sleep: async () => {} })

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
  expect(tokenMask).toBeLessThan(f.first('saveState'))
  expect(f.first('saveState')).toBeLessThan(f.first('setOutput'))

  expect(f.outputs).toEqual({
    token: ACCESS_TOKEN,
    'token-type': 'Bearer',
    'expires-in': '3600',
    'expires-at': '2025-06-15T16:06:40Z',
    scope: 'api:read',
    revocation: 'scheduled',
  })
  const [[, key, state]] = f.of('saveState')
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
  expect(f.first('setSecret', REFRESH_TOKEN)).toBeLessThan(f.first('saveState'))
  expect(decodeLease(f.of('saveState')[0][2] as string)?.refreshToken).toBe(REFRESH_TOKEN)
  expect(f.outputs['refresh-token']).toBeUndefined()
})

test('a bad input fails before any request, with its secret masked and not shown', async () => {
  const f = fakeCore({ ...inputs, timeout: 'soon' })
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.of('setFailed')).toEqual([['setFailed', "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got 'soon'"]])
  expect(f.masks).toContain(SECRET)
  expect(f.first('setSecret', SECRET)).toBeLessThan(f.first('setFailed'))
  expect(f.of('saveState')).toEqual([])
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
  expect(f.of('saveState')).toEqual([])
  expect(f.of('setOutput')).toEqual([])
  expect(f.of('appendSummary')).toEqual([])
})

test('a token that expires sooner than min-lifetime fails the step, but the lease is saved for post', async () => {
  const f = fakeCore({ ...inputs, 'min-lifetime': '15m' })
  tokenEndpoint(f.calls, 200, { ...tokenBody, expires_in: 600 })
  await run(f.core)
  expect(f.of('saveState')).toHaveLength(1)
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
    ['warning', 'This server offers no revocation: the token stays valid until it expires (2025-06-15T16:06:40Z (in 1 h)).'],
  ])
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | not supported by this server: the token stays valid until it expires |')
})

test('revoke: false gives revocation disabled and no promise of a revoke', async () => {
  const f = fakeCore({ ...inputs, revoke: 'false' })
  tokenEndpoint(f.calls, 200, tokenBody)
  await run(f.core)
  expect(f.outputs.revocation).toBe('disabled')
  expect(f.of('info').map((c) => c[1])).not.toContain('The post step will revoke it when the job ends.')
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | disabled (revoke: false) |')
})

test('summary: false writes no job summary; an unknown expiry leaves expires-in and expires-at empty', async () => {
  const f = fakeCore({ ...inputs, summary: 'false' })
  tokenEndpoint(f.calls, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' })
  await run(f.core)
  expect(f.of('appendSummary')).toEqual([])
  expect(f.outputs).toMatchObject({ 'expires-in': '', 'expires-at': '', scope: 'api:read' })
  expect(f.of('info').map((c) => c[1])).toContain('Leased a Bearer token from as.example for ci-client; expires unknown; scope: api:read.')
})

test('an unexpected error is not printed: it might carry a secret', async () => {
  const f = fakeCore(inputs, {
    onSaveState: () => {
      throw new TypeError(`cannot save ${ACCESS_TOKEN}`)
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
  expect(f.of('saveState')).toHaveLength(1)
})

test('server text in the "Leased" line is cleaned: no line break can start a workflow command, secrets are redacted', async () => {
  const f = fakeCore(inputs)
  tokenEndpoint(f.calls, 200, {
    ...tokenBody,
    token_type: 'Bearer\r\n::warning::y',
    scope: `api:read\n::error::x ${SECRET}\u0007`,
  })
  await run(f.core)
  const leased = f
    .of('info')
    .map((c) => String(c[1]))
    .filter((m) => m.startsWith('Leased'))
  expect(leased).toEqual([
    'Leased a Bearer ::warning::y token from as.example for ci-client; expires 2025-06-15T16:06:40Z (in 1 h); scope: api:read ::error::x ***.',
  ])
  const log = f.calls.filter((c) => ['info', 'warning', 'debug', 'setFailed'].includes(c[0])).map((c) => String(c[1]))
  for (const text of log) {
    for (const line of text.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^::/)
    expect(text).not.toContain(SECRET)
  }
  // The summary too: a secret the server echoed in its scope is cut out there as well.
  const summary = f
    .of('appendSummary')
    .map((c) => String(c[1]))
    .join('\n')
  expect(summary).toContain('| Scope | api:read ::error::x *** |')
  expect(summary).not.toContain(SECRET)
})

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
    const [[, , state]] = f.of('saveState')
    const lease = decodeLease(state as string)
    expect(lease).toMatchObject({ token: ACCESS_TOKEN, revocation: 'scheduled' })
    expect(lease!.expiresAt).toBeUndefined()
    expect(f.of('info').map((c) => c[1])).toContain(
      'Leased a Bearer token from as.example for ci-client; expires unknown; scope: api:read.',
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
  expect(decodeLease(f.of('saveState')[0][2] as string)!.expiresAt).toBeUndefined()
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
  expect(f.of('saveState')).toEqual([])
})

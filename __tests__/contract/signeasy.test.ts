/**
 * Runner contract for provider signeasy: the committed dist/ bundles run as the runner runs them
 * (scripts/lib/runner.mjs), against the Signeasy emulator (scripts/lib/signeasy-emulator.mjs, a
 * real HTTP server on 127.0.0.1 written from PROTOCOLS.md §4) standing in via `token-url` and
 * `revocation-url`; its API (GET /v3/me) tells whether a token is still alive after post.
 */
import { SIGNEASY, signeasyInputs, startSigneasyEmulator, type SigneasyEmulator } from '../support/signeasy-emulator.js'
import { leaks, runMain, runPost } from '../support/steps.js'

let se: SigneasyEmulator
beforeAll(async () => {
  se = await startSigneasyEmulator({ clients: [{ id: SIGNEASY.clientId, secret: SIGNEASY.clientSecret }] })
})
afterAll(() => se.close())

const inputs = (extra: Record<string, string> = {}) => signeasyInputs(se, extra)

test('main leases a masked 30-day token; post revokes it with the documented DELETE and the token is dead (step debug on)', async () => {
  const n = se.requests.length
  const main = await runMain({ inputs: inputs(), debug: true })
  expect(main.code).toBe(0)
  expect(se.requests.length - n).toBe(1)
  const sent = se.requests.at(-1)!
  expect([sent.method, sent.path, sent.headers['content-type'], sent.headers.authorization]).toEqual([
    'POST',
    '/oauth/token',
    'application/json',
    undefined,
  ])
  expect(JSON.parse(sent.body)).toEqual({
    client_id: SIGNEASY.clientId,
    client_secret: SIGNEASY.clientSecret,
    audience: 'https://api-ext.signeasy.com/',
    grant_type: 'client_credentials',
  })

  const token = se.issued.at(-1)!.token
  const expiresAt = new Date(se.issued.at(-1)!.claims.exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  expect(main.outputs.token).toBe(token)
  expect(main.outputs).toMatchObject({
    'token-type': 'Bearer',
    'expires-at': expiresAt,
    scope: 'rs:read rs:update',
    revocation: 'scheduled',
  })
  expect(Number(main.outputs['expires-in'])).toBeGreaterThan(2592000 - 60)
  expect(main.masks).toEqual(expect.arrayContaining([SIGNEASY.clientSecret, token, token.split('.')[2]]))
  expect(main.log).not.toContain('##[warning]')
  expect(main.log).toContain('The post step will revoke it when the job ends.')
  expect(main.summary).toContain('| Provider | signeasy |')
  expect(main.summary).toContain('| Revocation | scheduled for the end of the job |')
  expect(se.isLive(token)).toBe(true)

  const before = se.requests.length
  const post = await runPost({ inputs: inputs(), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(se.requests.slice(before).map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
    ['DELETE', '/oauth2/tokens/revoke/', `Bearer ${token}`],
  ])
  // Signeasy has no endpoint that says whether a token is dead: post says so, and the API's refusal below proves it.
  expect(post.log).toContain('\nRevoked — not confirmed: signeasy offers no way to ask whether a token is dead.\n')
  expect(post.log).not.toContain('##[warning]')
  expect(post.summary).toContain('| Revocation | Revoked — not confirmed: signeasy offers no way to ask whether a token is dead. |')
  expect(se.isLive(token)).toBe(false)

  const secrets = [SIGNEASY.clientSecret, token, token.split('.')[2]]
  expect(leaks(main, secrets)).toEqual([])
  expect(leaks(post, secrets)).toEqual([])
  // The state the runner keeps holds the token, so the token must be masked before it was saved.
  expect(main.stdout.indexOf(`::add-mask::${token}`)).toBeGreaterThan(-1)
})

test('a revocation the server refuses is a warning that says "not confirmed", never "Revoked"; revoke-failure: fail fails the job', async () => {
  const main = await runMain({ inputs: inputs() })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  se.inject('/oauth2/tokens/revoke/', { status: 403, body: JSON.stringify({ error: 'access_denied', error_description: `no: ${token}` }) })
  const post = await runPost({ inputs: inputs(), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toMatch(
    /##\[warning\]Revocation not confirmed: DELETE http:\/\/127\.0\.0\.1:\d+\/oauth2\/tokens\/revoke\/ → HTTP 403 Forbidden; error access_denied\. Hint: Signeasy documents this endpoint for OAuth apps/,
  )
  expect(post.log).not.toMatch(/Revoked —/)
  // The summary cell carries the reason (Markdown-escaped; the echoed token is not in it).
  expect(post.summary).toMatch(
    /\| Revocation \| failed: Revocation not confirmed: DELETE http:\u200b\/\/127\.0\.0\.1:\d+\/oauth2\/tokens\/revoke\/ → HTTP 403 Forbidden; error access\\_denied\. Hint: Signeasy documents this endpoint for OAuth apps \\\('Revoking Access Tokens'\\\); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires\. \|/,
  )
  expect(se.isLive(token)).toBe(true)

  se.inject('/oauth2/tokens/revoke/', { status: 401, body: '{"error":"invalid_token"}' })
  const hard = await runPost({ inputs: inputs({ 'revoke-failure': 'fail' }), state: main.state })
  expect(hard.code).toBe(1)
  expect(hard.log).toContain('##[error]Revocation not confirmed:')
  for (const step of [main, post, hard]) expect(leaks(step, [SIGNEASY.clientSecret, token, token.split('.')[2]])).toEqual([])
  await runPost({ inputs: inputs(), state: main.state })
  expect(se.isLive(token)).toBe(false)
})

test('a wrong secret fails main at once with the reason, and nothing is saved or leaked', async () => {
  const wrong = 'wrong-secret-value-123'
  const n = se.requests.length
  const main = await runMain({ inputs: inputs({ 'client-secret': wrong }), debug: true })
  expect(main.code).toBe(1)
  expect(se.requests.length - n).toBe(1)
  expect(main.log).toContain(`##[error]Token request failed: POST ${se.tokenUrl} → HTTP 401; error access_denied: Unauthorized;`)
  expect(main.state).toEqual({ lease: 'none' })
  expect(main.outputs).toEqual({})
  expect(leaks(main, [wrong])).toEqual([])
})

test('an input that signeasy does not use is refused before any request', async () => {
  const n = se.requests.length
  const main = await runMain({ inputs: inputs({ 'grant-type': 'password', password: 'a-password-1234' }) })
  expect(main.code).toBe(1)
  expect(se.requests.length).toBe(n)
  expect(main.log).toContain(
    "##[error]Invalid inputs:\n- 'password' is not used by provider signeasy\n- 'grant-type' must be client_credentials for provider signeasy; got 'password'",
  )
  expect(leaks(main, ['a-password-1234'])).toEqual([])
})

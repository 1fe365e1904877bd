/**
 * Runner contract for provider m-trust: the committed dist/ bundles run as the runner runs them
 * (scripts/lib/runner.mjs), against the M-Trust emulator (scripts/lib/mtrust-emulator.mjs, a real
 * HTTP server on 127.0.0.1 written from PROTOCOLS.md §5). Rotation is the risky part: the new API
 * token must be masked before it is output, must never be printed, and must reach the outputs
 * even when the access-token request then fails.
 */
import {
  ACCESS_TOKEN_PATH,
  fixtureApps,
  MTRUST,
  mtrustInputs,
  REFERENCE_ROTATE_PATH,
  ROTATE_PATH,
  startMtrustEmulator,
  type MtrustEmulator,
} from '../support/mtrust-emulator.js'
import { leaks, runMain, runPost } from '../support/steps.js'

let mt: MtrustEmulator
beforeEach(async () => {
  mt = await startMtrustEmulator({ apps: fixtureApps() })
})
afterEach(() => mt.close())

const inputs = (extra: Record<string, string> = {}) => mtrustInputs(mt, extra)
const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

test('rotate-api-token: both tokens masked and output, never printed; post says so and sends nothing (step debug on)', async () => {
  const main = await runMain({ inputs: inputs({ 'rotate-api-token': 'true' }), debug: true })
  expect(main.code).toBe(0)

  const fresh = mt.apiTokens.find((t) => t.active)!
  const issued = mt.accessTokens[0]
  expect(fresh.value).not.toBe(MTRUST.apiToken)
  expect(mt.requests.map((r) => [r.method, r.path, r.headers['content-type'], r.json])).toEqual([
    [
      'POST',
      ROTATE_PATH,
      'application/json',
      { client_id: MTRUST.appId, grant_type: 'token-exchange', refresh_token: MTRUST.apiToken, scope: 'openid' },
    ],
    [
      'POST',
      ACCESS_TOKEN_PATH,
      'application/json',
      { client_id: MTRUST.appId, grant_type: 'refresh_token', refresh_token: fresh.value, scope: 'openid' },
    ],
  ])
  expect(main.outputs).toMatchObject({
    'api-token': fresh.value,
    'api-token-expires-at': iso(fresh.expiresAt),
    token: issued.token,
    'expires-at': iso(issued.expiresAt),
    scope: 'openid',
    revocation: 'unsupported',
  })
  expect(main.masks).toEqual(expect.arrayContaining([MTRUST.apiToken, fresh.value, issued.token]))
  // Masked before the warning that talks about it is printed.
  expect(main.stdout.indexOf(`::add-mask::${fresh.value}`)).toBeLessThan(
    main.stdout.indexOf('::warning::The M-Trust API token was rotated'),
  )
  expect(main.log).toContain(
    "##[warning]The M-Trust API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. with gh secret set)",
  )

  const before = mt.requests.length
  const post = await runPost({ inputs: inputs({ 'rotate-api-token': 'true' }), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(mt.requests.length).toBe(before)
  expect(post.log).toContain(`Not revoked: m-trust offers no revocation; the token stays valid until ${iso(issued.expiresAt)}`)
  // Post did not rotate again: the API token the workflow stores is still the live one.
  expect(mt.apiTokens.filter((t) => t.active).map((t) => t.value)).toEqual([fresh.value])

  const secrets = [MTRUST.apiToken, fresh.value, issued.token, issued.token.split('.')[2]]
  expect(leaks(main, secrets)).toEqual([])
  expect(leaks(post, secrets)).toEqual([])
})

test("a server live at the API reference's rotation path, with epoch-second dates: one fallback after the 404, the log names the path, nothing leaks (step debug on)", async () => {
  const reference = await startMtrustEmulator({ apps: fixtureApps(), rotatePath: 'reference', dates: 'epoch-seconds' })
  try {
    const main = await runMain({ inputs: mtrustInputs(reference, { 'rotate-api-token': 'true' }), debug: true })
    expect(main.code).toBe(0)
    const fresh = reference.apiTokens.find((t) => t.active)!
    const issued = reference.accessTokens[0]
    expect(reference.requests.map((r) => r.path)).toEqual([ROTATE_PATH, REFERENCE_ROTATE_PATH, ACCESS_TOKEN_PATH])
    // The API token was rotated exactly once: the original and one new one.
    expect(reference.apiTokens.map((t) => t.active)).toEqual([false, true])
    expect(main.log).toContain(`M-Trust answered 404 at ${ROTATE_PATH}: trying the API reference's path ${REFERENCE_ROTATE_PATH}.`)
    expect(main.log).toContain(`M-Trust rotated the API token at ${REFERENCE_ROTATE_PATH}.`)
    // Epoch seconds read as seconds: the real date, not a day in 1970.
    expect(main.outputs['api-token-expires-at']).toBe(iso(fresh.expiresAt))
    expect(main.outputs['api-token']).toBe(fresh.value)
    const secrets = [MTRUST.apiToken, fresh.value, issued.token, issued.token.split('.')[2]]
    expect(leaks(main, secrets)).toEqual([])
    for (const s of secrets) expect(main.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(s)
  } finally {
    await reference.close()
  }
})

test('when the access-token request fails after a rotation, main fails but still outputs the new API token', async () => {
  mt.inject(ACCESS_TOKEN_PATH, { status: 400, body: JSON.stringify({ error: 'invalid_request', error_description: 'App is disabled' }) })
  const main = await runMain({ inputs: inputs({ 'rotate-api-token': 'true' }), debug: true })
  expect(main.code).toBe(1)
  const fresh = mt.apiTokens.find((t) => t.active)!
  expect(main.outputs).toEqual({ 'api-token': fresh.value, 'api-token-expires-at': iso(fresh.expiresAt) })
  expect(main.log).toContain(
    `##[error]M-Trust token request failed: POST ${mt.url}${ACCESS_TOKEN_PATH} → HTTP 400; error invalid_request: App is disabled; Hint: check 'client-id'`,
  )
  expect(main.state).toEqual({ lease: 'none' })
  expect(main.masks).toContain(fresh.value)
  expect(leaks(main, [MTRUST.apiToken, fresh.value])).toEqual([])

  const post = await runPost({ inputs: inputs({ 'rotate-api-token': 'true' }), state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toContain('The main step leased no token: nothing to revoke.')
  expect(mt.requests).toHaveLength(2)
})

test('without rotation, an opaque access token: empty expiry outputs, the summary says unknown', async () => {
  const opaque = await startMtrustEmulator({ apps: fixtureApps(), accessTokenFormat: 'opaque' })
  try {
    const main = await runMain({ inputs: inputs({ 'server-url': opaque.url }) })
    expect(main.code).toBe(0)
    const token = opaque.accessTokens[0].token
    expect(main.outputs).toEqual({
      token,
      'token-type': 'Bearer',
      'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
      'expires-in': '',
      'expires-at': '',
      scope: 'openid',
      revocation: 'unsupported',
    })
    expect(main.outputs['api-token']).toBeUndefined()
    expect(main.summary).toContain('| Expires | unknown |')
    expect(main.masks).toEqual(expect.arrayContaining([MTRUST.apiToken, token]))
    expect(opaque.apiTokens[0].active).toBe(true)

    const post = await runPost({ inputs: inputs({ 'server-url': opaque.url }), state: main.state })
    expect(post.code).toBe(0)
    expect(post.log).toContain('Not revoked: m-trust offers no revocation; the token stays valid until it expires.')
    expect(opaque.requests).toHaveLength(1)
    expect(leaks(main, [MTRUST.apiToken, token])).toEqual([])
    expect(leaks(post, [MTRUST.apiToken, token])).toEqual([])
  } finally {
    await opaque.close()
  }
})

/**
 * M-Trust end to end, in process: main and post (src/main.ts, src/post.ts) with a core that
 * records every call, against the M-Trust emulator (scripts/lib/mtrust-emulator.mjs, a real HTTP
 * server on 127.0.0.1 written from PROTOCOLS.md §5). The emulator's own state shows what the
 * server saw: which API token is live after a rotation, which access tokens were issued with
 * which API token. Post must send nothing. The first block shows the emulator itself refuses
 * what the real API would.
 */
import { main, type Runtime } from '../../src/main.js'
import { post } from '../../src/post.js'
import { runStep } from '../support/fake-core.js'
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
import { rawRequest } from '../support/signeasy-emulator.js'

const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const IN_5_MIN = '2025-06-15T15:11:40Z'
const IN_90_DAYS = '2025-09-13T15:06:40Z'
const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** Runs a step in process with a core that records, in order, what the runner would see. */
const step = (run: (rt: Runtime) => Promise<void>, inputs: Record<string, string>, state: Record<string, string> = {}) =>
  runStep(run, inputs, { state, trimInputs: true, now: () => NOW })

let mt: MtrustEmulator
beforeEach(async () => {
  mt = await startMtrustEmulator({ apps: fixtureApps(), now: () => NOW })
})
afterEach(() => mt.close())

const inputs = (extra: Record<string, string> = {}) => mtrustInputs(mt, extra)
const body = (grantType: string, apiToken: string) => ({
  client_id: MTRUST.appId,
  grant_type: grantType,
  refresh_token: apiToken,
  scope: 'openid',
})

describe('the emulator refuses what the real API would', () => {
  const json = (b: object) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })

  test.each([
    [
      'a form body',
      ACCESS_TOKEN_PATH,
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body('refresh_token', MTRUST.apiToken)).toString(),
      },
      415,
      'invalid_request',
    ],
    ['JSON that does not parse', ACCESS_TOKEN_PATH, { headers: { 'content-type': 'application/json' }, body: '{' }, 400, 'invalid_request'],
    ['an extra field', ACCESS_TOKEN_PATH, json({ ...body('refresh_token', MTRUST.apiToken), client_secret: 'x' }), 400, 'invalid_request'],
    ['a missing field', ACCESS_TOKEN_PATH, json({ ...body('refresh_token', MTRUST.apiToken), scope: undefined }), 400, 'invalid_request'],
    [
      'the rotation grant at the access-token path',
      ACCESS_TOKEN_PATH,
      json(body('token-exchange', MTRUST.apiToken)),
      400,
      'unsupported_grant_type',
    ],
    [
      'the access-token grant at the rotation path',
      ROTATE_PATH,
      json(body('refresh_token', MTRUST.apiToken)),
      400,
      'unsupported_grant_type',
    ],
    [
      'another scope',
      ACCESS_TOKEN_PATH,
      json({ ...body('refresh_token', MTRUST.apiToken), scope: 'openid profile' }),
      400,
      'invalid_scope',
    ],
    [
      'an unknown App',
      ACCESS_TOKEN_PATH,
      json({ ...body('refresh_token', MTRUST.apiToken), client_id: 'another-app' }),
      401,
      'invalid_client',
    ],
    ['an unknown API token', ROTATE_PATH, json(body('token-exchange', 'mt_not-a-token')), 400, 'invalid_grant'],
  ])('%s', async (_, path, request, status, error) => {
    const res = await rawRequest(`${mt.url}${path}`, request)
    expect(res.status).toBe(status)
    expect(res.json).toEqual({ error, error_description: expect.any(String) })
    expect(mt.apiTokens.every((t) => t.active)).toBe(true)
  })

  test('an API token of another App, and an expired one, are refused', async () => {
    const other = await startMtrustEmulator({
      apps: [...fixtureApps(), { id: 'other-app', apiTokens: [{ name: 'old', value: 'mt_expired-token-0001', expiresAt: NOW - 1 }] }],
      now: () => NOW,
    })
    try {
      const res1 = await rawRequest(
        `${other.url}${ACCESS_TOKEN_PATH}`,
        json({ ...body('refresh_token', MTRUST.apiToken), client_id: 'other-app' }),
      )
      expect([res1.status, res1.json?.error]).toEqual([400, 'invalid_grant'])
      const res2 = await rawRequest(
        `${other.url}${ACCESS_TOKEN_PATH}`,
        json({ ...body('refresh_token', 'mt_expired-token-0001'), client_id: 'other-app' }),
      )
      expect(res2.json).toEqual({ error: 'invalid_grant', error_description: 'Token is not active: the API token has expired' })
    } finally {
      await other.close()
    }
  })

  test('a rotation deactivates the API token it was given: only the new one works', async () => {
    const rotated = await rawRequest(`${mt.url}${ROTATE_PATH}`, json(body('token-exchange', MTRUST.apiToken)))
    expect(rotated.json).toEqual({
      token: { name: MTRUST.apiTokenName, creationDate: iso(NOW).replace('Z', '.000Z'), expirationDate: IN_90_DAYS.replace('Z', '.000Z') },
      value: expect.stringMatching(/^mt_/),
    })
    const old = await rawRequest(`${mt.url}${ACCESS_TOKEN_PATH}`, json(body('refresh_token', MTRUST.apiToken)))
    expect(old.json).toEqual({ error: 'invalid_grant', error_description: 'Token is not active: the API token was deactivated' })
    const fresh = await rawRequest(`${mt.url}${ACCESS_TOKEN_PATH}`, json(body('refresh_token', rotated.json!.value as string)))
    expect(fresh.status).toBe(200)
    expect(Object.keys(fresh.json!)).toEqual(['access_token'])
  })
})

test('main exchanges the API token with the documented JSON; the JWT exp gives the expiry; post sends nothing', async () => {
  const m = await step(main, inputs())
  expect(m.failed).toEqual([])
  expect(mt.requests.map((r) => [r.method, r.path, r.headers['content-type'], r.json])).toEqual([
    ['POST', ACCESS_TOKEN_PATH, 'application/json', body('refresh_token', MTRUST.apiToken)],
  ])

  const issued = mt.accessTokens[0]
  expect(mt.isLive(issued.token)).toBe(true)
  expect(m.outputs).toEqual({
    token: issued.token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': '300',
    'expires-at': IN_5_MIN,
    scope: 'openid',
    revocation: 'unsupported',
  })
  expect(m.first('setSecret', MTRUST.apiToken)).toBe(0)
  expect(m.first('setSecret', issued.token)).toBeLessThan(m.first('setOutput', 'token'))
  expect(m.warnings).toHaveLength(1)
  expect(m.warnings[0]).toContain(IN_5_MIN)
  expect(m.summary).toContain('| Provider | m-trust |')
  expect(m.summary).toContain(`| Identity | ${MTRUST.appId} |`)

  const p = await step(post, inputs(), m.saved)
  expect(mt.requests).toHaveLength(1)
  expect(p.failed).toEqual([])
  expect(p.args('info')).toContain(`Not revoked: m-trust offers no revocation; the token stays valid until ${IN_5_MIN} (in 5 min).`)
  for (const rec of [m, p]) expect(rec.leaks([MTRUST.apiToken, issued.token, issued.token.split('.')[2]])).toEqual([])
})

test('an opaque access token: expires-in and expires-at are empty, and the summary says unknown', async () => {
  const opaque = await startMtrustEmulator({ apps: fixtureApps(), accessTokenFormat: 'opaque', now: () => NOW })
  try {
    const m = await step(main, inputs({ 'server-url': opaque.url }))
    expect(m.failed).toEqual([])
    expect(m.outputs).toMatchObject({ token: opaque.accessTokens[0].token, 'expires-in': '', 'expires-at': '', revocation: 'unsupported' })
    expect(m.summary).toContain('| Expires | unknown |')
    const p = await step(post, inputs({ 'server-url': opaque.url }), m.saved)
    expect(p.args('info')).toContain('Not revoked: m-trust offers no revocation; the token stays valid until it expires.')
    expect(opaque.requests).toHaveLength(1)
  } finally {
    await opaque.close()
  }
})

test('rotate-api-token: the new API token is masked, used, output with its expiry, and the old one is dead', async () => {
  const m = await step(main, inputs({ 'rotate-api-token': 'true' }))
  expect(m.failed).toEqual([])

  const [old, fresh] = mt.apiTokens
  expect(old).toMatchObject({ value: MTRUST.apiToken, active: false, replacedBy: fresh.value })
  expect(fresh).toMatchObject({ name: MTRUST.apiTokenName, active: true })
  expect(mt.requests.map((r) => [r.path, r.json])).toEqual([
    [ROTATE_PATH, body('token-exchange', MTRUST.apiToken)],
    [ACCESS_TOKEN_PATH, body('refresh_token', fresh.value)],
  ])
  const issued = mt.accessTokens[0]
  expect(m.outputs).toEqual({
    'api-token': fresh.value,
    'api-token-expires-at': IN_90_DAYS,
    token: issued.token,
    'token-type': 'Bearer',
    'token-fingerprint': expect.stringMatching(/^[0-9a-f]{16}$/),
    'expires-in': '300',
    'expires-at': IN_5_MIN,
    scope: 'openid',
    revocation: 'unsupported',
  })
  // Masked before it is output, and before the warning that talks about it.
  expect(m.first('setSecret', fresh.value)).toBeGreaterThan(-1)
  expect(m.first('setSecret', fresh.value)).toBeLessThan(m.first('setOutput', 'api-token'))
  expect(m.first('setSecret', fresh.value)).toBeLessThan(m.calls.findIndex((c) => c[0] === 'warning'))
  expect(m.warnings[0]).toBe(
    `The M-Trust API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. with gh secret set) before the job ends, or the next run cannot authenticate; it expires ${IN_90_DAYS}.`,
  )
  expect(m.leaks([MTRUST.apiToken, fresh.value, issued.token])).toEqual([])

  // The next run with the old API token fails and says why; with the new one it works.
  const stale = await step(main, inputs({ 'rotate-api-token': 'true' }))
  expect(stale.failed).toEqual([
    `M-Trust API token rotation failed: POST ${mt.url}${ROTATE_PATH} → HTTP 400; error invalid_grant: Token is not active: the API token was deactivated; Hint: check 'client-id' (the App id) and 'api-token' (an API token of that App: not expired, and not deactivated by an earlier rotation — after rotate-api-token: true only the newest one works).`,
  ])
  expect(stale.outputs).toEqual({})
  const next = await step(main, inputs({ 'api-token': fresh.value }))
  expect(next.failed).toEqual([])
  expect(mt.accessTokens.at(-1)!.apiTokenName).toBe(MTRUST.apiTokenName)
})

describe('the two documented rotation paths and the three date shapes', () => {
  /** A server of its own shape: `mt` of the file stays the default one. */
  async function withServer(options: Parameters<typeof startMtrustEmulator>[0], run: (server: MtrustEmulator) => Promise<void>) {
    const server = await startMtrustEmulator({ apps: fixtureApps(), now: () => NOW, ...options })
    try {
      await run(server)
    } finally {
      await server.close()
    }
  }

  test("a server live at the API reference's path: the guide's path gets 404 (nothing rotated), the reference's rotates once; the log names it", async () => {
    await withServer({ rotatePath: 'reference' }, async (server) => {
      const m = await step(main, mtrustInputs(server, { 'rotate-api-token': 'true' }))
      expect(m.failed).toEqual([])
      const [old, fresh] = server.apiTokens
      expect(server.requests.map((r) => [r.path, r.json])).toEqual([
        [ROTATE_PATH, body('token-exchange', MTRUST.apiToken)],
        [REFERENCE_ROTATE_PATH, body('token-exchange', MTRUST.apiToken)],
        [ACCESS_TOKEN_PATH, body('refresh_token', fresh.value)],
      ])
      expect(server.apiTokens).toHaveLength(2)
      expect(old.active).toBe(false)
      expect(m.outputs['api-token']).toBe(fresh.value)
      expect(m.args('info')).toEqual(
        expect.arrayContaining([
          `M-Trust answered 404 at ${ROTATE_PATH}: trying the API reference's path ${REFERENCE_ROTATE_PATH}.`,
          `M-Trust rotated the API token at ${REFERENCE_ROTATE_PATH}.`,
        ]),
      )
      expect(m.leaks([MTRUST.apiToken, fresh.value, server.accessTokens[0].token])).toEqual([])
    })
  })

  test("a server live at the guide's path: one rotation request, the reference's path never tried", async () => {
    const m = await step(main, inputs({ 'rotate-api-token': 'true' }))
    expect(m.failed).toEqual([])
    expect(mt.requests.map((r) => r.path)).toEqual([ROTATE_PATH, ACCESS_TOKEN_PATH])
    expect(m.args('info')).toContain(`M-Trust rotated the API token at ${ROTATE_PATH}.`)
  })

  test.each(['iso', 'epoch-seconds', 'epoch-ms'] as const)('expirationDate as %s: api-token-expires-at is the real date', async (dates) => {
    await withServer({ dates }, async (server) => {
      const m = await step(main, mtrustInputs(server, { 'rotate-api-token': 'true' }))
      expect(m.failed).toEqual([])
      expect(m.outputs['api-token-expires-at']).toBe(IN_90_DAYS)
      expect(m.warnings[0]).toContain(`it expires ${IN_90_DAYS}`)
    })
  })

  test('the emulator serves the shape it is asked for (so the test above reads what it claims to)', async () => {
    for (const [dates, expected] of [
      ['epoch-seconds', NOW + 90 * 86400],
      ['epoch-ms', (NOW + 90 * 86400) * 1000],
      ['iso', '2025-09-13T15:06:40.000Z'],
    ] as const)
      await withServer({ dates }, async (server) => {
        const res = await rawRequest(`${server.url}${ROTATE_PATH}`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body('token-exchange', MTRUST.apiToken)),
        })
        expect(res.json).toMatchObject({
          token: { expirationDate: expected, creationDate: typeof expected === 'string' ? expect.any(String) : expect.any(Number) },
        })
      })
  })
})

test('when the access-token request fails after a rotation, the new API token is still output', async () => {
  mt.inject(ACCESS_TOKEN_PATH, { status: 503, body: '{"error":"temporarily_unavailable"}', times: 2 })
  const m = await step(main, inputs({ 'rotate-api-token': 'true', retries: '1' }))
  const fresh = mt.apiTokens.find((t) => t.active)!
  expect(fresh.value).not.toBe(MTRUST.apiToken)
  expect(m.failed).toEqual([
    `M-Trust token request failed: POST ${mt.url}${ACCESS_TOKEN_PATH} → HTTP 503; error temporarily_unavailable; Hint: the server is busy or failed; try again later.`,
  ])
  expect(m.outputs).toEqual({ 'api-token': fresh.value, 'api-token-expires-at': IN_90_DAYS })
  expect(m.saved).toEqual({ lease: 'none' })
  expect(m.first('setSecret', fresh.value)).toBeLessThan(m.first('setOutput', 'api-token'))
  expect(m.warnings[0]).toMatch(/^The M-Trust API token was rotated/)
  expect(m.leaks([MTRUST.apiToken, fresh.value])).toEqual([])
})

test('when min-lifetime fails after a rotation, the new API token is still output', async () => {
  const m = await step(main, inputs({ 'rotate-api-token': 'true', 'min-lifetime': '10m' }))
  const fresh = mt.apiTokens.find((t) => t.active)!
  expect(m.failed).toHaveLength(1)
  expect(m.failed[0]).toMatch(/^The token expires in 5 min, sooner than 'min-lifetime' \(10 min\)/)
  expect(m.outputs['api-token']).toBe(fresh.value)
  expect(m.outputs['api-token-expires-at']).toBe(IN_90_DAYS)
  expect(m.outputs.token).toBeUndefined()
})

test('problem+json errors (an error shape M-Trust might use) are reported with title and detail', async () => {
  const problem = await startMtrustEmulator({ apps: fixtureApps(), errorStyle: 'problem', now: () => NOW })
  try {
    const m = await step(main, inputs({ 'server-url': problem.url, 'client-id': 'not-the-app-id' }))
    expect(m.failed).toEqual([
      `M-Trust token request failed: POST ${problem.url}${ACCESS_TOKEN_PATH} → HTTP 401; Unauthorized: Invalid client or Invalid client credentials; Hint: check 'client-id' (the App id) and 'api-token' (an API token of that App: not expired, and not deactivated by an earlier rotation — after rotate-api-token: true only the newest one works).`,
    ])
    expect(m.leaks([MTRUST.apiToken])).toEqual([])
  } finally {
    await problem.close()
  }
})

test('a wrong server-url path is a 404 with a hint about server-url', async () => {
  const m = await step(main, inputs({ 'server-url': `${mt.url}/api/token/v1` }))
  expect(m.failed).toHaveLength(1)
  expect(m.failed[0]).toContain(`→ HTTP 404; error not_found: Not Found; Hint: check 'server-url'`)
})

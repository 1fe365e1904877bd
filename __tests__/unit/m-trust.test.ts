/**
 * The M-Trust provider (src/providers/m-trust.ts) and its input checks (src/inputs.ts), through
 * the real HTTP layer with nock answering: the exact JSON of both calls (PROTOCOLS.md §5), the
 * expiry taken from a JWT's exp claim, rotation (new API token masked first, output, warned
 * about, handed on even when the access-token request then fails), and how refusals read.
 */
import nock from 'nock'
import { Http, RequestError } from '../../src/http.js'
import { parseConfig, type RawInputs } from '../../src/inputs.js'
import { create, isoDate, refusal } from '../../src/providers/m-trust.js'
import type { Deps } from '../../src/providers/index.js'
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'
import { inputRefusal } from '../support/input-refusal.js'

const ORIGIN = 'https://mtrust.example'
const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const APP_ID = '3f2a9c1e-7b5d-4e8a-9c0f-0000000000a1'
const API_TOKEN = 'mt_api-T0ken+with/chars=and"quotes"-0001'
const NEW_API_TOKEN = 'mt_rotated-ApiT0ken-9f8e7d6c5b4a3210'
const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url')
const SIGNATURE = 'bXRydXN0LWFjY2Vzcy10b2tlbi1zaWduYXR1cmUtMDE'
const JWT = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ azp: APP_ID, exp: NOW + 300, scope: 'openid' })}.${SIGNATURE}`
const OPAQUE = 'opaque-mtrust-access-token-4Rt7Yu'
const ACCESS_PATH = '/api/token/v1/tokens/access-token'
const ROTATE_PATH = '/api/token/v1/tokens/refresh/api-token'
/** The API reference's path (PROTOCOLS.md §5): tried once when the guide's answers 404. */
const REFERENCE_PATH = '/api/token/v1/v1/tokens/refresh/api-token'
const ROTATED = {
  token: { name: 'ci-release', creationDate: '2025-06-15T15:06:40.123Z', expirationDate: '2025-09-13T15:06:40.123Z' },
  value: NEW_API_TOKEN,
}

type Event = ['request', string, string, unknown] | ['mask', string] | ['log', string]
let events: Event[]

/** Answers POST `path` once, recording the request (method, path, content type, parsed JSON body) in order. */
function answer(path: string, status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  nock(ORIGIN)
    .post(path)
    .reply(function (uri, requestBody) {
      events.push(['request', `${this.req.method} ${uri}`, String(this.req.headers['content-type']), requestBody])
      return [status, typeof body === 'string' ? body : JSON.stringify(body), headers]
    })
}

/** The provider's dependencies, with the secret inputs masked first as main does. */
function deps(raw: RawInputs, retries = 0): Deps {
  const secrets = new Secrets((v) => void events.push(['mask', v]))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  const log = (m: string) => void events.push(['log', m])
  return {
    send: new Http({ timeout: 5, retries, log: () => {}, sleep: async () => {} }).send,
    secrets,
    log: { info: log, warning: (m) => log(`warning: ${m}`), debug: (m) => log(`debug: ${m}`) },
    now: () => NOW,
    githubOidcToken: () => Promise.reject(new Error('M-Trust never uses the GitHub OIDC token')),
  }
}

const base: RawInputs = { provider: 'm-trust', 'server-url': ORIGIN, 'client-id': APP_ID, 'api-token': API_TOKEN }
const rotating: RawInputs = { ...base, 'rotate-api-token': 'true' }
const provider = (raw: RawInputs = base, retries = 0) => create(parseConfig(raw), deps(raw, retries))
const requests = () => events.filter((e) => e[0] === 'request').map((e) => e.slice(1))
const masks = () => events.filter((e) => e[0] === 'mask').map((e) => e[1])
const logs = () => events.filter((e) => e[0] === 'log').map((e) => e[1])
const accessBody = (apiToken: string) => ({ client_id: APP_ID, grant_type: 'refresh_token', refresh_token: apiToken, scope: 'openid' })
const rotateBody = { client_id: APP_ID, grant_type: 'token-exchange', refresh_token: API_TOKEN, scope: 'openid' }

beforeEach(() => {
  events = []
})
offlineWithNock()

describe('access token', () => {
  test('the documented JSON request; a JWT access token expires at its exp claim', async () => {
    answer(ACCESS_PATH, 200, { access_token: JWT })
    const { lease, outputs } = await provider().acquire()

    expect(requests()).toEqual([['POST /api/token/v1/tokens/access-token', 'application/json', accessBody(API_TOKEN)]])
    expect(lease).toEqual({
      provider: 'm-trust',
      token: JWT,
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 300,
      scope: 'openid',
      identity: APP_ID,
      tokenEndpoint: `${ORIGIN}${ACCESS_PATH}`,
      revocation: 'unsupported',
    })
    expect(outputs).toEqual({})
    expect(masks()).toEqual(expect.arrayContaining([API_TOKEN, JWT, SIGNATURE]))
    expect(logs()).toEqual([])
  })

  test('an opaque access token has no known expiry', async () => {
    answer(ACCESS_PATH, 200, { access_token: OPAQUE })
    const { lease } = await provider().acquire()
    expect(lease.expiresAt).toBeUndefined()
    expect(lease.token).toBe(OPAQUE)
    expect(masks()).toContain(OPAQUE)
  })

  test('an expires_in, should the API ever send one, wins over the JWT', async () => {
    answer(ACCESS_PATH, 200, { access_token: JWT, expires_in: 120, token_type: 'bearer' })
    const { lease } = await provider().acquire()
    expect(lease).toMatchObject({ expiresAt: NOW + 120, tokenType: 'bearer' })
  })

  test('server-url may carry a path and a trailing slash', async () => {
    nock(ORIGIN)
      .post(`/gateway${ACCESS_PATH}`)
      .reply(function (uri, body) {
        events.push(['request', `${this.req.method} ${uri}`, String(this.req.headers['content-type']), body])
        return [200, { access_token: OPAQUE }]
      })
    const { lease } = await provider({ ...base, 'server-url': `${ORIGIN}/gateway/` }).acquire()
    expect(requests()).toEqual([[`POST /gateway${ACCESS_PATH}`, 'application/json', accessBody(API_TOKEN)]])
    expect(lease.tokenEndpoint).toBe(`${ORIGIN}/gateway${ACCESS_PATH}`)
  })

  test('a refused API token fails at once with the endpoint, the OAuth error, and an M-Trust hint', async () => {
    answer(ACCESS_PATH, 400, { error: 'invalid_grant', error_description: `Token is not active (token ${API_TOKEN})` })
    const err = await provider(base, 3)
      .acquire()
      .catch((e) => e)
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      "M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 400; error invalid_grant: Token is not active (token ***); Hint: check 'client-id' (the App id) and 'api-token' (an API token of that App: not expired, and not deactivated by an earlier rotation — after rotate-api-token: true only the newest one works).",
    )
    expect(err).toMatchObject({ status: 400, code: 'invalid_grant', outputs: {} })
    expect(requests()).toHaveLength(1)
  })

  test('a 5xx is retried; the token is leased on the next attempt', async () => {
    answer(ACCESS_PATH, 502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' })
    answer(ACCESS_PATH, 200, { access_token: OPAQUE })
    const { lease } = await provider(base, 1).acquire()
    expect(lease.token).toBe(OPAQUE)
    expect(requests().map((r) => r[0])).toEqual([`POST ${ACCESS_PATH}`, `POST ${ACCESS_PATH}`])
  })
})

describe('rotation', () => {
  test('rotates first, masks the new API token before anything else, then uses it; outputs and warns', async () => {
    answer(ROTATE_PATH, 200, ROTATED)
    answer(ACCESS_PATH, 200, { access_token: JWT })
    const { lease, outputs } = await provider(rotating).acquire()

    expect(requests()).toEqual([
      [`POST ${ROTATE_PATH}`, 'application/json', rotateBody],
      [`POST ${ACCESS_PATH}`, 'application/json', accessBody(NEW_API_TOKEN)],
    ])
    expect(outputs).toEqual({ 'api-token': NEW_API_TOKEN, 'api-token-expires-at': '2025-09-13T15:06:40Z' })
    expect(lease).toMatchObject({ token: JWT, expiresAt: NOW + 300, revocation: 'unsupported' })
    // The new API token is masked right after the rotation answered, before the warning and the next request.
    const maskedAt = events.findIndex((e) => e[0] === 'mask' && e[1] === NEW_API_TOKEN)
    expect(maskedAt).toBeGreaterThan(events.findIndex((e) => e[0] === 'request'))
    expect(maskedAt).toBeLessThan(events.findIndex((e) => e[0] === 'log'))
    expect(maskedAt).toBeLessThan(events.map((e) => e[0]).lastIndexOf('request'))
    expect(logs()).toEqual([
      `M-Trust rotated the API token at ${ROTATE_PATH}.`,
      "warning: The M-Trust API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. with gh secret set) before the job ends, or the next run cannot authenticate; it expires 2025-09-13T15:06:40Z.",
    ])
  })

  test("a 404 at the guide's path rotated nothing: the API reference's path is tried once, and the log names the one that worked", async () => {
    answer(ROTATE_PATH, 404, { message: 'Not Found' })
    answer(REFERENCE_PATH, 200, ROTATED)
    answer(ACCESS_PATH, 200, { access_token: JWT })
    const { outputs } = await provider(rotating, 3).acquire()
    expect(requests()).toEqual([
      [`POST ${ROTATE_PATH}`, 'application/json', rotateBody],
      [`POST ${REFERENCE_PATH}`, 'application/json', rotateBody],
      [`POST ${ACCESS_PATH}`, 'application/json', accessBody(NEW_API_TOKEN)],
    ])
    expect(outputs?.['api-token']).toBe(NEW_API_TOKEN)
    expect(logs().slice(0, 2)).toEqual([
      `M-Trust answered 404 at ${ROTATE_PATH}: trying the API reference's path ${REFERENCE_PATH}.`,
      `M-Trust rotated the API token at ${REFERENCE_PATH}.`,
    ])
  })

  test('a rotation whose answer is lost is not re-sent: the server may have rotated, and a retry would send the deactivated token', async () => {
    // Four answers ready, each a reset after the request arrived: only one may be used.
    nock(ORIGIN)
      .post(ROTATE_PATH)
      .times(4)
      .reply(function (uri, requestBody) {
        events.push(['request', `${this.req.method} ${uri}`, String(this.req.headers['content-type']), requestBody])
        this.req.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
        return [200, '']
      })
    const err = await provider(rotating, 3)
      .acquire()
      .catch((e) => e)
    nock.cleanAll()
    expect(requests().map((r) => r[0])).toEqual([`POST ${ROTATE_PATH}`])
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toMatch(/^M-Trust API token rotation \(POST \S+\) failed: .*\(ECONNRESET\)/)
  })

  test('404 at both paths: one request each, then an error that names both and says nothing was rotated', async () => {
    answer(ROTATE_PATH, 404, '')
    answer(REFERENCE_PATH, 404, '')
    const err = await provider(rotating, 3)
      .acquire()
      .catch((e) => e)
    expect(requests().map((r) => r[0])).toEqual([`POST ${ROTATE_PATH}`, `POST ${REFERENCE_PATH}`])
    expect(err.message).toBe(
      `M-Trust API token rotation failed: POST ${ORIGIN}${REFERENCE_PATH} → HTTP 404 Not Found; Hint: neither documented rotation path exists there (${ROTATE_PATH}, ${REFERENCE_PATH}): check 'server-url', the M-Trust API base URL; nothing was rotated, so the API token still works.`,
    )
    // Nothing was rotated: no new API token to hand on.
    expect(err.outputs).toBeUndefined()
  })

  test('any refusal other than 404 at the first path is final: the other path is not tried (the request may have reached the server)', async () => {
    answer(ROTATE_PATH, 400, { error: 'invalid_grant', error_description: 'Token is not active' })
    const err = await provider(rotating)
      .acquire()
      .catch((e) => e)
    expect(requests().map((r) => r[0])).toEqual([`POST ${ROTATE_PATH}`])
    expect(err.message).toMatch(/^M-Trust API token rotation failed: .* → HTTP 400; error invalid_grant: Token is not active;/)
  })

  test.each([
    ['ISO 8601 (the guide)', '2025-09-13T15:06:40.123Z'],
    ['epoch seconds (the reference: a number)', 1757776000],
    ['epoch milliseconds', 1757776000123],
    ['epoch seconds as a digit string', '1757776000'],
  ])('api-token-expires-at from %s', async (_, expirationDate) => {
    answer(ROTATE_PATH, 200, { token: { name: 'ci-release', creationDate: 1750000000, expirationDate }, value: NEW_API_TOKEN })
    answer(ACCESS_PATH, 200, { access_token: JWT })
    const { outputs } = await provider(rotating).acquire()
    expect(outputs?.['api-token-expires-at']).toBe('2025-09-13T15:06:40Z')
  })

  test('a 201 Created rotation without an expirationDate: empty api-token-expires-at', async () => {
    answer(ROTATE_PATH, 201, { token: { name: 'ci-release' }, value: NEW_API_TOKEN })
    answer(ACCESS_PATH, 200, { access_token: OPAQUE })
    const { outputs } = await provider(rotating).acquire()
    expect(outputs).toEqual({ 'api-token': NEW_API_TOKEN, 'api-token-expires-at': '' })
    expect(logs()[1]).toMatch(/before the job ends, or the next run cannot authenticate\.$/)
  })

  test('when the access-token request fails after a rotation, the error carries the new API token as an output', async () => {
    answer(ROTATE_PATH, 200, ROTATED)
    answer(ACCESS_PATH, 403, { error: 'access_denied', error_description: 'App is disabled' })
    const err = await provider(rotating)
      .acquire()
      .catch((e) => e)
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toMatch(
      /^M-Trust token request failed: POST https:\/\/mtrust\.example\/api\/token\/v1\/tokens\/access-token → HTTP 403; error access_denied: App is disabled; Hint: check 'client-id'/,
    )
    expect(err.outputs).toEqual({ 'api-token': NEW_API_TOKEN, 'api-token-expires-at': '2025-09-13T15:06:40Z' })
    expect(masks()).toContain(NEW_API_TOKEN)
  })

  test('a refused rotation stops there: no access-token request, no outputs', async () => {
    answer(ROTATE_PATH, 401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' })
    const err = await provider(rotating)
      .acquire()
      .catch((e) => e)
    expect(err.message).toBe(
      "M-Trust API token rotation failed: POST https://mtrust.example/api/token/v1/tokens/refresh/api-token → HTTP 401; error invalid_client: Invalid client or Invalid client credentials; Hint: check 'client-id' (the App id) and 'api-token' (an API token of that App: not expired, and not deactivated by an earlier rotation — after rotate-api-token: true only the newest one works).",
    )
    expect(err.outputs).toBeUndefined()
    expect(requests()).toHaveLength(1)
  })

  test('a rotation answer without a value says the old API token may be gone, and shows no body', async () => {
    answer(ROTATE_PATH, 200, { token: { name: 'ci-release' }, secretish: 'do-not-print-me' })
    const err = await provider(rotating)
      .acquire()
      .catch((e) => e)
    expect(err.message).toBe(
      'M-Trust API token rotation (POST https://mtrust.example/api/token/v1/tokens/refresh/api-token) answered HTTP 200 without a new token value. Hint: the old API token may now be deactivated; if the next run fails with it, create a new API token for the App in the M-Trust console.',
    )
    expect(requests()).toHaveLength(1)
  })
})

describe('refusal: M-Trust documents no error shape', () => {
  const req = { method: 'POST' as const, url: `${ORIGIN}${ACCESS_PATH}`, purpose: 'M-Trust token request' }
  const res = (status: number, body: string, statusText = '') => ({ status, statusText, headers: {}, body })
  const secrets = () => {
    const s = new Secrets(() => {})
    s.add(API_TOKEN)
    return s
  }

  test.each([
    [
      'problem+json',
      res(400, JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, detail: `refresh_token ${API_TOKEN} is invalid` })),
      "M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 400; Bad Request: refresh_token *** is invalid; Hint: check 'client-id'",
    ],
    [
      'a message',
      res(401, JSON.stringify({ message: 'Unauthorized' })),
      "M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 401; Unauthorized; Hint: check 'client-id'",
    ],
    [
      'no JSON: the reason phrase, never the body',
      res(404, `<html>${API_TOKEN}</html>`, 'Not Found'),
      "M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 404 Not Found; Hint: check 'server-url': it is the M-Trust API base URL, to which the action appends /api/token/v1/tokens/….",
    ],
    [
      'a redirect',
      res(302, '', 'Found'),
      "M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 302 Found; Hint: the endpoint redirects: give the final base URL in 'server-url'; redirects are not followed so that the API token goes nowhere else.",
    ],
    [
      'a 415',
      res(415, ''),
      'M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 415; Hint: the server refused the JSON body: check that no proxy rewrites the request.',
    ],
    [
      'a 503 after the retries',
      res(503, '{"error":"temporarily_unavailable"}'),
      'M-Trust token request failed: POST https://mtrust.example/api/token/v1/tokens/access-token → HTTP 503; error temporarily_unavailable; Hint: the server is busy or failed; try again later.',
    ],
  ])('%s', (_, response, start) => {
    const err = refusal(req, response, secrets())
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message.startsWith(start)).toBe(true)
    expect(err.message).not.toContain(API_TOKEN)
    expect(err.status).toBe(response.status)
  })

  test('a correlation id from a header or the body is in the error, before the hint', () => {
    const response = { ...res(401, '{"title":"Unauthorized","request_id":"mt-req-0001"}'), headers: { 'x-request-id': 'gw-42' } }
    expect(refusal(req, response, secrets()).message).toMatch(
      /^M-Trust token request failed: POST \S+ → HTTP 401; Unauthorized; request id: gw-42, mt-req-0001; Hint: check 'client-id'/,
    )
  })
})

test('isoDate: ISO 8601 UTC without milliseconds, or undefined', () => {
  expect(isoDate('2025-09-13T15:06:40.123Z')).toBe('2025-09-13T15:06:40Z')
  expect(isoDate('2025-09-13T17:06:40+02:00')).toBe('2025-09-13T15:06:40Z')
  expect(isoDate(1757776000000)).toBe('2025-09-13T15:06:40Z')
  // The unit is told by magnitude: seconds print the real date, not a day in 1970.
  expect(isoDate(1757776000)).toBe('2025-09-13T15:06:40Z')
  expect(isoDate(' 1757776000 ')).toBe('2025-09-13T15:06:40Z')
  expect(isoDate(99_999_999_999)).toBe('5138-11-16T09:46:39Z')
  expect(isoDate(100_000_000_000)).toBe('1973-03-03T09:46:40Z')
  expect(isoDate(0)).toBeUndefined()
  expect(isoDate(-5)).toBeUndefined()
  expect(isoDate(Number.NaN)).toBeUndefined()
  expect(isoDate(1e20)).toBeUndefined()
  expect(isoDate('next Tuesday')).toBeUndefined()
  // No year, no date: V8 would read these as days in 2001.
  expect(isoDate('-5')).toBeUndefined()
  expect(isoDate('May 5')).toBeUndefined()
  expect(isoDate('Tue, 01 Dec 2026 10:00:00 GMT')).toBe('2026-12-01T10:00:00Z')
  expect(isoDate(undefined)).toBeUndefined()
  expect(isoDate({})).toBeUndefined()
})

test('revoke is refused with a plain RequestError (post never calls it: the lease says unsupported)', async () => {
  const err = await provider()
    .revoke({
      provider: 'm-trust',
      token: OPAQUE,
      tokenType: 'Bearer',
      issuedAt: NOW,
      tokenEndpoint: `${ORIGIN}${ACCESS_PATH}`,
      revocation: 'unsupported',
    })
    .catch((e) => e)
  expect(err).toBeInstanceOf(RequestError)
  expect(err.message).toBe('M-Trust documents no revocation endpoint: the access token stays valid until it expires.')
})

describe('input checks for provider m-trust', () => {
  test.each([
    [
      'nothing',
      { provider: 'm-trust' },
      "Invalid inputs:\n- 'server-url' is required for provider m-trust (the M-Trust API base URL)\n- 'client-id' is required for provider m-trust (the App id)\n- 'api-token' is required for provider m-trust (the App API token)",
    ],
    ['a scope (always openid)', { ...base, scope: 'openid profile' }, "Invalid input: 'scope' is not used by provider m-trust"],
    ['a grant-type', { ...base, 'grant-type': 'refresh_token' }, "Invalid input: 'grant-type' is not used by provider m-trust"],
    ['a client-secret', { ...base, 'client-secret': 'a-client-secret' }, "Invalid input: 'client-secret' is not used by provider m-trust"],
    ['a refresh-token', { ...base, 'refresh-token': 'a-refresh-token' }, "Invalid input: 'refresh-token' is not used by provider m-trust"],
    [
      'request-format and extra-params',
      { ...base, 'request-format': 'form', 'extra-params': 'a=b' },
      "Invalid inputs:\n- 'request-format' is not used by provider m-trust\n- 'extra-params' is not used by provider m-trust",
    ],
    [
      'plain http to a remote host',
      { ...base, 'server-url': 'http://mtrust.example' },
      "Invalid input: 'server-url' is plain http to a host that is not loopback (mtrust.example): use https, or set allow-insecure-http: true",
    ],
    [
      'a bad rotate-api-token',
      { ...base, 'rotate-api-token': 'yes' },
      "Invalid input: 'rotate-api-token' must be true or false; got 'yes'",
    ],
  ])('refuses %s', (_, raw, message) => {
    const text = inputRefusal(raw as RawInputs)
    expect(text).toBe(message)
    expect(text).not.toContain(API_TOKEN)
  })

  test('accepts the documented inputs, with and without rotation, TLS settings and every general input', () => {
    expect(parseConfig(base)).toMatchObject({
      provider: 'm-trust',
      serverUrl: ORIGIN,
      clientId: APP_ID,
      apiToken: API_TOKEN,
      rotateApiToken: false,
    })
    expect(
      parseConfig({
        ...rotating,
        'signing-algorithm': 'RS256',
        'min-lifetime': '2m',
        timeout: '10',
        retries: '1',
        revoke: 'true',
        summary: 'false',
      }),
    ).toMatchObject({ rotateApiToken: true, minLifetime: 120 })
  })
})

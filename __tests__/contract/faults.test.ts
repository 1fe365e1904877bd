/**
 * Runner contract, fail-safe behaviour: the dist/ bundles run as the runner runs them against a
 * fault-injecting server on 127.0.0.1 (scripts/lib/fault-server.mjs — not a vendor emulation: each
 * route answers from a script such as "503, then 200"). Each case asserts the outcome, the exact
 * requests and their number, the elapsed time where it matters, and that no secret reaches the
 * rendered log, stderr or the summary — nor the step's own output before masking.
 * Backoff runs with its real 1 s base.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { basicCredential } from '../../src/oauth/client-auth.js'
import { encodeLease, STATE_KEY, type Lease } from '../../src/lease.js'
import { startFaultServer, type FaultServer, type RecordedRequest } from '../support/fault-server.js'
import { expectNoLeak, printed, runMain, runPost, type StepResult } from '../support/steps.js'

const CLIENT_ID = 'fault-client'
const SECRET = 'Fault S3cret+/=&"quoted" value'
const BASIC = basicCredential(CLIENT_ID, SECRET)
const FORM_SECRET = new URLSearchParams({ v: SECRET }).toString().slice(2)
/** Every form in which the client secret could be shown. */
const SECRET_FORMS = [SECRET, BASIC, `Basic ${BASIC}`, FORM_SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1)]
const TOKEN_BODY = 'grant_type=client_credentials&scope=api%3Aread'

const newToken = () => `at-${randomBytes(18).toString('base64url')}`

let server: FaultServer
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const inputs = (extra: Record<string, string> = {}) => ({
  'token-url': server.url('/token'),
  'revocation-url': server.url('/revoke'),
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  scope: 'api:read',
  ...extra,
})

const tokenAnswer = (token: string, expiresIn = 3600) => ({
  status: 200,
  json: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: 'api:read' },
})

/** The token request the action must send, each time it sends it. */
function expectTokenRequest(r: RecordedRequest) {
  expect(r).toMatchObject({ method: 'POST', path: '/token', query: '', body: TOKEN_BODY })
  expect(r.headers).toMatchObject({
    authorization: `Basic ${BASIC}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'content-length': String(TOKEN_BODY.length),
  })
}

function expectRevokeRequest(r: RecordedRequest, token: string) {
  expect(r).toMatchObject({ method: 'POST', path: '/revoke', body: `token=${token}&token_type_hint=access_token` })
  expect(r.headers).toMatchObject({ authorization: `Basic ${BASIC}`, 'content-type': 'application/x-www-form-urlencoded' })
}

/** The rendered ##[error] line of a failed step. */
const errorLine = (step: StepResult) => step.log.split('\n').find((l) => l.startsWith('##[error]')) ?? ''

describe('main: transient failures are retried', () => {
  test('503, then 200: the token POST is sent again and the token obtained', async () => {
    const token = newToken()
    server.route('POST', '/token', [{ status: 503 }, tokenAnswer(token)])
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(0)
    expect(main.outputs.token).toBe(token)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    // Full jitter over a 1 s first step: the second request comes within about a second.
    expect(server.requests[1].at - server.requests[0].at).toBeLessThan(3000)
    expect(main.log).toMatch(new RegExp(`POST ${server.origin}/token → HTTP 503 in \\d+ ms \\(attempt 1 of 4\\); retrying in [01]\\.\\d s`))
    expect(main.log).toMatch(new RegExp(`POST ${server.origin}/token → HTTP 200 in \\d+ ms \\(attempt 2 of 4\\)`))
    expectNoLeak(main, [...SECRET_FORMS, token])
  })

  test('429 with Retry-After: 2: the retry waits at least two seconds', async () => {
    const token = newToken()
    server.route('POST', '/token', [{ status: 429, headers: { 'retry-after': '2' }, json: { error: 'slow_down' } }, tokenAnswer(token)])
    const main = await runMain({ inputs: inputs() })
    expect(main.code).toBe(0)
    expect(main.outputs.token).toBe(token)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(1950)
    // Retry-After plus jitter over twice Retry-After.
    const wait = Number(/→ HTTP 429 in \d+ ms \(attempt 1 of 4\); retrying in (\d+\.\d) s, Retry-After honoured/.exec(main.log)?.[1])
    expect(wait).toBeGreaterThanOrEqual(2)
    expect(wait).toBeLessThanOrEqual(6)
    expectNoLeak(main, [...SECRET_FORMS, token])
  })

  test('a connection reset, then 200', async () => {
    const token = newToken()
    server.route('POST', '/token', [{ reset: true }, tokenAnswer(token)])
    const main = await runMain({ inputs: inputs() })
    expect(main.code).toBe(0)
    expect(main.outputs.token).toBe(token)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(main.log).toMatch(/→ ECONNRESET \(attempt 1 of 4\); retrying in [01]\.\d s/)
  })

  test('a server that accepts and never answers: fails after (retries+1) × timeout plus backoff, saying it timed out', async () => {
    server.route('POST', '/token', { hang: true })
    const main = await runMain({ inputs: inputs({ timeout: '1', retries: '1' }), debug: true })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    // 2 × 1 s deadline + at most 1 s backoff; the upper bound is generous for a loaded machine.
    expect(main.durationMs).toBeGreaterThanOrEqual(2000)
    expect(main.durationMs).toBeLessThan(9000)
    expect(errorLine(main)).toBe(
      `##[error]Token request (POST ${server.origin}/token) timed out after 2 attempts (1 s per attempt). Hint: check that the server is reachable from the runner (firewall, HTTPS_PROXY / NO_PROXY), or raise 'timeout'.`,
    )
    expect(main.state).toEqual({ lease: 'none' })
    expectNoLeak(main, SECRET_FORMS)
  })

  test('a 500 whose body echoes the request and its Authorization header: retried, then an error without the body', async () => {
    server.route('POST', '/token', { status: 500, echo: 'text' })
    const main = await runMain({ inputs: inputs({ retries: '1' }), debug: true })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(errorLine(main)).toBe(
      `##[error]Token request failed: POST ${server.origin}/token → HTTP 500 Internal Server Error; Hint: the server failed; try again later.`,
    )
    expect(printed(main)).not.toMatch(/Request was|authorization:|grant_type=/i)
    expectNoLeak(main, SECRET_FORMS)
  })
})

describe('main: permanent failures fail at once, with the cause and never the body', () => {
  test('an HTML page with 200 (a sign-in page): one request, an error naming the content type', async () => {
    server.route('POST', '/token', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<html><title>Sign in</title><p>page-marker-7Q</p></html>',
    })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(1)
    expectTokenRequest(server.requests[0])
    expect(errorLine(main)).toBe(
      `##[error]Token request (POST ${server.origin}/token) answered HTTP 200 with a body that is not a JSON object (content-type text/html). Hint: check that the URL is the API endpoint, not a web page or a proxy.`,
    )
    expect(main.stdout).not.toMatch(/page-marker-7Q|<html|Sign in/)
    expectNoLeak(main, SECRET_FORMS)
  })

  test('JSON without access_token: one request, an error; a refresh token in it is masked anyway', async () => {
    const stray = `rt-${randomBytes(16).toString('hex')}`
    server.route('POST', '/token', { status: 200, json: { token_type: 'Bearer', refresh_token: stray, expires_in: 60 } })
    const main = await runMain({ inputs: inputs() })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(1)
    expectTokenRequest(server.requests[0])
    expect(errorLine(main)).toBe(`##[error]Token request (POST ${server.origin}/token) answered HTTP 200 without an access_token.`)
    expect(main.masks).toContain(stray)
    expect(main.state).toEqual({ lease: 'none' })
    expectNoLeak(main, [...SECRET_FORMS, stray])
  })

  test('an error_description that contains the secret in several forms: shown redacted, with the hint; only the Basic fallback follows', async () => {
    server.route('POST', '/token', {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="token"' },
      json: {
        error: 'invalid_client',
        error_description: `client secret '${SECRET}' (form ${FORM_SECRET}, header Basic ${BASIC}) is wrong`,
      },
    })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    // A client-authentication refusal of a secret that form-encoding changes: one more try, unencoded (issue 11.1).
    const unencoded = basicCredential(CLIENT_ID, SECRET, true)
    expect(server.requests).toHaveLength(2)
    expectTokenRequest(server.requests[0])
    expect(server.requests[1].headers.authorization).toBe(`Basic ${unencoded}`)
    expect(errorLine(main)).toBe(
      `##[error]Token request failed: POST ${server.origin}/token → HTTP 401; error invalid_client: client secret '***' (form ***, header ***) is wrong; client_secret_basic was tried twice: with 'client-id' and 'client-secret' form-encoded (RFC 6749 §2.3.1), and as they are (HTTP 401); Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.`,
    )
    expectNoLeak(main, [...SECRET_FORMS, unencoded, `Basic ${unencoded}`])
  })

  test('a JSON 500 whose error_description echoes a client_secret_post request: redacted before it is printed', async () => {
    server.route('POST', '/token', { status: 500, echo: 'json' })
    const main = await runMain({ inputs: inputs({ 'client-auth': 'client_secret_post', retries: '0' }), debug: true })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(1)
    const sent = server.requests[0]
    expect(sent).toMatchObject({
      method: 'POST',
      path: '/token',
      body: `grant_type=client_credentials&scope=api%3Aread&client_id=${CLIENT_ID}&client_secret=${FORM_SECRET}`,
    })
    expect(sent.headers.authorization).toBeUndefined()
    expect(errorLine(main)).toMatch(
      new RegExp(
        // The echoed body is one long opaque run: shown as *** whole (src/secrets.ts, clean).
        `^##\\[error\\]Token request failed: POST ${server.origin}/token → HTTP 500; error server_error: Unhandled exception while processing: POST /token .*\\*\\*\\*; Hint`,
      ),
    )
    expectNoLeak(main, SECRET_FORMS)
  })
})

describe('min-lifetime', () => {
  test.each([
    ['90s', 60, "The token expires in 1 min, sooner than 'min-lifetime' (1 min 30 s)."],
    ['2h', 3600, "The token expires in 1 h, sooner than 'min-lifetime' (2 h)."],
  ])('min-lifetime %s with a token for %i s: main fails, and post still revokes the token', async (minLifetime, expiresIn, message) => {
    const token = newToken()
    server.route('POST', '/token', tokenAnswer(token, expiresIn))
    server.route('POST', '/revoke', { status: 200 })
    const main = await runMain({ inputs: inputs({ 'min-lifetime': minLifetime }) })
    expect(main.code).toBe(1)
    expect(errorLine(main)).toContain(`##[error]${message} The post step will still revoke it.`)
    expect(main.outputs.token).toBeUndefined()
    expect(main.state[STATE_KEY]).toContain('"revocation":"scheduled"')
    expect(main.masks).toContain(token)

    const post = await runPost({ inputs: inputs({ 'min-lifetime': minLifetime }), state: main.state })
    expect(post.code).toBe(0)
    expect(post.log).toContain('Revoked — ')
    expect(server.requests.map((r) => r.path)).toEqual(['/token', '/revoke'])
    expectTokenRequest(server.requests[0])
    expectRevokeRequest(server.requests[1], token)
    expectNoLeak(main, [...SECRET_FORMS, token])
    expectNoLeak(post, [...SECRET_FORMS, token])
  })

  test('min-lifetime 15m with a token for an hour: main succeeds', async () => {
    const token = newToken()
    server.route('POST', '/token', tokenAnswer(token, 3600))
    const main = await runMain({ inputs: inputs({ 'min-lifetime': '15m' }) })
    expect(main.code).toBe(0)
    expect(main.outputs).toMatchObject({ token, 'expires-in': '3600' })
    expect(server.requests).toHaveLength(1)
  })
})

describe('post: revocation', () => {
  const lease = (token: string, expiresAt: number): Lease => ({
    provider: 'oauth2',
    token,
    tokenType: 'Bearer',
    issuedAt: expiresAt - 3600,
    expiresAt,
    scope: 'api:read',
    identity: CLIENT_ID,
    tokenEndpoint: server.url('/token'),
    revocation: 'scheduled',
    revocationEndpoint: server.url('/revoke'),
    clientAuth: 'client_secret_basic',
  })
  const live = (token: string) => ({ [STATE_KEY]: encodeLease(lease(token, Math.floor(Date.now() / 1000) + 3600)) })
  /** How a failure message ends: the saved expiry, e.g. "The token stays valid until 2026-01-31T12:00:00Z (in 59 min 58 s)." */
  const stillValid = (state: Record<string, string>) => {
    const { expiresAt } = JSON.parse(state[STATE_KEY]) as Lease
    const iso = new Date(expiresAt! * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return new RegExp(`The token stays valid until ${iso} \\(in (1 h|59 min( \\d{1,2} s)?)\\)\\.$`, 'm')
  }

  test('503, then 200: the revocation is retried', async () => {
    const token = newToken()
    server.route('POST', '/revoke', [{ status: 503, headers: { 'retry-after': '1' } }, { status: 200 }])
    const post = await runPost({ inputs: inputs(), state: live(token), debug: true })
    expect(post.code).toBe(0)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach((r) => expectRevokeRequest(r, token))
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(950)
    const wait = Number(/→ HTTP 503 in \d+ ms \(attempt 1 of 4\); retrying in (\d+\.\d) s, Retry-After honoured/.exec(post.log)?.[1])
    expect(wait).toBeGreaterThanOrEqual(1)
    expect(wait).toBeLessThanOrEqual(3)
    expect(post.log).toContain('Revoked — ')
    expectNoLeak(post, [...SECRET_FORMS, token])
  })

  test('a token expired more than 5 minutes ago is skipped: no request', async () => {
    const token = newToken()
    const post = await runPost({ inputs: inputs(), state: { [STATE_KEY]: encodeLease(lease(token, Math.floor(Date.now() / 1000) - 600)) } })
    expect(post.code).toBe(0)
    expect(post.log).toContain('Not revoked: the token expired more than 5 minutes ago.')
    expect(server.requests).toHaveLength(0)
    expectNoLeak(post, [...SECRET_FORMS, token])
  })

  test('a refusal is a warning with its cause (the step succeeds) — or an error with revoke-failure: fail', async () => {
    const token = newToken()
    server.route('POST', '/revoke', { status: 401, json: { error: 'invalid_client', error_description: `bad secret ${SECRET}` } })
    const state = live(token)
    const warned = await runPost({ inputs: inputs(), state, debug: true })
    expect(warned.code).toBe(0)
    expect(warned.log).toContain(
      `##[warning]Revocation failed: POST ${server.origin}/revoke → HTTP 401; error invalid_client: bad secret ***; Hint: check 'client-id'`,
    )
    expect(warned.log).toMatch(stillValid(state))
    expect(server.requests).toHaveLength(1)
    expectRevokeRequest(server.requests[0], token)

    const failed = await runPost({ inputs: inputs({ 'revoke-failure': 'fail' }), state: live(token) })
    expect(failed.code).toBe(1)
    expect(errorLine(failed)).toContain(
      `##[error]Revocation failed: POST ${server.origin}/revoke → HTTP 401; error invalid_client: bad secret ***`,
    )
    expect(server.requests).toHaveLength(2)
    for (const step of [warned, failed]) {
      expect(step.stderr).toBe('')
      expectNoLeak(step, [...SECRET_FORMS, token])
    }
  })

  test('a revocation endpoint that never answers: a warning that it timed out, within the bound', async () => {
    const token = newToken()
    server.route('POST', '/revoke', { hang: true })
    const state = live(token)
    const post = await runPost({ inputs: inputs({ timeout: '1', retries: '0' }), state })
    expect(post.code).toBe(0)
    expect(server.requests).toHaveLength(1)
    expectRevokeRequest(server.requests[0], token)
    expect(post.durationMs).toBeLessThan(6000)
    expect(post.log).toContain(
      `##[warning]Revocation (POST ${server.origin}/revoke) timed out (1 s per attempt). Hint: check that the server is reachable from the runner (firewall, HTTPS_PROXY / NO_PROXY), or raise 'timeout'. The token stays valid until `,
    )
    expect(post.log).toMatch(stillValid(state))
    expect(post.stderr).toBe('')
  })

  test('a revocation endpoint that is gone (connection refused): a warning, never an unhandled error', async () => {
    const token = newToken()
    const gone = await startFaultServer()
    const url = gone.url('/revoke')
    await gone.close()
    const state = { [STATE_KEY]: encodeLease({ ...lease(token, Math.floor(Date.now() / 1000) + 3600), revocationEndpoint: url }) }
    const post = await runPost({ inputs: inputs({ 'revocation-url': url, retries: '1' }), state })
    expect(post.code).toBe(0)
    expect(post.log).toMatch(/→ ECONNREFUSED \(attempt 1 of 2\); retrying in [01]\.\d s/)
    expect(post.log).toContain(
      `##[warning]Revocation (POST ${url.replace('/revoke', '')}/revoke) failed: connection refused after 2 attempts.`,
    )
    expect(post.stderr).toBe('')
  })
})

describe('masking holds with step debug on', () => {
  test('private_key_jwt: each line of the PEM key and the assertion signature are masked, and an echo is redacted', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const keyLines = pem.split('\n').filter((l) => l && !l.startsWith('-----'))
    server.route('POST', '/token', { status: 400, echo: 'body' })
    const main = await runMain({
      inputs: { 'token-url': server.url('/token'), 'client-id': CLIENT_ID, 'private-key': pem, retries: '0' },
      debug: true,
    })
    expect(main.code).toBe(1)
    expect(server.requests).toHaveLength(1)
    const sent = new URLSearchParams(server.requests[0].body)
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/token' })
    expect([...sent.keys()]).toEqual(['grant_type', 'client_id', 'client_assertion_type', 'client_assertion'])
    const assertion = sent.get('client_assertion')!
    const signature = assertion.split('.')[2]
    // Masked before anything else was printed: the step's first lines are the key's mask registrations.
    const firstOther = main.stdout.split('\n').findIndex((l) => !l.startsWith('::add-mask::'))
    const keyMaskAt = main.stdout.split('\n').findIndex((l) => l.includes(keyLines[1]))
    expect(keyMaskAt).toBeLessThan(firstOther)
    expect(main.masks).toEqual(expect.arrayContaining([...keyLines, assertion, signature]))
    expect(errorLine(main)).toBe(
      `##[error]Token request failed: POST ${server.origin}/token → HTTP 400; error invalid_client: could not verify ***; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.`,
    )
    expectNoLeak(main, [...keyLines, assertion, signature])
  })
})

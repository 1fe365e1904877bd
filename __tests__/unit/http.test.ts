/**
 * The HTTP layer (src/http.ts) against a real fault-injecting server on 127.0.0.1: which
 * failures are retried and how long it waits, the per-attempt deadline, TLS trust and client
 * certificates, and the messages (with hints) for each kind of network failure.
 * Backoff waits are recorded through the injected `sleep`, so the schedule is asserted exactly
 * without waiting for it; deadlines are real.
 */
import { createServer } from 'node:net'
import {
  Http,
  backoffDelay,
  errorCode,
  parseRetryAfter,
  proxyCredentials,
  RequestError,
  type HttpOptions,
  type HttpRequest,
} from '../../src/http.js'
import { Secrets } from '../../src/secrets.js'
import { InputError } from '../../src/inputs.js'
import { startFaultServer, type FaultServer, type RecordedRequest } from '../support/fault-server.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki } from '../../scripts/lib/pki.mjs'

const BASIC = 'Basic Y2ktY2xpZW50OnMzY3JldC12YWx1ZQ=='
const FORM = 'grant_type=client_credentials&scope=api%3Aread'

let server: FaultServer
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

function harness(options: Partial<HttpOptions> = {}) {
  const lines: string[] = []
  const waits: number[] = []
  const http = new Http({
    timeout: 5,
    retries: 3,
    log: (l) => lines.push(l),
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5,
    ...options,
  })
  return { http, lines, waits }
}

const tokenRequest = (url = server.url('/token')): HttpRequest => ({
  method: 'POST',
  url,
  headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
  body: FORM,
  purpose: 'Token request',
})

/** What the server must have received for tokenRequest(): the exact request line, headers and body. */
function expectTokenRequest(r: RecordedRequest) {
  expect(r).toMatchObject({ method: 'POST', path: '/token', query: '', body: FORM })
  expect(r.headers).toEqual({
    host: `127.0.0.1:${server.port}`,
    accept: 'application/json',
    authorization: BASIC,
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(FORM.length),
    'user-agent': 'token-lease',
    connection: 'close',
  })
}

const TOKEN = { status: 200, json: { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 } }

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('did not reject')
}

describe('retries', () => {
  test('503 then 200: the POST is sent again, identically, after a jittered wait', async () => {
    server.route('POST', '/token', [{ status: 503 }, TOKEN])
    const { http, lines, waits } = harness()
    const res = await http.send(tokenRequest())
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual(TOKEN.json)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(waits).toEqual([500]) // random 0.5 × first step 1000 ms
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^POST ${server.origin}/token → HTTP 503 in \\d+ ms \\(attempt 1 of 4\\); retrying in 0\\.5 s$`))
    expect(lines[1]).toMatch(new RegExp(`^POST ${server.origin}/token → HTTP 200 in \\d+ ms \\(attempt 2 of 4\\)$`))
  })

  test.each([408, 429, 500, 502, 503, 504])('HTTP %i is retried until retries run out; the last answer is returned', async (status) => {
    server.route('POST', '/token', { status, json: { error: 'temporarily_unavailable' } })
    const { http, lines, waits } = harness({ retries: 5, random: () => 1 })
    const res = await http.send(tokenRequest())
    expect(res.status).toBe(status)
    expect(server.requests).toHaveLength(6)
    server.requests.forEach(expectTokenRequest)
    // Full jitter at its top: the step doubles from 1 s and is capped at 10 s.
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000])
    expect(lines[5]).toMatch(new RegExp(`→ HTTP ${status} in \\d+ ms \\(attempt 6 of 6\\)$`))
  })

  test.each([400, 401, 403, 404, 409, 422])('HTTP %i fails at once: one request, no wait', async (status) => {
    server.route('POST', '/token', { status, json: { error: 'invalid_client' } })
    const { http, lines, waits } = harness()
    const res = await http.send(tokenRequest())
    expect(res.status).toBe(status)
    expect(server.requests).toHaveLength(1)
    expectTokenRequest(server.requests[0])
    expect(waits).toEqual([])
    expect(lines).toEqual([expect.stringMatching(new RegExp(`→ HTTP ${status} in \\d+ ms \\(attempt 1 of 4\\)$`))])
  })

  test('retries: 0 sends once', async () => {
    server.route('POST', '/token', { status: 503 })
    const { http, waits } = harness({ retries: 0 })
    expect((await http.send(tokenRequest())).status).toBe(503)
    expect(server.requests).toHaveLength(1)
    expect(waits).toEqual([])
  })

  test('a retry sends what renew builds (a new client assertion), not the first request again', async () => {
    server.route('POST', '/token', [{ status: 503 }, TOKEN])
    const { http } = harness({ retries: 1 })
    let built = 0
    const renew = async () => ({ ...tokenRequest(), body: `client_assertion=renewed-${++built}` })
    expect((await http.send({ ...tokenRequest(), renew })).status).toBe(200)
    expect(server.requests.map((r) => r.body)).toEqual([FORM, 'client_assertion=renewed-1'])
  })

  test('429 with Retry-After in seconds: waits at least that long, and says so', async () => {
    server.route('POST', '/token', [{ status: 429, headers: { 'retry-after': '7' } }, TOKEN])
    const { http, lines, waits } = harness()
    expect((await http.send(tokenRequest())).status).toBe(200)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(waits).toEqual([12000]) // Retry-After 7 s + jitter 0.5 × min(10 s, 2 × 7 s)
    expect(lines[0]).toMatch(/→ HTTP 429 in \d+ ms \(attempt 1 of 4\); retrying in 12\.0 s, Retry-After honoured$/)
  })

  test('503 with Retry-After as an HTTP date; a huge Retry-After is capped at 60 s', async () => {
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString()
    server.route('POST', '/token', [
      { status: 503, headers: { 'retry-after': inFiveSeconds } },
      { status: 503, headers: { 'retry-after': '86400' } },
      TOKEN,
    ])
    const { http, waits } = harness({ random: () => 0 })
    expect((await http.send(tokenRequest())).status).toBe(200)
    expect(server.requests).toHaveLength(3)
    expect(waits[0]).toBeGreaterThan(3000)
    expect(waits[0]).toBeLessThanOrEqual(5000)
    expect(waits[1]).toBe(60_000)
  })

  test('a connection reset is retried', async () => {
    server.route('POST', '/token', [{ reset: true }, TOKEN])
    const { http, lines } = harness()
    expect((await http.send(tokenRequest())).status).toBe(200)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(lines[0]).toMatch(new RegExp(`^POST ${server.origin}/token → ECONNRESET \\(attempt 1 of 4\\); retrying in 0\\.5 s$`))
  })

  test('connection refused is retried, then fails with a hint', async () => {
    const port = await closedPort()
    const { http, lines, waits } = harness({ retries: 2 })
    const err = await rejection(http.send(tokenRequest(`http://127.0.0.1:${port}/token`)))
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      `Token request (POST http://127.0.0.1:${port}/token) failed: connection refused after 3 attempts. Hint: check the URL and port, and whether the host should go through HTTPS_PROXY.`,
    )
    expect((err as RequestError).code).toBe('ECONNREFUSED')
    expect(waits).toHaveLength(2)
    expect(lines[2]).toBe(`POST http://127.0.0.1:${port}/token → ECONNREFUSED (attempt 3 of 3); no retries left`)
  })
})

describe('a request whose repetition does harm (repeatable: false)', () => {
  const once = (): HttpRequest => ({ ...tokenRequest(), repeatable: false })

  test.each([408, 500, 502, 504])('HTTP %i is not retried: the server may have acted on it', async (status) => {
    server.route('POST', '/token', [{ status }, TOKEN])
    const { http, waits } = harness()
    expect((await http.send(once())).status).toBe(status)
    expect(server.requests).toHaveLength(1)
    expect(waits).toEqual([])
  })

  test.each([429, 503])('HTTP %i (the server refused to process it) is retried', async (status) => {
    server.route('POST', '/token', [{ status }, TOKEN])
    const { http } = harness()
    expect((await http.send(once())).status).toBe(200)
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
  })

  test('a reset after the request was written is not retried', async () => {
    server.route('POST', '/token', [{ reset: true }, TOKEN])
    const { http, lines } = harness()
    const err = await rejection(http.send(once()))
    expect(err).toBeInstanceOf(RequestError)
    expect(server.requests).toHaveLength(1)
    expect(lines[0]).toMatch(/ECONNRESET \(attempt 1 of 4\); not retried$/)
  })
})

describe('bounded time', () => {
  test('a server that never answers: each attempt ends at the deadline; the error says it timed out', async () => {
    server.route('POST', '/token', { hang: true })
    const { http, lines, waits } = harness({ timeout: 1, retries: 1 })
    const started = performance.now()
    const err = await rejection(http.send(tokenRequest()))
    const elapsed = performance.now() - started
    expect(err.message).toBe(
      `Token request (POST ${server.origin}/token) timed out after 2 attempts (1 s per attempt). Hint: check that the server is reachable from the runner (firewall, HTTPS_PROXY / NO_PROXY), or raise 'timeout'.`,
    )
    expect((err as RequestError).code).toBe('TIMEOUT')
    expect(server.requests).toHaveLength(2)
    server.requests.forEach(expectTokenRequest)
    expect(waits).toEqual([500])
    expect(lines).toEqual([
      expect.stringMatching(/→ TIMEOUT \(attempt 1 of 2\); retrying in 0\.5 s$/),
      expect.stringMatching(/→ TIMEOUT \(attempt 2 of 2\); no retries left$/),
    ])
    // Two deadlines of 1 s (the backoff itself was not slept here); generous upper bound for a loaded machine.
    expect(elapsed).toBeGreaterThanOrEqual(1900)
    expect(elapsed).toBeLessThan(6000)
  })

  test('a body that stalls after the headers also ends at the deadline', async () => {
    server.route('POST', '/token', { status: 200, headers: { 'content-length': '100' }, body: '{"access_token":', stall: true })
    const { http } = harness({ timeout: 1, retries: 0 })
    const started = performance.now()
    const err = await rejection(http.send(tokenRequest()))
    expect(err.message).toMatch(/^Token request \(POST http:\/\/127\.0\.0\.1:\d+\/token\) timed out \(1 s per attempt\)\. Hint:/)
    expect(server.requests).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  test('a body larger than 1 MiB is refused', async () => {
    server.route('POST', '/token', { status: 200, body: 'x'.repeat(1024 * 1024 + 10) })
    const { http } = harness({ retries: 0 })
    const err = await rejection(http.send(tokenRequest()))
    expect(err.message).toBe(
      `Token request (POST ${server.origin}/token) failed: the answer is larger than 1 MiB. Hint: check that the URL is the API endpoint, not a download or a web page.`,
    )
  })
})

describe('refusals before any request', () => {
  test('plain http to a host that is not loopback', async () => {
    const { http, lines } = harness()
    const err = await rejection(http.send(tokenRequest('http://idp.example.com/token')))
    expect(err.message).toBe('Refused plain http to idp.example.com (Token request): use https, or set allow-insecure-http: true')
    expect(lines).toEqual([])
  })

  test('a DNS failure is not retried and names the host', async () => {
    const { http, lines, waits } = harness()
    const err = await rejection(http.send(tokenRequest('https://idp.token-lease.invalid/token')))
    expect(err.message).toBe(
      'Token request (POST https://idp.token-lease.invalid/token) failed: DNS lookup of idp.token-lease.invalid failed (ENOTFOUND). Hint: check the host name in the URL; a host that only a proxy can resolve needs HTTPS_PROXY (or HTTP_PROXY) set, and must not match NO_PROXY.',
    )
    expect(waits).toEqual([])
    expect(lines).toEqual(['POST https://idp.token-lease.invalid/token → ENOTFOUND (attempt 1 of 4); not retried'])
  })
})

describe('TLS', () => {
  const pki = createPki()
  let tlsServer: FaultServer
  beforeAll(async () => {
    tlsServer = await startFaultServer({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true } })
  })
  afterAll(() => tlsServer.close())
  beforeEach(() => tlsServer.reset())
  const clientTls = { cert: pki.client.cert, key: pki.clientEncrypted.key, passphrase: pki.clientEncrypted.passphrase }

  test('a private CA in ca-certificate and a client certificate with an encrypted key reach the handshake', async () => {
    tlsServer.route('POST', '/token', TOKEN)
    const { http } = harness({ tls: { ca: pki.ca.cert, ...clientTls } })
    const res = await http.send(tokenRequest(tlsServer.url('/token')))
    expect(res.status).toBe(200)
    expect(tlsServer.requests).toHaveLength(1)
    expect(tlsServer.requests[0]).toMatchObject({ method: 'POST', path: '/token', body: FORM, clientCertCn: pki.client.cn })
    expect(tlsServer.requests[0].headers).toMatchObject({ authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' })
  })

  test('an untrusted server certificate fails at once with the ca-certificate hint', async () => {
    const { http, waits } = harness({ tls: clientTls })
    const err = await rejection(http.send(tokenRequest(tlsServer.url('/token'))))
    expect(err.message).toMatch(
      /^Token request \(POST https:\/\/127\.0\.0\.1:\d+\/token\) failed: the server's TLS certificate is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\. Hint: for a private CA, pass its PEM certificate in 'ca-certificate' \(or set NODE_EXTRA_CA_CERTS on the runner\)/,
    )
    expect(waits).toEqual([])
    expect(tlsServer.requests).toHaveLength(0)
  })

  // NODE_TLS_REJECT_UNAUTHORIZED=0 is tested in __tests__/contract/proxy-tls.test.ts, on the spawned
  // bundle: Jest's sandbox gives tests a process.env that Node's TLS code does not read.

  test('a server that requires a client certificate, given none: the handshake is refused, with a hint', async () => {
    const { http } = harness({ tls: { ca: pki.ca.cert }, retries: 0 })
    const err = await rejection(http.send(tokenRequest(tlsServer.url('/token'))))
    // TLS 1.3 reports the server's alert as an alert code, or as a reset when it arrives after the request was written.
    expect(err.message).toMatch(
      /failed: (the server refused the TLS handshake \(ERR_SSL_\w+ALERT\w*\)\. Hint: the server may require a client certificate|the connection was closed without an answer \(ECONNRESET\)\. Hint: .*client certificate)/,
    )
    expect(tlsServer.requests).toHaveLength(0)
  })

  test('a wrong passphrase, a key that does not fit, or a CA that is not PEM fail when the layer is built', () => {
    const build = (tls: HttpOptions['tls']) => () => harness({ tls })
    expect(build({ ...clientTls, passphrase: 'wrong-passphrase' })).toThrow(
      new InputError("Invalid input: 'client-key' could not be decrypted: check 'client-key-passphrase'."),
    )
    expect(build({ cert: pki.client.cert, key: pki.server.key })).toThrow(
      new InputError("Invalid input: 'client-key' is not the key of 'client-certificate'."),
    )
    expect(build({ ca: 'MIIBxTCCAWugAwIBAgIUX' })).toThrow(
      new InputError("Invalid input: 'ca-certificate' must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)"),
    )
    expect(build({ ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })).toThrow(
      new InputError("Invalid input: 'ca-certificate': certificate 1 of 1 is not a valid PEM certificate"),
    )
  })
})

describe('step debug', () => {
  const SECRET_ECHO = 's3cret-value'
  function debugHarness(options: Partial<HttpOptions> = {}) {
    const debug: string[] = []
    const secrets = new Secrets(() => {})
    secrets.add(SECRET_ECHO)
    return { ...harness({ debug: (l) => debug.push(l), secrets, ...options }), debug }
  }

  test('each attempt: method, URL without query, headers with credentials hidden, body size; status, type, length, Retry-After, request id, timing', async () => {
    server.route('POST', '/token', [
      { status: 503, statusText: 'Busy', headers: { 'retry-after': '2', 'x-request-id': 'req-42' } },
      { status: 200, headers: { 'x-ms-request-id': `id-${SECRET_ECHO}`, 'x-request-id': 'not an id ::warning::x' }, json: TOKEN.json },
    ])
    const { http, debug, lines } = debugHarness()
    const res = await http.send({ ...tokenRequest(server.url('/token?tenant=secret-query')) })
    expect(res.status).toBe(200)
    expect(server.requests).toHaveLength(2)
    const url = `POST ${server.origin}/token`
    expect(debug).toEqual([
      `Token request, attempt 1 of 4: ${url}; headers accept: application/json, authorization (Basic, hidden), content-type: application/x-www-form-urlencoded; body ${FORM.length} bytes`,
      expect.stringMatching(
        /^Token request, attempt 1 of 4: HTTP 503 Busy; content-type none; 0 bytes; Retry-After 2; request id req-42; \d+ ms$/,
      ),
      'Token request: retrying (transient failure); backoff 4000 ms, Retry-After 2000 ms',
      `Token request, attempt 2 of 4: ${url}; headers accept: application/json, authorization (Basic, hidden), content-type: application/x-www-form-urlencoded; body ${FORM.length} bytes`,
      expect.stringMatching(
        new RegExp(
          `^Token request, attempt 2 of 4: HTTP 200 OK; content-type application/json; ${JSON.stringify(TOKEN.json).length} bytes; \\d+ ms$`,
        ),
      ),
    ])
    const all = [...debug, ...lines].join('\n')
    for (const hidden of [BASIC, BASIC.slice(6), 'secret-query', FORM, SECRET_ECHO, 'at-1']) expect(all).not.toContain(hidden)
    expect(all).not.toMatch(/\n::/)
  })

  test('a hostile server: a "request id" that encodes the secret, a content type or Retry-After with text in it, show nothing of it', async () => {
    const hex = Buffer.from(SECRET_ECHO).toString('hex')
    const b64url = Buffer.from(`x${SECRET_ECHO}`).toString('base64url')
    server.route('POST', '/token', [
      {
        status: 200,
        headers: {
          'x-request-id': hex,
          'x-correlation-id': `req-${b64url}`,
          traceparent: `00-${hex.slice(0, 24)}-${hex.slice(-4)}-01`,
          'cf-ray': '8f1e2d3c4b5a-AMS',
          'content-type': `application/json; note=${b64url}`,
          'retry-after': `soon ${b64url}`,
        },
        json: TOKEN.json,
      },
    ])
    const { http, debug } = debugHarness({ retries: 0 })
    await http.send(tokenRequest())
    expect(debug[1]).toMatch(
      /^Token request, attempt 1 of 1: HTTP 200 OK; content-type application\/json; \d+ bytes; Retry-After \(unreadable\); request id 8f1e2d3c4b5a-AMS; \d+ ms$/,
    )
    for (const hidden of [hex, b64url, hex.slice(0, 24)]) expect(debug.join('\n')).not.toContain(hidden)
  })

  test('a header value and a reason phrase are cleaned like server text', async () => {
    server.route('POST', '/token', [{ status: 400, statusText: `No ${SECRET_ECHO} here`, json: { error: 'invalid_request' } }])
    const { http, debug } = debugHarness({ retries: 0 })
    await http.send({ ...tokenRequest(), headers: { ...tokenRequest().headers, 'x-tenant': `t-${SECRET_ECHO}` } })
    expect(debug[0]).toContain('x-tenant: t-***')
    expect(debug[1]).toMatch(/^Token request, attempt 1 of 1: HTTP 400 No \*\*\* here; /)
    expect(debug.join('\n')).not.toContain(SECRET_ECHO)
  })

  test('a failure without an answer: the code, the time, and whether it is retried', async () => {
    server.route('POST', '/token', [{ reset: true }])
    const { http, debug } = debugHarness({ retries: 0 })
    await rejection(http.send(tokenRequest()))
    expect(debug[1]).toMatch(/^Token request, attempt 1 of 1: no answer \(ECONNRESET\) after \d+ ms; transient$/)
  })

  test('without a debug sink nothing extra is built or printed', async () => {
    server.route('POST', '/token', TOKEN)
    const { http, lines } = harness()
    await http.send(tokenRequest())
    expect(lines).toHaveLength(1)
  })
})

describe('proxy credentials', () => {
  test('the password of each proxy variable, raw and decoded, with the user:password pair (its base64 is the Proxy-Authorization)', () => {
    expect(
      proxyCredentials({
        HTTPS_PROXY: 'http://ci:p%40ss%2Fw0rd@proxy.example:3128',
        http_proxy: 'http://token-only@proxy.example:3128',
        NO_PROXY: 'user:pw@nothing',
      }),
    ).toEqual(['p%40ss%2Fw0rd', 'p@ss/w0rd', 'ci:p%40ss%2Fw0rd', 'ci:p@ss/w0rd', 'token-only'])
  })

  test('without a scheme, read as @actions/http-client reads it (http://<value>): a token as the user name, a password', () => {
    // http-client cannot parse `ghp_…@proxy:3128` alone, so it sends it as http://ghp_…@proxy:3128: the token rides in Proxy-Authorization.
    expect(proxyCredentials({ HTTPS_PROXY: 'ghp_Pr0xyT0ken@proxy.example:3128' })).toEqual(['ghp_Pr0xyT0ken'])
    // `ci:pw@host:3128` parses with the scheme "ci:" (nothing is sent); its password is masked all the same.
    expect(proxyCredentials({ HTTPS_PROXY: 'ci:p%40ss@proxy.example:3128' })).toEqual(['p%40ss', 'p@ss', 'ci:p%40ss', 'ci:p@ss'])
    expect(proxyCredentials({ HTTPS_PROXY: 'ci:pa ss@[bad' })).toEqual(['ci:pa ss', 'pa ss'])
  })

  test('an unparseable proxy URL still gives up its password; none set gives nothing', () => {
    expect(proxyCredentials({ HTTPS_PROXY: 'http://ci:pa ss@[bad' })).toEqual(['ci:pa ss', 'pa ss'])
    expect(proxyCredentials({ HTTPS_PROXY: 'http://proxy.example:3128' })).toEqual([])
    expect(proxyCredentials({})).toEqual([])
  })
})

describe('pure parts', () => {
  test('backoff: full jitter over 1, 2, 4, 8, 10, 10 s; Retry-After is a floor', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1, 1000))).toEqual([1000, 2000, 4000, 8000, 10000, 10000])
    expect(backoffDelay(3, 0.25, 1000)).toBe(1000)
    expect(backoffDelay(1, 0.9, 1000, 3000)).toBe(8400) // 3 s + 0.9 × 2 × 3 s
    expect(backoffDelay(4, 0.9, 1000, 3000)).toBe(10200)
  })

  test('Retry-After: seconds, HTTP date, past date, garbage, cap', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('12', now)).toBe(12_000)
    expect(parseRetryAfter(['3'], now)).toBe(3000)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter('7200', now)).toBe(60_000)
  })

  test('error codes: the proxy tunnel failures of @actions/http-client are told apart', () => {
    const tunnel = (m: string) => Object.assign(new Error(`tunneling socket could not be established, ${m}`), { code: 'ECONNRESET' })
    expect(errorCode(tunnel('statusCode=407'))).toBe('PROXY_407')
    expect(errorCode(tunnel('cause=connect ECONNREFUSED 127.0.0.1:9'))).toBe('PROXY_ECONNREFUSED')
    expect(errorCode(tunnel('cause=getaddrinfo ENOTFOUND proxy.corp'))).toBe('PROXY_ENOTFOUND')
    expect(errorCode(Object.assign(new Error('This operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }))).toBe('TIMEOUT')
    expect(errorCode(new Error('Request timeout: /token'))).toBe('TIMEOUT')
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET')
  })
})

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const { port } = s.address() as { port: number }
  await new Promise((r) => s.close(r))
  return port
}

/**
 * The keyless and advanced parts of the oauth2 provider (src/providers/oauth2.ts with
 * src/oauth/client-auth.ts, assertion.ts and src/github-oidc.ts): RFC 8693 token exchange,
 * RFC 7523 JWT bearer, github-oidc / private_key_jwt / tls_client_auth client authentication,
 * refresh-token rotation, the password grant, the method picked from discovery, and revocation
 * with the same client authentication. Everything runs through the real HTTP layer and the real
 * OIDC-token fetch, nock answering as the authorization server and the runner's token service;
 * each test asserts the requests exactly as they went on the wire and what came of them.
 */
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { githubOidcToken } from '../../src/github-oidc.js'
import { Http } from '../../src/http.js'
import { parseConfig, type RawInputs } from '../../src/inputs.js'
import type { Lease } from '../../src/lease.js'
import type { Deps } from '../../src/providers/index.js'
import { create } from '../../src/providers/oauth2.js'
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'

const AS = 'https://as.example'
const SERVICE = 'https://pipelines.actions.example'
const REQUEST_TOKEN = 'runner-request-token-5mKq9'
const ENV = { ACTIONS_ID_TOKEN_REQUEST_URL: `${SERVICE}/oidc/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }
const NOW = 1_750_000_000
const FORM = 'application/x-www-form-urlencoded'
const TE_GRANT = 'urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange'
const JWT_TYPE = 'urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt'
const AT_TYPE = 'urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token'
const ASSERTION_TYPE = 'urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'
const ACCESS_TOKEN = 'opaque-access-token-7Hq2xZ'
const HEADERS = { accept: 'application/json', 'content-type': FORM, 'user-agent': 'token-lease' }

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
/** JWT-shaped ID tokens as the runner's service issues them (unit tests do not verify signatures). */
const idToken = (n: number, aud = 'https://github.com/octo-org') =>
  [
    b64url({ alg: 'RS256', typ: 'JWT' }),
    b64url({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:octo-org/octo-repo:ref:refs/heads/main', aud }),
    `c2lnbmF0dXJlLW9mLWlkLXRva2VuLW51bWJlci${n}`,
  ].join('.')

interface Seen {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}
let seen: Seen[]
let masked: string[]
let log: string[]
let idTokens: string[]

function record(this: { req: { method: string; headers: Record<string, string> } }, uri: string, body: unknown) {
  const { host, connection, 'content-length': length, ...headers } = this.req.headers
  seen.push({ method: this.req.method, path: uri, headers, body: typeof body === 'string' ? body : '' })
}

/** The authorization server answers `method path` once with `status`/`body`, recording the request. */
function answer(method: 'GET' | 'POST', path: string, status: number, body: unknown) {
  const scope = nock(AS)
  ;(method === 'GET' ? scope.get(path) : scope.post(path)).reply(function (uri, requestBody) {
    record.call(this as never, uri, requestBody)
    return [status, JSON.stringify(body), { 'content-type': 'application/json' }]
  })
}

/** The runner's token service answers once with a new ID token (numbered in order of issue). */
function tokenService(times = 1) {
  nock(SERVICE)
    .get(/^\/oidc\/token/)
    .times(times)
    .reply(function (uri) {
      record.call(this as never, uri, '')
      const audience = new URL(uri, SERVICE).searchParams.get('audience') ?? undefined
      const value = idToken(idTokens.length + 1, audience)
      idTokens.push(value)
      return [200, JSON.stringify({ value }), { 'content-type': 'application/json' }]
    })
}

/** The provider as main builds it: secret inputs masked, the real HTTP layer and OIDC fetch, a fixed clock. */
function provider(raw: RawInputs, retries = 0) {
  const config = parseConfig(raw)
  const secrets = new Secrets((v) => masked.push(v))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  // Retries wait no real time: the backoff itself is http.test.ts's concern.
  const send = new Http({ timeout: 5, retries, log: (l) => log.push(l), sleep: async () => {} }).send
  const deps: Deps = {
    send,
    secrets,
    log: { info: (m) => log.push(m), warning: (m) => log.push(`warning: ${m}`), debug: (m) => log.push(`debug: ${m}`) },
    now: () => NOW,
    githubOidcToken: (audience) => githubOidcToken(ENV, send, secrets, audience),
  }
  return create(config, deps)
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body))
const oidcRequest = (audience?: string): Seen => ({
  method: 'GET',
  path: `/oidc/token?api-version=2.0${audience ? `&audience=${encodeURIComponent(audience)}` : ''}`,
  headers: { accept: 'application/json', authorization: `Bearer ${REQUEST_TOKEN}`, 'user-agent': 'token-lease' },
  body: '',
})
const tokenBody = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 900, scope: 'api:read' }
const urls = { 'token-url': `${AS}/token`, 'revocation-url': `${AS}/revoke` }

beforeEach(() => {
  seen = []
  masked = []
  log = []
  idTokens = []
})
offlineWithNock()

describe('token exchange (RFC 8693)', () => {
  test("the job's OIDC token is the default subject, typed jwt; audience, resources, scope and requested type are sent", async () => {
    tokenService()
    answer('POST', '/token', 200, { ...tokenBody, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' })
    const { lease, outputs } = await provider({
      ...urls,
      'grant-type': 'token-exchange',
      'client-id': 'exchanger',
      'oidc-audience': 'https://sts.example',
      audience: 'https://api.example',
      resource: 'https://api.example/v1\nhttps://files.example/',
      scope: 'api:read',
      'requested-token-type': 'urn:ietf:params:oauth:token-type:access_token',
    }).acquire()
    expect(seen).toEqual([
      oidcRequest('https://sts.example'),
      {
        method: 'POST',
        path: '/token',
        headers: HEADERS,
        body:
          `grant_type=${TE_GRANT}&subject_token=${idTokens[0]}&subject_token_type=${JWT_TYPE}&requested_token_type=${AT_TYPE}` +
          `&scope=api%3Aread&audience=https%3A%2F%2Fapi.example&resource=https%3A%2F%2Fapi.example%2Fv1&resource=https%3A%2F%2Ffiles.example%2F&client_id=exchanger`,
      },
    ])
    expect(lease).toMatchObject({
      token: ACCESS_TOKEN,
      expiresAt: NOW + 900,
      scope: 'api:read',
      clientAuth: 'none',
      revocation: 'scheduled',
      refreshToken: undefined,
    })
    expect(outputs).toEqual({})
    expect(masked).toEqual(expect.arrayContaining([REQUEST_TOKEN, idTokens[0], idTokens[0].split('.')[2], ACCESS_TOKEN]))
  })

  test('a given subject token (a long-lived PAT) defaults to the access_token type; actor token and client secret', async () => {
    answer('POST', '/token', 200, tokenBody)
    const pat = 'pat_long-lived-Zx81kQ'
    const actor = 'actor-token-Lp02'
    const { lease } = await provider({
      ...urls,
      'grant-type': 'token-exchange',
      'client-id': 'exchanger',
      'client-secret': 'exchanger-secret',
      'subject-token': pat,
      'actor-token': actor,
      'actor-token-type': 'urn:ietf:params:oauth:token-type:jwt',
    }).acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: { ...HEADERS, authorization: `Basic ${Buffer.from('exchanger:exchanger-secret').toString('base64')}` },
        body: `grant_type=${TE_GRANT}&subject_token=${pat}&subject_token_type=${AT_TYPE}&actor_token=${actor}&actor_token_type=${JWT_TYPE}`,
      },
    ])
    expect(lease.clientAuth).toBe('client_secret_basic')
    expect(masked).toEqual(expect.arrayContaining([pat, actor]))
  })

  test('a refused exchange fails at once with the OAuth error, redacted, and a hint', async () => {
    tokenService()
    nock(AS)
      .post('/token')
      .reply(function (uri, body) {
        record.call(this as never, uri, body)
        // The server echoes the subject token: it must not reach the message.
        return [
          400,
          JSON.stringify({
            error: 'invalid_grant',
            error_description: `subject_token ${form(String(body)).subject_token} has the wrong audience`,
          }),
        ]
      })
    const err = (await provider({ ...urls, 'grant-type': 'token-exchange', 'client-id': 'exchanger' })
      .acquire()
      .catch((e: unknown) => e)) as Error
    expect(err.name).toBe('RequestError')
    expect(err.message).toBe(
      'Token request failed: POST https://as.example/token → HTTP 400; error invalid_grant: subject_token *** has the wrong audience; Hint: the grant or assertion was refused: check the username/password, refresh token or assertion, its audience and expiry, and the trust set up on the server.',
    )
    expect(seen).toHaveLength(2)
  })

  test("without the runner's OIDC variables: an input error naming id-token: write, and no request at all", async () => {
    const config = parseConfig({ ...urls, 'grant-type': 'token-exchange', 'client-id': 'exchanger' })
    const secrets = new Secrets((v) => masked.push(v))
    const send = new Http({ timeout: 5, retries: 0, log: (l) => log.push(l) }).send
    const p = create(config, {
      send,
      secrets,
      log: { info: () => {}, warning: () => {}, debug: () => {} },
      now: () => NOW,
      githubOidcToken: (a) => githubOidcToken({}, send, secrets, a),
    })
    await expect(p.acquire()).rejects.toThrow(/permissions: id-token: write/)
    expect(seen).toEqual([])
  })
})

describe('JWT bearer (RFC 7523 §2.1)', () => {
  test("the job's OIDC token is the default assertion", async () => {
    tokenService()
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({
      ...urls,
      'grant-type': 'jwt-bearer',
      'client-id': 'jwt-client',
      'oidc-audience': 'https://as.example',
      scope: 'api:read',
    }).acquire()
    expect(seen).toEqual([
      oidcRequest('https://as.example'),
      {
        method: 'POST',
        path: '/token',
        headers: HEADERS,
        body: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${idTokens[0]}&scope=api%3Aread&client_id=jwt-client`,
      },
    ])
    expect(lease.token).toBe(ACCESS_TOKEN)
  })

  test('a given assertion is sent as it is, and no OIDC token is fetched', async () => {
    answer('POST', '/token', 200, tokenBody)
    const assertion = idToken(99)
    await provider({ ...urls, 'grant-type': 'jwt-bearer', assertion }).acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: HEADERS,
        body: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${assertion}`,
      },
    ])
    expect(masked).toEqual(expect.arrayContaining([assertion, assertion.split('.')[2]]))
  })
})

describe('client-auth github-oidc (the Entra ID federated-credential shape)', () => {
  test('client credentials with the OIDC token as client assertion; each revocation (refresh token first) fetches a fresh one', async () => {
    tokenService(3)
    answer('POST', '/token', 200, { ...tokenBody, refresh_token: 'unasked-refresh-token-Qw3' })
    answer('POST', '/revoke', 200, {})
    answer('POST', '/revoke', 200, {})
    const p = provider({
      ...urls,
      'client-auth': 'github-oidc',
      'client-id': '00000000-app-id',
      'oidc-audience': 'api://AzureADTokenExchange',
      scope: 'https://graph.example/.default',
    })
    const { lease } = await p.acquire()
    expect(seen).toEqual([
      oidcRequest('api://AzureADTokenExchange'),
      {
        method: 'POST',
        path: '/token',
        headers: HEADERS,
        body: `grant_type=client_credentials&scope=https%3A%2F%2Fgraph.example%2F.default&client_id=00000000-app-id&client_assertion_type=${ASSERTION_TYPE}&client_assertion=${idTokens[0]}`,
      },
    ])
    expect(lease).toMatchObject({ clientAuth: 'github-oidc', refreshToken: 'unasked-refresh-token-Qw3' })

    seen = []
    await expect(p.revoke(lease)).resolves.toBe('revoked')
    const auth = (n: number) => `client_id=00000000-app-id&client_assertion_type=${ASSERTION_TYPE}&client_assertion=${idTokens[n]}`
    expect(seen).toEqual([
      oidcRequest('api://AzureADTokenExchange'),
      {
        method: 'POST',
        path: '/revoke',
        headers: HEADERS,
        body: `token=unasked-refresh-token-Qw3&token_type_hint=refresh_token&${auth(1)}`,
      },
      oidcRequest('api://AzureADTokenExchange'),
      { method: 'POST', path: '/revoke', headers: HEADERS, body: `token=${ACCESS_TOKEN}&token_type_hint=access_token&${auth(2)}` },
    ])
  })
})

describe('client-auth private_key_jwt', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string

  test('a signed assertion for the token endpoint; revocation signs a new one (new jti), for the token endpoint too', async () => {
    answer('POST', '/token', 200, tokenBody)
    answer('POST', '/revoke', 200, {})
    const p = provider({
      ...urls,
      'client-id': 'signer',
      'private-key': keyPem,
      'private-key-id': 'k-1',
      'signing-algorithm': 'ES256',
      scope: 'api:read',
    })
    const { lease } = await p.acquire()
    await p.revoke(lease)
    expect(seen.map((s) => [s.method, s.path, s.headers])).toEqual([
      ['POST', '/token', HEADERS],
      ['POST', '/revoke', HEADERS],
    ])
    const [token, revoke] = seen.map((s) => form(s.body))
    expect(token).toEqual({
      grant_type: 'client_credentials',
      scope: 'api:read',
      client_id: 'signer',
      client_assertion_type: decodeURIComponent(ASSERTION_TYPE),
      client_assertion: expect.any(String),
    })
    expect(revoke).toEqual({
      token: ACCESS_TOKEN,
      token_type_hint: 'access_token',
      client_id: 'signer',
      client_assertion_type: decodeURIComponent(ASSERTION_TYPE),
      client_assertion: expect.any(String),
    })
    const claims = []
    for (const jwt of [token.client_assertion, revoke.client_assertion]) {
      expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'ES256', typ: 'JWT', kid: 'k-1' })
      const { payload } = await jwtVerify(jwt, publicKey, { issuer: 'signer', subject: 'signer', audience: `${AS}/token` })
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300)
      claims.push(payload)
      // Masked, with its signature part, before it was sent.
      expect(masked).toEqual(expect.arrayContaining([jwt, jwt.split('.')[2]]))
    }
    expect(claims[0].jti).not.toBe(claims[1].jti)
    expect(lease.clientAuth).toBe('private_key_jwt')
    // Every line of the PEM key is masked (the BEGIN/END lines are not secret).
    for (const line of keyPem.trim().split('\n').slice(1, -1)) expect(masked).toContain(line)
  })

  test('a retried request is rebuilt: each attempt carries a new assertion (new jti), at the token and the revocation endpoint', async () => {
    answer('POST', '/token', 503, { error: 'temporarily_unavailable' })
    answer('POST', '/token', 200, tokenBody)
    answer('POST', '/revoke', 503, { error: 'temporarily_unavailable' })
    answer('POST', '/revoke', 200, {})
    const p = provider({ ...urls, 'client-id': 'signer', 'private-key': keyPem, 'private-key-id': 'k-1', 'signing-algorithm': 'ES256' }, 1)
    const { lease } = await p.acquire()
    await expect(p.revoke(lease)).resolves.toBe('revoked')
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /token', 'POST /token', 'POST /revoke', 'POST /revoke'])
    const bodies = seen.map((s) => form(s.body))
    const assertion = {
      client_id: 'signer',
      client_assertion_type: decodeURIComponent(ASSERTION_TYPE),
      client_assertion: expect.any(String),
    }
    for (const body of bodies.slice(0, 2)) expect(body).toEqual({ grant_type: 'client_credentials', ...assertion })
    for (const body of bodies.slice(2)) expect(body).toEqual({ token: ACCESS_TOKEN, token_type_hint: 'access_token', ...assertion })
    const jtis = []
    for (const { client_assertion: jwt } of bodies) {
      const { payload } = await jwtVerify(jwt, publicKey, { issuer: 'signer', subject: 'signer', audience: `${AS}/token` })
      jtis.push(payload.jti)
      expect(masked).toEqual(expect.arrayContaining([jwt, jwt.split('.')[2]]))
    }
    expect(new Set(jtis).size).toBe(4)
    expect(log.filter((l) => / → HTTP 503 .*retrying/.test(l))).toHaveLength(2)
  })
})

describe('client-auth tls_client_auth (RFC 8705)', () => {
  test('the client id goes in the body, no secret and no Authorization header (the certificate is on the TLS connection)', async () => {
    answer('POST', '/token', 200, tokenBody)
    answer('POST', '/revoke', 200, {})
    const p = provider({
      ...urls,
      'client-auth': 'tls_client_auth',
      'client-id': 'mtls-client',
      'client-certificate': 'CERT',
      'client-key': 'KEY-PEM-TEXT',
      scope: 'api:read',
    })
    const { lease } = await p.acquire()
    await p.revoke(lease)
    expect(seen).toEqual([
      { method: 'POST', path: '/token', headers: HEADERS, body: 'grant_type=client_credentials&scope=api%3Aread&client_id=mtls-client' },
      {
        method: 'POST',
        path: '/revoke',
        headers: HEADERS,
        body: `token=${ACCESS_TOKEN}&token_type_hint=access_token&client_id=mtls-client`,
      },
    ])
    expect(lease.clientAuth).toBe('tls_client_auth')
  })
})

describe('refresh_token grant (a refresh token from another system)', () => {
  const given = 'given-refresh-token-Aa11'
  const inputs: RawInputs = {
    ...urls,
    'grant-type': 'refresh_token',
    'refresh-token': given,
    'client-id': 'app',
    'client-secret': 'app-secret',
    'client-auth': 'client_secret_post',
  }

  test('a rotated refresh token is output (masked) for the workflow to store, and is not in the lease: post revokes only the access token', async () => {
    answer('POST', '/token', 200, { ...tokenBody, refresh_token: 'rotated-refresh-token-Bb22' })
    answer('POST', '/revoke', 200, {})
    const p = provider(inputs)
    const { lease, outputs } = await p.acquire()
    expect(outputs).toEqual({ 'refresh-token': 'rotated-refresh-token-Bb22' })
    expect(lease.refreshToken).toBeUndefined()
    expect(masked).toEqual(expect.arrayContaining([given, 'rotated-refresh-token-Bb22', ACCESS_TOKEN]))
    await p.revoke(lease)
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: HEADERS,
        body: `grant_type=refresh_token&refresh_token=${given}&client_id=app&client_secret=app-secret`,
      },
      {
        method: 'POST',
        path: '/revoke',
        headers: HEADERS,
        body: `token=${ACCESS_TOKEN}&token_type_hint=access_token&client_id=app&client_secret=app-secret`,
      },
    ])
  })

  test.each([
    ['no refresh token', {}],
    ['the same refresh token', { refresh_token: given }],
  ])('a response with %s: no refresh-token output', async (_what, extra) => {
    answer('POST', '/token', 200, { ...tokenBody, ...extra })
    const { lease, outputs } = await provider(inputs).acquire()
    expect(outputs).toEqual({})
    expect(lease.refreshToken).toBeUndefined()
    expect(seen).toHaveLength(1)
  })
})

describe('refresh_token grant: a refresh token the server may rotate is never re-sent once it may have arrived', () => {
  const given = 'given-refresh-token-Aa11'
  const inputs: RawInputs = {
    ...urls,
    'grant-type': 'refresh_token',
    'refresh-token': given,
    'client-id': 'app',
    'client-secret': 'app-secret',
    'client-auth': 'client_secret_post',
  }
  const SPENT =
    /the refresh token may be spent: the request may have reached the server, which may have rotated it \(RFC 9700 §4\.14\.2\), and the answer is lost; it was not re-sent/i

  /** A server on 127.0.0.1 that reads each request, counts it, and drops the connection without an answer. */
  async function dropsAfterReading(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
    let received = 0
    const server = createServer((req) => {
      req.resume()
      req.on('end', () => {
        received++
        req.socket.destroy()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      count: () => received,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    }
  }

  test('a 502 is not retried (the server may have acted), and the error says the refresh token may be spent', async () => {
    answer('POST', '/token', 502, '')
    const err = await provider(inputs, 2)
      .acquire()
      .catch((e: Error) => e)
    expect((err as Error).message).toMatch(
      /^Token request failed: POST https:\/\/as\.example\/token → HTTP 502 Bad Gateway; the refresh token may be spent/,
    )
    expect((err as Error).message).toMatch(/; Hint: the server failed; try again later\.$/)
    expect(seen).toHaveLength(1)
  })

  test('the same 502 for client credentials is retried: the difference is the grant', async () => {
    answer('POST', '/token', 502, '')
    answer('POST', '/token', 200, tokenBody)
    await provider({ ...inputs, 'grant-type': 'client_credentials', 'refresh-token': undefined }, 2).acquire()
    expect(seen).toHaveLength(2)
  })

  test('a 503 (the server did not process it) is still retried', async () => {
    answer('POST', '/token', 503, '')
    answer('POST', '/token', 200, tokenBody)
    await provider(inputs, 2).acquire()
    expect(seen.map((r) => form(r.body).refresh_token)).toEqual([given, given])
  })

  test('a connection dropped after the request was sent: one request, and the refresh token may be spent', async () => {
    const server = await dropsAfterReading()
    try {
      const err = (await provider({ ...inputs, 'token-url': `${server.url}/token` }, 2)
        .acquire()
        .catch((e: Error) => e)) as Error
      expect(err.message).toMatch(
        /^Token request \(POST http:\/\/127\.0\.0\.1:\d+\/token\) failed: the connection was closed without an answer \(ECONNRESET\)/,
      )
      expect(err.message).toMatch(SPENT)
      expect(server.count()).toBe(1)
    } finally {
      await server.close()
    }
  })

  test('refused (never sent): retried, and nothing said of a spent token', async () => {
    const server = await dropsAfterReading()
    await server.close()
    const err = (await provider({ ...inputs, 'token-url': `${server.url}/token` }, 1)
      .acquire()
      .catch((e: Error) => e)) as Error
    expect(err.message).toMatch(/failed: connection refused after 2 attempts\./)
    expect(err.message).not.toMatch(SPENT)
  })

  test('a refusal with an OAuth error (invalid_grant) proves nothing was rotated: nothing said of a spent token', async () => {
    answer('POST', '/token', 400, { error: 'invalid_grant' })
    const err = (await provider(inputs)
      .acquire()
      .catch((e: Error) => e)) as Error
    expect(err.message).toMatch(/HTTP 400; error invalid_grant; Hint: the grant or assertion was refused/)
    expect(err.message).not.toMatch(SPENT)
  })

  test('a 200 whose body cannot be read has consumed the refresh token: said so', async () => {
    nock(AS)
      .post('/token')
      .reply(function (uri, body) {
        record.call(this as never, uri, body)
        return [200, '<html>gateway</html>', { 'content-type': 'text/html' }]
      })
    const err = (await provider(inputs, 2)
      .acquire()
      .catch((e: Error) => e)) as Error
    expect(err.message).toMatch(/answered HTTP 200 with a body that is not a JSON object/)
    expect(err.message).toMatch(SPENT)
    expect(seen).toHaveLength(1)
  })
})

describe('password grant', () => {
  test('works, with a warning that RFC 9700 advises against it; a refresh token issued unasked is revoked first', async () => {
    answer('POST', '/token', 200, { ...tokenBody, refresh_token: 'unasked-refresh-token-Cc33' })
    answer('POST', '/revoke', 200, {})
    answer('POST', '/revoke', 200, {})
    const p = provider({
      ...urls,
      'grant-type': 'password',
      username: 'deploy-bot',
      password: 'pa ss&word=1',
      'client-id': 'app',
      'client-secret': 'app-secret',
    })
    const { lease } = await p.acquire()
    expect(log.filter((l) => l.startsWith('warning:'))).toEqual([expect.stringContaining('RFC 9700 §2.4 says it must not be used')])
    await expect(p.revoke(lease)).resolves.toBe('revoked')
    const basic = { ...HEADERS, authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}` }
    expect(seen).toEqual([
      { method: 'POST', path: '/token', headers: basic, body: 'grant_type=password&username=deploy-bot&password=pa+ss%26word%3D1' },
      { method: 'POST', path: '/revoke', headers: basic, body: 'token=unasked-refresh-token-Cc33&token_type_hint=refresh_token' },
      { method: 'POST', path: '/revoke', headers: basic, body: `token=${ACCESS_TOKEN}&token_type_hint=access_token` },
    ])
    expect(masked).toEqual(expect.arrayContaining(['pa ss&word=1', 'pa+ss%26word%3D1', 'unasked-refresh-token-Cc33']))
  })
})

describe('client-auth not given: a method the server lists (token_endpoint_auth_methods_supported)', () => {
  const metadata = (methods: unknown[]) => ({
    issuer: AS,
    token_endpoint: `${AS}/token`,
    revocation_endpoint: `${AS}/revoke`,
    token_endpoint_auth_methods_supported: methods,
  })

  test("a client id alone, at a server that takes client assertions: none — the job's OIDC token is never sent unasked", async () => {
    answer(
      'GET',
      '/.well-known/oauth-authorization-server',
      200,
      metadata(['client_secret_post', 'private_key_jwt', 'client_secret_basic']),
    )
    // The runner's token service is there, but must not be asked (afterEach would see it unused otherwise: it is optional).
    nock(SERVICE)
      .get(/^\/oidc\/token/)
      .optionally()
      .reply(200, () => {
        seen.push({ method: 'GET', path: '/oidc/token', headers: {}, body: '' })
        return { value: idToken(1) }
      })
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ issuer: AS, 'client-id': 'app-id', 'oidc-audience': 'api://AzureADTokenExchange' }).acquire()
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/.well-known/oauth-authorization-server',
        headers: { accept: 'application/json', 'user-agent': 'token-lease' },
        body: '',
      },
      { method: 'POST', path: '/token', headers: HEADERS, body: 'grant_type=client_credentials&client_id=app-id' },
    ])
    expect(lease).toMatchObject({ clientAuth: 'none', revocationEndpoint: `${AS}/revoke` })
    expect(log).toContain(
      'Client authentication: none (not given; the server lists client_secret_post, private_key_jwt, client_secret_basic)',
    )
  })

  test('the listed methods are server text: only strings count, and the log line is cleaned', async () => {
    answer(
      'GET',
      '/.well-known/oauth-authorization-server',
      200,
      metadata([42, { m: 'private_key_jwt' }, 'client_secret_post\n::error::x']),
    )
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ issuer: AS, 'client-id': 'app', 'client-secret': 'app-secret' }).acquire()
    // 'client_secret_post\n::error::x' is not client_secret_post: basic, the default, is chosen.
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/token',
      headers: { ...HEADERS, authorization: `Basic ${Buffer.from('app:app-secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    })
    expect(lease.clientAuth).toBe('client_secret_basic')
    expect(log).toContain('Client authentication: client_secret_basic (not given; the server lists client_secret_post ::error::x)')
    expect(log.filter((l) => l.includes('\n'))).toEqual([])
  })

  test('a list that is not an array is ignored: no line, the default method', async () => {
    answer('GET', '/.well-known/oauth-authorization-server', 200, {
      ...metadata([]),
      token_endpoint_auth_methods_supported: 'client_secret_post',
    })
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ issuer: AS, 'client-id': 'app', 'client-secret': 'app-secret' }).acquire()
    expect(seen[1].headers.authorization).toBe(`Basic ${Buffer.from('app:app-secret').toString('base64')}`)
    expect(lease.clientAuth).toBe('client_secret_basic')
    expect(log.filter((l) => l.startsWith('Client authentication'))).toEqual([])
  })

  test('a secret, at a server that lists only client_secret_post: client_secret_post', async () => {
    answer('GET', '/.well-known/oauth-authorization-server', 200, metadata(['client_secret_post']))
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ issuer: AS, 'client-id': 'app', 'client-secret': 'app-secret' }).acquire()
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/token',
      headers: HEADERS,
      body: 'grant_type=client_credentials&client_id=app&client_secret=app-secret',
    })
    expect(lease.clientAuth).toBe('client_secret_post')
  })

  test('a client id alone, at a server without client assertions: none', async () => {
    answer('GET', '/.well-known/oauth-authorization-server', 200, metadata(['client_secret_basic', 'none']))
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ issuer: AS, 'client-id': 'public-app' }).acquire()
    expect(seen[1]).toEqual({
      method: 'POST',
      path: '/token',
      headers: HEADERS,
      body: 'grant_type=client_credentials&client_id=public-app',
    })
    expect(lease.clientAuth).toBe('none')
  })
})

test('the lease keeps the resolved method, so post authenticates the same way', async () => {
  answer('POST', '/revoke', 200, {})
  tokenService()
  const lease: Lease = {
    provider: 'oauth2',
    token: ACCESS_TOKEN,
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 900,
    tokenEndpoint: `${AS}/token`,
    revocation: 'scheduled',
    revocationEndpoint: `${AS}/revoke`,
    clientAuth: 'github-oidc',
  }
  // Post's inputs name no client-auth (main found it by discovery): the lease says which.
  await provider({ issuer: AS, 'token-url': `${AS}/token`, 'revocation-url': `${AS}/revoke`, 'client-id': 'app-id' }).revoke(lease)
  expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /oidc/token?api-version=2.0', 'POST /revoke'])
  expect(form(seen[1].body)).toMatchObject({ client_assertion: idTokens[0], client_id: 'app-id' })
})

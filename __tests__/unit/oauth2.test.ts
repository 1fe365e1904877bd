/**
 * The oauth2 provider (src/providers/oauth2.ts), client credentials and RFC 7009 revocation,
 * through the real HTTP layer with nock answering: each test asserts the requests exactly as
 * they went on the wire, and the lease or error that came of them.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import { Http, RequestError } from '../../src/http.js'
import { parseConfig, type RawInputs } from '../../src/inputs.js'
import type { Lease } from '../../src/lease.js'
import type { Deps } from '../../src/providers/index.js'
import { create } from '../../src/providers/oauth2.js'
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'

const ORIGIN = 'https://as.example'
const NOW = 1_750_000_000
const CLIENT_ID = 'ci-client'
const SECRET = 'Sup3r:secret+with%chars & "quotes"'
/** RFC 6749 §2.3.1: id and secret form-encoded, then base64 — written out, not computed by the code under test. */
const BASIC = `Basic ${Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')}`
const SECRET_FORM = 'Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22'
const ACCESS_TOKEN = 'opaque-access-token-7Hq2xZ'
const REFRESH_TOKEN = 'opaque-refresh-token-9Lm4pQ'
const FORM = 'application/x-www-form-urlencoded'

interface Seen {
  method: string
  path: string
  /** Every header but the transport ones (host, connection, content-length). */
  headers: Record<string, string>
  body: unknown
}
let seen: Seen[]
let masked: string[]
let log: string[]

/** Answers `method path` with `status`/`body` once, recording the request as sent. */
function answer(
  method: 'GET' | 'POST',
  path: string,
  status: number,
  body: unknown,
  contentType = 'application/json',
  extraHeaders: Record<string, string> = {},
) {
  const scope = nock(ORIGIN)
  const interceptor = method === 'GET' ? scope.get(path) : scope.post(path)
  interceptor.reply(function (uri, requestBody) {
    const { host, connection, 'content-length': length, ...headers } = this.req.headers as Record<string, string>
    seen.push({ method: this.req.method, path: uri, headers, body: requestBody })
    return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType, ...extraHeaders }]
  })
}
const form = (body: unknown) => Object.fromEntries(new URLSearchParams(String(body)))

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<RequestError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(outcome).toBeInstanceOf(RequestError)
  return outcome as RequestError
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The provider as main builds it: secret inputs already masked, the real HTTP layer, a fixed clock. */
function provider(raw: RawInputs) {
  const config = parseConfig(raw)
  const secrets = new Secrets((v) => masked.push(v))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  const deps: Deps = {
    send: new Http({ timeout: 5, retries: 0, allowInsecureHttp: config.allowInsecureHttp, log: (l) => log.push(l) }).send,
    secrets,
    log: { info: (m) => log.push(m), warning: (m) => log.push(`warning: ${m}`), debug: (m) => log.push(`debug: ${m}`) },
    now: () => NOW,
    githubOidcToken: () => Promise.reject(new Error('no GitHub OIDC token in these tests')),
  }
  return { provider: create(config, deps), deps }
}

const basicInputs: RawInputs = {
  'token-url': `${ORIGIN}/token`,
  'revocation-url': `${ORIGIN}/revoke`,
  'client-id': CLIENT_ID,
  'client-secret': SECRET,
  scope: 'api:read',
}
const tokenBody = { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600, scope: 'api:read' }
const baseLease: Lease = {
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
  refreshToken: undefined,
}

beforeEach(() => {
  seen = []
  masked = []
  log = []
})
offlineWithNock()

describe('acquire: client credentials', () => {
  test('client_secret_basic by default: form body, Basic credential form-encoded before base64', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { provider: p } = provider(basicInputs)
    const { lease, outputs } = await p.acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: { accept: 'application/json', authorization: BASIC, 'content-type': FORM, 'user-agent': 'token-lease' },
        body: 'grant_type=client_credentials&scope=api%3Aread',
      },
    ])
    expect(lease).toEqual(baseLease)
    expect(outputs).toEqual({})
    expect(masked).toEqual(expect.arrayContaining([BASIC.slice(6), BASIC, ACCESS_TOKEN]))
    expect(log).toEqual([
      expect.stringMatching(/^POST https:\/\/as\.example\/token → HTTP 200\b/),
      'debug: Client authentication: the server accepted the form-encoded Basic credential (RFC 6749 §2.3.1).',
    ])
  })

  test('client_secret_post: id and secret in the form body, no Authorization header', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { provider: p } = provider({ ...basicInputs, 'client-auth': 'client_secret_post' })
    const { lease } = await p.acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: { accept: 'application/json', 'content-type': FORM, 'user-agent': 'token-lease' },
        body: `grant_type=client_credentials&scope=api%3Aread&client_id=ci-client&client_secret=${SECRET_FORM}`,
      },
    ])
    expect(lease.clientAuth).toBe('client_secret_post')
  })

  test('none: only the client id', async () => {
    answer('POST', '/token', 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 600 })
    const { provider: p } = provider({ 'token-url': `${ORIGIN}/token`, 'client-id': 'public-client' })
    const { lease } = await p.acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: { accept: 'application/json', 'content-type': FORM, 'user-agent': 'token-lease' },
        body: 'grant_type=client_credentials&client_id=public-client',
      },
    ])
    expect(lease).toMatchObject({
      clientAuth: 'none',
      identity: 'public-client',
      expiresAt: NOW + 600,
      scope: undefined,
      revocation: 'unsupported',
      revocationEndpoint: undefined,
    })
  })

  test('scope, audience, several resources and extra-params all reach the body', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { provider: p } = provider({
      ...basicInputs,
      scope: 'api:read api:write',
      audience: 'https://api.example',
      resource: 'https://api.example/a\nhttps://api.example/b',
      'extra-params': 'tenant=blue\nprompt=none',
    })
    await p.acquire()
    expect(seen[0].body).toBe(
      'grant_type=client_credentials&scope=api%3Aread+api%3Awrite&audience=https%3A%2F%2Fapi.example' +
        '&resource=https%3A%2F%2Fapi.example%2Fa&resource=https%3A%2F%2Fapi.example%2Fb&tenant=blue&prompt=none',
    )
  })

  test('an extra-params key given twice keeps both values: repeated in a form, an array in JSON', async () => {
    const extra = 'audience=https://a.example\ntenant=blue\naudience=https://b.example'
    answer('POST', '/token', 200, tokenBody)
    await provider({ ...basicInputs, 'extra-params': extra }).provider.acquire()
    answer('POST', '/token', 200, tokenBody)
    await provider({ ...basicInputs, 'extra-params': extra, 'request-format': 'json' }).provider.acquire()
    expect(seen.map((r) => [r.method, r.path, r.headers['content-type'], r.body])).toEqual([
      [
        'POST',
        '/token',
        FORM,
        'grant_type=client_credentials&scope=api%3Aread&audience=https%3A%2F%2Fa.example&audience=https%3A%2F%2Fb.example&tenant=blue',
      ],
      [
        'POST',
        '/token',
        'application/json',
        { grant_type: 'client_credentials', scope: 'api:read', audience: ['https://a.example', 'https://b.example'], tenant: 'blue' },
      ],
    ])
    expect(seen.map((r) => r.headers.authorization)).toEqual([BASIC, BASIC])
  })

  test('request-format json with client_secret_post: one JSON object', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { provider: p } = provider({
      ...basicInputs,
      'client-auth': 'client_secret_post',
      'request-format': 'json',
      audience: 'https://api.example/',
    })
    await p.acquire()
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/token',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'token-lease' },
        body: {
          grant_type: 'client_credentials',
          scope: 'api:read',
          audience: 'https://api.example/',
          client_id: CLIENT_ID,
          client_secret: SECRET,
        },
      },
    ])
  })

  test('request-format json with client_secret_basic: the credential stays in the header', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { provider: p } = provider({ ...basicInputs, 'request-format': 'json' })
    await p.acquire()
    expect(seen[0].headers).toEqual({
      accept: 'application/json',
      authorization: BASIC,
      'content-type': 'application/json',
      'user-agent': 'token-lease',
    })
    expect(seen[0].body).toEqual({ grant_type: 'client_credentials', scope: 'api:read' })
  })
})

describe('acquire: what the response says', () => {
  test('the scope is as granted, not as requested', async () => {
    answer('POST', '/token', 200, { ...tokenBody, scope: 'api:read api:admin' })
    expect((await provider(basicInputs).provider.acquire()).lease.scope).toBe('api:read api:admin')
  })

  test('without a scope in the response, the requested scope is reported', async () => {
    answer('POST', '/token', 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 })
    expect((await provider({ ...basicInputs, scope: 'api:write' }).provider.acquire()).lease.scope).toBe('api:write')
  })

  test('without expires_in, a JWT access token expires at its exp claim; a missing token_type is Bearer', async () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: CLIENT_ID, exp: NOW + 900 })).toString('base64url')}.c2lnbmF0dXJlLW9mLXRoZS1hY2Nlc3MtdG9rZW4`
    answer('POST', '/token', 200, { access_token: jwt })
    const { lease } = await provider(basicInputs).provider.acquire()
    expect(lease).toMatchObject({ token: jwt, tokenType: 'Bearer', expiresAt: NOW + 900 })
    expect(masked).toEqual(expect.arrayContaining([jwt, 'c2lnbmF0dXJlLW9mLXRoZS1hY2Nlc3MtdG9rZW4']))
  })

  test('an opaque token without expires_in has an unknown expiry', async () => {
    answer('POST', '/token', 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' })
    expect((await provider(basicInputs).provider.acquire()).lease.expiresAt).toBeUndefined()
  })

  test('a refresh token issued unasked is kept for revocation and masked', async () => {
    answer('POST', '/token', 200, { ...tokenBody, refresh_token: REFRESH_TOKEN })
    const { lease, outputs } = await provider(basicInputs).provider.acquire()
    expect(lease.refreshToken).toBe(REFRESH_TOKEN)
    expect(outputs).toEqual({})
    expect(masked).toContain(REFRESH_TOKEN)
  })

  test('revocation: unsupported without a revocation endpoint, disabled with revoke: false', async () => {
    answer('POST', '/token', 200, tokenBody)
    const { lease: unsupported } = await provider({ ...basicInputs, 'revocation-url': undefined }).provider.acquire()
    expect(unsupported).toMatchObject({ revocation: 'unsupported', revocationEndpoint: undefined })
    answer('POST', '/token', 200, tokenBody)
    const { lease: disabled } = await provider({ ...basicInputs, revoke: 'false' }).provider.acquire()
    expect(disabled).toMatchObject({ revocation: 'disabled', revocationEndpoint: `${ORIGIN}/revoke` })
  })
})

describe('acquire: endpoints from the issuer', () => {
  const issuer = `${ORIGIN}/realms/ci`
  const metadata = {
    issuer,
    token_endpoint: `${issuer}/protocol/token`,
    revocation_endpoint: `${issuer}/protocol/revoke`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
  }

  test('discovery, then the token request at the discovered endpoint with a method the server lists', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, metadata)
    answer('POST', '/realms/ci/protocol/token', 200, tokenBody)
    const { lease } = await provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET, scope: 'api:read' }).provider.acquire()
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/.well-known/oauth-authorization-server/realms/ci',
        headers: { accept: 'application/json', 'user-agent': 'token-lease' },
        body: '',
      },
      {
        method: 'POST',
        path: '/realms/ci/protocol/token',
        headers: { accept: 'application/json', 'content-type': FORM, 'user-agent': 'token-lease' },
        body: `grant_type=client_credentials&scope=api%3Aread&client_id=ci-client&client_secret=${SECRET_FORM}`,
      },
    ])
    expect(lease).toEqual({
      ...baseLease,
      tokenEndpoint: metadata.token_endpoint,
      revocationEndpoint: metadata.revocation_endpoint,
      clientAuth: 'client_secret_post',
    })
  })

  test('given endpoints win over discovered ones', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, metadata)
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider({ ...basicInputs, issuer, 'revocation-url': undefined }).provider.acquire()
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /.well-known/oauth-authorization-server/realms/ci', 'POST /token'])
    expect(lease).toMatchObject({
      tokenEndpoint: `${ORIGIN}/token`,
      revocationEndpoint: metadata.revocation_endpoint,
      clientAuth: 'client_secret_post',
    })
  })

  test('no discovery round trip when both endpoints and the method are given', async () => {
    answer('POST', '/token', 200, tokenBody)
    await provider({ ...basicInputs, issuer, 'client-auth': 'client_secret_basic' }).provider.acquire()
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /token'])
  })

  test('a discovered plain-http endpoint on another host is refused before any token request', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, {
      ...metadata,
      token_endpoint: 'http://as.example/realms/ci/protocol/token',
    })
    await expect(provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET }).provider.acquire()).rejects.toThrow(
      new RequestError(
        "Discovery: the token_endpoint of https://as.example/realms/ci is plain http to a host that is not loopback (as.example): refused. Hint: fix the server's metadata, or set allow-insecure-http: true.",
      ),
    )
    expect(seen).toHaveLength(1)
  })

  test('allow-insecure-http reaches discovery: its metadata GET may then follow a redirect to plain http', async () => {
    nock(ORIGIN).get('/.well-known/oauth-authorization-server/realms/ci').reply(301, '', { location: 'http://intranet.example/meta' })
    nock('http://intranet.example')
      .get('/meta')
      .reply(200, { ...metadata, token_endpoint: `${issuer}/protocol/token` })
    answer('POST', '/realms/ci/protocol/token', 200, tokenBody)
    const inputs = { issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET, 'allow-insecure-http': 'true' }
    const { lease } = await provider(inputs).provider.acquire()
    expect(lease.tokenEndpoint).toBe(`${issuer}/protocol/token`)
  })

  test('a discovered endpoint that carries the client secret (as the URL parser re-encodes it) is refused before it is requested or logged', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, { ...metadata, token_endpoint: `${ORIGIN}/t/${SECRET}` })
    await expect(provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET }).provider.acquire()).rejects.toThrow(
      new RequestError(
        `Discovery: the token_endpoint of ${issuer} carries a secret or a host not written as URLs write hosts: refused. Hint: fix the server's metadata, or give the endpoint as an input.`,
      ),
    )
    expect(seen).toHaveLength(1)
    expect(log.join('\n')).not.toContain('secret+with')
  })

  test('a discovered endpoint whose host the URL parser rewrites (lowercases) is refused: the log would show it past the masks', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, {
      ...metadata,
      revocation_endpoint: 'https://Rev0ke-Host.example/r',
    })
    await expect(provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET }).provider.acquire()).rejects.toThrow(
      /^Discovery: the revocation_endpoint of .* carries a secret or a host not written as URLs write hosts: refused\./,
    )
  })

  test('metadata without a token endpoint asks for token-url', async () => {
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, { issuer })
    await expect(provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET }).provider.acquire()).rejects.toThrow(
      `Discovery: the metadata of ${issuer} has no token_endpoint. Hint: give 'token-url'.`,
    )
  })
})

describe('acquire: failures', () => {
  test('an OAuth error names endpoint, status, code and hint; a secret echoed by the server is redacted', async () => {
    answer('POST', '/token', 401, { error: 'invalid_client', error_description: `secret ${SECRET} is wrong`, debug: 'raw-body-marker' })
    const err = await rejection(provider({ ...basicInputs, 'client-auth': 'client_secret_post' }).provider.acquire())
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      "Token request failed: POST https://as.example/token → HTTP 401; error invalid_client: secret *** is wrong; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
    )
    expect(err.message).not.toContain('raw-body-marker')
    expect(seen).toHaveLength(1)
  })

  test('an HTML page with 200 is an error that does not show the page', async () => {
    answer('POST', '/token', 200, '<html>Welcome to the portal</html>', 'text/html')
    await expect(provider(basicInputs).provider.acquire()).rejects.toThrow(
      'Token request (POST https://as.example/token) answered HTTP 200 with a body that is not a JSON object (content-type text/html). Hint: check that the URL is the API endpoint, not a web page or a proxy.',
    )
  })

  test('a connection failure: the HTTP layer names purpose, method and URL, then a hint', async () => {
    // A real closed port (nock's replyWithError never reaches @actions/http-client's promise).
    const port = await closedPort()
    nock.enableNetConnect('127.0.0.1')
    const err = await rejection(provider({ ...basicInputs, 'token-url': `http://127.0.0.1:${port}/token?tenant=blue` }).provider.acquire())
    expect(err).toBeInstanceOf(RequestError)
    expect(err.code).toBe('ECONNREFUSED')
    expect(err.message).toMatch(
      new RegExp(
        `^Token request \\(POST http://127\\.0\\.0\\.1:${port}/token\\) failed: connection refused\\. Hint: check the URL and port\\b`,
      ),
    )
    expect(log).toEqual([expect.stringMatching(new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/token → ECONNREFUSED\\b`))])
  })
})

describe('revoke (RFC 7009)', () => {
  const revokeHeaders = { accept: 'application/json', authorization: BASIC, 'content-type': FORM, 'user-agent': 'token-lease' }

  test('the access token, with a hint and the same client authentication', async () => {
    answer('POST', '/revoke', 200, '')
    expect(await provider(basicInputs).provider.revoke(baseLease)).toBe('revoked')
    expect(seen).toEqual([
      { method: 'POST', path: '/revoke', headers: revokeHeaders, body: `token=${ACCESS_TOKEN}&token_type_hint=access_token` },
    ])
  })

  test('a refresh token the server issued unasked goes first (revoking it ends its access tokens too), then the access token', async () => {
    answer('POST', '/revoke', 200, '')
    answer('POST', '/revoke', 200, '')
    expect(await provider(basicInputs).provider.revoke({ ...baseLease, refreshToken: REFRESH_TOKEN })).toBe('revoked')
    expect(seen).toEqual([
      { method: 'POST', path: '/revoke', headers: revokeHeaders, body: `token=${REFRESH_TOKEN}&token_type_hint=refresh_token` },
      { method: 'POST', path: '/revoke', headers: revokeHeaders, body: `token=${ACCESS_TOKEN}&token_type_hint=access_token` },
    ])
  })

  test('an expired access token: only the refresh token is revoked', async () => {
    answer('POST', '/revoke', 200, '')
    const lease = { ...baseLease, refreshToken: REFRESH_TOKEN }
    expect(await provider(basicInputs).provider.revoke(lease, { accessTokenExpired: true })).toBe('revoked')
    expect(seen).toEqual([
      { method: 'POST', path: '/revoke', headers: revokeHeaders, body: `token=${REFRESH_TOKEN}&token_type_hint=refresh_token` },
    ])
  })

  test.each([
    ['204 No Content', 204],
    ['202 Accepted', 202],
  ])('any 2xx is success: %s', async (_, status) => {
    answer('POST', '/revoke', status, '')
    expect(await provider(basicInputs).provider.revoke(baseLease)).toBe('revoked')
    expect(seen).toHaveLength(1)
  })

  test('the method main resolved (here by discovery) is used, not a fresh guess', async () => {
    answer('POST', '/revoke', 200, '')
    await provider(basicInputs).provider.revoke({ ...baseLease, clientAuth: 'client_secret_post' })
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/revoke',
        headers: { accept: 'application/json', 'content-type': FORM, 'user-agent': 'token-lease' },
        body: `token=${ACCESS_TOKEN}&token_type_hint=access_token&client_id=ci-client&client_secret=${SECRET_FORM}`,
      },
    ])
  })

  test.each([
    [400, 'error invalid_token; Hint: an RFC 7009 server answers 200 even for a token that is already invalid'],
    [401, "error invalid_token; Hint: check 'client-id' and the client credential"],
  ])('HTTP %i invalid_token is a refusal, not "already invalid": only 2xx revokes (RFC 7009 §2.2)', async (status, said) => {
    answer('POST', '/revoke', status, { error: 'invalid_token' })
    const err = await rejection(provider(basicInputs).provider.revoke(baseLease))
    expect(err.message).toContain(`Revocation failed: POST https://as.example/revoke → HTTP ${status}; ${said}`)
    expect(err.code).toBe('invalid_token')
    expect(seen).toHaveLength(1)
  })

  test('a refresh token refused as invalid_token, the access token revoked: still a failure', async () => {
    answer('POST', '/revoke', 400, { error: 'invalid_token' })
    answer('POST', '/revoke', 200, '')
    const err = await rejection(provider(basicInputs).provider.revoke({ ...baseLease, refreshToken: REFRESH_TOKEN }))
    expect(err.code).toBe('invalid_token')
    expect(seen.map((r) => form(r.body).token_type_hint)).toEqual(['refresh_token', 'access_token'])
  })

  test('404 is a failure (a wrong URL, not an unknown token), with a hint to check the revocation URL', async () => {
    answer('POST', '/revoke', 404, '')
    const err = await rejection(provider(basicInputs).provider.revoke(baseLease))
    expect(err.message).toBe(
      "Revocation failed: POST https://as.example/revoke → HTTP 404 Not Found; Hint: check 'revocation-url' (or the issuer's revocation_endpoint).",
    )
    expect(err.status).toBe(404)
  })

  test('a refusal throws an error naming the revocation endpoint', async () => {
    answer('POST', '/revoke', 401, { error: 'invalid_client' })
    await expect(provider(basicInputs).provider.revoke(baseLease)).rejects.toThrow(
      "Revocation failed: POST https://as.example/revoke → HTTP 401; error invalid_client; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
    )
  })

  test('a server that cannot revoke refresh tokens: the access token is still revoked, then the refusal is thrown', async () => {
    answer('POST', '/revoke', 400, { error: 'unsupported_token_type' })
    answer('POST', '/revoke', 200, '')
    const err = await rejection(provider(basicInputs).provider.revoke({ ...baseLease, refreshToken: REFRESH_TOKEN }))
    expect(err.message).toBe(
      'Revocation failed: POST https://as.example/revoke → HTTP 400; error unsupported_token_type; Hint: the server cannot revoke this kind of token.',
    )
    expect(err.code).toBe('unsupported_token_type')
    expect(seen.map((r) => r.body)).toEqual([
      `token=${REFRESH_TOKEN}&token_type_hint=refresh_token`,
      `token=${ACCESS_TOKEN}&token_type_hint=access_token`,
    ])
  })

  test('both refused: both are tried, and one error carries both messages', async () => {
    answer('POST', '/revoke', 503, { error: 'temporarily_unavailable' })
    answer('POST', '/revoke', 401, { error: 'invalid_client' })
    const err = await rejection(provider(basicInputs).provider.revoke({ ...baseLease, refreshToken: REFRESH_TOKEN }))
    expect(err.message).toBe(
      [
        'Revocation failed: POST https://as.example/revoke → HTTP 503; error temporarily_unavailable; Hint: the server is overloaded or down for maintenance; try again later.',
        "Revocation failed: POST https://as.example/revoke → HTTP 401; error invalid_client; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
      ].join(' '),
    )
    expect(err.status).toBe(503)
    expect(seen.map((r) => r.body)).toEqual([
      `token=${REFRESH_TOKEN}&token_type_hint=refresh_token`,
      `token=${ACCESS_TOKEN}&token_type_hint=access_token`,
    ])
  })
})

describe('client_secret_basic at a server that does not form-decode (RFC 6749 Appendix B)', () => {
  /** The same id and secret as they are, base64 — written out, not computed by the code under test. */
  const UNENCODED = `Basic ${Buffer.from('ci-client:Sup3r:secret+with%chars & "quotes"').toString('base64')}`
  const headers = (authorization: string) => ({
    accept: 'application/json',
    authorization,
    'content-type': FORM,
    'user-agent': 'token-lease',
  })
  const body = 'grant_type=client_credentials&scope=api%3Aread'

  test('refused form-encoded (403, no body): exactly one more request, unencoded; the lease keeps that form', async () => {
    answer('POST', '/token', 403, '', 'text/plain')
    answer('POST', '/token', 200, tokenBody)
    const { lease } = await provider(basicInputs).provider.acquire()
    expect(seen).toEqual([
      { method: 'POST', path: '/token', headers: headers(BASIC), body },
      { method: 'POST', path: '/token', headers: headers(UNENCODED), body },
    ])
    expect(lease).toEqual({ ...baseLease, basicEncoding: 'unencoded' })
    expect(log).toEqual([
      expect.stringMatching(/^POST https:\/\/as\.example\/token → HTTP 403\b/),
      expect.stringMatching(/^POST https:\/\/as\.example\/token → HTTP 200\b/),
      'Client authentication: the server refused the form-encoded Basic credential and accepted it unencoded (it does not form-decode, RFC 6749 Appendix B); revocation uses the same form.',
    ])
  })

  test('the unencoded credential is registered as a secret before it is sent', async () => {
    answer('POST', '/token', 401, { error: 'invalid_client' })
    nock(ORIGIN)
      .post('/token')
      .reply(() => {
        seen.push({ method: 'POST', path: '/token', headers: {}, body: [...masked] })
        return [200, JSON.stringify(tokenBody), { 'content-type': 'application/json' }]
      })
    await provider(basicInputs).provider.acquire()
    expect(seen[1].body).toEqual(expect.arrayContaining([UNENCODED.slice(6), UNENCODED]))
  })

  test.each([
    ['401 with any error (Keycloak: unauthorized_client)', 401, { error: 'unauthorized_client' }],
    ['401 without a body', 401, ''],
    ['400 invalid_client', 400, { error: 'invalid_client' }],
    ['400 unauthorized_client', 400, { error: 'unauthorized_client' }],
    ['403 invalid_client', 403, { error: 'invalid_client' }],
    ['403 without an OAuth error', 403, { message: 'Forbidden' }],
  ])('a client-authentication refusal triggers the one retry: %s', async (_, status, refusal) => {
    answer('POST', '/token', status, refusal)
    answer('POST', '/token', 200, tokenBody)
    expect((await provider(basicInputs).provider.acquire()).lease.basicEncoding).toBe('unencoded')
    expect(seen.map((r) => r.headers.authorization)).toEqual([BASIC, UNENCODED])
  })

  test.each([
    ['400 invalid_grant', 400, { error: 'invalid_grant' }],
    ['400 invalid_scope', 400, { error: 'invalid_scope' }],
    ['403 access_denied', 403, { error: 'access_denied' }],
    ['400 without an OAuth error', 400, ''],
    ['500', 500, ''],
  ])('any other refusal is not retried: %s', async (_, status, refusal) => {
    answer('POST', '/token', status, refusal)
    const err = await rejection(provider(basicInputs).provider.acquire())
    expect(err.status).toBe(status)
    expect(err.message).not.toContain('tried twice')
    expect(seen).toHaveLength(1)
  })

  test('no retry when form-encoding changes nothing (the unencoded form would be the same bytes)', async () => {
    answer('POST', '/token', 401, { error: 'invalid_client' })
    const err = await rejection(provider({ ...basicInputs, 'client-secret': 'plainSecret0123' }).provider.acquire())
    expect(err.message).toMatch(
      /^Token request failed: POST https:\/\/as\.example\/token → HTTP 401; error invalid_client; Hint: check 'client-id'/,
    )
    expect(seen).toHaveLength(1)
  })

  test('an id that form-encoding changes is reason enough, the secret plain', async () => {
    answer('POST', '/token', 401, '')
    answer('POST', '/token', 200, tokenBody)
    await provider({ ...basicInputs, 'client-id': 'svc@tenant', 'client-secret': 'plainSecret0123' }).provider.acquire()
    expect(seen.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('svc%40tenant:plainSecret0123').toString('base64')}`,
      `Basic ${Buffer.from('svc@tenant:plainSecret0123').toString('base64')}`,
    ])
  })

  test('other methods are not retried: client_secret_post refused once is refused', async () => {
    answer('POST', '/token', 401, { error: 'invalid_client' })
    await rejection(provider({ ...basicInputs, 'client-auth': 'client_secret_post' }).provider.acquire())
    expect(seen).toHaveLength(1)
  })

  test('both forms refused: the error says both were tried, with the status of each and a credentials hint', async () => {
    answer('POST', '/token', 403, '', 'text/plain', { 'x-request-id': 'req-0001' })
    answer('POST', '/token', 401, { error: 'invalid_client' })
    const err = await rejection(provider(basicInputs).provider.acquire())
    expect(err.message).toBe(
      "Token request failed: POST https://as.example/token → HTTP 403 Forbidden; request id: req-0001; client_secret_basic was tried twice: with 'client-id' and 'client-secret' form-encoded (RFC 6749 §2.3.1), and as they are (HTTP 401); Hint: check 'client-id' and 'client-secret', and that the client may use client_secret_basic (else set 'client-auth').",
    )
    expect(err.status).toBe(403)
    expect(seen).toHaveLength(2)
  })

  test('the unencoded retry gets no answer: the first refusal is still reported, with what became of the retry', async () => {
    answer('POST', '/token', 401, { error: 'invalid_client' })
    nock(ORIGIN)
      .post('/token')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    const err = await rejection(provider(basicInputs).provider.acquire())
    expect(err.message).toMatch(
      /^Token request failed: POST https:\/\/as\.example\/token → HTTP 401; error invalid_client; client_secret_basic was tried twice: form-encoded \(RFC 6749 §2\.3\.1\), refused as above, and as they are, which got no answer \(Token request \(POST https:\/\/as\.example\/token\) failed: the connection was closed without an answer \(ECONNRESET\)/,
    )
    expect(err.message).toContain("Hint: check 'client-id' and the client credential")
    expect((err as RequestError).status).toBe(401)
  })

  test('past client authentication unencoded but refused for another reason: that answer is the one reported', async () => {
    answer('POST', '/token', 403, '')
    answer('POST', '/token', 400, { error: 'invalid_scope' })
    const err = await rejection(provider(basicInputs).provider.acquire())
    expect(err.message).toBe(
      "Token request failed: POST https://as.example/token → HTTP 400; error invalid_scope; this answers the Basic credential sent unencoded, after the server refused it form-encoded; Hint: check 'scope': request only scopes the client is allowed.",
    )
    expect(seen).toHaveLength(2)
  })

  test('revocation uses the form the lease records: unencoded, no fallback there', async () => {
    answer('POST', '/revoke', 200, '')
    expect(await provider(basicInputs).provider.revoke({ ...baseLease, basicEncoding: 'unencoded' })).toBe('revoked')
    expect(seen).toEqual([
      { method: 'POST', path: '/revoke', headers: headers(UNENCODED), body: `token=${ACCESS_TOKEN}&token_type_hint=access_token` },
    ])
  })
})

describe('redirects at the token and revocation endpoints are named, never followed', () => {
  test('same origin: the path it points to, without its query', async () => {
    answer('POST', '/token', 301, '', 'text/html', { location: '/o/token/?next=client_secret%3Dleak' })
    const err = await rejection(provider({ ...basicInputs, 'client-auth': 'client_secret_post' }).provider.acquire())
    expect(err.message).toBe(
      'Token request failed: POST https://as.example/token → HTTP 301 Moved Permanently; Hint: the endpoint redirects to /o/token/: give that URL; redirects are not followed so that credentials go nowhere else.',
    )
    expect(seen).toHaveLength(1)
  })

  test('another origin: only its host', async () => {
    answer('POST', '/revoke', 302, '', 'text/html', { location: 'https://login.other.example/sso/start?client=ci' })
    const err = await rejection(provider(basicInputs).provider.revoke(baseLease))
    expect(err.message).toBe(
      'Revocation failed: POST https://as.example/revoke → HTTP 302 Found; Hint: the endpoint redirects to another host (login.other.example), often a login page: give the final URL; redirects are not followed so that credentials go nowhere else.',
    )
    expect(seen).toHaveLength(1)
  })

  test('a Location that is not a URL: no target named', async () => {
    answer('POST', '/revoke', 308, '', 'text/html', { location: 'http://[bad' })
    const err = await rejection(provider(basicInputs).provider.revoke(baseLease))
    expect(err.message).toContain('Hint: the endpoint redirects (often to a login page): give the final URL;')
  })
})

describe('no revocation endpoint: the reason says how to give one', () => {
  test('token-url alone', async () => {
    answer('POST', '/token', 200, tokenBody)
    const acquired = await provider({ ...basicInputs, 'revocation-url': undefined }).provider.acquire()
    expect(acquired.lease.revocation).toBe('unsupported')
    expect(acquired.unsupportedReason).toBe(
      "No 'revocation-url' was given and no 'issuer' to discover one from: give 'revocation-url' if the server has a revocation endpoint (RFC 7009).",
    )
  })

  test('metadata that lists none says so', async () => {
    const issuer = `${ORIGIN}/realms/ci`
    answer('GET', '/.well-known/oauth-authorization-server/realms/ci', 200, { issuer, token_endpoint: `${ORIGIN}/token` })
    answer('POST', '/token', 200, tokenBody)
    const acquired = await provider({ issuer, 'client-id': CLIENT_ID, 'client-secret': SECRET }).provider.acquire()
    expect(acquired.unsupportedReason).toBe(
      `The metadata of ${issuer} lists no revocation_endpoint: give 'revocation-url' if the server has a revocation endpoint (RFC 7009).`,
    )
    expect(log).toContain(`debug: Discovery: token_endpoint ${ORIGIN}/token, revocation_endpoint none, introspection_endpoint none`)
  })

  test('with a revocation endpoint there is no reason', async () => {
    answer('POST', '/token', 200, tokenBody)
    expect((await provider(basicInputs).provider.acquire()).unsupportedReason).toBeUndefined()
  })
})

/**
 * The Signeasy provider (src/providers/signeasy.ts) and its input checks (src/inputs.ts), through
 * the real HTTP layer with nock answering at Signeasy's own token URL: the exact request
 * (PROTOCOLS.md §4), what the lease says, what is masked, and how refusals read.
 */
import nock from 'nock'
import { Http, RequestError } from '../../src/http.js'
import { parseConfig, SIGNEASY_AUDIENCE, SIGNEASY_TOKEN_URL, type RawInputs } from '../../src/inputs.js'
import type { Deps } from '../../src/providers/index.js'
import { create, signeasyConfig, signeasyRevocationUrl } from '../../src/providers/signeasy.js'
import type { Lease } from '../../src/lease.js'
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'
import { inputRefusal } from '../support/input-refusal.js'
import { startFaultServer } from '../support/fault-server.js'

const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const CLIENT_ID = 'se-live-app-0042'
const SECRET = 'se:Secr3t+with%chars & "quotes"/x'
const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url')
const SIGNATURE = 'c2lnbmF0dXJlLW9mLXRoZS1zaWduZWFzeS1qd3QtMDAwMQ'
const ACCESS_TOKEN = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ aud: SIGNEASY_AUDIENCE, exp: NOW + 2592000, azp: CLIENT_ID })}.${SIGNATURE}`
const DOCUMENTED = { access_token: ACCESS_TOKEN, scope: 'rs:read rs:update', expires_in: 2592000, token_type: 'Bearer' }

interface Seen {
  method: string
  url: string
  headers: Record<string, unknown>
  body: unknown
}
let seen: Seen[]
let masked: string[]
let log: string[]

/** Answers POST `url` once with `status`/`body`, recording the request as sent. */
function answer(url: string, status: number, body: unknown, contentType = 'application/json') {
  const u = new URL(url)
  nock(u.origin)
    .post(u.pathname)
    .reply(function (path, requestBody) {
      seen.push({ method: this.req.method, url: `${u.origin}${path}`, headers: { ...this.req.headers }, body: requestBody })
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType }]
    })
}

/** The provider's dependencies, with the secret inputs masked first as main does. */
function deps(raw: RawInputs, retries = 0): Deps {
  const secrets = new Secrets((v) => void masked.push(v))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  return {
    send: new Http({ timeout: 5, retries, log: (l) => log.push(l), sleep: async () => {} }).send,
    secrets,
    log: { info: (m) => log.push(m), warning: (m) => log.push(`warning: ${m}`), debug: (m) => log.push(`debug: ${m}`) },
    now: () => NOW,
    githubOidcToken: () => Promise.reject(new Error('Signeasy never uses the GitHub OIDC token')),
  }
}

const base: RawInputs = { provider: 'signeasy', 'client-id': CLIENT_ID, 'client-secret': SECRET }
const provider = (raw: RawInputs = base, retries = 0) => {
  // create() loads the shared oauth2 chunk first, so it resolves to the provider.
  const created = create(parseConfig(raw), deps(raw, retries))
  return { acquire: async () => (await created).acquire(), revoke: async (lease: Lease) => (await created).revoke(lease) }
}

beforeEach(() => {
  seen = []
  masked = []
  log = []
})
offlineWithNock()

describe('acquire', () => {
  test("defaults: the documented JSON request to Signeasy's token URL, and a 30-day lease that post revokes", async () => {
    answer(SIGNEASY_TOKEN_URL, 200, DOCUMENTED)
    const { lease, outputs } = await provider().acquire()

    expect(seen).toEqual([
      {
        method: 'POST',
        url: 'https://auth.signeasy.com/oauth/token',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          connection: 'close',
          'user-agent': 'token-lease',
          host: 'auth.signeasy.com',
          'content-length': expect.any(String),
        },
        // Exactly the four documented fields, nothing else (no Authorization header either: see headers).
        body: { client_id: CLIENT_ID, client_secret: SECRET, audience: 'https://api-ext.signeasy.com/', grant_type: 'client_credentials' },
      },
    ])
    expect(lease).toEqual({
      provider: 'signeasy',
      token: ACCESS_TOKEN,
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 2592000,
      scope: 'rs:read rs:update',
      identity: CLIENT_ID,
      tokenEndpoint: SIGNEASY_TOKEN_URL,
      revocation: 'scheduled',
      revocationEndpoint: 'https://api.signeasy.com/oauth2/tokens/revoke/',
      clientAuth: 'client_secret_post',
      refreshToken: undefined,
    })
    expect(outputs).toEqual({})
    // The token and its JWT signature are masked the moment they are read.
    expect(masked).toEqual(expect.arrayContaining([ACCESS_TOKEN, SIGNATURE]))
    expect(log).toEqual([
      expect.stringMatching(/^POST https:\/\/auth\.signeasy\.com\/oauth\/token → HTTP 200 in \d+ ms \(attempt 1 of 1\)$/),
    ])
  })

  test('every default can be overridden: sandbox URL, audience, form body, Basic client authentication, scope', async () => {
    const sandbox = 'https://auth-sandbox.signeasy.example/oauth/token'
    answer(sandbox, 200, { ...DOCUMENTED, scope: 'rs:read', expires_in: 600 })
    const { lease, unsupportedReason } = await provider({
      ...base,
      'token-url': sandbox,
      audience: 'https://api-sandbox.signeasy.example/',
      'request-format': 'form',
      'client-auth': 'client_secret_basic',
      scope: 'rs:read',
    }).acquire()

    const basic = Buffer.from(`${CLIENT_ID}:${new URLSearchParams({ v: SECRET }).toString().slice(2)}`).toString('base64')
    expect(seen).toEqual([
      {
        method: 'POST',
        url: sandbox,
        headers: expect.objectContaining({ authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }),
        body: 'grant_type=client_credentials&scope=rs%3Aread&audience=https%3A%2F%2Fapi-sandbox.signeasy.example%2F',
      },
    ])
    expect(lease).toMatchObject({
      tokenEndpoint: sandbox,
      scope: 'rs:read',
      expiresAt: NOW + 600,
      clientAuth: 'client_secret_basic',
      // A sandbox token is not sent to production's revocation endpoint unasked.
      revocation: 'unsupported',
      revocationEndpoint: undefined,
    })
    expect(unsupportedReason).toBe(
      "'token-url' is not Signeasy's own, so its token is not sent to api.signeasy.com: give that environment's revocation endpoint in 'revocation-url'",
    )
    // The Basic credential is a derived form the runner would not mask by itself.
    expect(masked).toEqual(expect.arrayContaining([basic, `Basic ${basic}`]))
  })

  test('without expires_in, the expiry comes from the JWT exp claim', async () => {
    answer(SIGNEASY_TOKEN_URL, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer' })
    const { lease } = await provider().acquire()
    expect(lease.expiresAt).toBe(NOW + 2592000)
    expect(lease.scope).toBeUndefined()
  })

  test('wrong credentials (Auth0: 401 access_denied) fail at once, naming endpoint, status and error, never the secret', async () => {
    answer(SIGNEASY_TOKEN_URL, 401, { error: 'access_denied', error_description: 'Unauthorized' })
    const err = await provider(base, 3)
      .acquire()
      .catch((e) => e)
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      "Token request failed: POST https://auth.signeasy.com/oauth/token → HTTP 401; error access_denied: Unauthorized; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
    )
    expect(err.status).toBe(401)
    expect(seen).toHaveLength(1) // a 4xx is not retried
  })

  test('a wrong audience (403 Service not found) is reported with the redacted description', async () => {
    answer(SIGNEASY_TOKEN_URL, 403, {
      error: 'access_denied',
      error_description: `Service not found: https://api.wrong.example/ (client ${CLIENT_ID}, secret ${SECRET})`,
    })
    const err = await provider({ ...base, audience: 'https://api.wrong.example/' })
      .acquire()
      .catch((e) => e)
    expect(err.message).toBe(
      `Token request failed: POST https://auth.signeasy.com/oauth/token → HTTP 403; error access_denied: Service not found: https://api.wrong.example/ (client *** secret ***); Hint: the server denied the request: check the client and its permissions.`,
    )
    expect(seen[0].body).toMatchObject({ audience: 'https://api.wrong.example/' })
  })

  test('a transient 503 is retried, honouring Retry-After, then the token is leased', async () => {
    const u = new URL(SIGNEASY_TOKEN_URL)
    nock(u.origin).post(u.pathname).reply(503, 'busy', { 'retry-after': '2' })
    answer(SIGNEASY_TOKEN_URL, 200, DOCUMENTED)
    const { lease } = await provider(base, 2).acquire()
    expect(lease.token).toBe(ACCESS_TOKEN)
    expect(seen).toHaveLength(1)
    expect(log[0]).toMatch(/→ HTTP 503 in \d+ ms \(attempt 1 of 3\); retrying in \d+\.\d s, Retry-After honoured$/)
  })

  test('a 200 without access_token is an error that never shows the body', async () => {
    answer(SIGNEASY_TOKEN_URL, 200, { token: 'x-not-what-we-asked-for', expires_in: 5 })
    const err = await provider()
      .acquire()
      .catch((e) => e)
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toMatch(
      /^Token request \(POST https:\/\/auth\.signeasy\.com\/oauth\/token\) answered HTTP 200 without an access_token\b/,
    )
    expect(err.message).not.toContain('x-not-what-we-asked-for')
  })
})

describe('revoke: DELETE https://api.signeasy.com/oauth2/tokens/revoke/ with the token as Bearer', () => {
  const REVOKE_URL = 'https://api.signeasy.com/oauth2/tokens/revoke/'
  const lease = (extra: Partial<Lease> = {}): Lease => ({
    provider: 'signeasy',
    token: ACCESS_TOKEN,
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 2592000,
    tokenEndpoint: SIGNEASY_TOKEN_URL,
    revocation: 'scheduled',
    revocationEndpoint: REVOKE_URL,
    ...extra,
  })
  /** Answers DELETE `url` once, recording the request as sent. */
  function answerDelete(url: string, status: number, body: unknown = { message: 'Access Revoked' }) {
    const u = new URL(url)
    nock(u.origin)
      .delete(u.pathname)
      .reply(function (path, requestBody) {
        seen.push({ method: this.req.method, url: `${u.origin}${path}`, headers: { ...this.req.headers }, body: requestBody })
        return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }]
      })
  }
  const HINT =
    "Hint: Signeasy documents this endpoint for OAuth apps ('Revoking Access Tokens'); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires"

  test('200 {"message": "Access Revoked"} is revoked; the request is exactly the documented one', async () => {
    answerDelete(REVOKE_URL, 200)
    expect(await provider().revoke(lease())).toBe('revoked')
    expect(seen).toEqual([
      {
        method: 'DELETE',
        url: REVOKE_URL,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${ACCESS_TOKEN}`,
          connection: 'close',
          'user-agent': 'token-lease',
          host: 'api.signeasy.com',
        },
        body: '',
      },
    ])
    expect(log).toEqual([
      expect.stringMatching(/^DELETE https:\/\/api\.signeasy\.com\/oauth2\/tokens\/revoke\/ → HTTP 200 in \d+ ms \(attempt 1 of 1\)$/),
    ])
  })

  test('401 is not confirmed, with the honest hint; not retried', async () => {
    answerDelete(REVOKE_URL, 401, { error: 'invalid_token', error_description: `token ${ACCESS_TOKEN} is not an OAuth app token` })
    const err = await provider(base, 3)
      .revoke(lease())
      .catch((e) => e)
    expect(err).toBeInstanceOf(RequestError)
    expect(err.status).toBe(401)
    expect(err.message).toBe(`Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 401 Unauthorized; error invalid_token. ${HINT}.`)
    expect(seen).toHaveLength(1)
  })

  test('403 and a 2xx other than 200 are not confirmed either; a 404 points at revocation-url', async () => {
    answerDelete(REVOKE_URL, 403, { message: 'Forbidden' })
    answerDelete(REVOKE_URL, 204, '')
    answerDelete(REVOKE_URL, 404, 'Not Found')
    const r = provider()
    const messages = []
    for (let i = 0; i < 3; i++) messages.push((await r.revoke(lease()).catch((e) => e)).message)
    expect(messages).toEqual([
      `Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 403 Forbidden. ${HINT}.`,
      `Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 204 No Content. ${HINT} (only the documented 200 counts).`,
      `Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 404 Not Found. ${HINT}; check 'revocation-url'.`,
    ])
  })

  test('an error code echoing the token is redacted', async () => {
    answerDelete(REVOKE_URL, 400, { error: `bad:${ACCESS_TOKEN}` })
    const r = provider()
    const err = await r.revoke(lease()).catch((e) => e)
    expect(err.message).not.toContain(ACCESS_TOKEN)
    expect(err.message).not.toContain(SIGNATURE)
  })

  test('a reason phrase echoing the client secret is redacted (a real server, not nock: nock sends only standard phrases)', async () => {
    const server = await startFaultServer()
    nock.enableNetConnect('127.0.0.1')
    try {
      server.route('DELETE', '/revoke/', { status: 403, statusText: `Denied for ${SECRET}` })
      const err = await provider({ ...base, 'revocation-url': server.url('/revoke/') })
        .revoke(lease())
        .catch((e) => e)
      expect(err.message).toBe(`Revocation not confirmed: DELETE ${server.url('/revoke/')} → HTTP 403 Denied for ***. ${HINT}.`)
      expect(server.requests).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  test("a correlation id from Signeasy's answer (Auth0-style header) is in the error", async () => {
    const u = new URL(REVOKE_URL)
    nock(u.origin).delete(u.pathname).reply(403, { message: 'Forbidden' }, { 'x-request-id': 'se-7f3a-0001' })
    const err = await provider()
      .revoke(lease())
      .catch((e) => e)
    expect(err.message).toBe(`Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 403 Forbidden; request id: se-7f3a-0001. ${HINT}.`)
  })

  test('a 5xx after the retries is not confirmed, and says a later run may work', async () => {
    const u = new URL(REVOKE_URL)
    nock(u.origin).delete(u.pathname).reply(500, '')
    const err = await provider()
      .revoke(lease())
      .catch((e) => e)
    expect(err.message).toBe(
      `Revocation not confirmed: DELETE ${REVOKE_URL} → HTTP 500 Internal Server Error. ${HINT}; the server failed or is busy: it may work on a later run.`,
    )
  })

  test('a transient 503 is retried (DELETE is idempotent), then revoked', async () => {
    const u = new URL(REVOKE_URL)
    nock(u.origin).delete(u.pathname).reply(503, '')
    answerDelete(REVOKE_URL, 200)
    expect(await provider(base, 2).revoke(lease())).toBe('revoked')
    expect(log[0]).toMatch(/^DELETE .* → HTTP 503 in \d+ ms \(attempt 1 of 3\); retrying in/)
  })

  test('revocation-url overrides the endpoint (a sandbox), also for a token from another token-url', async () => {
    const sandbox = 'https://api-ext-dev.getsigneasy.com/oauth/tokens/revoke/'
    const inputs = { ...base, 'token-url': 'https://auth-dev.signeasy.example/oauth/token', 'revocation-url': sandbox }
    answer(inputs['token-url'], 200, DOCUMENTED)
    answerDelete(sandbox, 200)
    const p = provider(inputs)
    const { lease: leased } = await p.acquire()
    expect(leased).toMatchObject({ revocation: 'scheduled', revocationEndpoint: sandbox })
    expect(await p.revoke(leased)).toBe('revoked')
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${inputs['token-url']}`, `DELETE ${sandbox}`])
  })

  test("the token goes to the inputs' endpoint, whatever the saved lease names", async () => {
    answerDelete(REVOKE_URL, 200)
    expect(await provider().revoke(lease({ revocationEndpoint: 'https://collector.example/steal' }))).toBe('revoked')
    expect(seen.map((r) => r.url)).toEqual([REVOKE_URL])
  })

  test('revoke: false still leases, with revocation disabled', async () => {
    answer(SIGNEASY_TOKEN_URL, 200, DOCUMENTED)
    const { lease: leased } = await provider({ ...base, revoke: 'false' }).acquire()
    expect(leased.revocation).toBe('disabled')
  })
})

test("signeasyRevocationUrl: revocation-url, else Signeasy's endpoint only for Signeasy's own token URL", () => {
  const production = 'https://api.signeasy.com/oauth2/tokens/revoke/'
  expect(signeasyRevocationUrl({})).toBe(production)
  expect(signeasyRevocationUrl({ tokenUrl: SIGNEASY_TOKEN_URL })).toBe(production)
  expect(signeasyRevocationUrl({ tokenUrl: 'https://proxy.example/oauth/token' })).toBeUndefined()
  expect(signeasyRevocationUrl({ tokenUrl: 'https://proxy.example/oauth/token', revocationUrl: 'https://proxy.example/r/' })).toBe(
    'https://proxy.example/r/',
  )
  expect(signeasyRevocationUrl({ revocationUrl: 'https://api-ext-dev.getsigneasy.com/oauth/tokens/revoke/' })).toBe(
    'https://api-ext-dev.getsigneasy.com/oauth/tokens/revoke/',
  )
})

describe('signeasyConfig', () => {
  test('fills the documented defaults', () => {
    expect(signeasyConfig(parseConfig(base))).toMatchObject({
      tokenUrl: 'https://auth.signeasy.com/oauth/token',
      audience: 'https://api-ext.signeasy.com/',
      requestFormat: 'json',
      clientAuth: 'client_secret_post',
      grantType: 'client_credentials',
      issuer: undefined,
      revocationUrl: undefined,
    })
  })
  test('keeps what the workflow gives', () => {
    const c = signeasyConfig(
      parseConfig({
        ...base,
        'token-url': 'https://proxy.example/t',
        audience: 'urn:x',
        'request-format': 'form',
        'client-auth': 'client_secret_basic',
      }),
    )
    expect(c).toMatchObject({
      tokenUrl: 'https://proxy.example/t',
      audience: 'urn:x',
      requestFormat: 'form',
      clientAuth: 'client_secret_basic',
    })
  })
})

describe('input checks for provider signeasy', () => {
  test.each([
    [
      'no client-id',
      { provider: 'signeasy', 'client-secret': SECRET },
      "Invalid input: 'client-id' is required for provider signeasy (the app's OAuth client id)",
    ],
    [
      'no client-secret',
      { provider: 'signeasy', 'client-id': CLIENT_ID },
      "Invalid input: 'client-secret' is required for provider signeasy (the app's OAuth client secret)",
    ],
    [
      'another grant',
      { ...base, 'grant-type': 'password' },
      "Invalid input: 'grant-type' must be client_credentials for provider signeasy; got 'password'",
    ],
    [
      'a client-auth without a secret',
      { ...base, 'client-auth': 'private_key_jwt' },
      "Invalid input: 'client-auth' must be client_secret_post (the default) or client_secret_basic for provider signeasy; got 'private_key_jwt'",
    ],
    ['rotate-api-token', { ...base, 'rotate-api-token': 'true' }, "Invalid input: 'rotate-api-token' is used by provider m-trust only"],
    [
      'a revocation-url that is not https',
      { ...base, 'revocation-url': 'http://api-sandbox.signeasy.example/oauth/tokens/revoke/' },
      "Invalid input: 'revocation-url' is plain http to a host that is not loopback (api-sandbox.signeasy.example): use https, or set allow-insecure-http: true",
    ],
    ['a resource', { ...base, resource: 'https://api.signeasy.com/' }, "Invalid input: 'resource' is not used by provider signeasy"],
    [
      'a token-exchange input',
      { ...base, 'subject-token': 'some-subject-token' },
      "Invalid input: 'subject-token' is not used by provider signeasy",
    ],
    [
      'M-Trust inputs',
      { ...base, 'api-token': 'an-api-token', 'server-url': 'https://x.example' },
      "Invalid inputs:\n- 'server-url' is not used by provider signeasy\n- 'api-token' is not used by provider signeasy",
    ],
  ])('refuses %s', (_, raw, message) => {
    expect(inputRefusal(raw as RawInputs)).toBe(message)
  })

  test('the secret never appears in an error, even when it is also given where it does not belong', () => {
    const message = inputRefusal({ ...base, 'grant-type': 'password', password: SECRET })
    expect(message).not.toContain(SECRET)
  })

  test('the documented minimum and every override are accepted', () => {
    expect(parseConfig(base)).toMatchObject({
      provider: 'signeasy',
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      grantType: 'client_credentials',
      rotateApiToken: false,
    })
    expect(
      parseConfig({
        ...base,
        'token-url': 'https://proxy.example/oauth/token',
        audience: 'urn:sandbox',
        scope: 'rs:read',
        'request-format': 'form',
        'client-auth': 'client_secret_basic',
        'grant-type': 'client_credentials',
        'rotate-api-token': 'false',
      }),
    ).toMatchObject({
      tokenUrl: 'https://proxy.example/oauth/token',
      audience: 'urn:sandbox',
      scope: 'rs:read',
      requestFormat: 'form',
      clientAuth: 'client_secret_basic',
    })
  })
})

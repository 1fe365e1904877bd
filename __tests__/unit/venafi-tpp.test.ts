/**
 * The Venafi TPP provider (src/providers/venafi-tpp.ts) and its input checks, against nock:
 * the exact VEDauth requests (PROTOCOLS.md §1), how each answer becomes a lease, an error or a
 * revocation result, and which failures are retried. The real HTTP layer runs underneath
 * (src/http.ts through makeDeps), only its sleep is replaced so retries take no time.
 */
import nock from 'nock'
import type { ActionsCore } from '../../src/core.js'
import { InputError, parseConfig, type RawInputs } from '../../src/inputs.js'
import type { Lease } from '../../src/lease.js'
import { makeDeps } from '../../src/main.js'
import { create, DEFAULT_TPP_SCOPE, tppBase, wayIn } from '../../src/providers/venafi-tpp.js'
import { Secrets } from '../../src/secrets.js'
import { createPki } from '../support/tpp-emulator.js'
import { inputRefusal } from '../support/input-refusal.js'
import { startFaultServer } from '../support/fault-server.js'

const SERVER = 'https://tpp.example.com'
const NOW = 1_780_000_000
const PASSWORD = 'Pa55:word+with%chars & "quotes"'
const ACCESS = 'KT2EEVTIjWM/37L78dqJAg=='
const REFRESH = 'f60/Xn3ZJ8u+qH2lBb9KcQ=='

interface Seen {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Records every request nock answers, with its raw body. */
function recorder() {
  const seen: Seen[] = []
  const record = (status: number, body: string | object, headers: Record<string, string> = {}) =>
    function (
      this: { req: { method: string; path: string; headers: Record<string, string> } },
      uri: string,
      requestBody: unknown,
    ): [number, string, Record<string, string>] {
      seen.push({
        method: this.req.method,
        path: uri,
        headers: { ...this.req.headers },
        body: typeof requestBody === 'string' ? requestBody : JSON.stringify(requestBody),
      })
      return [
        status,
        typeof body === 'string' ? body : JSON.stringify(body),
        { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers },
      ]
    }
  return { seen, record }
}

function setup(inputs: RawInputs, env: NodeJS.ProcessEnv = {}) {
  const logs: string[] = []
  const masked: string[] = []
  const waits: number[] = []
  const core = {
    info: (m: string) => logs.push(m),
    warning: (m: string) => logs.push(`warning: ${m}`),
    debug: (m: string) => logs.push(`debug: ${m}`),
  } as unknown as ActionsCore
  const secrets = new Secrets((v) => masked.push(v))
  for (const name of ['password', 'client-key', 'client-key-passphrase'] as const) secrets.add(inputs[name])
  const config = parseConfig({ provider: 'venafi-tpp', 'server-url': SERVER, 'client-id': 'token-lease-ci', ...inputs })
  const deps = makeDeps(config, secrets, { core, env, now: () => NOW, sleep: async (ms) => void waits.push(ms) })
  return { provider: create(config, deps), config, logs, masked, waits, secrets }
}

const tokenBody = (extra: object = {}) => ({
  access_token: ACCESS,
  refresh_token: REFRESH,
  expires: NOW + 3600,
  token_type: 'Bearer',
  scope: 'certificate:manage,revoke',
  identity: 'local:{6b3a2c1e-0000-4000-8000-00000000a001}',
  refresh_until: NOW + 86400,
  ...extra,
})

afterEach(() => {
  nock.cleanAll()
})
beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())

describe('base URL and way in', () => {
  test.each([
    ['https://tpp.example.com', 'https://tpp.example.com'],
    ['https://tpp.example.com/', 'https://tpp.example.com'],
    ['https://tpp.example.com/vedsdk', 'https://tpp.example.com'],
    ['https://tpp.example.com/vedsdk/', 'https://tpp.example.com'],
    ['https://tpp.example.com/VEDSDK//', 'https://tpp.example.com'],
    ['https://tpp.example.com/vedauth/', 'https://tpp.example.com'],
    ['https://tpp.example.com:8443/venafi/vedsdk/', 'https://tpp.example.com:8443/venafi'],
  ])('%s → %s', (pasted, base) => {
    expect(tppBase(pasted)).toBe(base)
  })

  test('username/password, a client certificate, or neither (the OIDC token)', () => {
    expect(wayIn({ username: 'u', password: 'p', tls: {} })).toBe('oauth')
    expect(wayIn({ tls: { cert: 'c', key: 'k' } })).toBe('certificate')
    expect(wayIn({ tls: { ca: 'ca' } })).toBe('jwt')
  })
})

describe('input checks for provider venafi-tpp', () => {
  const base = { provider: 'venafi-tpp', 'server-url': SERVER, 'client-id': 'token-lease-ci' }

  test('the defaults: scope certificate:manage,revoke, no scope input needed', () => {
    const config = parseConfig({ ...base, username: 'u', password: 'p' })
    expect(config.scope).toBeUndefined()
    expect(DEFAULT_TPP_SCOPE).toBe('certificate:manage,revoke')
  })

  test('server-url and client-id are required, each named', () => {
    expect(inputRefusal({ provider: 'venafi-tpp' })).toBe(
      "Invalid inputs:\n- 'server-url' is required for provider venafi-tpp (the TPP base URL)\n- 'client-id' is required for provider venafi-tpp (the API integration id)",
    )
  })

  test('username/password and a client certificate clash, naming both', () => {
    expect(inputRefusal({ ...base, username: 'u', password: PASSWORD, 'client-certificate': 'c', 'client-key': 'k' })).toBe(
      "Invalid input: 'username'/'password' and 'client-certificate'/'client-key' clash: give one way in for provider venafi-tpp (or neither, for the job's OIDC token)",
    )
  })

  test('oidc-audience clashes with the way in it would not be used by', () => {
    expect(inputRefusal({ ...base, username: 'u', password: PASSWORD, 'oidc-audience': 'tpp' })).toBe(
      "Invalid input: 'oidc-audience' clashes with 'username'/'password': provider venafi-tpp uses the job's OIDC token only when neither is given",
    )
    expect(inputRefusal({ ...base, 'client-certificate': 'c', 'client-key': 'k', 'oidc-audience': 'tpp' })).toBe(
      "Invalid input: 'oidc-audience' clashes with 'client-certificate'/'client-key': provider venafi-tpp uses the job's OIDC token only when neither is given",
    )
  })

  test('half a pair is refused, and a password is never echoed', () => {
    const message = inputRefusal({ ...base, password: PASSWORD })
    expect(message).toBe("Invalid input: 'username' and 'password' go together for provider venafi-tpp")
    expect(inputRefusal({ ...base, 'client-certificate': 'c' })).toContain("'client-certificate' and 'client-key' go together")
  })

  test('OAuth inputs that TPP does not use are refused by name', () => {
    expect(inputRefusal({ ...base, username: 'u', password: 'p', 'client-secret': 's', 'grant-type': 'password', audience: 'x' })).toBe(
      "Invalid inputs:\n- 'grant-type' is not used by provider venafi-tpp\n- 'client-secret' is not used by provider venafi-tpp\n- 'audience' is not used by provider venafi-tpp",
    )
  })

  test.each(['certificate:manage revoke', 'certificate:manage, revoke', 'certificate manage', 'certificate:manage;;configuration'])(
    'scope %p is not TPP syntax',
    (scope) => {
      expect(inputRefusal({ ...base, username: 'u', password: 'p', scope })).toBe(
        `Invalid input: 'scope' for provider venafi-tpp must be in TPP syntax, ';' between scopes and ',' between privileges, no spaces (e.g. certificate:manage,revoke;configuration); got '${scope}'`,
      )
    },
  )

  test.each(['certificate:manage,revoke;configuration', 'ssh:manage', 'codesignclient;codesign', 'Configuration:Manage'])(
    'scope %p is accepted',
    (scope) => {
      expect(parseConfig({ ...base, username: 'u', password: 'p', scope }).scope).toBe(scope)
    },
  )
})

describe('acquire', () => {
  test('username/password: POST /vedauth/authorize/oauth with the documented JSON body; the lease from the answer', async () => {
    const { seen, record } = recorder()
    nock(SERVER).post('/vedauth/authorize/oauth').reply(record(200, tokenBody()))
    const { provider, masked, logs } = setup({ 'server-url': `${SERVER}/vedsdk/`, username: 'local:svc-release', password: PASSWORD })
    const { lease, outputs } = await provider.acquire()

    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/vedauth/authorize/oauth' })
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache', accept: 'application/json' })
    expect(seen[0].headers.authorization).toBeUndefined()
    expect(seen[0].body).toBe(
      JSON.stringify({
        client_id: 'token-lease-ci',
        username: 'local:svc-release',
        password: PASSWORD,
        scope: 'certificate:manage,revoke',
      }),
    )

    expect(lease).toEqual<Lease>({
      provider: 'venafi-tpp',
      token: ACCESS,
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 3600,
      scope: 'certificate:manage,revoke',
      identity: 'local:{6b3a2c1e-0000-4000-8000-00000000a001} (token-lease-ci)',
      tokenEndpoint: `${SERVER}/vedauth/authorize/oauth`,
      revocation: 'scheduled',
      revocationEndpoint: `${SERVER}/vedauth/revoke/token`,
    })
    // The refresh token is masked the moment it is read, and goes nowhere: not the lease, not an output.
    expect(outputs).toBeUndefined()
    expect(masked).toEqual(expect.arrayContaining([ACCESS, REFRESH, encodeURIComponent(REFRESH)]))
    expect(JSON.stringify(lease)).not.toContain(REFRESH)
    expect(logs.join('\n')).toContain("TPP signed in with username/password through API integration 'token-lease-ci'.")
  })

  test('the scope asked is the input; the scope granted is what the server says', async () => {
    const { seen, record } = recorder()
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(record(200, tokenBody({ scope: 'certificate:manage,revoke;configuration' })))
    const { provider } = setup({ username: 'u', password: PASSWORD, scope: 'certificate:revoke,manage;configuration' })
    const { lease } = await provider.acquire()
    expect(JSON.parse(seen[0].body).scope).toBe('certificate:revoke,manage;configuration')
    expect(lease.scope).toBe('certificate:manage,revoke;configuration')
  })

  test('client certificate: POST /vedauth/authorize/certificate with only client_id and scope', async () => {
    const pki = createPki()
    const { seen, record } = recorder()
    nock(SERVER)
      .post('/vedauth/authorize/certificate')
      .reply(record(200, tokenBody({ refresh_token: undefined })))
    const { provider } = setup({
      'client-certificate': pki.client.cert,
      'client-key': pki.clientEncrypted.key,
      'client-key-passphrase': pki.clientEncrypted.passphrase,
    })
    const { lease } = await provider.acquire()
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/vedauth/authorize/certificate' })
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-cache' })
    expect(seen[0].body).toBe('{"client_id":"token-lease-ci","scope":"certificate:manage,revoke"}')
    expect(lease.tokenEndpoint).toBe(`${SERVER}/vedauth/authorize/certificate`)
  })

  test('client certificate: a wrong passphrase or a key of another certificate fails before any request, naming the input', () => {
    // The HTTP layer loads the TLS material when the dependencies are made, before the provider sends anything.
    const pki = createPki()
    const other = createPki({ clientCn: 'someone-else' })
    expect(() =>
      setup({
        'client-certificate': pki.client.cert,
        'client-key': pki.clientEncrypted.key,
        'client-key-passphrase': 'not-the-passphrase',
      }),
    ).toThrow(expect.objectContaining({ name: 'InputError', message: expect.stringContaining("'client-key-passphrase'") }))
    expect(() => setup({ 'client-certificate': pki.client.cert, 'client-key': other.client.key })).toThrow(
      expect.objectContaining({ name: 'InputError', message: expect.stringContaining("'client-key'") }),
    )
  })

  test("neither: the job's OIDC token for 'oidc-audience' goes in the jwt field of POST /vedauth/authorize/jwt", async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9jdG8ifQ.c2lnbmF0dXJlLW9mLXRoZS1zdGFuZC1pbg'
    const oidc = nock('https://runner.example')
      .get('/idtoken')
      .query({ 'api-version': '2.0', audience: 'https://tpp.example.com/vedauth' })
      .matchHeader('authorization', 'Bearer req-token-1234')
      .reply(200, { value: jwt })
    const { seen, record } = recorder()
    nock(SERVER)
      .post('/vedauth/authorize/jwt')
      .reply(record(200, tokenBody({ refresh_token: undefined, identity: 'local:{jwt}' })))
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/idtoken?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token-1234',
    }
    const { provider, masked } = setup({ 'oidc-audience': 'https://tpp.example.com/vedauth' }, env)
    const { lease } = await provider.acquire()
    expect(oidc.isDone()).toBe(true)
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/vedauth/authorize/jwt' })
    expect(seen[0].body).toBe(JSON.stringify({ client_id: 'token-lease-ci', jwt, scope: 'certificate:manage,revoke' }))
    expect(masked).toEqual(expect.arrayContaining([jwt, 'req-token-1234']))
    expect(lease.identity).toBe('local:{jwt} (token-lease-ci)')
  })

  test('neither, and no id-token permission: says which way in that is and how to grant it, with no request', async () => {
    const { provider } = setup({})
    const err = await provider.acquire().catch((e: Error) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(
      /^provider venafi-tpp with neither 'username'\/'password' nor 'client-certificate'\/'client-key' signs in with the job's GitHub OIDC token\. .*id-token: write.*an empty secret, e\.g\. in a pull request from a fork, counts as not given/,
    )
  })

  test('expires_in is the fallback when there is no absolute expires; an expires in milliseconds is read as seconds', async () => {
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(200, tokenBody({ expires: undefined, expires_in: 900 }))
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(200, tokenBody({ expires: (NOW + 600) * 1000 }))
    const { provider } = setup({ username: 'u', password: PASSWORD })
    expect((await provider.acquire()).lease.expiresAt).toBe(NOW + 900)
    expect((await provider.acquire()).lease.expiresAt).toBe(NOW + 600)
  })

  test('revoke: false is recorded in the lease', async () => {
    nock(SERVER).post('/vedauth/authorize/oauth').reply(200, tokenBody())
    const { provider } = setup({ username: 'u', password: PASSWORD, revoke: 'false' })
    expect((await provider.acquire()).lease.revocation).toBe('disabled')
  })
})

describe('refusals and retries', () => {
  test("a 400 fails at once with TPP's reason phrase and a hint for the way in; the password never shows", async () => {
    // TPP's own reason phrases come through the emulator (integration tests); nock gives the standard one.
    const { seen, record } = recorder()
    nock(SERVER).post('/vedauth/authorize/oauth').reply(record(400, ''))
    const { provider, waits } = setup({ username: 'local:svc-release', password: PASSWORD })
    const err = (await provider.acquire().catch((e: Error) => e)) as Error & { status?: number }
    expect(seen).toHaveLength(1)
    expect(waits).toEqual([])
    expect(err.name).toBe('RequestError')
    expect(err.status).toBe(400)
    expect(err.message).toBe(
      `TPP token request failed: POST ${SERVER}/vedauth/authorize/oauth → HTTP 400 Bad Request; Hint: check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'.`,
    )
    expect(err.message).not.toContain(PASSWORD)
  })

  test('an OAuth-style error body: the code and description are shown (redacted), with the matching hint', async () => {
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(400, { error: 'invalid_scope', error_description: `Scope not allowed for ${PASSWORD}` })
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(400, { error: 'invalid_client', error_description: "The client_id 'x' does not match an API integration" })
    const { provider } = setup({ username: 'u', password: PASSWORD })
    const scope = (await provider.acquire().catch((e: Error) => e)) as Error
    expect(scope.message).toBe(
      `TPP token request failed: POST ${SERVER}/vedauth/authorize/oauth → HTTP 400 Bad Request; error invalid_scope: Scope not allowed for ***; Hint: check 'scope': TPP syntax (';' between scopes, ',' between privileges, e.g. certificate:manage,revoke;configuration), and only what the API integration allows.`,
    )
    const client = (await provider.acquire().catch((e: Error) => e)) as Error
    expect(client.message).toMatch(
      /error invalid_client: The client_id 'x' does not match an API integration; Hint: check 'client-id': it must equal the API integration's id exactly \(case-sensitive\)\.$/,
    )
  })

  test('a 404 points at server-url (and at the TPP version for the JWT way)', async () => {
    nock(SERVER).post('/vedauth/authorize/oauth').reply(404, 'Not Found')
    const { provider } = setup({ username: 'u', password: PASSWORD })
    const err = (await provider.acquire().catch((e: Error) => e)) as Error
    expect(err.message).toBe(
      `TPP token request failed: POST ${SERVER}/vedauth/authorize/oauth → HTTP 404 Not Found; Hint: check 'server-url' (the TPP base URL, e.g. https://tpp.example.com): no VEDauth endpoint answered there.`,
    )
  })

  test('503, 429 with Retry-After, and a reset connection are retried; then the token', async () => {
    const { seen, record } = recorder()
    nock(SERVER)
      .post('/vedauth/authorize/oauth')
      .reply(record(503, 'busy'))
      .post('/vedauth/authorize/oauth')
      .reply(record(429, 'slow down', { 'retry-after': '7' }))
      .post('/vedauth/authorize/oauth')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post('/vedauth/authorize/oauth')
      .reply(record(200, tokenBody()))
    const { provider, waits, logs } = setup({ username: 'u', password: PASSWORD, retries: '3' })
    const { lease } = await provider.acquire()
    expect(lease.token).toBe(ACCESS)
    // Every attempt sent the same request.
    expect(seen.map((s) => s.body)).toEqual(Array(3).fill(seen[0].body))
    expect(waits).toHaveLength(3)
    expect(waits[1]).toBeGreaterThanOrEqual(7000)
    expect(logs.filter((l) => /retrying in/.test(l))).toHaveLength(3)
    expect(logs.join('\n')).not.toContain(PASSWORD)
  })

  test('5xx on every attempt: fails after the retries with a hint to try later', async () => {
    nock(SERVER).post('/vedauth/authorize/oauth').times(3).reply(500, 'oops')
    const { provider, waits } = setup({ username: 'u', password: PASSWORD, retries: '2' })
    const err = (await provider.acquire().catch((e: Error) => e)) as Error
    expect(waits).toHaveLength(2)
    expect(err.message).toBe(
      `TPP token request failed: POST ${SERVER}/vedauth/authorize/oauth → HTTP 500 Internal Server Error; Hint: the server failed; try again later.`,
    )
  })

  test('a 200 that is not JSON (a login page from a proxy) is an error, not a token', async () => {
    nock(SERVER).post('/vedauth/authorize/oauth').reply(200, '<html>Sign in</html>', { 'content-type': 'text/html' })
    const { provider } = setup({ username: 'u', password: PASSWORD })
    await expect(provider.acquire()).rejects.toThrow(/answered HTTP 200 with a body that is not a JSON object \(content-type text\/html\)/)
  })
})

describe('revoke', () => {
  const lease = (): Lease => ({
    provider: 'venafi-tpp',
    token: ACCESS,
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 3600,
    tokenEndpoint: `${SERVER}/vedauth/authorize/oauth`,
    revocation: 'scheduled',
    revocationEndpoint: `${SERVER}/vedauth/revoke/token`,
  })

  test("GET /vedauth/revoke/token with vcert's headers (JSON content type, no-cache), the bearer token and no body; 200 is revoked", async () => {
    const { seen, record } = recorder()
    nock(SERVER)
      .get('/vedauth/revoke/token')
      .reply(record(200, 'Grant for identity [local:{x}] with scope [certificate:manage,revoke] has been revoked'))
    const { provider } = setup({ username: 'u', password: PASSWORD })
    expect(await provider.revoke(lease())).toBe('revoked')
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/vedauth/revoke/token' })
    // vcert's request() sets both on every call, GETs included (pkg/venafi/tpp/tpp.go).
    expect(seen[0].headers).toMatchObject({
      authorization: `Bearer ${ACCESS}`,
      'cache-control': 'no-cache',
      'content-type': 'application/json',
    })
    expect(seen[0].body).toBe('')
  })

  test('the token goes to the revoke endpoint of server-url, whatever endpoint the saved lease names', async () => {
    const { seen, record } = recorder()
    nock(SERVER).get('/vedauth/revoke/token').reply(record(200, 'revoked'))
    const { provider } = setup({ username: 'u', password: PASSWORD })
    const planted = { ...lease(), revocationEndpoint: 'https://collector.example/vedauth/revoke/token' }
    expect(await provider.revoke(planted)).toBe('revoked')
    expect(seen.map((s) => s.path)).toEqual(['/vedauth/revoke/token'])
  })

  test('202 is "not found": nothing was revoked', async () => {
    nock(SERVER).get('/vedauth/revoke/token').reply(202, '[token] not found')
    const { provider } = setup({ username: 'u', password: PASSWORD })
    expect(await provider.revoke(lease())).toBe('not found')
  })

  test('401 is a refusal, never success: "not revoked", with a hint, not retried', async () => {
    nock(SERVER).get('/vedauth/revoke/token').reply(401, '')
    const { provider, waits } = setup({ username: 'u', password: PASSWORD })
    const err = (await provider.revoke(lease()).catch((e: Error) => e)) as Error & { status?: number }
    expect(err.name).toBe('RequestError')
    expect(err.status).toBe(401)
    expect(err.message).toBe(
      `Revocation failed: GET ${SERVER}/vedauth/revoke/token → HTTP 401 Unauthorized; not revoked: the server refused the token (401); Hint: TPP answers 401 for any token it does not accept (already revoked, expired, or issued by another server): check that 'server-url' is the TPP that issued it and that no other step revoked it.`,
    )
    expect(waits).toEqual([])
  })

  test("a correlation id from TPP's answer is in the error (request id: …), before the hint", async () => {
    nock(SERVER).get('/vedauth/revoke/token').reply(404, '', { 'x-request-id': 'tpp-req-7f3a' })
    const { provider } = setup({ username: 'u', password: PASSWORD })
    const err = (await provider.revoke(lease()).catch((e: Error) => e)) as Error
    expect(err.message).toBe(
      `Revocation failed: GET ${SERVER}/vedauth/revoke/token → HTTP 404 Not Found; request id: tpp-req-7f3a; Hint: check 'server-url': no VEDauth revoke endpoint there.`,
    )
  })

  test('403 fails with a scope hint; 503 is retried first', async () => {
    nock(SERVER).get('/vedauth/revoke/token').reply(403, '')
    nock(SERVER).get('/vedauth/revoke/token').reply(503, '').get('/vedauth/revoke/token').reply(200, '')
    const { provider, waits } = setup({ username: 'u', password: PASSWORD })
    const err = (await provider.revoke(lease()).catch((e: Error) => e)) as Error
    expect(err.message).toBe(
      `Revocation failed: GET ${SERVER}/vedauth/revoke/token → HTTP 403 Forbidden; Hint: the token's scope does not allow revocation on this server version; the docs name configuration:manage: add it to 'scope' (and to the API integration).`,
    )
    expect(err.message).not.toContain(ACCESS)
    expect(await provider.revoke(lease())).toBe('revoked')
    expect(waits).toHaveLength(1)
  })
})

describe('verify (is the revoked token dead?)', () => {
  const lease = (): Lease => ({
    provider: 'venafi-tpp',
    token: ACCESS,
    tokenType: 'Bearer',
    issuedAt: NOW,
    tokenEndpoint: `${SERVER}/vedauth/authorize/oauth`,
    revocation: 'scheduled',
    revocationEndpoint: `${SERVER}/vedauth/revoke/token`,
  })

  test("GET /vedauth/authorize/verify (not /verify/token) with the token as Bearer and vcert's headers; 401 is dead", async () => {
    const { seen, record } = recorder()
    nock(SERVER).get('/vedauth/authorize/verify').reply(record(401, ''))
    const { provider } = setup({ username: 'u', password: PASSWORD })
    expect(await provider.verify!(lease())).toEqual({ state: 'dead' })
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/vedauth/authorize/verify',
        headers: expect.objectContaining({
          authorization: `Bearer ${ACCESS}`,
          'content-type': 'application/json',
          'cache-control': 'no-cache',
        }),
        body: '',
      },
    ])
  })

  test('200 "Token is valid" is alive: the revocation did not take', async () => {
    nock(SERVER).get('/vedauth/authorize/verify').reply(200, { application: 'token-lease-ci', valid_for: 3600 })
    const { provider } = setup({ username: 'u', password: PASSWORD })
    expect(await provider.verify!(lease())).toEqual({ state: 'alive' })
  })

  test('any other answer is unknown, with the endpoint and status, never the token', async () => {
    nock(SERVER).get('/vedauth/authorize/verify').reply(403, '')
    const { provider } = setup({ username: 'u', password: PASSWORD })
    const result = await provider.verify!(lease())
    expect(result).toEqual({ state: 'unknown', reason: `GET ${SERVER}/vedauth/authorize/verify answered HTTP 403 Forbidden` })
  })

  test('the reason phrase is server text: cleaned, so an echo of the token or the password never reaches the reason', async () => {
    const server = await startFaultServer()
    nock.enableNetConnect('127.0.0.1')
    try {
      server.route('GET', '/vedauth/authorize/verify', { status: 418, statusText: `teapot ${ACCESS} ${PASSWORD}` })
      const { provider, secrets } = setup({ 'server-url': server.origin, username: 'u', password: PASSWORD })
      secrets.add(ACCESS) // as post masks the lease's token before anything else
      const result = await provider.verify!(lease())
      expect(result).toEqual({ state: 'unknown', reason: `GET ${server.origin}/vedauth/authorize/verify answered HTTP 418 teapot *** ***` })
    } finally {
      await server.close()
    }
  })

  test('a transient failure is retried by the HTTP layer only; a network failure after the retries is unknown', async () => {
    nock(SERVER)
      .get('/vedauth/authorize/verify')
      .times(2)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    const { provider, waits } = setup({ username: 'u', password: PASSWORD, retries: '1' })
    const result = await provider.verify!(lease())
    expect(result.state).toBe('unknown')
    expect(result.state === 'unknown' && result.reason).toMatch(
      new RegExp(
        `^TPP token check \\(GET ${SERVER.replace(/\./g, '\\.')}/vedauth/authorize/verify\\) failed: the connection was closed without an answer \\(ECONNRESET\\) after 2 attempts\\.`,
      ),
    )
    expect(waits).toHaveLength(1)
  })

  test('after a 503 the one retry that answers 401 decides', async () => {
    nock(SERVER).get('/vedauth/authorize/verify').reply(503, '').get('/vedauth/authorize/verify').reply(401, '')
    const { provider, waits } = setup({ username: 'u', password: PASSWORD, retries: '3' })
    expect(await provider.verify!(lease())).toEqual({ state: 'dead' })
    expect(waits).toHaveLength(1)
  })
})

describe('printed inputs', () => {
  test('a client-id with a line break is refused as input, before any request; the refusal starts no workflow command', () => {
    // parseConfig throws inside setup, before a provider exists: no request can be made.
    let message = ''
    try {
      setup({ username: 'u', password: PASSWORD, 'client-id': 'ci\n::warning::planted' })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toBe("Invalid input: 'client-id' must be one line without control characters; got 'ci ***'")
    expect(message.split('\n').some((l) => l.startsWith('::'))).toBe(false)
  })
})

describe('server-url without a scheme means https://, as vcert reads it', () => {
  test.each([
    ['tpp.example.com', 'https://tpp.example.com'],
    ['tpp.example.com:8443/vedsdk', 'https://tpp.example.com:8443/vedsdk'],
    ['tpp.example.com/vedsdk/', 'https://tpp.example.com/vedsdk/'],
    ['localhost:8443', 'https://localhost:8443'],
    ['https://tpp.example.com', 'https://tpp.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('%s → %s', (given, url) => {
    expect(parseConfig({ provider: 'venafi-tpp', 'server-url': given, 'client-id': 'c' }).serverUrl).toBe(url)
  })

  test('the requests go to https on the port given', async () => {
    nock('https://tpp.example.com:8443').post('/vedauth/authorize/oauth').reply(200, tokenBody())
    const { provider } = setup({ username: 'u', password: PASSWORD, 'server-url': 'tpp.example.com:8443/vedsdk' })
    const { lease } = await provider.acquire()
    expect(lease.tokenEndpoint).toBe('https://tpp.example.com:8443/vedauth/authorize/oauth')
    expect(lease.revocationEndpoint).toBe('https://tpp.example.com:8443/vedauth/revoke/token')
  })

  test.each([
    ['ftp://tpp.example.com', "Invalid input: 'server-url' must be an absolute https:// URL; got 'ftp://tpp.example.com'"],
    ['svc:pw@tpp.example.com', "'server-url' must not carry credentials in the URL; use the credential inputs"],
    ['tpp example', "Invalid input: 'server-url' must be an absolute https:// URL; got 'tpp example'"],
  ])('still refuses %s', (given, message) => {
    const refusal = inputRefusal({ provider: 'venafi-tpp', 'server-url': given, 'client-id': 'c' })
    expect(refusal).toContain(message)
    expect(refusal).not.toContain('pw')
  })
})

/**
 * Keyless and advanced OAuth 2.0 against real servers on 127.0.0.1, through the provider as
 * main and post wire it (makeDeps: the real HTTP layer and the real OIDC-token fetch):
 * - the stand-in for the runner's OIDC token service (scripts/lib/github-oidc-server.mjs);
 * - oidc-provider (scripts/lib/oidc-server.mjs) trusting the stand-in's JWKS for RFC 8693 token
 *   exchange and RFC 7523 JWT bearer, and private_key_jwt clients for RS256, PS256, ES256, EdDSA;
 * - the loopback AS emulator (scripts/lib/loopback-as.mjs) for github-oidc client authentication
 *   (Entra ID's federated-credential shape, which oidc-provider cannot take), refresh-token
 *   rotation and the password grant.
 * Each test checks the requests as the servers received them and the server's view of the tokens.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { exportJWK, jwtVerify, decodeProtectedHeader } from 'jose'
import type { RawInputs } from '../../src/inputs.js'
import { startGithubOidcServer, type GithubOidcServer } from '../support/github-oidc-server.js'
import { JWT_BEARER_GRANT, startOidcServer, TOKEN_EXCHANGE_GRANT, type OidcServer } from '../support/oidc-server.js'
import { startLoopbackAs, type LoopbackAs } from '../support/loopback-as.js'
import { wiredOauth2Provider } from '../support/wired-oauth2.js'

const AUDIENCE = 'token-lease-tests'
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'
const ENTRA_AUDIENCE = 'api://AzureADTokenExchange'
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const SCOPE = 'api:read api:write'
const ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const
const EXCHANGER_SECRET = 'exchanger-secret-Vb71'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const KEYS: Record<(typeof ALGS)[number], { privateKey: KeyObject; publicKey: KeyObject }> = {
  RS256: rsa,
  PS256: rsa,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  EdDSA: generateKeyPairSync('ed25519'),
}
const pem = (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }) as string

let gh: GithubOidcServer
let op: OidcServer
let entra: LoopbackAs
let as: LoopbackAs

beforeAll(async () => {
  gh = await startGithubOidcServer()
  const client = (id: string, extra: object) => ({ client_id: id, redirect_uris: [], response_types: [], scope: SCOPE, ...extra })
  op = await startOidcServer({
    trustJwtIssuer: { issuer: gh.issuer, jwks: gh.jwks, audience: AUDIENCE },
    clients: [
      client('gh-exchange', { token_endpoint_auth_method: 'none', grant_types: [TOKEN_EXCHANGE_GRANT, JWT_BEARER_GRANT] }),
      client('confidential-exchanger', {
        client_secret: EXCHANGER_SECRET,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [TOKEN_EXCHANGE_GRANT],
      }),
      ...(await Promise.all(
        ALGS.map(async (alg) =>
          client(`signer-${alg}`, {
            token_endpoint_auth_method: 'private_key_jwt',
            grant_types: ['client_credentials'],
            jwks: { keys: [{ ...(await exportJWK(KEYS[alg].publicKey)), kid: `key-${alg}` }] },
          }),
        ),
      )),
    ],
  })
  const federated = [{ issuer: gh.issuer, subject: SUBJECT, audience: ENTRA_AUDIENCE }]
  entra = await startLoopbackAs({
    tenant: 'contoso-tenant-id',
    clients: [{ id: 'entra-app-id', federated, scope: 'https://graph.example/.default' }],
  })
  as = await startLoopbackAs({
    clients: [
      { id: 'federated-app', federated, scope: SCOPE },
      { id: 'wrong-subject-app', federated: [{ ...federated[0], subject: 'repo:octo-org/other-repo:ref:refs/heads/main' }] },
      { id: 'app', secret: 'app-secret-Hj62', scope: SCOPE },
    ],
    users: [{ username: 'deploy-bot', password: 'bot password & more' }],
  })
})
afterAll(async () => {
  await Promise.all([gh?.close(), op?.close(), entra?.close(), as?.close()])
})

/** The provider as main and post build it, with the runner's OIDC variables from the stand-in. */
const provider = (raw: RawInputs, env: NodeJS.ProcessEnv = gh.env) => wiredOauth2Provider(raw, env)

/** Server-side requests from index `from` on, as method + path. */
const paths = (requests: { method: string; path: string }[], from = 0) => requests.slice(from).map((r) => `${r.method} ${r.path}`)

describe('oidc-provider trusting the GitHub OIDC stand-in', () => {
  test("token exchange: the job's OIDC token is the subject; the server verified it and post revokes the result", async () => {
    const [opFrom, ghFrom] = [op.requests.length, gh.requests.length]
    const { provider: p, masked } = provider({
      issuer: op.issuer,
      'grant-type': 'token-exchange',
      'client-id': 'gh-exchange',
      'oidc-audience': AUDIENCE,
      scope: 'api:read',
      resource: 'https://api.example/',
      'requested-token-type': 'urn:ietf:params:oauth:token-type:access_token',
    })
    const { lease } = await p.acquire()
    const subject = gh.issued.at(-1)!
    expect(gh.requests.slice(ghFrom)).toEqual([
      { method: 'GET', path: '/token', audience: AUDIENCE, authorization: `Bearer ${gh.requestToken}` },
    ])
    expect(paths(op.requests, opFrom)).toEqual(['GET /.well-known/oauth-authorization-server', 'POST /token'])
    expect(op.requests.at(-1)!.body).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'api:read',
      resource: 'https://api.example/',
      client_id: 'gh-exchange',
    })
    expect(lease).toMatchObject({
      clientAuth: 'none',
      scope: 'api:read',
      revocation: 'scheduled',
      revocationEndpoint: `${op.issuer}/token/revocation`,
    })
    expect(await op.introspect(lease.token)).toMatchObject({
      active: true,
      client_id: 'gh-exchange',
      external_iss: gh.issuer,
      external_sub: SUBJECT,
      requested_resource: 'https://api.example/',
    })
    expect(masked).toEqual(expect.arrayContaining([subject, subject.split('.')[2], gh.requestToken, lease.token]))

    await expect(p.revoke(lease)).resolves.toBe('revoked')
    expect(op.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/token/revocation',
      body: { token: lease.token, token_type_hint: 'access_token', client_id: 'gh-exchange' },
      status: 200,
    })
    expect(await op.introspect(lease.token)).toEqual({ active: false })
  })

  test('token exchange with a given subject token and an actor token, as a confidential client', async () => {
    const fetchJwt = async () => {
      const res = await fetch(`${gh.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${AUDIENCE}`, {
        headers: { authorization: `Bearer ${gh.requestToken}` },
      })
      return ((await res.json()) as { value: string }).value
    }
    const [subject, actor] = [await fetchJwt(), await fetchJwt()]
    const { provider: p } = provider({
      'token-url': `${op.issuer}/token`,
      'revocation-url': `${op.issuer}/token/revocation`,
      'grant-type': 'token-exchange',
      'client-id': 'confidential-exchanger',
      'client-secret': EXCHANGER_SECRET,
      'subject-token': subject,
      'subject-token-type': 'urn:ietf:params:oauth:token-type:id_token',
      'actor-token': actor,
      'actor-token-type': 'urn:ietf:params:oauth:token-type:jwt',
      audience: 'https://api.example',
    })
    const ghFrom = gh.requests.length
    const { lease } = await p.acquire()
    expect(gh.requests.length).toBe(ghFrom)
    const sent = op.requests.at(-1)!
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from(`confidential-exchanger:${EXCHANGER_SECRET}`).toString('base64')}`)
    expect(sent.body).toEqual({
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: subject,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      actor_token: actor,
      actor_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      audience: 'https://api.example',
    })
    expect(await op.introspect(lease.token)).toMatchObject({
      active: true,
      client_id: 'confidential-exchanger',
      act: { sub: SUBJECT },
      requested_audience: 'https://api.example',
    })
    await p.revoke(lease)
    expect(await op.introspect(lease.token)).toEqual({ active: false })
  })

  test('an OIDC token for another audience is refused: invalid_grant, and no token in the message', async () => {
    const { provider: p } = provider({
      'token-url': `${op.issuer}/token`,
      'grant-type': 'token-exchange',
      'client-id': 'gh-exchange',
      'oidc-audience': 'someone-else',
    })
    const err = (await p.acquire().catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(
      /^Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 400; error invalid_grant: subject_token not accepted \(ERR_JWT_CLAIM_VALIDATION_FAILED\); Hint: the grant or assertion was refused/,
    )
    expect(err.message).not.toContain(gh.issued.at(-1)!.split('.')[2])
  })

  test("JWT bearer: the job's OIDC token is the assertion", async () => {
    const { provider: p } = provider({
      'token-url': `${op.issuer}/token`,
      'revocation-url': `${op.issuer}/token/revocation`,
      'grant-type': 'jwt-bearer',
      'client-id': 'gh-exchange',
      'oidc-audience': AUDIENCE,
      scope: 'api:write',
    })
    const { lease } = await p.acquire()
    expect(op.requests.at(-1)!.body).toEqual({
      grant_type: JWT_BEARER_GRANT,
      assertion: gh.issued.at(-1),
      scope: 'api:write',
      client_id: 'gh-exchange',
    })
    expect(await op.introspect(lease.token)).toMatchObject({ active: true, scope: 'api:write', external_sub: SUBJECT })
    await p.revoke(lease)
    expect(await op.introspect(lease.token)).toEqual({ active: false })
  })

  test.each(ALGS)(
    'private_key_jwt with %s: accepted, and revocation signs a new assertion (oidc-provider refuses a replayed jti)',
    async (alg) => {
      const from = op.requests.length
      const { provider: p, masked } = provider({
        'token-url': `${op.issuer}/token`,
        'revocation-url': `${op.issuer}/token/revocation`,
        'client-id': `signer-${alg}`,
        'private-key': pem(KEYS[alg].privateKey),
        'private-key-id': `key-${alg}`,
        'signing-algorithm': alg,
        scope: 'api:read',
      })
      const { lease } = await p.acquire()
      expect(lease.clientAuth).toBe('private_key_jwt')
      expect(await op.introspect(lease.token)).toMatchObject({ active: true, client_id: `signer-${alg}`, scope: 'api:read' })
      await expect(p.revoke(lease)).resolves.toBe('revoked')
      expect(await op.introspect(lease.token)).toEqual({ active: false })

      const sent = op.requests.slice(from)
      expect(sent.map((r) => [r.path, r.status, r.headers.authorization])).toEqual([
        ['/token', 200, undefined],
        ['/token/revocation', 200, undefined],
      ])
      const jtis = []
      for (const r of sent) {
        const jwt = r.body!.client_assertion as string
        expect(r.body).toMatchObject({ client_id: `signer-${alg}`, client_assertion_type: ASSERTION_TYPE })
        expect(decodeProtectedHeader(jwt)).toEqual({ alg, typ: 'JWT', kid: `key-${alg}` })
        const { payload } = await jwtVerify(jwt, KEYS[alg].publicKey, {
          issuer: `signer-${alg}`,
          subject: `signer-${alg}`,
          audience: `${op.issuer}/token`,
        })
        jtis.push(payload.jti)
        expect(masked).toEqual(expect.arrayContaining([jwt.split('.')[2]]))
      }
      expect(jtis[0]).not.toBe(jtis[1])
    },
  )

  test('the server refuses a replayed assertion: why every request signs a new one', async () => {
    const { provider: p } = provider({
      'token-url': `${op.issuer}/token`,
      'client-id': 'signer-ES256',
      'private-key': pem(KEYS.ES256.privateKey),
      'signing-algorithm': 'ES256',
    })
    await p.acquire()
    const replay = new URLSearchParams(op.requests.at(-1)!.body as Record<string, string>)
    const details: (string | undefined)[] = []
    op.provider.on('grant.error', (_ctx, err) => details.push(err.error_detail))
    const res = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: replay,
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' })
    expect(details).toEqual(['client assertion tokens must only be used once'])
  })

  test('private_key_jwt with a key the server does not know: invalid_client and a hint', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const { provider: p } = provider({
      'token-url': `${op.issuer}/token`,
      'client-id': 'signer-ES256',
      'private-key': pem(other.privateKey),
      'signing-algorithm': 'ES256',
    })
    await expect(p.acquire()).rejects.toThrow(
      /HTTP 401; error invalid_client: client authentication failed; Hint: check 'client-id' and the client credential \('client-secret', 'private-key' or certificate\)/,
    )
  })
})

describe('github-oidc client authentication (loopback AS emulator, Entra ID shape)', () => {
  test('discovered under the tenant path; client-auth github-oidc; no revocation endpoint, so none is scheduled', async () => {
    const { provider: p, log } = provider({
      issuer: entra.issuer,
      'client-auth': 'github-oidc',
      'client-id': 'entra-app-id',
      'oidc-audience': ENTRA_AUDIENCE,
      scope: 'https://graph.example/.default',
    })
    const { lease } = await p.acquire()
    expect(entra.issuer).toMatch(/\/contoso-tenant-id\/v2\.0$/)
    expect(entra.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /.well-known/oauth-authorization-server/contoso-tenant-id/v2.0',
      'GET /contoso-tenant-id/v2.0/.well-known/openid-configuration',
      'POST /contoso-tenant-id/oauth2/v2.0/token',
    ])
    expect(entra.requests[2].params).toEqual({
      grant_type: 'client_credentials',
      scope: 'https://graph.example/.default',
      client_id: 'entra-app-id',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: gh.issued.at(-1),
    })
    expect(entra.requests[2].headers.authorization).toBeUndefined()
    expect(lease).toMatchObject({ clientAuth: 'github-oidc', revocation: 'unsupported', revocationEndpoint: undefined })
    expect(entra.introspect(lease.token)).toMatchObject({ active: true, client_id: 'entra-app-id' })
    // Given, not chosen: no "Client authentication: … (not given …)" line.
    expect(log.filter((l) => l.startsWith('Client authentication'))).toEqual([])
    expect(log).toContain(`GitHub OIDC token: iss=${gh.issuer}, sub=${SUBJECT}, aud=${ENTRA_AUDIENCE}`)
  })

  test("a client id alone at a server that takes client assertions: 'none', and the job's OIDC token is never fetched", async () => {
    const fromGh = gh.requests.length
    const from = entra.requests.length
    const { provider: p, log } = provider({
      issuer: entra.issuer,
      'client-id': 'entra-app-id',
      'oidc-audience': ENTRA_AUDIENCE,
      scope: 'https://graph.example/.default',
    })
    const err = (await p.acquire().catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(/HTTP 401; error invalid_client: client authentication required; Hint: check 'client-id'/)
    expect(gh.requests.length).toBe(fromGh)
    expect(paths(entra.requests, from)).toEqual([
      'GET /.well-known/oauth-authorization-server/contoso-tenant-id/v2.0',
      'GET /contoso-tenant-id/v2.0/.well-known/openid-configuration',
      'POST /contoso-tenant-id/oauth2/v2.0/token',
    ])
    expect(entra.requests.at(-1)!.params).toEqual({
      grant_type: 'client_credentials',
      scope: 'https://graph.example/.default',
      client_id: 'entra-app-id',
    })
    expect(entra.requests.at(-1)!.headers.authorization).toBeUndefined()
    expect(log).toContain(
      'Client authentication: none (not given; the server lists client_secret_basic, client_secret_post, private_key_jwt)',
    )
  })

  test('post revokes with a fresh OIDC token as the client assertion', async () => {
    const { provider: p } = provider({
      issuer: as.issuer,
      'client-auth': 'github-oidc',
      'client-id': 'federated-app',
      'oidc-audience': ENTRA_AUDIENCE,
    })
    const { lease } = await p.acquire()
    const first = gh.issued.at(-1)
    expect(as.introspect(lease.token)).toMatchObject({ active: true, client_id: 'federated-app' })
    await expect(p.revoke(lease)).resolves.toBe('revoked')
    const revoke = as.requests.at(-1)!
    expect(revoke.path).toBe('/revoke')
    expect(revoke.params).toEqual({
      token: lease.token,
      token_type_hint: 'access_token',
      client_id: 'federated-app',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: gh.issued.at(-1),
    })
    expect(gh.issued.at(-1)).not.toBe(first)
    expect(as.introspect(lease.token)).toEqual({ active: false })
  })

  test("a federated credential for another subject: invalid_client with the server's description", async () => {
    const { provider: p } = provider({
      'token-url': as.tokenEndpoint,
      'client-auth': 'github-oidc',
      'client-id': 'wrong-subject-app',
      'oidc-audience': ENTRA_AUDIENCE,
    })
    await expect(p.acquire()).rejects.toThrow(
      /HTTP 401; error invalid_client: No matching federated identity record found for presented assertion issuer, subject and audience\.; Hint: check 'client-id'/,
    )
  })

  test("without the runner's OIDC variables: an input error naming id-token: write, and no request", async () => {
    const from = as.requests.length
    const { provider: p } = provider({ 'token-url': as.tokenEndpoint, 'client-auth': 'github-oidc', 'client-id': 'federated-app' }, {})
    await expect(p.acquire()).rejects.toThrow(/permissions: id-token: write/)
    expect(as.requests.length).toBe(from)
  })
})

describe('refresh token and password grants (loopback AS emulator)', () => {
  const app = { 'client-id': 'app', 'client-secret': 'app-secret-Hj62' }

  test('a rotated refresh token is output and stays valid; post revokes only the access token', async () => {
    const given = as.seedRefreshToken('app', 'api:read')
    const { provider: p, masked } = provider({ issuer: as.issuer, 'grant-type': 'refresh_token', 'refresh-token': given, ...app })
    const { lease, outputs } = await p.acquire()
    const rotated = outputs!['refresh-token']
    expect(rotated).toMatch(/^rt_/)
    expect(as.requests.at(-1)!.params).toEqual({ grant_type: 'refresh_token', refresh_token: given })
    expect(as.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('app:app-secret-Hj62').toString('base64')}`)
    expect(lease.refreshToken).toBeUndefined()
    expect(masked).toEqual(expect.arrayContaining([given, rotated, lease.token]))
    expect(as.introspect(given)).toEqual({ active: false })
    expect(as.introspect(rotated)).toMatchObject({ active: true, token_type: 'refresh_token' })

    await p.revoke(lease)
    expect(as.requests.at(-1)!.params).toEqual({ token: lease.token, token_type_hint: 'access_token' })
    expect(as.introspect(lease.token)).toEqual({ active: false })
    expect(as.introspect(rotated)).toMatchObject({ active: true })
  })

  test('a refresh token that was already used: invalid_grant with a hint', async () => {
    const given = as.seedRefreshToken('app', 'api:read')
    await provider({ 'token-url': as.tokenEndpoint, 'grant-type': 'refresh_token', 'refresh-token': given, ...app }).provider.acquire()
    const { provider: again } = provider({ 'token-url': as.tokenEndpoint, 'grant-type': 'refresh_token', 'refresh-token': given, ...app })
    const err = (await again.acquire().catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(
      /HTTP 400; error invalid_grant: refresh token invalid, expired or revoked; Hint: the grant or assertion was refused/,
    )
    expect(err.message).not.toContain(given)
  })

  test('password grant: a warning; the refresh token issued unasked is revoked first, then the access token', async () => {
    const { provider: p, log } = provider({
      issuer: as.issuer,
      'grant-type': 'password',
      username: 'deploy-bot',
      password: 'bot password & more',
      scope: 'api:read',
      ...app,
    })
    const { lease } = await p.acquire()
    expect(log.filter((l) => l.startsWith('warning:'))).toEqual([expect.stringContaining('RFC 9700')])
    expect(as.requests.at(-1)!.params).toEqual({
      grant_type: 'password',
      username: 'deploy-bot',
      password: 'bot password & more',
      scope: 'api:read',
    })
    expect(as.introspect(lease.token)).toMatchObject({ active: true, username: 'deploy-bot' })
    expect(as.introspect(lease.refreshToken!)).toMatchObject({ active: true, token_type: 'refresh_token' })
    await p.revoke(lease)
    expect(as.requests.slice(-2).map((r) => r.params)).toEqual([
      { token: lease.refreshToken, token_type_hint: 'refresh_token' },
      { token: lease.token, token_type_hint: 'access_token' },
    ])
    expect(as.introspect(lease.token)).toEqual({ active: false })
    expect(as.introspect(lease.refreshToken!)).toEqual({ active: false })
  })

  test('a wrong password: invalid_grant, and the password is not in the message', async () => {
    const { provider: p } = provider({
      'token-url': as.tokenEndpoint,
      'grant-type': 'password',
      username: 'deploy-bot',
      password: 'not the password',
      ...app,
    })
    const err = (await p.acquire().catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(/HTTP 400; error invalid_grant: invalid resource owner credentials/)
    expect(err.message).not.toContain('not the password')
  })
})

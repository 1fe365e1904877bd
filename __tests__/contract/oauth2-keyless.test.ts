/**
 * Runner contract for the keyless and advanced OAuth 2.0 flows: the committed dist/ bundles run
 * as the runner runs them (scripts/lib/runner.mjs), with ACTIONS_ID_TOKEN_REQUEST_* pointing at
 * the stand-in for the runner's OIDC token service, against
 * - oidc-provider (token exchange and JWT bearer trusting the stand-in, private_key_jwt, mTLS),
 * - the loopback AS emulator (github-oidc client auth in Entra ID's shape, refresh-token
 *   rotation, the password grant; see scripts/lib/loopback-as.mjs for why it exists).
 * Every case checks that no secret — the OIDC token and its signature part, the runner's request
 * token, private key lines, assertion signatures, passwords, refresh tokens — reaches the log,
 * stderr or the summary, mostly with step debug on.
 */
import { generateKeyPairSync } from 'node:crypto'
import { exportJWK } from 'jose'
import { startGithubOidcServer, type GithubOidcServer } from '../support/github-oidc-server.js'
import { JWT_BEARER_GRANT, startOidcServer, TOKEN_EXCHANGE_GRANT, type OidcServer } from '../support/oidc-server.js'
import { startLoopbackAs, type LoopbackAs } from '../support/loopback-as.js'
import { leaks, runMain, runPost, type StepResult } from '../support/steps.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki } from '../../scripts/lib/pki.mjs'

const AUDIENCE = 'token-lease-contract'
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'
const ENTRA_AUDIENCE = 'api://AzureADTokenExchange'
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const KEY_PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
/** The secret lines of the PEM (BEGIN/END are not secret). */
const KEY_LINES = KEY_PEM.trim().split('\n').slice(1, -1)
const pki = createPki() as {
  ca: { cert: string }
  client: { cert: string; key: string; cn: string }
  clientEncrypted: { key: string; passphrase: string }
}

let gh: GithubOidcServer
let op: OidcServer
let mtls: OidcServer
let as: LoopbackAs
let entra: LoopbackAs

beforeAll(async () => {
  gh = await startGithubOidcServer()
  const client = (id: string, extra: object) => ({
    client_id: id,
    redirect_uris: [],
    response_types: [],
    scope: 'api:read api:write',
    ...extra,
  })
  op = await startOidcServer({
    trustJwtIssuer: { issuer: gh.issuer, jwks: gh.jwks, audience: AUDIENCE },
    clients: [
      client('gh-exchange', { token_endpoint_auth_method: 'none', grant_types: [TOKEN_EXCHANGE_GRANT, JWT_BEARER_GRANT] }),
      client('signer', {
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: ['client_credentials'],
        jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'ci-key-1' }] },
      }),
    ],
  })
  mtls = await startOidcServer({
    mtls: { pki },
    clients: [
      client('mtls-client', {
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: `CN=${pki.client.cn}`,
        grant_types: ['client_credentials'],
      }),
    ],
  })
  const federated = [{ issuer: gh.issuer, subject: SUBJECT, audience: ENTRA_AUDIENCE }]
  as = await startLoopbackAs({
    clients: [
      { id: 'federated-app', federated, scope: 'api:read' },
      { id: 'app', secret: 'app-secret-contract-Kk19', scope: 'api:read api:write' },
    ],
    users: [{ username: 'deploy-bot', password: 'bot password & more' }],
  })
  entra = await startLoopbackAs({
    tenant: 'contoso-tenant-id',
    clients: [{ id: 'entra-app-id', federated, scope: 'https://graph.example/.default' }],
  })
})
afterAll(async () => {
  await Promise.all([gh?.close(), op?.close(), mtls?.close(), as?.close(), entra?.close()])
})

/** Every ID token the stand-in issued, with its signature part, and the runner's request token. */
const oidcSecrets = () => [gh.requestToken, ...gh.issued.flatMap((t) => [t, t.split('.')[2]])]
const noLeaks = (step: StepResult, secrets: string[]) => expect(leaks(step, secrets)).toEqual([])
const lease = (step: StepResult) => JSON.parse(step.state.lease) as Record<string, unknown>

test("token exchange, keyless: the job's OIDC token is the subject; masked with its signature part; post revokes", async () => {
  const inputs = {
    issuer: op.issuer,
    'grant-type': 'token-exchange',
    'client-id': 'gh-exchange',
    'oidc-audience': AUDIENCE,
    scope: 'api:read',
  }
  const main = await runMain({ inputs, env: gh.env, debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  const idToken = gh.issued.at(-1)!
  expect(main.outputs).toMatchObject({ 'token-type': 'Bearer', scope: 'api:read', revocation: 'scheduled' })
  expect(main.masks).toEqual(expect.arrayContaining([gh.requestToken, idToken, idToken.split('.')[2], token]))
  expect(main.log).toContain(`GitHub OIDC token: iss=${gh.issuer}, sub=${SUBJECT}, aud=${AUDIENCE}`)
  expect(op.requests.at(-1)!.body).toMatchObject({
    grant_type: TOKEN_EXCHANGE_GRANT,
    subject_token: idToken,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  })
  expect(await op.introspect(token)).toMatchObject({ active: true, external_sub: SUBJECT })

  const post = await runPost({ inputs, env: gh.env, state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(await op.introspect(token)).toEqual({ active: false })
  noLeaks(main, [...oidcSecrets(), token])
  noLeaks(post, [...oidcSecrets(), token])
})

test("JWT bearer, keyless: the job's OIDC token is the assertion", async () => {
  const inputs = {
    'token-url': `${op.issuer}/token`,
    'revocation-url': `${op.issuer}/token/revocation`,
    'grant-type': 'jwt-bearer',
    'client-id': 'gh-exchange',
    'oidc-audience': AUDIENCE,
  }
  const main = await runMain({ inputs, env: gh.env })
  expect(main.code).toBe(0)
  expect(op.requests.at(-1)!.body).toMatchObject({ grant_type: JWT_BEARER_GRANT, assertion: gh.issued.at(-1) })
  const post = await runPost({ inputs, env: gh.env, state: main.state })
  expect(post.log).toContain('Revoked — ')
  expect(await op.introspect(main.outputs.token)).toEqual({ active: false })
  noLeaks(main, [...oidcSecrets(), main.outputs.token])
})

test('private_key_jwt: every PEM line and each assertion signature is masked; post signs a new assertion', async () => {
  const inputs = { issuer: op.issuer, 'client-id': 'signer', 'private-key': KEY_PEM, 'private-key-id': 'ci-key-1', scope: 'api:write' }
  const from = op.requests.length
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  expect(lease(main)).toMatchObject({ clientAuth: 'private_key_jwt' })
  expect(JSON.stringify(main.state)).not.toContain(KEY_LINES[1])
  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(await op.introspect(main.outputs.token)).toEqual({ active: false })

  const assertions = op.requests.slice(from).flatMap((r) => (r.body?.client_assertion ? [r.body.client_assertion as string] : []))
  expect(assertions).toHaveLength(2)
  expect(assertions[0]).not.toBe(assertions[1])
  expect(main.masks).toEqual(expect.arrayContaining([...KEY_LINES, assertions[0].split('.')[2]]))
  expect(post.masks).toEqual(expect.arrayContaining([...KEY_LINES, assertions[1].split('.')[2]]))
  const secrets = [...KEY_LINES, ...assertions.flatMap((a) => [a, a.split('.')[2]]), main.outputs.token]
  noLeaks(main, secrets)
  noLeaks(post, secrets)
})

test('client-auth github-oidc at a discovered server; post authenticates with a fresh OIDC token', async () => {
  const inputs = { issuer: as.issuer, 'client-auth': 'github-oidc', 'client-id': 'federated-app', 'oidc-audience': ENTRA_AUDIENCE }
  const main = await runMain({ inputs, env: gh.env, debug: true })
  expect(main.code).toBe(0)
  expect(main.log).not.toContain('Client authentication:')
  expect(as.requests.at(-1)!.params).toMatchObject({ client_id: 'federated-app', client_assertion: gh.issued.at(-1) })
  expect(lease(main)).toMatchObject({ clientAuth: 'github-oidc' })
  const issuedBeforePost = gh.issued.length
  const post = await runPost({ inputs, env: gh.env, state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(gh.issued.length).toBe(issuedBeforePost + 1)
  expect(as.requests.at(-1)!.params).toMatchObject({ client_id: 'federated-app', client_assertion: gh.issued.at(-1) })
  expect(post.masks).toEqual(expect.arrayContaining([gh.issued.at(-1)]))
  expect(as.introspect(main.outputs.token)).toEqual({ active: false })
  noLeaks(main, [...oidcSecrets(), main.outputs.token])
  noLeaks(post, [...oidcSecrets(), main.outputs.token])
})

test("a client id alone at a server that takes client assertions: 'none' — the job's OIDC token is never fetched unasked", async () => {
  const inputs = { issuer: as.issuer, 'client-id': 'federated-app', 'oidc-audience': ENTRA_AUDIENCE }
  const fromGh = gh.requests.length
  const from = as.requests.length
  const main = await runMain({ inputs, env: gh.env, debug: true })
  expect(main.code).toBe(1)
  expect(gh.requests.length).toBe(fromGh)
  expect(main.log).toContain(
    'Client authentication: none (not given; the server lists client_secret_basic, client_secret_post, private_key_jwt)',
  )
  expect(as.requests.slice(from).map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /.well-known/oauth-authorization-server',
    'POST /token',
  ])
  expect(as.requests.at(-1)!.params).toEqual({ grant_type: 'client_credentials', client_id: 'federated-app' })
  expect(main.log).toMatch(
    /##\[error\]Token request failed: POST .*\/token → HTTP 401; error invalid_client: client authentication required/,
  )
  expect(main.state).toEqual({ lease: 'none' })
  noLeaks(main, oidcSecrets())
})

test('Entra ID shape (tenant paths, no revocation endpoint): the token is leased, revocation is unsupported and says so', async () => {
  const inputs = {
    issuer: entra.issuer,
    'client-auth': 'github-oidc',
    'client-id': 'entra-app-id',
    'oidc-audience': ENTRA_AUDIENCE,
    scope: 'https://graph.example/.default',
  }
  const main = await runMain({ inputs, env: gh.env })
  expect(main.code).toBe(0)
  expect(main.outputs).toMatchObject({ revocation: 'unsupported', scope: 'https://graph.example/.default' })
  expect(main.log).toMatch(/##\[warning\]This server offers no revocation: the token stays valid until it expires/)
  const post = await runPost({ inputs, env: gh.env, state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Not revoked: oauth2 offers no revocation')
  expect(entra.introspect(main.outputs.token)).toMatchObject({ active: true })
  noLeaks(main, [...oidcSecrets(), main.outputs.token])
})

test("without 'id-token: write' the main step fails with that hint, leases nothing, and post has nothing to do", async () => {
  const inputs = { issuer: op.issuer, 'grant-type': 'token-exchange', 'client-id': 'gh-exchange' }
  const main = await runMain({ inputs })
  expect(main.code).toBe(1)
  expect(main.log).toMatch(
    /##\[error\]This flow uses the job's GitHub OIDC token, but the runner offers none .*permissions: id-token: write/,
  )
  expect(main.state).toEqual({ lease: 'none' })
  const post = await runPost({ inputs, state: main.state })
  expect(post.log).toContain('The main step leased no token: nothing to revoke.')
})

test('refresh_token: the rotated refresh token is a masked output, not in the state; post revokes only the access token', async () => {
  const given = as.seedRefreshToken('app', 'api:read')
  const inputs = {
    issuer: as.issuer,
    'grant-type': 'refresh_token',
    'refresh-token': given,
    'client-id': 'app',
    'client-secret': 'app-secret-contract-Kk19',
  }
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  const rotated = main.outputs['refresh-token']
  expect(rotated).toMatch(/^rt_/)
  expect(main.masks).toEqual(expect.arrayContaining([given, rotated, main.outputs.token]))
  expect(main.state.lease).not.toContain(rotated)
  expect(lease(main).refreshToken).toBeUndefined()
  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.log).toContain('Revoked — ')
  expect(as.introspect(main.outputs.token)).toEqual({ active: false })
  expect(as.introspect(rotated)).toMatchObject({ active: true })
  const secrets = [given, rotated, main.outputs.token, 'app-secret-contract-Kk19']
  noLeaks(main, secrets)
  noLeaks(post, secrets)
})

test('password grant: a warning; post revokes the unasked refresh token, then the access token', async () => {
  const inputs = {
    issuer: as.issuer,
    'grant-type': 'password',
    username: 'deploy-bot',
    password: 'bot password & more',
    'client-id': 'app',
    'client-secret': 'app-secret-contract-Kk19',
  }
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  expect(main.log).toMatch(/##\[warning\]grant-type password .*RFC 9700/)
  const refresh = lease(main).refreshToken as string
  expect(as.introspect(refresh)).toMatchObject({ active: true })
  expect(main.masks).toEqual(expect.arrayContaining(['bot password & more', refresh]))
  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.log).toContain('Revoked — ')
  // The refresh token first: revoking it ends its access tokens too (RFC 7009 §2.1).
  expect(as.requests.slice(-2).map((r) => r.params)).toEqual([
    { token: refresh, token_type_hint: 'refresh_token' },
    { token: main.outputs.token, token_type_hint: 'access_token' },
  ])
  expect(as.introspect(main.outputs.token)).toEqual({ active: false })
  expect(as.introspect(refresh)).toEqual({ active: false })
  const secrets = ['bot password & more', 'bot+password+%26+more', refresh, main.outputs.token, 'app-secret-contract-Kk19']
  noLeaks(main, secrets)
  noLeaks(post, secrets)
})

test('tls_client_auth over mutual TLS with an encrypted key: the key lines and passphrase are masked; post revokes over mTLS', async () => {
  const inputs = {
    issuer: mtls.issuer,
    'client-auth': 'tls_client_auth',
    'client-id': 'mtls-client',
    'ca-certificate': pki.ca.cert,
    'client-certificate': pki.client.cert,
    'client-key': pki.clientEncrypted.key,
    'client-key-passphrase': pki.clientEncrypted.passphrase,
    scope: 'api:read',
  }
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  expect(await mtls.introspect(main.outputs.token)).toMatchObject({ active: true, client_id: 'mtls-client' })
  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.log).toContain('Revoked — ')
  expect(await mtls.introspect(main.outputs.token)).toEqual({ active: false })
  const keyLines = pki.clientEncrypted.key.trim().split('\n').slice(1, -1)
  expect(main.masks).toEqual(expect.arrayContaining([...keyLines, pki.clientEncrypted.passphrase]))
  const secrets = [...keyLines, pki.clientEncrypted.passphrase, main.outputs.token]
  noLeaks(main, secrets)
  noLeaks(post, secrets)
})

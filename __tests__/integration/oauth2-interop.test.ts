/**
 * main() and post() in-process, with the real HTTP layer, against the loopback authorization
 * server EMULATOR (scripts/lib/loopback-as.mjs) scripted with the quirks a real server showed in
 * issue 11: it does not form-decode Basic credentials (RFC 6749 Appendix B), answers a failed
 * client authentication with 403 and no body, refuses client_secret_post, routes every path only
 * with a trailing slash (301 otherwise), and lists no revocation_endpoint although it has one.
 * Each test asserts the requests the server received, the log, and the token's state on the
 * server after post (its own view, as RFC 7662 introspection would give it).
 */
import { mainStep, postStep } from '../support/in-process.js'
import type { fakeCore } from '../support/fake-core.js'
import { startLoopbackAs, type LoopbackAs } from '../support/loopback-as.js'
import { wiredOauth2Provider } from '../support/wired-oauth2.js'

/** Every character RFC 6749 Appendix B form-encoding changes: ~ + % & : / = and a space. */
const CLIENT = { id: 'ci-app', secret: 'Tl~d3+ 50%&a:b/c=d' }
const SCOPE = 'api:read'
/** The Basic credentials, written out: as they are (accepted here) and form-encoded (refused here). */
const UNENCODED = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`
const ENCODED = `Basic ${Buffer.from('ci-app:Tl%7Ed3%2B+50%25%26a%3Ab%2Fc%3Dd').toString('base64')}`
const ACCEPTED_UNENCODED =
  'Client authentication: the server refused the form-encoded Basic credential and accepted it unencoded (it does not form-decode, RFC 6749 Appendix B); revocation uses the same form.'

let quirky: LoopbackAs
beforeAll(async () => {
  quirky = await startLoopbackAs({
    clients: [{ id: CLIENT.id, secret: CLIENT.secret, scope: SCOPE }],
    basicFormDecoding: false,
    bareClientRefusal: true,
    postAuth: false,
    trailingSlash: true,
    listRevocation: false,
    authMethods: ['client_secret_basic'],
  })
})
afterAll(() => quirky?.close())

const runMain = mainStep
const runPost = postStep
const since = (from: number) => quirky.requests.slice(from)
const origin = () => new URL(quirky.issuer).origin
/** What a reader of the log, a failure or the summary could see: none of these, in any step. */
const secretsOf = (token?: string) => [CLIENT.secret, UNENCODED.slice(6), ENCODED.slice(6), ...(token ? [token] : [])]
function expectNothingSecret(step: ReturnType<typeof fakeCore>, token?: string) {
  const visible = [...step.log, step.summary].join('\n')
  for (const s of secretsOf(token)) expect(visible).not.toContain(s)
}

test('Basic refused form-encoded (403, no body), accepted unencoded: a token, and post revokes it with the same form', async () => {
  const from = quirky.requests.length
  const inputs = {
    'token-url': `${origin()}/token/`,
    'revocation-url': `${origin()}/revoke/`,
    'client-id': CLIENT.id,
    'client-secret': CLIENT.secret,
    scope: SCOPE,
  }
  const m = await runMain(inputs)
  expect(m.failed).toEqual([])
  const token = m.outputs.token
  expect(quirky.introspect(token)).toMatchObject({ active: true, client_id: CLIENT.id })
  // Exactly one extra request, and only because the first was refused.
  expect(since(from).map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
    ['POST', '/token/', ENCODED],
    ['POST', '/token/', UNENCODED],
  ])
  expect(m.log).toContain(ACCEPTED_UNENCODED)
  expect(JSON.parse(m.saved.lease)).toMatchObject({ clientAuth: 'client_secret_basic', basicEncoding: 'unencoded' })
  // Both forms of the credential were masked before they were sent.
  expect(m.masks).toEqual(expect.arrayContaining([UNENCODED.slice(6), UNENCODED, ENCODED.slice(6), ENCODED]))
  expectNothingSecret(m, token)

  const revokeFrom = quirky.requests.length
  const p = await runPost(inputs, { lease: m.saved.lease })
  expect(p.failed).toEqual([])
  expect(since(revokeFrom).map((r) => [r.method, r.path, r.headers.authorization, r.params.token])).toEqual([
    ['POST', '/revoke/', UNENCODED, token],
  ])
  expect(quirky.introspect(token)).toEqual({ active: false })
  expectNothingSecret(p, token)
})

test('a wrong secret there: both forms tried, two requests, and the error says so', async () => {
  const from = quirky.requests.length
  const m = await runMain({ 'token-url': `${origin()}/token/`, 'client-id': CLIENT.id, 'client-secret': 'wrong~secret' })
  expect(m.failed).toEqual([
    `Token request failed: POST ${origin()}/token/ → HTTP 403 Forbidden; client_secret_basic was tried twice: with 'client-id' and 'client-secret' form-encoded (RFC 6749 §2.3.1), and as they are (HTTP 403); Hint: check 'client-id' and 'client-secret', and that the client may use client_secret_basic (else set 'client-auth').`,
  ])
  expect(since(from)).toHaveLength(2)
  expect(m.outputs.token).toBeUndefined()
})

test('client_secret_post, which this server refuses: one request, no fallback', async () => {
  const from = quirky.requests.length
  const m = await runMain({
    'token-url': `${origin()}/token/`,
    'client-id': CLIENT.id,
    'client-secret': CLIENT.secret,
    'client-auth': 'client_secret_post',
  })
  expect(m.failed).toEqual([
    `Token request failed: POST ${origin()}/token/ → HTTP 403 Forbidden; Hint: the server refused the client: some servers answer a wrong client credential with 403, so check the credential and that 'client-auth' is a method it accepts, then what the client is allowed.`,
  ])
  expect(since(from)).toHaveLength(1)
  expectNothingSecret(m)
})

test('a token URL without the trailing slash: not followed (it would carry the credential), the error names the path', async () => {
  const from = quirky.requests.length
  const m = await runMain({ 'token-url': `${origin()}/token`, 'client-id': CLIENT.id, 'client-secret': CLIENT.secret })
  expect(m.failed).toEqual([
    `Token request failed: POST ${origin()}/token → HTTP 301 Moved Permanently; Hint: the endpoint redirects to /token/: give that URL; redirects are not followed so that credentials go nowhere else.`,
  ])
  expect(since(from).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /token'])
})

test('discovery behind a 301 to the trailing-slash path; metadata without revocation_endpoint; revocation-url fixes it', async () => {
  const from = quirky.requests.length
  const inputs = { issuer: quirky.issuer, 'client-id': CLIENT.id, 'client-secret': CLIENT.secret, scope: SCOPE }
  const m = await runMain(inputs)
  expect(m.failed).toEqual([])
  expect(since(from).map((r) => `${r.method} ${r.path}`)).toEqual([
    'GET /.well-known/oauth-authorization-server',
    'GET /.well-known/oauth-authorization-server/',
    'POST /token/',
    'POST /token/',
  ])
  // No credential rides on the metadata GETs, redirected or not.
  for (const r of since(from).slice(0, 2)) expect(r.headers.authorization).toBeUndefined()
  // Step debug says what discovery followed and found.
  expect(m.log).toEqual(
    expect.arrayContaining([
      'debug: Discovery: /.well-known/oauth-authorization-server redirects (HTTP 301) to /.well-known/oauth-authorization-server/; following',
      `debug: Discovery: token_endpoint ${origin()}/token/, revocation_endpoint none, introspection_endpoint none`,
      'debug: Discovery: token_endpoint_auth_methods_supported client_secret_basic; revocation_endpoint_auth_methods_supported not listed',
    ]),
  )
  expect(m.outputs.revocation).toBe('unsupported')
  expect(m.warnings).toEqual([expect.stringMatching(/^This server offers no revocation: the token stays valid until it expires/)])
  expectNothingSecret(m, m.outputs.token)

  // The reason main adds to that warning, from the provider wired as main wires it.
  const { provider } = wiredOauth2Provider(inputs, {})
  const acquired = await provider.acquire()
  expect(acquired.unsupportedReason).toBe(
    `The metadata of ${quirky.issuer} lists no revocation_endpoint: give 'revocation-url' if the server has a revocation endpoint (RFC 7009).`,
  )

  // With revocation-url given, the same discovery leads to a revoked token.
  const withRevocation = { ...inputs, 'revocation-url': `${origin()}/revoke/` }
  const m2 = await runMain(withRevocation)
  expect(m2.outputs.revocation).toBe('scheduled')
  const p = await runPost(withRevocation, { lease: m2.saved.lease })
  expect(p.failed).toEqual([])
  expect(quirky.introspect(m2.outputs.token)).toEqual({ active: false })
  expect(quirky.introspect(m.outputs.token)).toMatchObject({ active: true })
})

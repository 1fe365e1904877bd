/**
 * Runner contract: the dist/ bundles run as the runner runs them, with step debug on, against
 * the loopback authorization server EMULATOR (scripts/lib/loopback-as.mjs) scripted as the real
 * server of issue 11 behaved: Basic credentials not form-decoded, a failed client authentication
 * answered 403 with no body, paths only with a trailing slash (301 otherwise), no
 * revocation_endpoint in its metadata. The rendered log is scanned for every secret form.
 */
import { startLoopbackAs, type LoopbackAs } from '../support/loopback-as.js'
import { expectNoLeak, runMain, runPost } from '../support/steps.js'

const CLIENT = { id: 'ci-app', secret: 'Tl~d3+ 50%&a:b/c=d' }
const UNENCODED = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')
const ENCODED = Buffer.from('ci-app:Tl%7Ed3%2B+50%25%26a%3Ab%2Fc%3Dd').toString('base64')
const SECRET_FORMS = [CLIENT.secret, UNENCODED, ENCODED, encodeURIComponent(CLIENT.secret)]

let as: LoopbackAs
beforeAll(async () => {
  as = await startLoopbackAs({
    clients: [{ id: CLIENT.id, secret: CLIENT.secret, scope: 'api:read' }],
    basicFormDecoding: false,
    bareClientRefusal: true,
    postAuth: false,
    trailingSlash: true,
    listRevocation: false,
  })
})
afterAll(() => as?.close())

test('discovery through a 301, Basic accepted only unencoded, revocation-url given: leased, revoked, nothing leaked', async () => {
  const origin = new URL(as.issuer).origin
  const inputs = {
    issuer: as.issuer,
    'revocation-url': `${origin}/revoke/`,
    'client-id': CLIENT.id,
    'client-secret': CLIENT.secret,
    scope: 'api:read',
  }
  const from = as.requests.length
  const main = await runMain({ inputs, debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  expect(as.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? '-'}`)).toEqual([
    'GET /.well-known/oauth-authorization-server -',
    'GET /.well-known/oauth-authorization-server/ -',
    `POST /token/ Basic ${ENCODED}`,
    `POST /token/ Basic ${UNENCODED}`,
  ])
  expect(main.log).toContain('accepted it unencoded (it does not form-decode, RFC 6749 Appendix B)')
  expect(main.log).toContain('##[debug]Discovery: /.well-known/oauth-authorization-server redirects (HTTP 301)')
  expect(main.masks).toEqual(expect.arrayContaining([UNENCODED, `Basic ${UNENCODED}`]))
  expect(as.introspect(token)).toMatchObject({ active: true })

  const post = await runPost({ inputs, state: main.state, debug: true })
  expect(post.code).toBe(0)
  // This emulator's metadata lists no introspection endpoint: post says the revocation is not confirmed, and why.
  expect(post.log).toContain(
    "\nRevoked — not confirmed: the server's metadata lists no introspection_endpoint (give 'introspection-url').\n",
  )
  expect(as.requests.at(-1)).toMatchObject({ method: 'POST', path: '/revoke/', headers: { authorization: `Basic ${UNENCODED}` } })
  expect(as.introspect(token)).toEqual({ active: false })
  expectNoLeak(main, [...SECRET_FORMS, token])
  expectNoLeak(post, [...SECRET_FORMS, token])
})

test('a wrong secret: two token requests, both forms named as tried; no secret in the log', async () => {
  const wrong = 'wr0ng~secret value'
  const from = as.requests.length
  const main = await runMain({
    inputs: { 'token-url': `${new URL(as.issuer).origin}/token/`, 'client-id': CLIENT.id, 'client-secret': wrong },
    debug: true,
  })
  expect(main.code).toBe(1)
  expect(as.requests.slice(from)).toHaveLength(2)
  expect(main.log).toMatch(/##\[error\]Token request failed: .* → HTTP 403 Forbidden; client_secret_basic was tried twice: /)
  // Main's placeholder: post reads it as 'nothing was leased'.
  expect(main.state).toEqual({ lease: 'none' })
  expectNoLeak(main, [wrong, Buffer.from(`${CLIENT.id}:${wrong}`).toString('base64'), ...SECRET_FORMS])
})

/**
 * The post step's newer duties (src/post.ts, src/trust.ts, src/oauth/introspection.ts), nock as
 * the server: confirming a revocation through RFC 7662 introspection (one request at most),
 * refusing a lease that names endpoints the inputs do not vouch for (planted state: nothing is
 * sent), and saying once, as information, that main leased nothing.
 */
import nock from 'nock'
import type { ActionsCore } from '../../src/core.js'
import { encodeLease, type Lease } from '../../src/lease.js'
import { ACCESS_TOKEN, BASIC, lease, NOW, ORIGIN, SECRET } from '../support/oauth2-lease.js'
import { post } from '../../src/post.js'
import { type Call, fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

const UNENCODED_BASIC = `Basic ${Buffer.from(`ci-client:${SECRET}`).toString('base64')}`
const inputs = {
  'token-url': `${ORIGIN}/token`,
  'revocation-url': `${ORIGIN}/revoke`,
  'introspection-url': `${ORIGIN}/introspect`,
  'client-id': 'ci-client',
  'client-secret': SECRET,
  retries: '0',
}
const stateOf = (l: Lease) => ({ lease: encodeLease(l) })
const run = (core: ActionsCore) => post({ core, env: {}, now: () => NOW, sleep: async () => {} })

/** A POST endpoint that answers once, recording path, Authorization and body in order. */
function endpoint(calls: Call[], path: string, status: number, body: unknown = '') {
  nock(ORIGIN)
    .post(path)
    .reply(function (uri, requestBody) {
      calls.push(['request', uri, this.req.headers.authorization, requestBody])
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }]
    })
}

function stepCore(given: Record<string, string>, state: Record<string, string>) {
  const f = fakeCore(given, { state })
  const said = () => f.calls.filter((c) => ['info', 'warning', 'setFailed'].includes(c[0]) && !/^(GET|POST) https?:\/\//.test(String(c[1])))
  return Object.assign(f, { said })
}

const revoked = ['request', '/revoke', BASIC, `token=${ACCESS_TOKEN}&token_type_hint=access_token`]
const introspected = ['request', '/introspect', BASIC, `token=${ACCESS_TOKEN}&token_type_hint=access_token`]

offlineWithNock()

describe('confirmed revocation (RFC 7662)', () => {
  test('active:false after the revocation: "confirmed by the server", one extra request with the same client authentication', async () => {
    const f = stepCore(inputs, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, { active: false })
    await run(f.core)
    expect(f.of('request')).toEqual([revoked, introspected])
    expect(f.said()).toEqual([['info', 'Revoked — confirmed by the server.']])
    expect(f.summary).toContain('| Revocation | Revoked — confirmed by the server. |')
    expect(f.visible().join('\n')).not.toContain(ACCESS_TOKEN)
  })

  test('the Basic form that worked in main (unencoded) is the one introspection sends', async () => {
    const f = stepCore(inputs, stateOf({ ...lease, basicEncoding: 'unencoded' }))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, { active: false })
    await run(f.core)
    expect(f.of('request')[1][2]).toBe(UNENCODED_BASIC)
  })

  test('still active after the revocation: a revocation failure (warning by default)', async () => {
    const f = stepCore(inputs, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, { active: true, client_id: 'ci-client' })
    await run(f.core)
    const message =
      'Not revoked: the server accepted the revocation but still reports the token active; it may stay valid until 2025-06-15T16:05:40Z (in 59 min).'
    expect(f.said()).toEqual([['warning', message]])
    expect(f.summary).toContain('| Revocation | Not revoked: the server accepted the revocation but still reports the token active;')
  })

  test.each([
    ['revoke-failure: fail', { 'revoke-failure': 'fail' }],
    ['verify-revocation: true', { 'verify-revocation': 'true' }],
  ])('still active with %s: the step fails', async (_, extra) => {
    const f = stepCore({ ...inputs, ...extra }, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, { active: true })
    await run(f.core)
    expect(f.failed).toEqual([expect.stringMatching(/^Not revoked: the server accepted the revocation but still reports the token active/)])
  })

  test.each([401, 403])('introspection refused (%i): "not confirmed", the client may not introspect', async (status) => {
    const f = stepCore(inputs, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', status, { error: 'invalid_client', error_description: `no ${SECRET}` })
    await run(f.core)
    expect(f.said()).toEqual([['info', `Revoked — not confirmed: the client may not introspect (introspection answered HTTP ${status}).`]])
    expect(f.visible().join('\n')).not.toContain(SECRET)
  })

  test('an answer without a boolean active: "not confirmed"', async () => {
    const f = stepCore(inputs, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, '<html>login</html>')
    await run(f.core)
    expect(f.said()).toEqual([['info', "Revoked — not confirmed: introspection answered without a true or false 'active'."]])
  })

  test('verify-revocation: true and nothing to ask: the step fails, without an extra request', async () => {
    const { 'introspection-url': _, ...noIntrospection } = inputs
    const f = stepCore({ ...noIntrospection, 'verify-revocation': 'true' }, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    await run(f.core)
    expect(f.of('request')).toEqual([revoked])
    expect(f.failed).toEqual([
      "Revoked — not confirmed: no introspection endpoint is known (give 'introspection-url'). verify-revocation is true, so this fails the step.",
    ])
  })

  test('verify-revocation: false asks nothing', async () => {
    const f = stepCore({ ...inputs, 'verify-revocation': 'false' }, stateOf(lease))
    endpoint(f.calls, '/revoke', 200)
    await run(f.core)
    expect(f.of('request')).toEqual([revoked])
    expect(f.said()).toEqual([['info', 'Revoked — not confirmed: not checked (verify-revocation is false).']])
  })

  test('with an issuer: the introspection_endpoint is discovered once, shared with the endpoint check', async () => {
    const f = stepCore({ issuer: ORIGIN, 'client-id': 'ci-client', 'client-secret': SECRET, retries: '0' }, stateOf(lease))
    let discoveries = 0
    nock(ORIGIN)
      .get('/.well-known/oauth-authorization-server')
      .reply(() => {
        discoveries++
        return [
          200,
          {
            issuer: ORIGIN,
            token_endpoint: `${ORIGIN}/token`,
            revocation_endpoint: `${ORIGIN}/revoke`,
            introspection_endpoint: `${ORIGIN}/introspect`,
          },
        ]
      })
    endpoint(f.calls, '/revoke', 200)
    endpoint(f.calls, '/introspect', 200, { active: false })
    await run(f.core)
    expect(discoveries).toBe(1)
    expect(f.of('request')).toEqual([revoked, introspected])
    expect(f.said()).toEqual([['info', 'Revoked — confirmed by the server.']])
  })
})

describe('planted state: credentials only to endpoints the inputs vouch for', () => {
  const planted = { ...lease, revocationEndpoint: 'https://collector.evil.example/revoke' }

  test('a lease naming another revocation endpoint: a warning that it was planted, nothing sent', async () => {
    const f = stepCore(inputs, stateOf(planted))
    await run(f.core)
    expect(f.of('request')).toEqual([])
    expect(f.said()).toEqual([
      [
        'warning',
        'A lease was planted: it names revocation endpoint collector.evil.example, which the inputs do not vouch for. Nothing was sent to it.',
      ],
    ])
    expect(f.masks).not.toContain(BASIC)
  })

  test('with revoke-failure: fail the step fails', async () => {
    const f = stepCore({ ...inputs, 'revoke-failure': 'fail' }, stateOf({ ...planted, tokenEndpoint: 'https://evil.example/token' }))
    await run(f.core)
    expect(f.failed).toEqual([
      'A lease was planted: it names token endpoint evil.example and revocation endpoint collector.evil.example, which the inputs do not vouch for. Nothing was sent to it.',
    ])
  })

  test('with an issuer: only the metadata GET (no credentials) is made before the refusal', async () => {
    const f = stepCore({ issuer: ORIGIN, 'client-id': 'ci-client', 'client-secret': SECRET, retries: '0' }, stateOf(planted))
    nock(ORIGIN)
      .get('/.well-known/oauth-authorization-server')
      .reply(function () {
        f.calls.push(['request', 'GET metadata', this.req.headers.authorization])
        return [200, { issuer: ORIGIN, token_endpoint: `${ORIGIN}/token`, revocation_endpoint: `${ORIGIN}/revoke` }]
      })
    await run(f.core)
    expect(f.of('request')).toEqual([['request', 'GET metadata', undefined]])
    expect(f.warnings).toEqual([expect.stringMatching(/^A lease was planted: it names revocation endpoint collector\.evil\.example/)])
  })

  test('a lease of another provider than the inputs name is refused', async () => {
    const f = stepCore(inputs, stateOf({ ...lease, provider: 'venafi-tpp' }))
    await run(f.core)
    expect(f.warnings).toEqual([expect.stringMatching(/^A lease was planted: it names provider venafi-tpp, not the configured oauth2/)])
  })

  test('venafi-tpp: an endpoint outside server-url is refused; the token is not sent', async () => {
    const tpp = { provider: 'venafi-tpp', 'server-url': 'https://tpp.example.com', 'client-id': 'ci', username: 'svc', password: SECRET }
    const tppLease: Lease = {
      ...lease,
      provider: 'venafi-tpp',
      clientAuth: undefined,
      tokenEndpoint: 'https://tpp.example.com/vedauth/authorize/oauth',
      revocationEndpoint: 'https://tpp.example.com.evil.example/vedauth/revoke/token',
    }
    const f = stepCore(tpp, stateOf(tppLease))
    await run(f.core)
    expect(f.warnings).toEqual([
      expect.stringMatching(/^A lease was planted: it names revocation endpoint tpp\.example\.com\.evil\.example,/),
    ])
  })
})

describe('no lease from main', () => {
  test.each([
    ["main's placeholder", { lease: 'none' }],
    ['no state at all', {}],
  ])('%s: said once, as information, with no request', async (_, state) => {
    const f = stepCore(inputs, state)
    await run(f.core)
    expect(f.said()).toEqual([['info', 'The main step leased no token: nothing to revoke.']])
    expect(f.of('appendSummary')).toEqual([])
  })

  test("main's input error is not reported again", async () => {
    const f = stepCore({ ...inputs, provider: 'oauth3', 'revoke-failure': 'fail' }, { lease: 'none' })
    await run(f.core)
    expect(f.said()).toEqual([['info', 'The main step leased no token: nothing to revoke.']])
    // Its secrets are still masked, should anything print them.
    expect(f.masks).toContain(SECRET)
  })

  test('main revoked the token itself (max-lifetime, too large): nothing left to do', async () => {
    const f = stepCore(inputs, { lease: 'revoked-by-main' })
    await run(f.core)
    expect(f.said()).toEqual([['info', 'The main step revoked its token at once: nothing left to revoke.']])
  })
})

test('an issuer whose metadata cannot be read: nothing is sent, and the warning says why', async () => {
  const f = stepCore({ issuer: ORIGIN, 'client-id': 'ci-client', 'client-secret': SECRET, retries: '0' }, stateOf(lease))
  nock(ORIGIN).get('/.well-known/oauth-authorization-server').reply(500).get('/.well-known/openid-configuration').reply(500)
  await run(f.core)
  expect(f.warnings).toEqual([
    expect.stringMatching(
      /^Not revoked: the lease's endpoints could not be checked against the issuer's metadata \(Discovery failed for issuer https:\/\/as\.example .*\); nothing was sent\. The token stays valid until 2025-06-15T16:05:40Z \(in 59 min\)\.$/,
    ),
  ])
})

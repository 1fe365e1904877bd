/**
 * Interop: the bundled steps against a real authorization server built on django-oauth-toolkit
 * 1.7 and OAuthLib 3.2 (Debian python3-django-oauth-toolkit), scripts/interop/dot_server.py, on
 * 127.0.0.1: a code base independent of Authlib's and oidc-provider's. DOT form-decodes Basic
 * credentials (RFC 6749 Appendix B), routes only paths with a trailing slash (Django's APPEND_SLASH
 * answers the others with a 301), and its OpenID Connect metadata lists no revocation endpoint.
 */
import { expectNoLeak, runMain } from '../support/steps.js'
import { type Client, describeServer, expectExit, leaseAndRevoke, PLAIN, RESERVED, secretsOf } from './servers.js'

/** With introspection-url given, DOT lets the client introspect (client credentials) and answers `active: false`. */
const CONFIRMED = 'Revoked — confirmed by the server.'
const NO_INTROSPECTION_IN_METADATA =
  "Revoked — not confirmed: the server's metadata lists no introspection_endpoint (give 'introspection-url')."

describeServer('dot', (server) => {
  const endpoints = () => ({
    'token-url': `${server().url}${server().paths.token}`,
    'revocation-url': `${server().url}${server().paths.revocation}`,
    'introspection-url': `${server().url}${server().paths.introspection}`,
  })
  const credentials = (c: Client) => ({ 'client-id': c.id, 'client-secret': c.secret, scope: 'api:read' })
  const tokenAndRevoke = [
    { method: 'POST', path: '/o/token/', status: 200 },
    { method: 'POST', path: '/o/revoke_token/', status: 200 },
  ]

  test('client_secret_basic: leased, live at the server, revoked by post', async () => {
    const { main } = await leaseAndRevoke(server(), { ...endpoints(), ...credentials(PLAIN) }, PLAIN, CONFIRMED)
    expect(main.outputs).toMatchObject({ 'token-type': 'Bearer', 'expires-in': expect.stringMatching(/^(3600|359\d)$/), scope: 'api:read' })
    expect(server().seen()).toEqual(tokenAndRevoke)
  })

  test('client_secret_basic with a secret full of reserved characters: DOT form-decodes it, so the first try is accepted', async () => {
    const { main } = await leaseAndRevoke(server(), { ...endpoints(), ...credentials(RESERVED) }, RESERVED, CONFIRMED)
    // Form-encoded is the standard form: no retry, and the lease keeps the default.
    expect(JSON.parse(main.state.lease).basicEncoding).toBeUndefined()
    expect(main.log).not.toMatch(/unencoded/i)
    expect(server().seen()).toEqual(tokenAndRevoke)
  })

  test('client_secret_post with a secret full of reserved characters', async () => {
    const inputs = { ...endpoints(), 'client-auth': 'client_secret_post', ...credentials(RESERVED) }
    await leaseAndRevoke(server(), inputs, RESERVED, CONFIRMED)
    expect(server().seen()).toEqual(tokenAndRevoke)
  })

  test('a token-url without the trailing slash: a 301 that the token request does not follow, and main fails', async () => {
    const main = await runMain({ inputs: { 'token-url': `${server().url}/o/token`, ...credentials(PLAIN) }, debug: true })
    expectExit(main, 1)
    expect(main.log).toMatch(/##\[error\]Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/o\/token → HTTP 301/)
    // The credentials went to /o/token only: the redirect was not followed.
    expect(server().seen()).toEqual([{ method: 'POST', path: '/o/token', status: 301 }])
    expectNoLeak(main, secretsOf(PLAIN))
  })

  test('a token-url without the trailing slash: the error names where the 301 points', async () => {
    const main = await runMain({ inputs: { 'token-url': `${server().url}/o/token`, ...credentials(PLAIN) } })
    expectExit(main, 1)
    expect(main.log).toMatch(/##\[error\].*HTTP 301.*\/o\/token\//)
  })

  test('discovery from the issuer through the 301 to the slashed OpenID metadata; revocation-url given', async () => {
    const issuer = `${server().url}/o`
    const inputs = { issuer, 'revocation-url': endpoints()['revocation-url'], ...credentials(PLAIN) }
    await leaseAndRevoke(server(), inputs, PLAIN, NO_INTROSPECTION_IN_METADATA)
    expect(server().seen()).toEqual([
      { method: 'GET', path: '/.well-known/oauth-authorization-server/o', status: 404 },
      { method: 'GET', path: '/o/.well-known/openid-configuration', status: 301 },
      { method: 'GET', path: '/o/.well-known/openid-configuration/', status: 200 },
      { method: 'POST', path: '/o/token/', status: 200 },
      // Post discovers again, to vouch for the lease's endpoints before it sends credentials (a planted lease).
      { method: 'GET', path: '/.well-known/oauth-authorization-server/o', status: 404 },
      { method: 'GET', path: '/o/.well-known/openid-configuration', status: 301 },
      { method: 'GET', path: '/o/.well-known/openid-configuration/', status: 200 },
      { method: 'POST', path: '/o/revoke_token/', status: 200 },
    ])
  })

  test('discovery without revocation-url: leased, and the warning says the metadata lists no revocation endpoint and to give revocation-url', async () => {
    const main = await runMain({ inputs: { issuer: `${server().url}/o`, ...credentials(PLAIN) } })
    expectExit(main, 0)
    expect(main.outputs.revocation).toBe('unsupported')
    const warnings = main.log.split('\n').filter((l) => l.startsWith('##[warning]'))
    expect(warnings.join('\n')).toMatch(/metadata/i)
    expect(warnings.join('\n')).toMatch(/revocation-url/)
    expect(
      server()
        .seen()
        .filter((r) => r.path === '/o/token/'),
    ).toEqual([{ method: 'POST', path: '/o/token/', status: 200 }])
  })
})

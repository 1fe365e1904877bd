/**
 * Interop: the bundled steps against a real authorization server built on Authlib 1.2 (Debian
 * python3-authlib, with Flask), scripts/interop/authlib_server.py, on 127.0.0.1. Authlib parses
 * the Basic header itself and does NOT form-decode it (RFC 6749 Appendix B says servers must):
 * a secret that form-encoding changes is refused in Basic unless sent unencoded.
 */
import { expectNoLeak, runMain } from '../support/steps.js'
import { type Client, describeServer, leaseAndRevoke, expectExit, PLAIN, RESERVED, secretsOf } from './servers.js'

/** Authlib lets a client introspect its own tokens (RFC 7662): post's check gets `active: false`. */
const CONFIRMED = 'Revoked — confirmed by the server.'

describeServer('authlib', (server) => {
  const credentials = (c: Client) => ({ 'client-id': c.id, 'client-secret': c.secret, scope: 'api:read' })
  const discovered = (c: Client) => ({ issuer: server().url, ...credentials(c) })

  test('client_secret_basic, endpoints discovered (RFC 8414): leased, live at the server, revoked by post', async () => {
    const { main } = await leaseAndRevoke(server(), discovered(PLAIN), PLAIN, CONFIRMED)
    // Step debug names the endpoints discovered (origin and path; a port is no reason to hide them).
    const at = server().url.replace(/[.]/g, '\\.')
    expect(main.log).toMatch(
      new RegExp(
        `##\\[debug\\]Discovery: token_endpoint ${at}/token, revocation_endpoint ${at}/revoke, introspection_endpoint ${at}/introspect\n`,
      ),
    )
    expect(main.outputs).toMatchObject({ 'token-type': 'Bearer', 'expires-in': expect.stringMatching(/^(3600|359\d)$/), scope: 'api:read' })
    expect(server().seen()).toEqual([
      { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
      { method: 'POST', path: '/token', status: 200 },
      // Post discovers again, to vouch for the lease's endpoints before it sends credentials.
      { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
      { method: 'POST', path: '/revoke', status: 200 },
    ])
  })

  test('client_secret_post with a secret full of reserved characters, endpoints given', async () => {
    const inputs = {
      'token-url': `${server().url}/token`,
      'revocation-url': `${server().url}/revoke`,
      'introspection-url': `${server().url}/introspect`,
      'client-auth': 'client_secret_post',
      ...credentials(RESERVED),
    }
    await leaseAndRevoke(server(), inputs, RESERVED, CONFIRMED)
    expect(server().seen()).toEqual([
      { method: 'POST', path: '/token', status: 200 },
      { method: 'POST', path: '/revoke', status: 200 },
    ])
  })

  test('a reserved-character secret in Basic: the form-encoded credential, sent first, is refused with 401', async () => {
    // True before and after the fallback of issue 11 item 1: the first try is always form-encoded.
    await runMain({ inputs: discovered(RESERVED) })
    expect(server().seen().slice(0, 2)).toEqual([
      { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
      { method: 'POST', path: '/token', status: 401 },
    ])
  })

  test('a reserved-character secret in Basic: the unencoded retry gets the token, post revokes with that form', async () => {
    const { main } = await leaseAndRevoke(server(), discovered(RESERVED), RESERVED, CONFIRMED)
    expect(main.log).toMatch(/unencoded/i)
    expect(JSON.parse(main.state.lease)).toMatchObject({ basicEncoding: 'unencoded' })
    expect(server().seen()).toEqual([
      { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
      { method: 'POST', path: '/token', status: 401 },
      { method: 'POST', path: '/token', status: 200 },
      // Post discovers again, to vouch for the lease's endpoints before it sends credentials.
      { method: 'GET', path: '/.well-known/oauth-authorization-server', status: 200 },
      { method: 'POST', path: '/revoke', status: 200 },
    ])
  })

  test('a wrong secret: main fails naming the endpoint, HTTP 401 and invalid_client, with one request and no leak', async () => {
    const wrong = { ...PLAIN, secret: 'wrong-secret-0123456789' }
    const main = await runMain({ inputs: discovered(wrong), debug: true })
    expectExit(main, 1)
    expect(main.log).toMatch(
      /##\[error\]Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 401; error invalid_client.*Hint: /,
    )
    // Main's placeholder: post reads it as 'nothing was leased' (a planted lease cannot fill the gap).
    expect(main.state).toEqual({ lease: 'none' })
    // Nothing in this secret changes under form-encoding: no retry is due.
    expect(
      server()
        .seen()
        .filter((r) => r.path === '/token'),
    ).toEqual([{ method: 'POST', path: '/token', status: 401 }])
    expectNoLeak(main, secretsOf(wrong))
  })
})

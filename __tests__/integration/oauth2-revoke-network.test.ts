/**
 * RFC 7009 revocation of both tokens when one request fails on the network: the OAuth 2.0
 * provider as post wires it (real HTTP layer) against the fault-injecting server on 127.0.0.1.
 */
import type { Lease } from '../../src/lease.js'
import { RequestError } from '../../src/http.js'
import { startFaultServer, type FaultServer } from '../support/fault-server.js'
import { wiredOauth2Provider } from '../support/wired-oauth2.js'

let server: FaultServer
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const lease = (): Lease => ({
  provider: 'oauth2',
  token: 'access-token-Qw81xZ',
  tokenType: 'Bearer',
  issuedAt: Math.floor(Date.now() / 1000),
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
  tokenEndpoint: server.url('/token'),
  revocation: 'scheduled',
  revocationEndpoint: server.url('/revoke'),
  clientAuth: 'client_secret_post',
  refreshToken: 'refresh-token-Lp07vB',
})

test('a connection reset on the refresh token does not keep the access token from being revoked', async () => {
  server.route('POST', '/revoke', [{ reset: true }, { status: 200 }])
  const { provider } = wiredOauth2Provider(
    { 'token-url': server.url('/token'), 'client-id': 'ci-client', 'client-secret': 'revoke-net-secret-Z4', retries: '0' },
    {},
  )
  const err = await provider.revoke(lease()).catch((e) => e)
  expect(err).toBeInstanceOf(RequestError)
  expect(err.message).toMatch(/^Revocation \(POST http:\/\/127\.0\.0\.1:\d+\/revoke\) failed/)
  const bodies = server.requests.map((r) => new URLSearchParams(r.body))
  expect(bodies.map((b) => [b.get('token_type_hint'), b.get('token')])).toEqual([
    ['refresh_token', 'refresh-token-Lp07vB'],
    ['access_token', 'access-token-Qw81xZ'],
  ])
  expect(err.message).not.toContain('revoke-net-secret-Z4')
})

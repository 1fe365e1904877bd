/**
 * The post step under the README's policy recipe (src/post.ts): `verify-revocation: true` means
 * the server must confirm the token dead, so a lease whose server offers no revocation at all —
 * the token stays valid until it expires — fails the step rather than passing with a note.
 */
import type { ActionsCore } from '../../src/core.js'
import nock from 'nock'
import { encodeLease, type Lease } from '../../src/lease.js'
import { post } from '../../src/post.js'
import { fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

offlineWithNock()

const NOW = 1_750_000_000
const inputs = { 'token-url': 'https://as.example/token', 'client-id': 'ci-client', 'client-secret': 'Sup3r-secret', retries: '0' }
const lease: Lease = {
  provider: 'oauth2',
  token: 'opaque-access-token-7Hq2xZ',
  tokenType: 'Bearer',
  issuedAt: NOW - 60,
  expiresAt: NOW + 3540,
  tokenEndpoint: 'https://as.example/token',
  revocation: 'unsupported',
}
const run = (core: ActionsCore) => post({ core, env: {}, now: () => NOW, sleep: async () => {} })

test('no revocation offered, verify-revocation: true: the step fails, nothing is sent', async () => {
  const f = fakeCore({ ...inputs, 'verify-revocation': 'true' }, { state: { lease: encodeLease(lease) } })
  await run(f.core)
  expect(f.failed).toEqual([
    'Not revoked: oauth2 offers no revocation; the token stays valid until 2025-06-15T16:05:40Z (in 59 min). verify-revocation is true, so this fails the step.',
  ])
  expect(f.summary).toContain('verify-revocation is true, so this fails the step.')
})

test('no revocation offered, verify-revocation auto: information, as before', async () => {
  const f = fakeCore(inputs, { state: { lease: encodeLease(lease) } })
  await run(f.core)
  expect(f.failed).toEqual([])
  expect(f.args('info')).toContain(
    'Not revoked: oauth2 offers no revocation; the token stays valid until 2025-06-15T16:05:40Z (in 59 min).',
  )
})

describe('a token granted already expired is still revoked (main promised it)', () => {
  const REVOKE = 'https://as.example/revoke'
  const granted = { ...lease, revocation: 'scheduled' as const, revocationEndpoint: REVOKE, clientAuth: 'client_secret_basic' }

  test('expires_in -3600 (or a JWT exp an hour behind the runner): post revokes it', async () => {
    const sent: string[] = []
    nock('https://as.example')
      .post('/revoke')
      .reply(200, (_, body) => {
        sent.push(String(body))
        return ''
      })
    // Issued a minute ago, "expiring" an hour before it was issued: the clock or the server is wrong.
    const stale = { ...granted, issuedAt: NOW - 60, expiresAt: NOW - 3660 }
    const f = fakeCore({ ...inputs, 'revocation-url': REVOKE }, { state: { lease: encodeLease(stale) } })
    await run(f.core)
    expect(sent).toEqual([expect.stringContaining('token=opaque-access-token-7Hq2xZ')])
    expect(f.args('info')).toContainEqual(expect.stringMatching(/^Revoked — not confirmed/))
  })

  test('a token that expired long after it was issued is left alone, as before', async () => {
    const old = { ...granted, issuedAt: NOW - 7200, expiresAt: NOW - 3600 }
    const f = fakeCore({ ...inputs, 'revocation-url': REVOKE }, { state: { lease: encodeLease(old) } })
    await run(f.core)
    expect(f.args('info')).toEqual(['Not revoked: the token expired more than 5 minutes ago.'])
  })
})

describe('verify-revocation: true fails the step whenever the token is not shown dead', () => {
  const REVOKE = 'https://as.example/revoke'
  const scheduled = { ...lease, revocation: 'scheduled' as const, revocationEndpoint: REVOKE, clientAuth: 'client_secret_basic' }

  test('a revocation the server refuses (HTTP 500)', async () => {
    nock('https://as.example').post('/revoke').reply(500)
    const f = fakeCore({ ...inputs, 'revocation-url': REVOKE, 'verify-revocation': 'true' }, { state: { lease: encodeLease(scheduled) } })
    await run(f.core)
    expect(f.failed).toEqual([expect.stringMatching(/^Revocation failed: POST https:\/\/as\.example\/revoke → HTTP 500/)])
    expect(f.warnings).toEqual([])
  })

  test("TPP's 202 '[token] not found': nothing was revoked", async () => {
    const tpp = {
      provider: 'venafi-tpp',
      'server-url': 'https://tpp.example.com',
      'client-id': 'ci',
      username: 'svc',
      password: 'Sup3r-secret',
      retries: '0',
    }
    const tppLease: Lease = {
      ...lease,
      provider: 'venafi-tpp',
      tokenEndpoint: 'https://tpp.example.com/vedauth/authorize/oauth',
      revocation: 'scheduled',
    }
    nock('https://tpp.example.com').get('/vedauth/revoke/token').reply(202, 'token not found')
    const f = fakeCore({ ...tpp, 'verify-revocation': 'true' }, { state: { lease: encodeLease(tppLease) } })
    await run(f.core)
    expect(f.failed).toEqual([expect.stringMatching(/^Not revoked: the server found no token to revoke/)])
  })
})

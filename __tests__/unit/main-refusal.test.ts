/**
 * Main's refusal of a token it may not hand on (src/refusal.ts) says only what will happen: with
 * `revoke: false` the post step revokes nothing, so a failed immediate revocation must not
 * promise that "the post step will try again", in the log or in the summary.
 */
import nock from 'nock'
import { main } from '../../src/main.js'
import { fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

offlineWithNock()

test('max-lifetime with revoke: false: the immediate revocation fails, and nothing promises a retry', async () => {
  const f = fakeCore({
    'token-url': 'https://as.example/token',
    'revocation-url': 'https://as.example/revoke',
    'client-id': 'ci-client',
    'client-secret': 'Sup3r-secret-value',
    'max-lifetime': '30m',
    revoke: 'false',
    retries: '0',
  })
  nock('https://as.example')
    .post('/token')
    .reply(200, { access_token: 'at-opaque-7Hq2xZ', token_type: 'Bearer', expires_in: 3600 })
    .post('/revoke')
    .reply(500)
  await main({ core: f.core, env: {}, now: () => 1_750_000_000, sleep: async () => {} })
  expect(f.failed).toHaveLength(1)
  expect(f.failed[0]).toMatch(/longer than 'max-lifetime' \(30 min\).*Revoking it at once failed .*: it stays valid until [^;]*\.$/)
  expect(f.failed[0]).not.toContain('the post step will try again')
  expect(f.summary).not.toContain('try again to revoke')
  expect(f.summary).toContain('| Post step | nothing: the token could not be revoked and stays valid until it expires |')
  // Post is handed nothing it would refuse to revoke anyway.
  expect(f.saved).toEqual({ lease: 'none' })
})

test("max-lifetime: a JWT whose 'exp' outlives the expires_in the server stated is refused and revoked at once", async () => {
  const NOW = 1_750_000_000
  const claims = Buffer.from(JSON.stringify({ sub: 'ci', exp: NOW + 30 * 86400 })).toString('base64url')
  const jwt = `eyJhbGciOiJSUzI1NiJ9.${claims}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`
  const revoked: string[] = []
  const f = fakeCore({
    'token-url': 'https://as.example/token',
    'revocation-url': 'https://as.example/revoke',
    'client-id': 'ci-client',
    'client-secret': 'Sup3r-secret-value',
    'max-lifetime': '2h',
    retries: '0',
  })
  nock('https://as.example')
    .post('/token')
    .reply(200, { access_token: jwt, token_type: 'Bearer', expires_in: 3600 })
    .post('/revoke')
    .reply(200, (_, body) => {
      revoked.push(String(body))
      return ''
    })
  await main({ core: f.core, env: {}, now: () => NOW, sleep: async () => {} })
  expect(revoked).toHaveLength(1)
  expect(f.outputs.token).toBeUndefined()
  expect(f.failed).toEqual([
    "The server granted a token that lives 30 d (by its JWT 'exp', beyond the expires_in it stated), longer than 'max-lifetime' (2 h); it was not output. The token is already revoked.",
  ])
})

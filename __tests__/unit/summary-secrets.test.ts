/**
 * No secret in the summary or the lease record, whatever the inputs, the server or the runner's
 * GITHUB_* variables hold (src/main.ts, src/record.ts, src/refusal.ts): each value is cleaned
 * like server text and the table redacts every registered secret — not only the lease's token.
 */
import nock from 'nock'
import { main } from '../../src/main.js'
import { leasedBy, namingClaims } from '../../src/record.js'
import { Secrets } from '../../src/secrets.js'
import { fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

offlineWithNock()

const SECRET = 'Hx7qZr2Lm9Wp'
const secrets = () => {
  const s = new Secrets(() => {})
  s.add(SECRET)
  return s
}
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig-sig-sig-sig-sig`

test('who leased it: hostile GITHUB_* values show no secret and start no workflow command', () => {
  const shown = leasedBy({ GITHUB_REPOSITORY: 'octo/app', GITHUB_ACTOR: `eve\n::add-mask::x ${SECRET}` }, secrets())
  expect(shown).toMatch(/^octo\/app, actor eve/)
  expect(shown).not.toContain(SECRET)
  expect(shown).not.toMatch(/[\r\n]/)
})

test("a JWT's sub and aud that echo a secret, or carry a line break, are cleaned", () => {
  const shown = namingClaims(jwt({ sub: `svc\n::error::${SECRET}`, aud: [`api-${SECRET}`] }), secrets())
  expect(shown).toMatch(/^sub svc/)
  expect(shown).not.toContain(SECRET)
  expect(shown).not.toMatch(/[\r\n]/)
})

test('main: a secret also given in another input (client-id) never reaches the summary', async () => {
  const f = fakeCore({
    'token-url': 'https://as.example/token',
    'client-id': `ci-${SECRET}`,
    'client-secret': SECRET,
    revoke: 'false',
  })
  nock('https://as.example').post('/token').reply(200, { access_token: 'at-opaque-7Hq2xZ', token_type: 'Bearer', expires_in: 3600 })
  await main({ core: f.core, env: {}, now: () => 1_750_000_000, sleep: async () => {} })
  expect(f.failed).toEqual([])
  expect(f.summary).toContain('### token-lease: token obtained')
  expect(f.summary).not.toContain(SECRET)
  expect(f.log.join('\n')).not.toContain(SECRET)
})

test('failed main: a provider or client-id input holding a long opaque run (a pasted secret) is not shown', async () => {
  const pasted = 'ghp_4f9Kx2LmQ7Zr8Wp3Tn6Yb1Vc5'
  const f = fakeCore({ provider: pasted, 'token-url': 'https://as.example/token', 'client-id': `ci ${pasted}`, 'client-secret': SECRET })
  await main({ core: f.core, env: {}, now: () => 1_750_000_000, sleep: async () => {} })
  expect(f.failed).toHaveLength(1)
  expect(f.summary).toContain('### token-lease: no token')
  expect(f.summary).not.toContain(pasted)
  expect(f.summary).not.toContain(pasted.replace(/_/g, '\\_'))
})

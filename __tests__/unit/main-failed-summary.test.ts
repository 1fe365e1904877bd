/**
 * The failed main step's summary (src/main.ts, src/refusal.ts) when the inputs do not parse: it
 * is built from the raw inputs, and a secret input's value must be cut out of it even then — a
 * short secret pasted into a second input too (client-id, username) is plain text clean() shows.
 */
import { main } from '../../src/main.js'
import { fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

offlineWithNock()

const SHORT_SECRET = 'hunter22'

test('a bad input: the summary built from the raw inputs redacts the secret inputs as the log does', async () => {
  const f = fakeCore({
    provider: 'oauth3',
    'token-url': 'https://as.example/token',
    'client-id': `ci-${SHORT_SECRET}`,
    username: SHORT_SECRET,
    'client-secret': SHORT_SECRET,
  })
  await main({ core: f.core, env: {}, now: () => 1_750_000_000, sleep: async () => {} })
  expect(f.failed).toHaveLength(1)
  expect(f.masks).toContain(SHORT_SECRET)
  expect(f.summary).toContain('### token-lease: no token')
  expect(f.summary).toContain('| Provider | oauth3 |')
  expect(f.summary).not.toContain(SHORT_SECRET)
  // The row is still there: the identity asked for, with the secret cut out.
  expect(f.summary).toContain('| Identity asked for | ci-\\*\\*\\*, user \\*\\*\\* |')
})

/** The job summary (src/summary.ts): one small table, never a token. */
import type { Lease } from '../../src/lease.js'
import { expiryText, humanDuration, leaseTable, mainSummary, postSummary } from '../../src/summary.js'

const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
const lease: Lease = {
  provider: 'oauth2',
  token: 'opaque-access-token-0001',
  tokenType: 'Bearer',
  issuedAt: NOW,
  expiresAt: NOW + 3600,
  scope: 'api:read api:write',
  identity: 'ci-client',
  tokenEndpoint: 'https://as.example:8443/oauth2/token?tenant=blue',
  revocation: 'scheduled',
  revocationEndpoint: 'https://as.example:8443/oauth2/revoke',
  clientAuth: 'client_secret_basic',
  refreshToken: 'opaque-refresh-token-0001',
}

test.each([
  [0, 'expired'],
  [-5, 'expired'],
  [45, '45 s'],
  [90, '1 min 30 s'],
  [3600, '1 h'],
  [3661, '1 h 1 min'],
  [86_400, '1 d'],
  [90_061, '1 d 1 h'],
  [2_592_000, '30 d'],
])('humanDuration(%i) is %s', (seconds, text) => {
  expect(humanDuration(seconds)).toBe(text)
})

test('expiryText gives the ISO time and what is left, or unknown', () => {
  expect(expiryText(lease, NOW)).toBe('2025-06-15T16:06:40Z (in 1 h)')
  expect(expiryText({ expiresAt: NOW - 10 }, NOW)).toBe('2025-06-15T15:06:30Z (expired)')
  expect(expiryText({ expiresAt: undefined }, NOW)).toBe('unknown')
})

test('the main summary is the lease table with the planned revocation', () => {
  expect(mainSummary(lease, NOW)).toBe(
    [
      '### token-lease: token obtained',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | as.example:8443 |',
      '| Identity | ci-client |',
      '| Scope | api:read api:write |',
      '| Issued | 2025-06-15T15:06:40Z |',
      '| Expires | 2025-06-15T16:06:40Z \\(in 1 h\\) |',
      '| Lifetime granted | 1 h |',
      '| Revocation | scheduled for the end of the job |',
      '',
    ].join('\n'),
  )
})

test.each<[Lease['revocation'], string]>([
  ['disabled', '| Revocation | disabled \\(revoke: false\\) |'],
  ['unsupported', '| Revocation | not supported by this server: the token stays valid until it expires |'],
])('the main summary says revocation is %s', (revocation, row) => {
  expect(mainSummary({ ...lease, revocation }, NOW)).toContain(row)
})

test('the post summary carries the result; unknown fields show a dash', () => {
  const bare: Lease = { ...lease, identity: undefined, scope: undefined, expiresAt: undefined }
  expect(postSummary(bare, NOW, 'Revoked the token.')).toBe(
    [
      '### token-lease: lease ended',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | as.example:8443 |',
      '| Identity | — |',
      '| Scope | — |',
      '| Issued | 2025-06-15T15:06:40Z |',
      '| Expires | unknown |',
      '| Lifetime granted | unknown |',
      '| Revocation | Revoked the token. |',
      '',
    ].join('\n'),
  )
})

test('server-provided text cannot break the table or inject HTML', () => {
  const table = leaseTable({ ...lease, scope: 'a|b\nc', identity: 'x\r\n<img src=x>' }, NOW, 'ok')
  expect(table).toContain('| Scope | a\\|b c |')
  expect(table).toContain('| Identity | x &lt;img src=x&gt; |')
  expect(table.split('\n')).toHaveLength(11)
})

test('a token a server echoed into a descriptive field is cut out', () => {
  const table = leaseTable({ ...lease, scope: `api:read ${lease.token}`, identity: `rt=${lease.refreshToken}` }, NOW, 'ok')
  expect(table).toContain('| Scope | api:read \\*\\*\\* |')
  expect(table).toContain('| Identity | rt=\\*\\*\\* |')
})

test('no summary ever contains a token, the query string or the path of the endpoint', () => {
  for (const text of [mainSummary(lease, NOW), postSummary(lease, NOW, 'failed')]) {
    expect(text).not.toContain(lease.token)
    expect(text).not.toContain(lease.refreshToken)
    expect(text).not.toContain('tenant=blue')
    expect(text).not.toContain('/oauth2/')
  }
})

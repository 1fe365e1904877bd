/**
 * The trust check (src/trust.ts) against lookalike URLs in a planted lease: an OAuth 2.0 endpoint
 * is vouched for only when it is, after URL normalisation, exactly one the inputs give — same
 * scheme, host, port, path and query. Another path on the same host (another tenant's endpoint
 * on a shared login host), a query, userinfo, a trailing dot, another port or a lookalike IDN host
 * is refused. Called directly: no discovery, so nothing is sent.
 */
import { parseConfig, readInputs } from '../../src/inputs.js'
import type { Lease } from '../../src/lease.js'
import type { Deps } from '../../src/providers/index.js'
import { Secrets } from '../../src/secrets.js'
import { unvouched } from '../../src/trust.js'

const config = parseConfig(
  readInputs(
    (n) =>
      ({
        'token-url': 'https://login.example/tenant-a/token',
        'revocation-url': 'https://login.example/tenant-a/revoke',
        'client-id': 'ci',
        'client-secret': 'Sup3r-secret',
      })[n] ?? '',
  ),
)
// No issuer: the check never discovers, so these deps are never used to send.
const deps = {
  secrets: new Secrets(() => {}),
  send: async () => {
    throw new Error('nothing may be sent')
  },
} as unknown as Deps
const lease = (revocationEndpoint: string): Lease => ({
  provider: 'oauth2',
  token: 'tok',
  tokenType: 'Bearer',
  issuedAt: 0,
  tokenEndpoint: 'https://login.example/tenant-a/token',
  revocation: 'scheduled',
  revocationEndpoint,
})

test.each([
  ['another tenant on the same host', 'https://login.example/tenant-b/revoke'],
  ['a dot-dot path to another tenant', 'https://login.example/tenant-a/../tenant-b/revoke'],
  ['a query', 'https://login.example/tenant-a/revoke?next=x'],
  ['userinfo', 'https://attacker@login.example/tenant-a/revoke'],
  ['a trailing dot', 'https://login.example./tenant-a/revoke'],
  ['another port', 'https://login.example:8443/tenant-a/revoke'],
  ['plain http', 'http://login.example/tenant-a/revoke'],
  ['a lookalike IDN host (Cyrillic о)', 'https://lоgin.example/tenant-a/revoke'],
  ['path case', 'https://login.example/Tenant-A/revoke'],
])('refused: %s', async (_, url) => {
  expect(await unvouched(lease(url), config, deps)).toEqual([expect.stringMatching(/^revocation endpoint /)])
})

test.each([
  ['host case and the default port', 'https://LOGIN.example:443/tenant-a/revoke'],
  ['a dot-dot path that resolves to the given one', 'https://login.example/tenant-a/x/../revoke'],
])('vouched for (the same URL once normalised): %s', async (_, url) => {
  expect(await unvouched(lease(url), config, deps)).toEqual([])
})

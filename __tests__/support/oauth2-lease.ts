/** The OAuth 2.0 lease the post-step unit tests start from, and the client it was leased for. */
import type { Lease } from '../../src/lease.js'

export const ORIGIN = 'https://as.example'
export const NOW = 1_750_000_000 // 2025-06-15T15:06:40Z
export const SECRET = 'Sup3r:secret+with%chars & "quotes"'
/** RFC 6749 §2.3.1: id and secret form-encoded before base64. */
export const BASIC = `Basic ${Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')}`
export const ACCESS_TOKEN = 'opaque-access-token-7Hq2xZ'

export const lease: Lease = {
  provider: 'oauth2',
  token: ACCESS_TOKEN,
  tokenType: 'Bearer',
  issuedAt: NOW - 60,
  expiresAt: NOW + 3540,
  scope: 'api:read',
  identity: 'ci-client',
  tokenEndpoint: `${ORIGIN}/token`,
  revocation: 'scheduled',
  revocationEndpoint: `${ORIGIN}/revoke`,
  clientAuth: 'client_secret_basic',
}

/** The lease and its state codec (src/lease.ts): what main hands to post. */
import { decodeLease, encodeLease, jwtExpiry, plausibleExpiry, secondsLeft, STATE_KEY, type Lease } from '../../src/lease.js'

const lease: Lease = {
  provider: 'oauth2',
  token: 'opaque-access-token-0001',
  tokenType: 'Bearer',
  issuedAt: 1_750_000_000,
  expiresAt: 1_750_003_600,
  scope: 'api:read',
  identity: 'ci-client',
  tokenEndpoint: 'https://as.example/token',
  revocation: 'scheduled',
  revocationEndpoint: 'https://as.example/revoke',
  clientAuth: 'client_secret_basic',
  refreshToken: 'opaque-refresh-token-0001',
}

const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`

test('the state key is "lease"', () => {
  expect(STATE_KEY).toBe('lease')
})

test('a lease survives the state round trip unchanged', () => {
  const state = encodeLease(lease)
  expect(JSON.parse(state)).toEqual(lease)
  expect(decodeLease(state)).toEqual(lease)
})

test('a lease with only the required fields round-trips', () => {
  const minimal: Lease = {
    provider: 'signeasy',
    token: 't0k3n',
    tokenType: 'Bearer',
    issuedAt: 1,
    tokenEndpoint: 'https://x.example/t',
    revocation: 'unsupported',
  }
  expect(decodeLease(encodeLease(minimal))).toEqual(minimal)
})

test.each([
  ['empty state (main leased nothing)', ''],
  ['not JSON', '{lease'],
  ['JSON that is not a lease', '"text"'],
  ['no token', JSON.stringify({ ...lease, token: '' })],
  ['an unknown provider', JSON.stringify({ ...lease, provider: 'okta' })],
  ['an unknown revocation', JSON.stringify({ ...lease, revocation: 'later' })],
  ['an expiry that is not a number', JSON.stringify({ ...lease, expiresAt: '2025-06-15' })],
])('decodeLease gives undefined for %s', (_, state) => {
  expect(decodeLease(state)).toBeUndefined()
})

test('secondsLeft counts down to the expiry, and is undefined when the expiry is unknown', () => {
  expect(secondsLeft(lease, 1_750_000_600)).toBe(3000)
  expect(secondsLeft(lease, 1_750_003_700)).toBe(-100)
  expect(secondsLeft({ expiresAt: undefined }, 1_750_000_600)).toBeUndefined()
})

test("jwtExpiry reads a JWT's exp claim without verifying it", () => {
  expect(jwtExpiry(jwt({ sub: 'ci', exp: 1_750_003_600 }))).toBe(1_750_003_600)
})

test.each([
  ['an opaque token', 'opaque-access-token-0001'],
  ['a JWT without exp', jwt({ sub: 'ci' })],
  ['a JWT whose exp is a string', jwt({ exp: '1750003600' })],
  ['three parts that are not JSON', 'abc.def.ghi'],
])('jwtExpiry is undefined for %s', (_, token) => {
  expect(jwtExpiry(token)).toBeUndefined()
})

test.each([
  ['a real expiry', 1_750_003_600, 1_750_003_600],
  ['the last second before year 10000', 253_402_300_799, 253_402_300_799],
  ['year 10000', 253_402_300_800, undefined],
  ['1e16 (a server counting in microseconds, or nonsense)', 1e16, undefined],
  ['NaN', Number.NaN, undefined],
  ['Infinity', Number.POSITIVE_INFINITY, undefined],
  ['zero', 0, undefined],
  ['a negative time', -1, undefined],
  ['unknown', undefined, undefined],
])('plausibleExpiry: %s', (_, given, expected) => {
  expect(plausibleExpiry(given)).toBe(expected)
})

test('an implausible expiry would not survive the state (NaN becomes null): why main drops it first', () => {
  expect(decodeLease(encodeLease({ ...lease, expiresAt: Number.NaN }))).toBeUndefined()
  expect(decodeLease(encodeLease({ ...lease, expiresAt: plausibleExpiry(Number.NaN) }))).toEqual({ ...lease, expiresAt: undefined })
})

test('clearlyExpired: only more than 5 minutes past; a clock a little ahead is not a reason to skip revocation', async () => {
  const { clearlyExpired, EXPIRY_GRACE } = await import('../../src/lease.js')
  const now = 1_750_000_000
  expect(EXPIRY_GRACE).toBe(300)
  expect(clearlyExpired({ expiresAt: now - 301 }, now)).toBe(true)
  expect(clearlyExpired({ expiresAt: now - 300 }, now)).toBe(false)
  expect(clearlyExpired({ expiresAt: now }, now)).toBe(false)
  expect(clearlyExpired({ expiresAt: undefined }, now)).toBe(false)
})

test("main's placeholder states are not leases", async () => {
  const { NO_LEASE, REVOKED_BY_MAIN } = await import('../../src/lease.js')
  expect(decodeLease(NO_LEASE)).toBeUndefined()
  expect(decodeLease(REVOKED_BY_MAIN)).toBeUndefined()
})

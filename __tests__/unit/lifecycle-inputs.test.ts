/** The inputs of the lease's life (issue 14): max-lifetime, verify-revocation, introspection-url. */
import { parseConfig } from '../../src/inputs.js'
import { inputRefusal } from '../support/input-refusal.js'

const TOKEN_URL = 'https://as.example/token'

test('max-lifetime takes the min-lifetime syntax; verify-revocation auto, true or false; introspection-url an https URL', () => {
  const c = parseConfig({
    'token-url': TOKEN_URL,
    'max-lifetime': '1h',
    'verify-revocation': 'TRUE',
    'introspection-url': 'https://as.example/i',
  })
  expect(c).toMatchObject({ maxLifetime: 3600, verifyRevocation: 'true', introspectionUrl: 'https://as.example/i' })
  expect(parseConfig({ 'token-url': TOKEN_URL })).toMatchObject({ maxLifetime: undefined, verifyRevocation: 'auto' })
})

test.each([
  [{ 'max-lifetime': 'an hour' }, "Invalid input: 'max-lifetime' must be a duration such as 90s, 15m, 2h or 1d; got 'an hour'"],
  [{ 'verify-revocation': 'yes' }, "Invalid input: 'verify-revocation' must be one of: auto, true, false; got 'yes'"],
  [
    { 'introspection-url': 'ftp://as.example/i' },
    "Invalid input: 'introspection-url' must be an absolute https:// URL; got 'ftp://as.example/i'",
  ],
  [
    { 'introspection-url': 'http://as.example/i' },
    "Invalid input: 'introspection-url' is plain http to a host that is not loopback (as.example): use https, or set allow-insecure-http: true",
  ],
  [
    { 'min-lifetime': '2h', 'max-lifetime': '1h' },
    "Invalid input: 'max-lifetime' must not be shorter than 'min-lifetime': no token could meet both",
  ],
])('%o is refused', (extra, message) => {
  expect(inputRefusal({ 'token-url': TOKEN_URL, ...extra })).toBe(message)
})

test('introspection-url is for oauth2 only; max-lifetime and verify-revocation apply to every provider', () => {
  const tpp = { provider: 'venafi-tpp', 'server-url': 'https://tpp.example.com', 'client-id': 'ci', username: 'u', password: 'p' }
  expect(inputRefusal({ ...tpp, 'introspection-url': 'https://tpp.example.com/i' })).toBe(
    "Invalid input: 'introspection-url' is not used by provider venafi-tpp",
  )
  expect(parseConfig({ ...tpp, 'max-lifetime': '30m', 'verify-revocation': 'false' })).toMatchObject({
    maxLifetime: 1800,
    verifyRevocation: 'false',
  })
})

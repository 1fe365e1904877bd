/**
 * Masking (src/secrets.ts): each secret is registered with the runner in every form the
 * action could emit, and `redact` scrubs all of them from text.
 */
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'

function recording() {
  const masked: string[] = []
  return { masked, secrets: new Secrets((v) => masked.push(v)) }
}

test('a value is registered with its form-encoded, URI-encoded, JSON-escaped and base64 forms', () => {
  const { masked, secrets } = recording()
  const value = 'Sup3r:secret+with%chars & "quotes"'
  secrets.add(value)
  expect(masked).toEqual([
    value,
    'Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22',
    'Sup3r%3Asecret%2Bwith%25chars%20%26%20%22quotes%22',
    'Sup3r:secret+with%chars & \\"quotes\\"',
    Buffer.from(value).toString('base64'),
  ])
})

test('a value whose derived forms equal it is registered once', () => {
  const { masked, secrets } = recording()
  secrets.add('plainvalue')
  expect(masked).toEqual(['plainvalue', Buffer.from('plainvalue').toString('base64')])
  secrets.add('plainvalue')
  expect(masked).toHaveLength(2)
})

test('each line of a multi-line secret is registered, but not the PEM armour lines', () => {
  const { masked, secrets } = recording()
  const pem =
    '-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAASC\n  AT4wggE6AgEAAkEAq7BFUpkGp3+XQ  \n-----END PRIVATE KEY-----\n'
  secrets.add(pem)
  expect(masked).toEqual(expect.arrayContaining(['MIIBVAIBADANBgkqhkiG9w0BAQEFAASC', 'AT4wggE6AgEAAkEAq7BFUpkGp3+XQ']))
  expect(masked).not.toContain('-----BEGIN PRIVATE KEY-----')
  expect(masked).not.toContain('-----END PRIVATE KEY-----')
})

test("a JWT's signature part is registered on its own", () => {
  const { masked, secrets } = recording()
  const signature = 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA'
  secrets.add(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.${signature}`)
  expect(masked).toContain(signature)
})

test('empty and missing values are not registered; a very short derived form is not either', () => {
  const { masked, secrets } = recording()
  secrets.add(undefined)
  secrets.add('')
  secrets.add('   ')
  secrets.register('  xy  ')
  expect(masked).toEqual([])
})

test('a short secret value is still masked itself (the runner has no minimum either)', () => {
  const { masked, secrets } = recording()
  secrets.add('abc')
  expect(masked[0]).toBe('abc')
  expect(secrets.redact('pw=abc')).toBe('pw=***')
})

test('register takes the exact string, trimmed', () => {
  const { masked, secrets } = recording()
  secrets.register('  Basic Y2k6c2VjcmV0  ')
  expect(masked).toEqual(['Basic Y2k6c2VjcmV0'])
})

test('redact replaces every registered form, longest first', () => {
  const { secrets } = recording()
  secrets.add('s3cret value')
  secrets.register('Basic Y2k6czNjcmV0K3ZhbHVl')
  secrets.add('s3cret value and more')
  expect(secrets.redact('error: s3cret value and more / s3cret+value / s3cret%20value / Basic Y2k6czNjcmV0K3ZhbHVl / s3cret')).toBe(
    'error: *** / *** / *** / *** / s3cret',
  )
})

test('the secret inputs are the credential inputs', () => {
  expect([...SECRET_INPUTS].sort()).toEqual(
    [
      'actor-token',
      'api-token',
      'assertion',
      'client-key',
      'client-key-passphrase',
      'client-secret',
      'password',
      'private-key',
      'refresh-token',
      'subject-token',
    ].sort(),
  )
})

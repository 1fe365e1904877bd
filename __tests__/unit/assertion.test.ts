/**
 * private_key_jwt client assertions (src/oauth/assertion.ts, RFC 7523 §2.2/§3): each algorithm
 * signs with a key of its kind and the JWT verifies with the public key; the header and claims
 * are exactly iss = sub = client id, aud = the endpoint, a unique jti, iat and exp ≤ 5 minutes;
 * wrong or unreadable keys fail with messages that never show the key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { ASSERTION_LIFETIME_SECONDS, signClientAssertion } from '../../src/oauth/assertion.js'
import { InputError, parseConfig, type SigningAlgorithm } from '../../src/inputs.js'

const TOKEN_URL = 'https://as.example/oauth2/token'
const NOW = 1_750_000_000

const pem = (k: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8') => k.export({ format: 'pem', type }) as string
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ed = generateKeyPairSync('ed25519')
const KEYS: Record<SigningAlgorithm, { privateKey: KeyObject; publicKey: KeyObject }> = { RS256: rsa, PS256: rsa, ES256: ec, EdDSA: ed }

const config = (privateKey: string, alg?: SigningAlgorithm, kid?: string) =>
  parseConfig({
    'token-url': TOKEN_URL,
    'client-id': 'my-client-id',
    'client-auth': 'private_key_jwt',
    'private-key': privateKey,
    ...(alg && { 'signing-algorithm': alg }),
    ...(kid && { 'private-key-id': kid }),
  })

describe.each(Object.keys(KEYS) as SigningAlgorithm[])('%s', (alg) => {
  test('signs a JWT that verifies with the public key, with exactly the RFC 7523 claims', async () => {
    const jwt = await signClientAssertion(config(pem(KEYS[alg].privateKey), alg, 'key-2025'), TOKEN_URL, NOW)
    expect(decodeProtectedHeader(jwt)).toEqual({ alg, typ: 'JWT', kid: 'key-2025' })
    const { payload } = await jwtVerify(jwt, KEYS[alg].publicKey, { algorithms: [alg], currentDate: new Date((NOW + 10) * 1000) })
    expect(payload).toEqual({
      iss: 'my-client-id',
      sub: 'my-client-id',
      aud: TOKEN_URL,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: NOW,
      exp: NOW + 300,
    })
  })
})

test('RS256 is the default algorithm; without private-key-id there is no kid', async () => {
  const jwt = await signClientAssertion(config(pem(rsa.privateKey)), TOKEN_URL, NOW)
  expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT' })
})

test('every assertion has its own jti, and lives at most five minutes from now', async () => {
  const c = config(pem(ec.privateKey), 'ES256')
  const before = Math.floor(Date.now() / 1000)
  const jwts = await Promise.all([1, 2, 3].map(() => signClientAssertion(c, TOKEN_URL)))
  const claims = await Promise.all(jwts.map(async (j) => (await jwtVerify(j, ec.publicKey)).payload))
  expect(new Set(claims.map((p) => p.jti)).size).toBe(3)
  for (const p of claims) {
    expect(p.iat).toBeGreaterThanOrEqual(before)
    expect(p.exp! - p.iat!).toBe(ASSERTION_LIFETIME_SECONDS)
    expect(ASSERTION_LIFETIME_SECONDS).toBeLessThanOrEqual(300)
  }
})

test('PKCS#1 RSA and SEC1 EC keys are read too', async () => {
  await expect(signClientAssertion(config(pem(rsa.privateKey, 'pkcs1'), 'RS256'), TOKEN_URL, NOW)).resolves.toMatch(/^eyJ/)
  await expect(signClientAssertion(config(pem(ec.privateKey, 'sec1'), 'ES256'), TOKEN_URL, NOW)).resolves.toMatch(/^eyJ/)
})

describe('keys that do not fit: an input error that describes the key and never shows it', () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 })
  test.each<[string, KeyObject, SigningAlgorithm, string]>([
    [
      'an EC key for RS256',
      ec.privateKey,
      'RS256',
      "'private-key' is an EC prime256v1 key, but 'signing-algorithm' RS256 needs an RSA key (2048 bits or more): change one of them",
    ],
    [
      'an RSA key for ES256',
      rsa.privateKey,
      'ES256',
      "'private-key' is an RSA key, but 'signing-algorithm' ES256 needs an EC P-256 key: change one of them",
    ],
    [
      'a P-384 key for ES256',
      p384.privateKey,
      'ES256',
      "'private-key' is an EC secp384r1 key, but 'signing-algorithm' ES256 needs an EC P-256 key: change one of them",
    ],
    [
      'an Ed25519 key for PS256',
      ed.privateKey,
      'PS256',
      "'private-key' is an Ed25519 key, but 'signing-algorithm' PS256 needs an RSA key (2048 bits or more): change one of them",
    ],
    [
      'an RSA key for EdDSA',
      rsa.privateKey,
      'EdDSA',
      "'private-key' is an RSA key, but 'signing-algorithm' EdDSA needs an Ed25519 key: change one of them",
    ],
    [
      'a 1024-bit RSA key',
      rsa1024.privateKey,
      'RS256',
      "'private-key' cannot sign with 'signing-algorithm' RS256: it needs an RSA key (2048 bits or more)",
    ],
  ])('%s', async (_what, key, alg, message) => {
    const text = pem(key)
    const err = (await signClientAssertion(config(text, alg), TOKEN_URL, NOW).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(InputError)
    expect(err.message).toBe(message)
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(err.message).not.toContain(line)
  })

  test('not a PEM key', async () => {
    const err = (await signClientAssertion(config('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-pem'), TOKEN_URL, NOW).catch(
      (e: unknown) => e,
    )) as Error
    expect(err).toBeInstanceOf(InputError)
    expect(err.message).toMatch(/^'private-key' could not be read: give a PEM private key/)
    expect(err.message).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')
  })

  test('an encrypted key', async () => {
    const encrypted = ec.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw-123456' }) as string
    await expect(signClientAssertion(config(encrypted, 'ES256'), TOKEN_URL, NOW)).rejects.toThrow(
      "'private-key' is encrypted: give the PEM private key unencrypted (store it as a secret)",
    )
  })
})

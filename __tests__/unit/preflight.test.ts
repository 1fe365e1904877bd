/**
 * The preflight (src/preflight.ts), run after the inputs parse and before any request: a
 * private_key_jwt key that cannot sign with 'signing-algorithm', and a flow that needs the job's
 * GitHub OIDC token on a runner that offers none, each fail with an InputError — the exact text
 * the flow would otherwise throw halfway through — that never shows the key.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { needsGithubOidc, tppKeylessMessage } from '../../src/github-oidc.js'
import { InputError, parseConfig, type RawInputs } from '../../src/inputs.js'
import { preflight } from '../../src/preflight.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki } from '../../scripts/lib/pki.mjs'

const TOKEN_URL = 'https://as.example/oauth2/token'
const OIDC_ENV = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.example/oidc/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token-7hQx2',
}
const NO_OIDC =
  "This flow uses the job's GitHub OIDC token, but the runner offers none (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set): grant it in the workflow with 'permissions: id-token: write' (on the job or the workflow). Pull requests from forks never get one."

const pem = (k: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8') => k.export({ format: 'pem', type }) as string
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
const ed = generateKeyPairSync('ed25519').privateKey
const ed448 = generateKeyPairSync('ed448').privateKey
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey
// @types/node 20 types saltLength as a string; Node takes the number of bytes.
const pss512 = generateKeyPairSync('rsa-pss', {
  modulusLength: 2048,
  hashAlgorithm: 'sha512',
  mgf1HashAlgorithm: 'sha512',
  saltLength: 64 as unknown as string,
}).privateKey
const pssFree = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey
const pki = createPki()
const PLAIN_RSA = 'jose signs PS256 only with a plain RSA key ("BEGIN RSA PRIVATE KEY", or "BEGIN PRIVATE KEY" holding rsaEncryption)'

/** The error preflight throws for `raw` and `env` (fails the test when it does not throw). */
function preflightError(raw: RawInputs, env: NodeJS.ProcessEnv = {}): InputError {
  const config = parseConfig(raw)
  try {
    preflight(config, env)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }
  throw new Error('preflight did not throw')
}

const keyJwt = (privateKey: string, alg?: string): RawInputs => ({
  'token-url': TOKEN_URL,
  'client-id': 'ci',
  'client-auth': 'private_key_jwt',
  'private-key': privateKey,
  ...(alg && { 'signing-algorithm': alg }),
})

describe('private_key_jwt: the key must read and fit signing-algorithm', () => {
  test.each<[string, string, string | undefined]>([
    ['an RSA key, RS256 by default', pem(rsa), undefined],
    ['a PKCS#1 RSA key for PS256', pem(rsa, 'pkcs1'), 'PS256'],
    ['a SEC1 EC P-256 key for ES256', pem(ec, 'sec1'), 'ES256'],
    ['an Ed25519 key for EdDSA', pem(ed), 'EdDSA'],
  ])('%s passes', (_what, key, alg) => {
    expect(preflight(parseConfig(keyJwt(key, alg)), {})).toBeUndefined()
  })

  test('client-auth not given: a private-key alone implies private_key_jwt, and is checked', () => {
    const { 'client-auth': _, ...implied } = keyJwt(pem(ec))
    expect(preflightError(implied).message).toBe(
      "'private-key' is an EC prime256v1 key, but 'signing-algorithm' RS256 needs an RSA key (2048 bits or more): change one of them",
    )
  })

  const encrypted = ec.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw-123456' }) as string
  test.each<[string, string, string, string]>([
    [
      'an EC key for RS256',
      pem(ec),
      'RS256',
      "'private-key' is an EC prime256v1 key, but 'signing-algorithm' RS256 needs an RSA key (2048 bits or more): change one of them",
    ],
    [
      'an RSA key for ES256',
      pem(rsa),
      'ES256',
      "'private-key' is an RSA key, but 'signing-algorithm' ES256 needs an EC P-256 key: change one of them",
    ],
    [
      'an Ed25519 key for PS256',
      pem(ed),
      'PS256',
      "'private-key' is an Ed25519 key, but 'signing-algorithm' PS256 needs an RSA key (2048 bits or more): change one of them",
    ],
    [
      'a 1024-bit RSA key (refused by jose only when signing)',
      pem(rsa1024),
      'RS256',
      "'private-key' is a 1024-bit RSA key, but 'signing-algorithm' RS256 needs 2048 bits or more (RFC 7518 §3.3)",
    ],
    [
      'an RSA-PSS key restricted to SHA-512, for PS256',
      pem(pss512),
      'PS256',
      `'private-key' is an RSA-PSS key restricted to SHA-512 (MGF1 SHA-512), but 'signing-algorithm' PS256 signs with SHA-256; and ${PLAIN_RSA}`,
    ],
    [
      'an unrestricted RSA-PSS key, for PS256',
      pem(pssFree),
      'PS256',
      `'private-key' is an RSA-PSS key (RSASSA-PSS, not rsaEncryption): ${PLAIN_RSA}`,
    ],
    [
      'an Ed448 key for EdDSA',
      pem(ed448),
      'EdDSA',
      "'private-key' is an Ed448 key, but 'signing-algorithm' EdDSA signs with Ed25519 here (jose 6, RFC 8037 as most servers implement it): give an Ed25519 key",
    ],
    [
      'an EC P-384 key for ES256',
      pem(p384),
      'ES256',
      "'private-key' is an EC key on curve P-384, but 'signing-algorithm' ES256 needs curve P-256 (RFC 7518 §3.4)",
    ],
    [
      'a certificate',
      pki.client.cert,
      'ES256',
      "'private-key' is a certificate, not a private key: give the client's PEM private key (the certificate or its public key is what the server holds)",
    ],
    [
      'a public key (SPKI)',
      createPublicKey(rsa).export({ format: 'pem', type: 'spki' }) as string,
      'RS256',
      "'private-key' is a public key: give the matching PEM private key (the public key is what the server holds)",
    ],
    [
      'a public key (PKCS#1)',
      createPublicKey(rsa).export({ format: 'pem', type: 'pkcs1' }) as string,
      'RS256',
      "'private-key' is a public key: give the matching PEM private key (the public key is what the server holds)",
    ],
    ['an encrypted key', encrypted, 'ES256', "'private-key' is encrypted: give the PEM private key unencrypted (store it as a secret)"],
    [
      'not a PEM key',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-pem',
      'RS256',
      `'private-key' could not be read: give a PEM private key ("BEGIN PRIVATE KEY", or PKCS#1 "BEGIN RSA PRIVATE KEY" / SEC1 "BEGIN EC PRIVATE KEY"), with its line breaks`,
    ],
  ])('%s: refused, the key not shown', (_what, key, alg, message) => {
    const err = preflightError(keyJwt(key, alg), OIDC_ENV)
    expect(err.message).toBe(message)
    for (const line of key.split('\n').filter((l) => l && !l.startsWith('-----'))) expect(err.message).not.toContain(line)
  })
})

test('the keys refused above for what jose does: jose 6 itself will not sign with them', async () => {
  const { SignJWT } = await import('jose')
  const sign = (key: KeyObject, alg: string) => new SignJWT({}).setProtectedHeader({ alg }).sign(key)
  await expect(sign(pss512, 'PS256')).rejects.toThrow()
  await expect(sign(pssFree, 'PS256')).rejects.toThrow()
  await expect(sign(ed448, 'EdDSA')).rejects.toThrow()
  await expect(sign(rsa, 'PS256')).resolves.toMatch(/^eyJ/)
  await expect(sign(ed, 'EdDSA')).resolves.toMatch(/^eyJ/)
})

describe('mutual TLS: the certificate and key must read and match', () => {
  const mtls = (cert: string, key: string, passphrase?: string): RawInputs => ({
    'token-url': TOKEN_URL,
    'client-id': 'ci',
    'client-auth': 'tls_client_auth',
    'client-certificate': cert,
    'client-key': key,
    ...(passphrase && { 'client-key-passphrase': passphrase }),
  })

  test('the pair issued together passes, plain or encrypted with its passphrase', () => {
    expect(preflight(parseConfig(mtls(pki.client.cert, pki.client.key)), {})).toBeUndefined()
    expect(preflight(parseConfig(mtls(pki.client.cert, pki.clientEncrypted.key, pki.clientEncrypted.passphrase)), {})).toBeUndefined()
  })

  test.each<[string, RawInputs, string]>([
    [
      'a key of another pair',
      mtls(pki.client.cert, pki.server.key),
      "Invalid input: 'client-key' is not the key of 'client-certificate' (their public keys differ): give the pair issued together.",
    ],
    [
      'an encrypted key without passphrase',
      mtls(pki.client.cert, pki.clientEncrypted.key),
      "Invalid input: 'client-key' is encrypted: give 'client-key-passphrase'.",
    ],
    [
      'a wrong passphrase',
      mtls(pki.client.cert, pki.clientEncrypted.key, 'not-the-pass'),
      "Invalid input: 'client-key' could not be decrypted: check 'client-key-passphrase'.",
    ],
    [
      'a certificate as the key',
      mtls(pki.client.cert, pki.client.cert),
      `Invalid input: 'client-key' is not a PEM private key ("BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY" or "BEGIN EC PRIVATE KEY").`,
    ],
    [
      'a key as the certificate',
      mtls(pki.client.key, pki.client.key),
      `Invalid input: 'client-certificate' could not be read: give the client certificate in PEM ("BEGIN CERTIFICATE").`,
    ],
  ])('%s: refused before any request, the key not shown', (_what, raw, message) => {
    const err = preflightError(raw)
    expect(err.message).toBe(message)
    expect(err.message).not.toMatch(/MII|PRIVATE KEY-----/)
  })
})

describe("flows that need the job's GitHub OIDC token", () => {
  const needs: [string, RawInputs][] = [
    ['oauth2, client-auth github-oidc', { 'token-url': TOKEN_URL, 'client-id': 'ci', 'client-auth': 'github-oidc' }],
    ['oauth2, grant jwt-bearer without assertion', { 'token-url': TOKEN_URL, 'grant-type': 'jwt-bearer' }],
    ['oauth2, grant token-exchange without subject-token', { 'token-url': TOKEN_URL, 'grant-type': 'token-exchange' }],
    [
      'venafi-tpp with neither username/password nor a client certificate',
      { provider: 'venafi-tpp', 'server-url': 'https://tpp.example', 'client-id': 'ci-integration' },
    ],
  ]

  test.each(needs)('%s: refused on a runner without the OIDC request variables', (_what, raw) => {
    expect(needsGithubOidc(parseConfig(raw))).toBe(true)
    // TPP says why it wanted the token: the way in is chosen from what is (not) given.
    const expected = raw.provider === 'venafi-tpp' ? tppKeylessMessage(NO_OIDC) : NO_OIDC
    expect(preflightError(raw).message).toBe(expected)
    // Half of the pair is as good as none.
    expect(preflightError(raw, { ACTIONS_ID_TOKEN_REQUEST_URL: OIDC_ENV.ACTIONS_ID_TOKEN_REQUEST_URL }).message).toBe(expected)
    expect(preflightError(raw, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_ENV.ACTIONS_ID_TOKEN_REQUEST_TOKEN }).message).toBe(expected)
  })

  test.each(needs)('%s: passes when the runner offers one', (_what, raw) => {
    expect(preflight(parseConfig(raw), OIDC_ENV)).toBeUndefined()
  })

  test.each<[string, RawInputs]>([
    ['oauth2, client_secret_basic', { 'token-url': TOKEN_URL, 'client-id': 'ci', 'client-secret': 's3cret-value' }],
    ['oauth2, private_key_jwt', keyJwt(pem(rsa))],
    ['oauth2, grant jwt-bearer with an assertion', { 'token-url': TOKEN_URL, 'grant-type': 'jwt-bearer', assertion: 'eyJ.a.b' }],
    [
      'oauth2, grant token-exchange with a subject-token',
      { 'token-url': TOKEN_URL, 'grant-type': 'token-exchange', 'subject-token': 'st-value-1234' },
    ],
    [
      'venafi-tpp with username/password',
      { provider: 'venafi-tpp', 'server-url': 'https://tpp.example', 'client-id': 'ci', username: 'local:svc', password: 'pw-1234' },
    ],
    [
      'venafi-tpp with a client certificate',
      {
        provider: 'venafi-tpp',
        'server-url': 'https://tpp.example',
        'client-id': 'ci',
        'client-certificate': pki.client.cert,
        'client-key': pki.client.key,
      },
    ],
    ['m-trust', { provider: 'm-trust', 'server-url': 'https://mtrust.example', 'client-id': 'app', 'api-token': 'api-token-1234' }],
    ['signeasy', { provider: 'signeasy', 'client-id': 'app', 'client-secret': 's3cret-value' }],
  ])('%s: no OIDC token needed, so none is asked for', (_what, raw) => {
    expect(needsGithubOidc(parseConfig(raw))).toBe(false)
    expect(preflight(parseConfig(raw), {})).toBeUndefined()
  })
})

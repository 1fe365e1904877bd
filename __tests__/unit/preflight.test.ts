/**
 * The preflight (src/preflight.ts), run after the inputs parse and before any request: a
 * private_key_jwt key that cannot sign with 'signing-algorithm', and a flow that needs the job's
 * GitHub OIDC token on a runner that offers none, each fail with an InputError — the exact text
 * the flow would otherwise throw halfway through — that never shows the key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { needsGithubOidc, tppKeylessMessage } from '../../src/github-oidc.js'
import { InputError, parseConfig, type RawInputs } from '../../src/inputs.js'
import { preflight } from '../../src/preflight.js'

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
      "'private-key' cannot sign with 'signing-algorithm' RS256: it needs an RSA key (2048 bits or more)",
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
      { provider: 'venafi-tpp', 'server-url': 'https://tpp.example', 'client-id': 'ci', 'client-certificate': 'CERT', 'client-key': 'KEY' },
    ],
    ['m-trust', { provider: 'm-trust', 'server-url': 'https://mtrust.example', 'client-id': 'app', 'api-token': 'api-token-1234' }],
    ['signeasy', { provider: 'signeasy', 'client-id': 'app', 'client-secret': 's3cret-value' }],
  ])('%s: no OIDC token needed, so none is asked for', (_what, raw) => {
    expect(needsGithubOidc(parseConfig(raw))).toBe(false)
    expect(preflight(parseConfig(raw), {})).toBeUndefined()
  })
})

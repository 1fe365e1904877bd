/**
 * Client authentication with a secret or none (src/oauth/client-auth.ts): RFC 6749 §2.3.1
 * Basic (each part form-encoded before base64), client_secret_post, none, and how the
 * method is chosen. (private_key_jwt, tls_client_auth and github-oidc are tested elsewhere.)
 */
import { authenticate, basicCredential, chooseClientAuth } from '../../src/oauth/client-auth.js'
import { parseConfig, type RawInputs } from '../../src/inputs.js'
import type { Deps } from '../../src/providers/index.js'
import { Secrets } from '../../src/secrets.js'

const TOKEN_URL = 'https://as.example/token'
const SECRET = 'Sup3r:secret+with%chars & "quotes"'
const config = (raw: RawInputs) => parseConfig({ 'token-url': TOKEN_URL, ...raw })

function deps() {
  const masked: string[] = []
  const fail = () => Promise.reject(new Error('no request expected'))
  const d: Deps = {
    send: fail,
    secrets: new Secrets((v) => masked.push(v)),
    log: { info: () => {}, warning: () => {}, debug: () => {} },
    now: () => 1_750_000_000,
    githubOidcToken: fail,
  }
  return { masked, deps: d }
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')

describe('basicCredential (RFC 6749 §2.3.1, Appendix B)', () => {
  test.each([
    ['ci-client', 'plain', 'ci-client:plain'],
    ['ci-client', SECRET, 'ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22'],
    ['id:with colon', "it's=100%/ok?", 'id%3Awith+colon:it%27s%3D100%25%2Fok%3F'],
    ['client', 'grüße€', 'client:gr%C3%BC%C3%9Fe%E2%82%AC'],
  ])('%s / secret %# is base64 of the form-encoded pair', (id, secret, encoded) => {
    expect(basicCredential(id, secret)).toBe(b64(encoded))
  })

  test('a server that form-decodes both parts gets the original id and secret back', () => {
    const decoded = Buffer.from(basicCredential('id:with colon', SECRET), 'base64').toString('utf8')
    const [id, secret] = decoded.split(':').map((p) => decodeURIComponent(p.replace(/\+/g, ' ')))
    expect([id, secret]).toEqual(['id:with colon', SECRET])
  })
})

describe('chooseClientAuth', () => {
  test('the method asked for wins', () => {
    expect(
      chooseClientAuth(config({ 'client-id': 'ci', 'client-secret': SECRET, 'client-auth': 'client_secret_post' }), [
        'client_secret_basic',
      ]),
    ).toBe('client_secret_post')
  })

  test.each<[string[] | undefined, string]>([
    [undefined, 'client_secret_basic'],
    [['client_secret_basic', 'client_secret_post'], 'client_secret_basic'],
    [['client_secret_post', 'client_secret_basic'], 'client_secret_basic'],
    [['client_secret_post'], 'client_secret_post'],
    [['private_key_jwt', 'client_secret_post'], 'client_secret_post'],
    [['private_key_jwt'], 'client_secret_basic'],
  ])('with a secret and server methods %j: %s', (supported, method) => {
    expect(chooseClientAuth(config({ 'client-id': 'ci', 'client-secret': SECRET }), supported)).toBe(method)
  })

  test('without any credential: none', () => {
    expect(chooseClientAuth(config({ 'client-id': 'ci' }))).toBe('none')
    expect(chooseClientAuth(config({}))).toBe('none')
  })
})

describe('authenticate', () => {
  test('client_secret_basic: an Authorization header, and the credential is registered as a mask', async () => {
    const { masked, deps: d } = deps()
    const credential = b64('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22')
    const auth = await authenticate('client_secret_basic', config({ 'client-id': 'ci-client', 'client-secret': SECRET }), TOKEN_URL, d)
    expect(auth).toEqual({ headers: { authorization: `Basic ${credential}` }, params: {} })
    expect(masked).toEqual([credential, `Basic ${credential}`])
    expect(d.secrets.redact(`authorization: Basic ${credential}`)).toBe('authorization: ***')
  })

  test('client_secret_basic unencoded (a lease that records it): id and secret as they are, registered as masks too', async () => {
    const { masked, deps: d } = deps()
    const credential = b64(`ci-client:${SECRET}`)
    const cfg = config({ 'client-id': 'ci-client', 'client-secret': SECRET })
    const auth = await authenticate('client_secret_basic', cfg, TOKEN_URL, d, { unencoded: true })
    expect(auth).toEqual({ headers: { authorization: `Basic ${credential}` }, params: {} })
    expect(masked).toEqual([credential, `Basic ${credential}`])
  })

  test('basicCredential: unencoded is base64 of the pair as given (what servers that skip Appendix B decode)', () => {
    expect(basicCredential('id@tenant', "it's=100%/ok?", true)).toBe(b64("id@tenant:it's=100%/ok?"))
  })

  test('client_secret_post: id and secret as parameters, no header', async () => {
    const { masked, deps: d } = deps()
    const auth = await authenticate('client_secret_post', config({ 'client-id': 'ci-client', 'client-secret': SECRET }), TOKEN_URL, d)
    expect(auth).toEqual({ headers: {}, params: { client_id: 'ci-client', client_secret: SECRET } })
    expect(masked).toEqual([])
  })

  test('none: only the client id, when there is one', async () => {
    const { deps: d } = deps()
    expect(await authenticate('none', config({ 'client-id': 'public-client' }), TOKEN_URL, d)).toEqual({
      headers: {},
      params: { client_id: 'public-client' },
    })
    expect(await authenticate('none', config({}), TOKEN_URL, d)).toEqual({ headers: {}, params: {} })
  })
})

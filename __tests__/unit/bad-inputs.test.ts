/**
 * Bad inputs fail the main step before any request: each case runs main() in-process with a
 * recording core whose endpoints point at a live fault server on 127.0.0.1, and asserts the exact
 * message (naming the input and what is accepted), that no request reached the server, that
 * nothing was output or saved, and that secret inputs were masked first and never echoed.
 */
import { main } from '../../src/main.js'
import { post } from '../../src/post.js'
import { fakeCore } from '../support/fake-core.js'
import { startFaultServer, type FaultServer } from '../support/fault-server.js'
// @ts-expect-error: plain ESM helper without type declarations
import { createPki } from '../../scripts/lib/pki.mjs'

const SECRET = 'bad-inputs-secret-value'

/** A core that records every call in order, like the runner would see them. */
const recordingCore = (inputs: Record<string, string>, state: Record<string, string> = {}) => fakeCore(inputs, { state, trimInputs: true })

let server: FaultServer
beforeAll(async () => {
  server = await startFaultServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const pki = createPki()
const base = () => ({
  'token-url': server.url('/token'),
  'revocation-url': server.url('/revoke'),
  'client-id': 'ci',
  'client-secret': SECRET,
})

type Case = [label: string, inputs: (b: Record<string, string>) => Record<string, string>, message: string]
const cases: Case[] = [
  [
    'unknown provider',
    (b) => ({ ...b, provider: 'okta' }),
    "Invalid input: 'provider' must be one of: oauth2, venafi-tpp, m-trust, signeasy; got 'okta'",
  ],
  [
    'unknown grant type',
    (b) => ({ ...b, 'grant-type': 'authorization_code' }),
    "Invalid input: 'grant-type' must be one of: client_credentials, password, refresh_token, token-exchange, jwt-bearer; got 'authorization_code'",
  ],
  [
    'unknown client auth',
    (b) => ({ ...b, 'client-auth': 'basic' }),
    "Invalid input: 'client-auth' must be one of: client_secret_basic, client_secret_post, private_key_jwt, tls_client_auth, github-oidc, none; got 'basic'",
  ],
  [
    'non-numeric timeout',
    (b) => ({ ...b, timeout: '30s' }),
    "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '30s'",
  ],
  [
    'negative timeout',
    (b) => ({ ...b, timeout: '-5' }),
    "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '-5'",
  ],
  [
    'non-numeric retries',
    (b) => ({ ...b, retries: 'three' }),
    "Invalid input: 'retries' must be a whole number of retries from 0 to 10; got 'three'",
  ],
  [
    'negative retries',
    (b) => ({ ...b, retries: '-1' }),
    "Invalid input: 'retries' must be a whole number of retries from 0 to 10; got '-1'",
  ],
  [
    'unparseable min-lifetime',
    (b) => ({ ...b, 'min-lifetime': '15 minutes' }),
    "Invalid input: 'min-lifetime' must be a duration such as 90s, 15m, 2h or 1d; got '15 minutes'",
  ],
  ['revoke not a boolean', (b) => ({ ...b, revoke: 'yes' }), "Invalid input: 'revoke' must be true or false; got 'yes'"],
  [
    'malformed URL',
    (b) => ({ ...b, 'token-url': 'idp.example.com/token' }),
    "Invalid input: 'token-url' must be an absolute https:// URL; got 'idp.example.com/token'",
  ],
  [
    'URL with credentials and a scheme other than https: both problems named, the userinfo not echoed',
    (b) => ({ ...b, 'token-url': `ftp://svc:${SECRET}@idp.example.com/token` }),
    "Invalid inputs:\n- 'token-url' must not carry credentials in the URL; use the credential inputs\n- 'token-url' must be an absolute https:// URL; got 'ftp://***@idp.example.com/token'",
  ],
  [
    'resource with credentials and a fragment: the userinfo not echoed',
    (b) => ({ ...b, resource: `https://svc:${SECRET}@api.example.com/#all` }),
    "Invalid input: 'resource' must be absolute URIs without a fragment, one per line; got 'https://***@api.example.com/#all'",
  ],
  [
    'non-loopback http:// without allow-insecure-http',
    (b) => ({ ...b, 'token-url': 'http://idp.example.com/token' }),
    "Invalid input: 'token-url' is plain http to a host that is not loopback (idp.example.com): use https, or set allow-insecure-http: true",
  ],
  [
    'extra-params line without =',
    (b) => ({ ...b, 'extra-params': 'tenant=blue\nprompt' }),
    "Invalid input: 'extra-params' line 2 must be key=value",
  ],
  [
    'conflicting: client-secret and private-key without client-auth',
    (b) => ({ ...b, 'private-key': pki.client.key }),
    "Invalid input: 'client-secret' and 'private-key' clash: set 'client-auth' to say which one authenticates the client",
  ],
  [
    'conflicting: username and password with client credentials',
    (b) => ({ ...b, username: 'alice', password: SECRET }),
    "Invalid inputs:\n- 'username' is not used by grant-type client_credentials\n- 'password' is not used by grant-type client_credentials",
  ],
  [
    'missing: password grant without a password',
    (b) => ({ ...b, 'grant-type': 'password', username: 'alice' }),
    "Invalid input: 'password' is required for grant-type password",
  ],
  [
    'conflicting: client-certificate without client-key',
    (b) => ({ ...b, 'client-certificate': pki.client.cert }),
    "Invalid input: 'client-certificate' and 'client-key' go together: give both or neither",
  ],
  [
    'ca-certificate that is not PEM',
    (b) => ({ ...b, 'ca-certificate': 'MIIBxTCCAWugAwIBAgIU' }),
    "Invalid input: 'ca-certificate' must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)",
  ],
  [
    'client-key-passphrase that does not decrypt the key',
    (b) => ({
      ...b,
      'client-secret': '',
      'client-certificate': pki.client.cert,
      'client-key': pki.clientEncrypted.key,
      'client-key-passphrase': SECRET,
    }),
    "Invalid input: 'client-key' could not be decrypted: check 'client-key-passphrase'.",
  ],
  [
    'github-oidc client auth without id-token: write',
    (b) => ({ ...b, 'client-secret': '', 'client-auth': 'github-oidc' }),
    "This flow uses the job's GitHub OIDC token, but the runner offers none (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set): grant it in the workflow with 'permissions: id-token: write' (on the job or the workflow). Pull requests from forks never get one.",
  ],
  [
    // Issue 12.10: the value reached the log raw ("TPP signed in … through API integration '…'").
    'a TPP client-id with a line break that would start a workflow command',
    (b) => ({
      provider: 'venafi-tpp',
      'server-url': b['token-url'].replace(/\/token$/, ''),
      'client-id': 'ci\n::add-mask::TPP signed in',
      username: 'local:svc',
      password: SECRET,
    }),
    "Invalid input: 'client-id' must be one line without control characters; got 'ci *** signed in'",
  ],
  [
    'an issuer with a query string (RFC 8414 §2)',
    (b) => ({ issuer: `${b['token-url'].replace(/\/token$/, '')}/realms/ci?tenant=x`, 'client-id': 'ci', 'client-secret': SECRET }),
    "Invalid input: 'issuer' must have no query or fragment (RFC 8414 §2); got '***'",
  ],
  [
    'the secret given in the wrong input is not shown back',
    (b) => ({ ...b, 'revoke-failure': SECRET }),
    "Invalid input: 'revoke-failure' must be one of: warn, fail; got '***'",
  ],
  [
    'several problems at once are all listed',
    (b) => ({ ...b, timeout: 'forever', revoke: 'maybe', provider: 'OAuth2' }),
    "Invalid inputs:\n- 'revoke' must be true or false; got 'maybe'\n- 'timeout' must be a whole number of seconds from 1 to 600; got 'forever'",
  ],
]

describe.each(cases)('%s', (_, make, message) => {
  test('main fails with a message naming the input, before any request; secrets masked first, never echoed', async () => {
    const inputs = make(base())
    const { core, calls } = recordingCore(inputs)
    await main({ core, env: {} })
    expect(server.requests).toHaveLength(0)
    const failed = calls.filter(([kind]) => kind === 'setFailed')
    expect(failed).toEqual([['setFailed', message]])
    expect(calls.map(([kind]) => kind)).not.toEqual(expect.arrayContaining(['setOutput']))
    // Only main's placeholder state (its first act): no lease.
    expect(calls.filter(([kind]) => kind === 'saveState')).toEqual([['saveState', 'lease', 'none']])
    expect(calls.map(([kind]) => kind)).not.toEqual(expect.arrayContaining(['exportVariable']))
    // Masking comes first: every call before the failure registers a secret.
    const firstOther = calls.findIndex(([kind]) => kind !== 'setSecret' && kind !== 'saveState')
    expect(calls[firstOther][0]).toBe('setFailed')
    if (inputs['client-secret']) expect(calls).toContainEqual(['setSecret', inputs['client-secret']])
    expect(failed[0][1]).not.toMatch(/[\r\n]::/)
    expect(failed[0][1]).not.toContain(SECRET)
  })
})

test('post with bad inputs: a warning, no request, no failure', async () => {
  const lease = {
    provider: 'oauth2',
    token: 't-1',
    tokenType: 'Bearer',
    issuedAt: 1,
    tokenEndpoint: server.url('/token'),
    revocation: 'scheduled',
  }
  const { core, calls } = recordingCore({ ...base(), timeout: '-5' }, { lease: JSON.stringify(lease) })
  await post({ core, env: {} })
  expect(server.requests).toHaveLength(0)
  expect(calls.filter(([kind]) => kind !== 'setSecret')).toEqual([
    ['warning', "Invalid input: 'timeout' must be a whole number of seconds from 1 to 600; got '-5'"],
  ])
})

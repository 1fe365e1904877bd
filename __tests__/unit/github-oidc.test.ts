/**
 * The job's GitHub OIDC token (src/github-oidc.ts) through the real HTTP layer, nock answering
 * as the runner's token service: the exact request (URL with audience, Bearer request token),
 * masking of the token and its signature part, retries of transient failures, and the errors.
 */
import nock from 'nock'
import { describeClaims, githubOidcToken } from '../../src/github-oidc.js'
import { Http } from '../../src/http.js'
import { InputError } from '../../src/inputs.js'
import { Secrets } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'

const SERVICE = 'https://pipelines.actions.example'
const REQUEST_TOKEN = 'runner-request-token-5mKq9'
const ENV = { ACTIONS_ID_TOKEN_REQUEST_URL: `${SERVICE}/oidc/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
const SIGNATURE = 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWpvYi10b2tlbg'
/** A JWT-shaped ID token with GitHub's claim shapes (unit tests do not verify signatures). */
const ID_TOKEN = [
  b64url({ alg: 'RS256', kid: 'k1', typ: 'JWT' }),
  b64url({
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    aud: 'api://AzureADTokenExchange',
    exp: 1_750_000_300,
  }),
  SIGNATURE,
].join('.')

interface Seen {
  method: string
  path: string
  headers: Record<string, string>
}
let seen: Seen[]
let masked: string[]
let log: string[]
let sleeps: number[]

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  nock(SERVICE)
    .get(/^\/oidc\/token/)
    .reply(function (uri) {
      const { host, connection, ...rest } = this.req.headers as Record<string, string>
      seen.push({ method: this.req.method, path: uri, headers: rest })
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json', ...headers }]
    })
}

function fetchToken(audience?: string, env: NodeJS.ProcessEnv = ENV, retries = 0) {
  const secrets = new Secrets((v) => masked.push(v))
  const send = new Http({ timeout: 5, retries, log: (l) => log.push(l), sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 }).send
  return githubOidcToken(env, send, secrets, audience, (l) => log.push(l))
}

const headers = { accept: 'application/json', authorization: `Bearer ${REQUEST_TOKEN}`, 'user-agent': 'token-lease' }

beforeEach(() => {
  seen = []
  masked = []
  log = []
  sleeps = []
})
offlineWithNock()

test('GET the request URL with the audience appended, Bearer the request token; the token is masked with its signature part', async () => {
  answer(200, { count: 1, value: ID_TOKEN })
  await expect(fetchToken('api://AzureADTokenExchange')).resolves.toBe(ID_TOKEN)
  expect(seen).toEqual([{ method: 'GET', path: '/oidc/token?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange', headers }])
  expect(masked).toEqual(expect.arrayContaining([REQUEST_TOKEN, ID_TOKEN, SIGNATURE]))
  expect(log).toEqual([
    expect.stringMatching(/^GET https:\/\/pipelines\.actions\.example\/oidc\/token → HTTP 200\b/),
    'GitHub OIDC token: iss=https://token.actions.githubusercontent.com, sub=repo:octo-org/octo-repo:ref:refs/heads/main, aud=api://AzureADTokenExchange',
  ])
  expect(log.join('\n')).not.toContain(REQUEST_TOKEN)
})

test("without an audience the URL is used as given (GitHub's default audience)", async () => {
  answer(200, { value: ID_TOKEN })
  await fetchToken()
  expect(seen).toEqual([{ method: 'GET', path: '/oidc/token?api-version=2.0', headers }])
})

test('a URL without a query gets ?audience=', async () => {
  nock(SERVICE).get('/token').query({ audience: 'sts.example' }).reply(200, { value: ID_TOKEN })
  await expect(fetchToken('sts.example', { ...ENV, ACTIONS_ID_TOKEN_REQUEST_URL: `${SERVICE}/token` })).resolves.toBe(ID_TOKEN)
})

test.each([
  ['the URL', { ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN }],
  ['the request token', { ACTIONS_ID_TOKEN_REQUEST_URL: ENV.ACTIONS_ID_TOKEN_REQUEST_URL }],
  ['both', {}],
])('without %s: an input error that says to grant id-token: write, and no request', async (_what, env) => {
  const err = await fetchToken('aud', env).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(InputError)
  expect((err as Error).message).toMatch(/permissions: id-token: write/)
  expect((err as Error).message).toContain('ACTIONS_ID_TOKEN_REQUEST_URL')
  expect(seen).toEqual([])
})

test('transient failures are retried: 503 then 500 then 200', async () => {
  answer(503, { message: 'busy' }, { 'retry-after': '2' })
  answer(500, '')
  answer(200, { value: ID_TOKEN })
  await expect(fetchToken('aud', ENV, 3)).resolves.toBe(ID_TOKEN)
  expect(seen).toHaveLength(3)
  expect(seen.every((s) => s.headers.authorization === `Bearer ${REQUEST_TOKEN}`)).toBe(true)
  expect(sleeps).toHaveLength(2)
  expect(sleeps[0]).toBeGreaterThanOrEqual(2000)
  expect(log.filter((l) => /retrying/.test(l))).toHaveLength(2)
})

test.each([
  [401, /HTTP 401\. Hint: the runner's request token was refused/],
  [403, /HTTP 403\. Hint: the job may not request OIDC tokens: grant it in the workflow with 'permissions: id-token: write'/],
  [400, /HTTP 400\. Hint: check 'oidc-audience'/],
])('HTTP %i fails at once with a hint, never showing the request token', async (status, message) => {
  answer(status, { message: `bad token ${REQUEST_TOKEN}` })
  const err = (await fetchToken('aud', ENV, 3).catch((e: unknown) => e)) as Error
  expect(err.name).toBe('RequestError')
  expect(err.message).toMatch(message)
  expect(err.message).not.toContain(REQUEST_TOKEN)
  expect(seen).toHaveLength(1)
})

test('an answer without a token is an error', async () => {
  answer(200, { count: 0 })
  await expect(fetchToken('aud')).rejects.toThrow('GitHub OIDC token request answered without a token.')
})

test('describeClaims shows iss, sub and aud only, without control characters', () => {
  const sneaky = ['e30', b64url({ iss: 'i', sub: 'repo:o/r\n::set-output name=x::y', aud: ['a', 'b'], secret: 'no' }), SIGNATURE].join('.')
  expect(describeClaims(sneaky)).toBe('iss=i, sub=repo:o/r ::set-output name=x::y, aud=a b')
  expect(describeClaims('opaque')).toBe('not a JWT')
})

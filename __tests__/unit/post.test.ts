/**
 * The post step in-process (src/post.ts): a fake ActionsCore with the lease in its state,
 * nock as the RFC 7009 endpoint recording each request into the same ordered list.
 */
import { createHash } from 'node:crypto'
import nock from 'nock'
import type { ActionsCore } from '../../src/core.js'
import { encodeLease, type Lease } from '../../src/lease.js'
import { ACCESS_TOKEN, BASIC, lease, NOW, ORIGIN, SECRET } from '../support/oauth2-lease.js'
import { post } from '../../src/post.js'
import { cell } from '../../src/summary.js'
import { type Call, fakeCore } from '../support/fake-core.js'
import { offlineWithNock } from '../support/nock-guard.js'

const REFRESH_TOKEN = 'opaque-refresh-token-9Lm4pQ'
const FORM = 'application/x-www-form-urlencoded'

/** A recording core with the lease state; `said` is what the step said, without the HTTP layer's own lines. */
function stepCore(inputs: Record<string, string>, state: Record<string, string>, summaryFails?: Error) {
  const f = fakeCore(inputs, { state, summaryFails })
  const said = () => f.calls.filter((c) => ['info', 'warning', 'setFailed'].includes(c[0]) && !/^(GET|POST) https?:\/\//.test(String(c[1])))
  return Object.assign(f, { said })
}

/** The revocation endpoint: answers once, recording method, path, headers and body in order. */
function revocationEndpoint(calls: Call[], status: number, body: unknown = '') {
  nock(ORIGIN)
    .post('/revoke')
    .reply(function (uri, requestBody) {
      const h = this.req.headers
      calls.push(['request', this.req.method, uri, { authorization: h.authorization, 'content-type': h['content-type'] }, requestBody])
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }]
    })
}

const inputs = {
  'token-url': `${ORIGIN}/token`,
  'revocation-url': `${ORIGIN}/revoke`,
  'client-id': 'ci-client',
  'client-secret': SECRET,
  scope: 'api:read',
  retries: '0',
}
const stateOf = (l: Lease) => ({ lease: encodeLease(l) })
const UNTIL = 'The token stays valid until 2025-06-15T16:05:40Z (in 59 min).'
const NOT_CONFIRMED = "Revoked — not confirmed: no introspection endpoint is known (give 'introspection-url')."
const FINGERPRINT = createHash('sha256').update(ACCESS_TOKEN).digest('hex').slice(0, 16)
const run = (core: ActionsCore) => post({ core, env: {}, now: () => NOW, sleep: async () => {} })
const revokeRequest = (token: string, hint: string): Call => [
  'request',
  'POST',
  '/revoke',
  { authorization: BASIC, 'content-type': FORM },
  `token=${token}&token_type_hint=${hint}`,
]

offlineWithNock()

test('revokes the access token with the same client authentication, masks first, and reports it', async () => {
  const f = stepCore(inputs, stateOf(lease))
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(ACCESS_TOKEN, 'access_token')])
  for (const mask of [SECRET, ACCESS_TOKEN, BASIC]) expect(f.first('setSecret', mask)).toBeLessThan(f.first('request'))
  // revocation-url was given without introspection-url or issuer: nothing to ask, so no second request.
  expect(f.said()).toEqual([['info', NOT_CONFIRMED]])
  expect(f.of('appendSummary')).toHaveLength(1)
  expect(f.of('appendSummary')[0][1]).toBe(
    [
      '### token-lease: lease ended',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | as.example |',
      '| Identity | ci-client |',
      '| Scope | api:read |',
      '| Issued | 2025-06-15T15:05:40Z |',
      '| Expires | 2025-06-15T16:05:40Z \\(in 59 min\\) |',
      '| Lifetime granted | 1 h |',
      `| Fingerprint | ${FINGERPRINT} \\(SHA-256 of the token, first 16 hex\\) |`,
      '| Leased by | — |',
      "| Revocation | Revoked — not confirmed: no introspection endpoint is known \\(give 'introspection-url'\\). |",
      '',
    ].join('\n'),
  )
  expect(f.of('setOutput')).toEqual([])
  for (const text of f.visible()) for (const secret of [SECRET, ACCESS_TOKEN, BASIC.slice(6)]) expect(text).not.toContain(secret)
})

test('a refresh token issued unasked is revoked too, before the access token', async () => {
  const f = stepCore(inputs, stateOf({ ...lease, refreshToken: REFRESH_TOKEN }))
  revocationEndpoint(f.calls, 200)
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(REFRESH_TOKEN, 'refresh_token'), revokeRequest(ACCESS_TOKEN, 'access_token')])
  expect(f.first('setSecret', REFRESH_TOKEN)).toBeLessThan(f.first('request'))
  expect(f.said()).toEqual([['info', NOT_CONFIRMED]])
})

test('no lease: says so, makes no request, succeeds', async () => {
  const f = stepCore(inputs, {})
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.said()).toEqual([['info', 'The main step leased no token: nothing to revoke.']])
  expect(f.of('appendSummary')).toEqual([])
})

test('a saved lease that cannot be read: a warning that nothing was revoked, no request', async () => {
  const f = stepCore(inputs, { lease: '{"provider":"oauth2"' })
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.said()).toEqual([['warning', 'The lease saved by the main step could not be read: nothing was revoked.']])
  expect(f.of('setFailed')).toEqual([])
})

test('the lease is read and masked before the inputs are parsed: an invalid input is just its message', async () => {
  const f = stepCore({ ...inputs, retries: 'many', 'revoke-failure': 'fail' }, stateOf({ ...lease, refreshToken: REFRESH_TOKEN }))
  await run(f.core)
  expect(f.of('request')).toEqual([])
  const failed = f.first('setFailed')
  for (const token of [ACCESS_TOKEN, REFRESH_TOKEN]) {
    expect(f.first('setSecret', token)).toBeGreaterThanOrEqual(0)
    expect(f.first('setSecret', token)).toBeLessThan(failed)
  }
  // revoke-failure is read on its own, so 'fail' still fails the job when another input does not parse.
  expect(f.of('setFailed')).toEqual([['setFailed', "Invalid input: 'retries' must be a whole number of retries from 0 to 10; got 'many'"]])
})

test('a saved lease that cannot be read fails the job with revoke-failure: fail', async () => {
  const f = stepCore({ ...inputs, 'revoke-failure': 'fail' }, { lease: '{"provider":"oauth2"' })
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.of('setFailed')).toEqual([['setFailed', 'The lease saved by the main step could not be read: nothing was revoked.']])
})

test.each<[string, Record<string, string>, Lease]>([
  ['revoke: false in the inputs', { ...inputs, revoke: 'false' }, lease],
  ['a lease main marked disabled', inputs, { ...lease, revocation: 'disabled' }],
])('%s: skipped without a request', async (_, given, l) => {
  const f = stepCore(given, stateOf(l))
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.said()).toEqual([['info', 'Not revoked: revoke is false.']])
  expect(f.of('appendSummary')[0][1]).toContain('| Revocation | Not revoked: revoke is false. |')
})

test('a server without revocation: says how long the token stays valid', async () => {
  const f = stepCore(inputs, stateOf({ ...lease, revocation: 'unsupported', revocationEndpoint: undefined }))
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.said()).toEqual([
    ['info', 'Not revoked: oauth2 offers no revocation; the token stays valid until 2025-06-15T16:05:40Z (in 59 min).'],
  ])
})

test('a token that expired more than 5 minutes ago is skipped', async () => {
  const f = stepCore(inputs, stateOf({ ...lease, issuedAt: NOW - 3901, expiresAt: NOW - 301 }))
  await run(f.core)
  expect(f.of('request')).toEqual([])
  expect(f.said()).toEqual([['info', 'Not revoked: the token expired more than 5 minutes ago.']])
})

test.each([
  ['expired a minute ago (a clock a little ahead of the server)', NOW - 60],
  ['expiring this second', NOW],
  ['expiring in a second', NOW + 1],
])('a token %s is still revoked: an expiry not safely past is no reason to skip', async (_, expiresAt) => {
  const f = stepCore(inputs, stateOf({ ...lease, expiresAt }))
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(ACCESS_TOKEN, 'access_token')])
  expect(f.said()).toEqual([['info', NOT_CONFIRMED]])
})

test('an access token long expired with a refresh token: the refresh token is still revoked', async () => {
  const f = stepCore(inputs, stateOf({ ...lease, issuedAt: NOW - 4200, expiresAt: NOW - 600, refreshToken: REFRESH_TOKEN }))
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(REFRESH_TOKEN, 'refresh_token')])
  const said =
    'Revoked the refresh token (the access token had expired) — not confirmed: the access token had expired, so there is nothing to ask about.'
  expect(f.said()).toEqual([['info', said]])
})

test('invalid_token from an RFC 7009 endpoint is a refusal, not "already invalid": only 2xx revokes (issue 12.4)', async () => {
  const f = stepCore(inputs, stateOf(lease))
  revocationEndpoint(f.calls, 400, { error: 'invalid_token' })
  await run(f.core)
  expect(f.said()).toEqual([
    ['warning', expect.stringMatching(/^Revocation failed: POST https:\/\/as\.example\/revoke → HTTP 400; error invalid_token; /)],
  ])
  expect(f.of('setFailed')).toEqual([])
})

test('404 is a failure with a hint to check the revocation URL', async () => {
  const f = stepCore(inputs, stateOf(lease))
  revocationEndpoint(f.calls, 404)
  await run(f.core)
  expect(f.said()).toEqual([
    [
      'warning',
      `Revocation failed: POST https://as.example/revoke → HTTP 404 Not Found; Hint: check 'revocation-url' (or the issuer's revocation_endpoint). ${UNTIL}`,
    ],
  ])
  expect(f.of('setFailed')).toEqual([])
})

test('a transient failure is retried', async () => {
  const f = stepCore({ ...inputs, retries: '1' }, stateOf(lease))
  revocationEndpoint(f.calls, 503)
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(ACCESS_TOKEN, 'access_token'), revokeRequest(ACCESS_TOKEN, 'access_token')])
  expect(f.said()).toEqual([['info', NOT_CONFIRMED]])
})

const failed =
  'Revocation failed: POST https://as.example/revoke → HTTP 500 Internal Server Error; Hint: the server failed; try again later.'

test('a failed revocation is a warning by default; the summary says failed', async () => {
  const f = stepCore(inputs, stateOf(lease))
  revocationEndpoint(f.calls, 500, 'oops')
  await run(f.core)
  expect(f.of('request')).toHaveLength(1)
  expect(f.said()).toEqual([['warning', `${failed} ${UNTIL}`]])
  expect(f.of('appendSummary')).toHaveLength(1)
  expect(f.of('appendSummary')[0][1]).toContain(
    '| Revocation | failed: Revocation failed: POST https:\u200b//as.example/revoke → HTTP 500 Internal Server Error; Hint: the server failed; try again later. |',
  )
})

test('a failed revocation of a token with no known expiry: valid until it expires', async () => {
  const f = stepCore(inputs, stateOf({ ...lease, expiresAt: undefined }))
  revocationEndpoint(f.calls, 500)
  await run(f.core)
  expect(f.said()).toEqual([['warning', `${failed} The token stays valid until it expires.`]])
})

test('revoke-failure: fail fails the step', async () => {
  const f = stepCore({ ...inputs, 'revoke-failure': 'fail' }, stateOf(lease))
  revocationEndpoint(f.calls, 500)
  await run(f.core)
  expect(f.said()).toEqual([['setFailed', `${failed} ${UNTIL}`]])
})

test('a summary that cannot be written is a warning naming the error, never a failure', async () => {
  const f = stepCore(
    { ...inputs, 'revoke-failure': 'fail' },
    stateOf(lease),
    Object.assign(new Error(`EACCES ${SECRET}`), { name: 'SystemError' }),
  )
  revocationEndpoint(f.calls, 200)
  await run(f.core)
  expect(f.of('request')).toEqual([revokeRequest(ACCESS_TOKEN, 'access_token')])
  expect(f.of('appendSummary')).toHaveLength(1)
  expect(f.said()).toEqual([
    ['info', NOT_CONFIRMED],
    ['warning', 'Could not write the job summary (SystemError).'],
  ])
})

test('a refusal names the OAuth error with its hint, never the token', async () => {
  const f = stepCore({ ...inputs, 'revoke-failure': 'fail' }, stateOf(lease))
  revocationEndpoint(f.calls, 401, { error: 'invalid_client', error_description: `client of ${ACCESS_TOKEN} unknown` })
  await run(f.core)
  expect(f.said()).toEqual([
    [
      'setFailed',
      `Revocation failed: POST https://as.example/revoke → HTTP 401; error invalid_client: client of *** unknown; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client. ${UNTIL}`,
    ],
  ])
})

describe("TPP's 202 '[token] not found' (nothing was revoked)", () => {
  const TPP = 'https://tpp.example.com'
  const tppInputs = {
    provider: 'venafi-tpp',
    'server-url': TPP,
    'client-id': 'token-lease-ci',
    username: 'svc',
    password: SECRET,
    retries: '0',
  }
  const tppLease: Lease = {
    ...lease,
    provider: 'venafi-tpp',
    identity: undefined,
    clientAuth: undefined,
    tokenEndpoint: `${TPP}/vedauth/authorize/oauth`,
    revocationEndpoint: `${TPP}/vedauth/revoke/token`,
  }
  const notFound =
    'Not revoked: the server found no token to revoke; the token may stay valid until 2025-06-15T16:05:40Z (in 59 min). Hint: check that no proxy drops the Authorization header.'
  const revokeEndpoint = (calls: Call[]) =>
    nock(TPP)
      .get('/vedauth/revoke/token')
      .reply(function (uri) {
        calls.push(['request', this.req.method, uri, { authorization: this.req.headers.authorization }])
        return [202, '[token] not found']
      })

  test('a warning by default', async () => {
    const f = stepCore(tppInputs, stateOf(tppLease))
    revokeEndpoint(f.calls)
    await run(f.core)
    expect(f.of('request')).toEqual([['request', 'GET', '/vedauth/revoke/token', { authorization: `Bearer ${ACCESS_TOKEN}` }]])
    expect(f.said()).toEqual([['warning', notFound]])
    expect(f.of('appendSummary')[0][1]).toContain(`| Revocation | ${cell(notFound)} |`)
  })

  test('revoke-failure: fail fails the step, and the summary says why', async () => {
    const f = stepCore({ ...tppInputs, 'revoke-failure': 'fail' }, stateOf(tppLease))
    revokeEndpoint(f.calls)
    await run(f.core)
    expect(f.of('request')).toHaveLength(1)
    expect(f.said()).toEqual([['setFailed', notFound]])
    expect(f.of('appendSummary')[0][1]).toContain(`| Revocation | ${cell(notFound)} |`)
  })
})

/**
 * The lease record (src/record.ts), the scope as it may be shown (src/scope.ts) and the failed
 * main step's table (src/summary.ts noTokenSummary): what an auditor and a person fixing a
 * failure read, built from hostile inputs (the runner's environment, a JWT's payload, server text).
 */
import { createHash } from 'node:crypto'
import { fingerprint, leasedBy, leaseRecord, namingClaims, recordLine } from '../../src/record.js'
import { scopeView, WITHHELD_SCOPE } from '../../src/scope.js'
import { Secrets } from '../../src/secrets.js'
import { noTokenSummary } from '../../src/summary.js'

const SECRET = 'client-secret-Zq81nB'
const secrets = () => {
  const s = new Secrets(() => {})
  s.add(SECRET)
  return s
}
const jwt = (claims: object, signature = 'c2lnbmF0dXJlLXZhbHVlLWxvbmc') =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`

test('the fingerprint is the first 16 hex characters of the SHA-256 of the token', () => {
  expect(fingerprint('abc')).toBe('ba7816bf8f01cfea')
  expect(fingerprint('abc')).toBe(createHash('sha256').update('abc').digest('hex').slice(0, 16))
})

test('who leased it: the runner variables present, in order, cleaned; none outside a runner', () => {
  expect(
    leasedBy(
      {
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_WORKFLOW: 'CI',
        GITHUB_RUN_ID: '7',
        GITHUB_RUN_ATTEMPT: '3',
        GITHUB_JOB: 'build',
        GITHUB_ACTOR: `dependabot[bot]\r\n::add-mask::x ${SECRET}`,
      },
      secrets(),
    ),
  ).toBe('octo/app, workflow CI, run 7 attempt 3, job build, actor dependabot[bot] *** ***')
  expect(leasedBy({ GITHUB_RUN_ID: '7' }, secrets())).toBe('run 7')
  expect(leasedBy({}, secrets())).toBeUndefined()
})

test("a JWT's jti, sub and aud (string or list) are named; an opaque token or a broken payload has none", () => {
  expect(namingClaims(jwt({ jti: 'j-1', sub: 'svc', aud: 'api' }), secrets())).toBe('jti j-1, sub svc, aud api')
  expect(namingClaims(jwt({ sub: 'svc', aud: ['a', 'b', 7] }), secrets())).toBe('sub svc, aud a b')
  expect(namingClaims(jwt({ sub: `x\n::error::${SECRET}` }), secrets())).toBe('sub x ***')
  expect(namingClaims('opaque-token-value', secrets())).toBeUndefined()
  expect(namingClaims('a.%%%.c', secrets())).toBeUndefined()
  expect(namingClaims(jwt({ exp: 1 }), secrets())).toBeUndefined()
})

test('the record line never carries the token or its signature', () => {
  const token = jwt({ jti: 'j-1' }, 'U0lHTkFUVVJFLW5ldmVyLXNob3du')
  const line = recordLine(leaseRecord({ token }, { GITHUB_REPOSITORY: 'o/r' }, secrets()))
  expect(line).toBe(`Token fingerprint ${fingerprint(token)} (SHA-256, first 16 hex); leased by o/r; token claims: jti j-1.`)
  expect(line).not.toContain('U0lHTkFUVVJFLW5ldmVyLXNob3du')
})

describe('scopeView', () => {
  test('a stated scope is shown and output as it is', () => {
    expect(scopeView({ scope: 'a b' }, secrets())).toEqual({ output: 'a b', text: 'a b' })
  })
  test('a scope the server did not state: output kept, labelled as requested and not confirmed', () => {
    expect(scopeView({ scope: 'admin', scopeConfirmed: false }, secrets())).toEqual({
      output: 'admin',
      text: 'admin (requested; the server did not state a scope, so it is not confirmed)',
    })
  })
  test.each([
    ['plain', `read ${SECRET}`],
    ['percent-encoded', `read ${encodeURIComponent(`${SECRET}/`)}`.replace('%2F', '')],
    ['base64', `read ${Buffer.from(SECRET).toString('base64')}`],
  ])('a scope that echoes a secret (%s) is withheld from the output and the text', (_, scope) => {
    expect(scopeView({ scope }, secrets())).toEqual({ output: '', text: WITHHELD_SCOPE })
  })
  test('no scope', () => {
    expect(scopeView({}, secrets())).toEqual({ output: '', text: '(not stated)' })
  })
})

test('the failed main table: every fact in one cell each, nothing rendered', () => {
  const md = noTokenSummary({
    provider: 'oauth2',
    endpoint: 'login.example.com',
    identity: 'ci | x',
    error: 'Token request failed: POST https://login.example.com/token → HTTP 401; see [docs](https://evil.example)',
    post: 'nothing: no token was leased',
  })
  expect(md).toBe(
    [
      '### token-lease: no token',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | login.example.com |',
      '| Identity asked for | ci \\| x |',
      '| Error | Token request failed: POST https:\u200b//login.example.com/token → HTTP 401; see \\[docs\\]\\(https:\u200b//evil.example\\) |',
      '| Post step | nothing: no token was leased |',
      '',
    ].join('\n'),
  )
})

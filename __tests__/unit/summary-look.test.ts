/**
 * The look of the job summary (src/summary.ts): a heading per step, then one two-column table
 * with a proper header and the same rows, in the same order, for every provider. The values a
 * server chose are escaped so they cannot break the table or put HTML on the page, and a token
 * never appears, even when a server echoes one back in another field.
 */
import type { Lease } from '../../src/lease.js'
import { PROVIDERS } from '../../src/inputs.js'
import { mainSummary, postSummary } from '../../src/summary.js'

const NOW = 1_800_000_000 // 2027-01-15T08:00:00Z
const TOKEN = 'at-5f2c9e1b7d4a4c0e9b3f'
const REFRESH = 'rt-0a8d6c4e2f1b3d5c7e9a'

const base: Lease = {
  provider: 'oauth2',
  token: TOKEN,
  tokenType: 'Bearer',
  issuedAt: NOW - 120,
  expiresAt: NOW + 3480,
  scope: 'deploy:write',
  identity: 'ci-deployer',
  tokenEndpoint: 'https://login.example.com/realms/ci/protocol/openid-connect/token',
  revocation: 'scheduled',
  revocationEndpoint: 'https://login.example.com/realms/ci/protocol/openid-connect/revoke',
  clientAuth: 'client_secret_basic',
}

/** The cells of a GFM table row, split at unescaped pipes (as GitHub renders them). */
function cells(row: string): string[] {
  expect(row.startsWith('| ') && row.endsWith(' |')).toBe(true)
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim())
}

/** Heading, blank line, header, delimiter, then the rows as [label, value] pairs. */
function parse(summary: string): { heading: string; header: string[]; rows: [string, string][] } {
  const lines = summary.split('\n')
  expect(lines[1]).toBe('')
  expect(lines[3]).toBe('|---|---|')
  expect(lines.at(-1)).toBe('') // ends with a newline, so a second table starts on its own line
  const rows = lines.slice(4, -1).map((l) => {
    const c = cells(l)
    expect(c).toHaveLength(2)
    return [c[0], c[1]] as [string, string]
  })
  return { heading: lines[0], header: cells(lines[2]), rows }
}

const LABELS = ['Provider', 'Endpoint', 'Identity', 'Scope', 'Issued', 'Expires', 'Lifetime granted', 'Revocation']

test('main: a heading for the step, a named two-column header, and every fact of the lease', () => {
  expect(mainSummary(base, NOW)).toBe(
    [
      '### token-lease: token obtained',
      '',
      '| Lease | Details |',
      '|---|---|',
      '| Provider | oauth2 |',
      '| Endpoint | login.example.com |',
      '| Identity | ci-deployer |',
      '| Scope | deploy:write |',
      '| Issued | 2027-01-15T07:58:00Z |',
      '| Expires | 2027-01-15T08:58:00Z \\(in 58 min\\) |',
      '| Lifetime granted | 1 h |',
      '| Revocation | scheduled for the end of the job |',
      '',
    ].join('\n'),
  )
})

test('post: its own heading, the same table, the lifetime left at revocation and the result', () => {
  const later = NOW + 1800
  expect(parse(postSummary(base, later, 'Revoked the token.'))).toEqual({
    heading: '### token-lease: lease ended',
    header: ['Lease', 'Details'],
    rows: [
      ['Provider', 'oauth2'],
      ['Endpoint', 'login.example.com'],
      ['Identity', 'ci-deployer'],
      ['Scope', 'deploy:write'],
      ['Issued', '2027-01-15T07:58:00Z'],
      ['Expires', '2027-01-15T08:58:00Z \\(in 28 min\\)'],
      ['Lifetime granted', '1 h'],
      ['Revocation', 'Revoked the token.'],
    ],
  })
})

test.each(PROVIDERS)('provider %s gets the same look: heading, header, row labels and order', (provider) => {
  const lease: Lease = { ...base, provider, revocation: provider === 'oauth2' || provider === 'venafi-tpp' ? 'scheduled' : 'unsupported' }
  for (const summary of [mainSummary(lease, NOW), postSummary(lease, NOW, 'Not revoked: revoke is false.')]) {
    const { header, rows } = parse(summary)
    expect(header).toEqual(['Lease', 'Details'])
    expect(rows.map(([label]) => label)).toEqual(LABELS)
    expect(rows[0]).toEqual(['Provider', provider])
  }
})

test('TPP: the server identity with the integration id; the expiry and lifetime left', () => {
  const tpp: Lease = {
    ...base,
    provider: 'venafi-tpp',
    identity: 'local:{2f7e6d1c-5b4a-4938-8271-60f5e4d3c2b1} (github-release)',
    scope: 'certificate:manage,revoke',
    tokenEndpoint: 'https://tpp.example.com/vedauth/authorize/oauth',
    expiresAt: NOW + 86_400,
  }
  const { rows } = parse(mainSummary(tpp, NOW))
  expect(Object.fromEntries(rows)).toMatchObject({
    Endpoint: 'tpp.example.com',
    Identity: 'local:{2f7e6d1c-5b4a-4938-8271-60f5e4d3c2b1} \\(github-release\\)',
    Scope: 'certificate:manage,revoke',
    Expires: '2027-01-16T08:00:00Z \\(in 1 d\\)',
    'Lifetime granted': '1 d 2 min',
  })
})

test('unknown facts show a dash or "unknown", not an empty cell', () => {
  const bare: Lease = { ...base, identity: undefined, scope: '', expiresAt: undefined }
  expect(Object.fromEntries(parse(mainSummary(bare, NOW)).rows)).toMatchObject({ Identity: '—', Scope: '—', Expires: 'unknown' })
})

test('an expired token says so, without a lifetime left', () => {
  const rows = Object.fromEntries(parse(postSummary(base, NOW + 4000, 'Not revoked: the token has already expired.')).rows)
  expect(rows).toMatchObject({ Expires: '2027-01-15T08:58:00Z \\(expired\\)', Revocation: 'Not revoked: the token has already expired.' })
})

test.each<[Lease['revocation'], string]>([
  ['scheduled', 'scheduled for the end of the job'],
  ['disabled', 'disabled \\(revoke: false\\)'],
  ['unsupported', 'not supported by this server: the token stays valid until it expires'],
])('main states the revocation plan %s', (revocation, text) => {
  expect(Object.fromEntries(parse(mainSummary({ ...base, revocation }, NOW)).rows).Revocation).toBe(text)
})

test('server text cannot add a column, a row or HTML to the page', () => {
  const hostile: Lease = {
    ...base,
    scope: 'read|write\n| Injected | row |',
    identity: '<img src="https://tracker.example/p.gif"> <a href="https://evil.example">client</a>',
  }
  const { rows } = parse(mainSummary(hostile, NOW))
  expect(rows.map(([label]) => label)).toEqual(LABELS)
  const values = Object.fromEntries(rows)
  expect(values.Scope).toBe('read\\|write \\| Injected \\| row \\|')
  expect(values.Identity).toBe(
    '&lt;img src="https:\u200b//tracker.example/p.gif"&gt; &lt;a href="https:\u200b//evil.example"&gt;client&lt;/a&gt;',
  )
  expect(mainSummary(hostile, NOW)).not.toMatch(/<(img|a)\b/)
})

test('server text cannot render as a Markdown image, link, autolink, emphasis or code', () => {
  const hostile: Lease = {
    ...base,
    scope: '![x](https://evil.example/p.png) [click](http://evil.example) <https://evil.example> www.evil.example',
    identity: '**bold** _em_ `code` # head ~~gone~~ \\',
  }
  const values = Object.fromEntries(parse(mainSummary(hostile, NOW)).rows)
  expect(values.Scope).toBe(
    '\\!\\[x\\]\\(https:\u200b//evil.example/p.png\\) \\[click\\]\\(http:\u200b//evil.example\\) &lt;https:\u200b//evil.example&gt; www\u200b.evil.example',
  )
  expect(values.Identity).toBe('\\*\\*bold\\*\\* \\_em\\_ \\`code\\` \\# head \\~\\~gone\\~\\~ \\\\')
  // Every Markdown character left in a server-chosen cell is escaped; no URL scheme or www. survives whole.
  for (const v of [values.Scope, values.Identity]) {
    expect(v).not.toMatch(/(^|[^\\])[[\]()!*_`#~]/)
    expect(v).not.toMatch(/:\/\/|\bwww\./)
  }
})

test('a token echoed back by a server in the scope or identity is cut out of the summary', () => {
  const echoing: Lease = { ...base, refreshToken: REFRESH, scope: `deploy:write ${TOKEN}`, identity: `client ${REFRESH}` }
  const texts = [mainSummary(echoing, NOW), postSummary(echoing, NOW, 'Revoked the token.')]
  for (const text of texts) {
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(REFRESH)
    expect(Object.fromEntries(parse(text).rows)).toMatchObject({ Scope: 'deploy:write \\*\\*\\*', Identity: 'client \\*\\*\\*' })
  }
})

test('the endpoint is shown by host only: no path or query (a tenant id, a key) reaches the page', () => {
  const lease: Lease = { ...base, tokenEndpoint: 'https://login.microsoftonline.com/0c1d2e3f-tenant/oauth2/v2.0/token?api-key=abc123' }
  const text = mainSummary(lease, NOW)
  expect(Object.fromEntries(parse(text).rows).Endpoint).toBe('login.microsoftonline.com')
  expect(text).not.toContain('0c1d2e3f-tenant')
  expect(text).not.toContain('abc123')
})

/**
 * Summary cells (src/summary.ts cell()) cannot render as links: besides `://` and `www.`, GitHub's
 * Markdown autolinks an e-mail address (`attacker@evil.example` → a mailto: link) and renders
 * `@name` as a mention. Server text — an identity, an error — may hold either.
 */
import { cell, noTokenSummary } from '../../src/summary.js'

/** What GitHub would autolink in a cell: an e-mail address, or an @mention, with nothing between. */
const linkable = /[\w.+-]@[\w-]+\.[\w.-]+|(?:^|\s)@[\w-]/

test.each([
  ['an e-mail address', 'contact support@evil.example for help'],
  ['a mailto: URI', 'mailto:support@evil.example'],
  ['a mention', 'ask @octo-org/admins'],
])('%s does not autolink', (_, text) => {
  const shown = cell(text)
  expect(shown).not.toMatch(linkable)
  // Still readable: only an invisible zero-width space was added.
  expect(shown.replace(/\u200b/g, '')).toBe(text.replace(/:\/\//g, '://'))
})

test("the failed main step's table shows an identity with an e-mail address unlinked", () => {
  const md = noTokenSummary({
    provider: 'venafi-tpp',
    endpoint: 'tpp.example',
    identity: 'ci, user svc@corp.example',
    error: 'x',
    post: 'y',
  })
  expect(md).toContain('| Identity asked for | ci, user svc@\u200bcorp.example |')
  expect(md).not.toMatch(linkable)
})

/**
 * What a hostile server can make masking cost (src/secrets.ts, src/secret-forms.ts). A token is
 * masked before anything else, line by line for a multi-line value (a PEM key's lines); a server
 * that sends a token of 100,000 short lines (well inside the HTTP layer's 1 MiB body cap) must not
 * register 100,000 masks, nor make every later clean() of its error text cost masks × text.
 */
import { randomBytes } from 'node:crypto'
import { MAX_LINES } from '../../src/secret-forms.js'
import { clean, Secrets } from '../../src/secrets.js'

const manyLines = (n: number) => Array.from({ length: n }, () => randomBytes(6).toString('base64')).join('\n')

test('a token of 100,000 lines registers at most MAX_LINES line masks, and still masks the whole value', () => {
  const masked: string[] = []
  const token = manyLines(100_000)
  new Secrets((v) => masked.push(v)).add(token)
  expect(masked).toContain(token)
  expect(masked.length).toBeLessThanOrEqual(MAX_LINES + 1)
  // The first lines are still masked one by one, as a PEM key's are.
  expect(masked).toContain(token.split('\n')[0])
})

test('with such a token registered, cleaning 16 KiB of server text stays fast (was ~9 s, masks × text)', () => {
  const secrets = new Secrets(() => {})
  const token = manyLines(100_000)
  secrets.add(token)
  const text = `invalid_request ${'word '.repeat(3200)}`
  const started = performance.now()
  const shown = clean(text, secrets, 300)
  const elapsed = performance.now() - started
  expect(shown.startsWith('invalid_request word')).toBe(true)
  // Generous for a shared machine: the unbounded version took 40× this.
  expect(elapsed).toBeLessThan(1500)
  // And a line of the token echoed in the text is still not shown.
  const line = token.split('\n')[0]
  expect(clean(`echo ${line} here`, secrets, 300)).not.toContain(line)
})

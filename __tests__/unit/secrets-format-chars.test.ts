/**
 * A secret that itself holds a format character (a soft hyphen, the zero-width joiner of an emoji
 * sequence): clean() and redact() delete format characters from server text first, so a secret
 * split by them still matches — but then the secret's own registered forms, which keep the
 * character, no longer match its echo. The secret without its format characters is masked too.
 */
import { clean, Secrets } from '../../src/secrets.js'

test.each([
  ['a soft hyphen', 'Pass\u00adword-ok'],
  ['an emoji ZWJ sequence', 'fam\u{1F468}\u200d\u{1F469}\u200d\u{1F467}ily'],
])('a secret with %s, echoed as it is, is not shown', (_, secret) => {
  const masked: string[] = []
  const s = new Secrets((v) => masked.push(v))
  s.add(secret)
  const visible = secret.replace(/\p{Cf}/gu, '')
  for (const text of [`invalid_client: ${secret} is wrong`, `invalid_client: ${visible} is wrong`]) {
    expect(clean(text, s, 300)).not.toContain(visible)
    expect(s.redact(text)).not.toContain(visible)
    expect(s.echoes(text)).toBe(true)
  }
  // The runner masks the log as written: both forms are registered with it.
  expect(masked).toEqual(expect.arrayContaining([secret, visible]))
})

/**
 * Masking (src/secrets.ts): each secret is registered with the runner in the forms the runner
 * does not derive itself, `redact` scrubs every form, `echoes` finds a secret in any encoding a
 * server might echo it in, and `clean` shows server text only as plain words, cut between words.
 */
import { clean, cleanUrl, OPAQUE_MIN, Secrets, SECRET_INPUTS } from '../../src/secrets.js'

function recording() {
  const masked: string[] = []
  return { masked, secrets: new Secrets((v) => masked.push(v)) }
}

// Written independently of src/secret-forms.ts: how servers echo a value.
const SECRET = 'Sup3r:s€cret/with ~*chars+%&"quotes"'
const b64 = (s: string | Buffer, url = false) => Buffer.from(s).toString(url ? 'base64url' : 'base64')
const pct = (s: string, upper: boolean, keep: RegExp, space: string) =>
  [...Buffer.from(s)]
    .map((b) => {
      const c = String.fromCharCode(b)
      if (c === ' ') return space
      if (b < 128 && keep.test(c)) return c
      const h = b.toString(16).padStart(2, '0')
      return `%${upper ? h.toUpperCase() : h}`
    })
    .join('')
const uEsc = (s: string, upper: boolean, all: boolean) =>
  [...s]
    .map((c) => {
      if (!all && c.charCodeAt(0) < 128) return c === '"' ? '\\"' : c === '/' ? '\\/' : c
      const h = c.charCodeAt(0).toString(16).padStart(4, '0')
      return `\\u${upper ? h.toUpperCase() : h}`
    })
    .join('')
const ECHOES: Record<string, (s: string) => string> = {
  'percent, upper hex': (s) => pct(s, true, /[A-Za-z0-9\-._~]/, '%20'),
  'percent, lower hex (.NET UrlEncode)': (s) => pct(s, false, /[A-Za-z0-9\-._*]/, '+'),
  'Python quote_plus (~ kept)': (s) => pct(s, true, /[A-Za-z0-9\-._~]/, '+'),
  'Python quote_plus, lower hex': (s) => pct(s, false, /[A-Za-z0-9\-._~]/, '+'),
  'encodeURIComponent, lower hex': (s) => pct(s, false, /[A-Za-z0-9\-_.!~*'()]/, '%20'),
  'JSON \\u for non-ASCII, lower': (s) => uEsc(s, false, false),
  'JSON \\u for non-ASCII, upper': (s) => uEsc(s, true, false),
  'JSON \\u for every character, lower': (s) => uEsc(s, false, true),
  'JSON \\u for every character, upper': (s) => uEsc(s, true, true),
  'base64 at offset 0': (s) => b64(s),
  'base64 at offset 1': (s) => b64(`x${s}`).slice(2),
  'base64 at offset 2': (s) => b64(`xy${s}`).slice(3),
  'base64 inside a Basic-like blob': (s) => b64(`client:${s}:tail`),
  'base64url at offset 0': (s) => b64(s, true),
  'base64url at offset 1': (s) => b64(`!${s}`, true),
  'base64url at offset 2': (s) => b64(`!?${s}`, true),
  'hex, lower': (s) => Buffer.from(s).toString('hex'),
  'hex, upper': (s) => Buffer.from(s).toString('hex').toUpperCase(),
  'hex at an odd offset': (s) => `a${Buffer.from(s).toString('hex')}`,
}

/** Any piece of `secret` (6 characters or more) readable in `text`, decoded every way a reader could. */
function readable(text: string, secret: string): boolean {
  const views = [text, decodeURIComponentSafe(text), decodeURIComponentSafe(text.replace(/\+/g, ' '))]
  for (const v of [...views])
    views.push(v.replace(/\\u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16))).replace(/\\\//g, '/'))
  for (const v of [...views]) {
    for (const [run] of v.matchAll(/[A-Za-z0-9+/_-]{4,}/g))
      for (let i = 0; i < 4; i++) views.push(Buffer.from(run.slice(i), 'base64').toString('utf8'))
    for (const [run] of v.matchAll(/[0-9a-f]{6,}/gi))
      for (let i = 0; i < 2; i++) views.push(Buffer.from(run.slice(i), 'hex').toString('utf8'))
  }
  const pieces = new Set<string>()
  for (let i = 0; i + 6 <= secret.length; i++) pieces.add(secret.slice(i, i + 6))
  return views.some((v) => [...pieces].some((p) => v.includes(p)))
}
function decodeURIComponentSafe(s: string): string {
  return s.replace(/(%[0-9a-f]{2})+/gi, (m) => {
    try {
      return decodeURIComponent(m)
    } catch {
      return m
    }
  })
}

describe('registration with the runner', () => {
  test('a value is registered with the forms the runner does not mask itself, and not with those it does', () => {
    const { masked, secrets } = recording()
    const value = 'Sup3r:secret+with%chars & "quotes"/~'
    secrets.add(value)
    expect(masked[0]).toBe(value)
    expect(masked).toEqual(
      expect.arrayContaining([
        'Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22%2F%7E', // URLSearchParams
        'Sup3r%3asecret%2bwith%25chars+%26+%22quotes%22%2f~', // quote_plus, lower hex
        'Sup3r%3Asecret%2Bwith%25chars%20%26%20%22quotes%22%2F~', // encodeURIComponent
        'Sup3r:secret+with%chars & \\"quotes\\"\\/~', // JSON with \/
        Buffer.from(value).toString('hex'),
        Buffer.from(value).toString('hex').toUpperCase(),
      ]),
    )
    // The runner derives these itself (PROTOCOLS.md §6): announcing them would only lengthen its list.
    // base64url, trimmed when the value ends mid-group: its last character depends on what follows.
    const url = Buffer.from(value).toString('base64url')
    expect(masked).toContain(value.length % 3 ? url.slice(0, -1) : url)
    expect(masked).not.toContain(Buffer.from(value).toString('base64'))
    expect(masked).not.toContain('Sup3r:secret+with%chars & \\"quotes\\"/~')
    expect(new Set(masked).size).toBe(masked.length)
  })

  test('a plain value needs few forms: the ones that equal it are not repeated', () => {
    const { masked, secrets } = recording()
    secrets.add('plainvalue')
    expect(masked).toEqual([
      'plainvalue',
      Buffer.from('plainvalue').toString('hex').toUpperCase(),
      Buffer.from('plainvalue').toString('hex'),
      'cGxhaW52YWx1Z', // base64url from byte 0, trimmed: 10 bytes end mid-group
      'bGFpbnZhbHVl', // from byte 1: 9 bytes, whole groups
      'YWludmFsdW', // from byte 2, trimmed
    ])
    secrets.add('plainvalue')
    expect(masked).toHaveLength(6)
  })

  test('a very long value is registered as itself (and its JWT signature), not in a dozen encodings', () => {
    const { masked, secrets } = recording()
    const token = `eyJhbGciOiJIUzI1NiJ9.${'a'.repeat(200_000)}.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA`
    secrets.add(token)
    expect(masked).toEqual([token, 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA'])
  })

  test('each line of a multi-line secret is registered, but not the PEM armour lines', () => {
    const { masked, secrets } = recording()
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIBVAIBADANBgkqhkiG9w0BAQEFAASC\n  AT4wggE6AgEAAkEAq7BFUpkGp3+XQ  \n-----END PRIVATE KEY-----\n'
    secrets.add(pem)
    expect(masked).toEqual(expect.arrayContaining(['MIIBVAIBADANBgkqhkiG9w0BAQEFAASC', 'AT4wggE6AgEAAkEAq7BFUpkGp3+XQ']))
    expect(masked).not.toContain('-----BEGIN PRIVATE KEY-----')
    expect(masked).not.toContain('-----END PRIVATE KEY-----')
    expect(secrets.echoes('key: -----BEGIN PRIVATE KEY----- missing')).toBe(false)
  })

  test("a JWT's signature part is registered on its own", () => {
    const { masked, secrets } = recording()
    const signature = 'c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA'
    secrets.add(`eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaSJ9.${signature}`)
    expect(masked).toContain(signature)
  })

  test('empty and missing values are not registered; a very short derived form is not either', () => {
    const { masked, secrets } = recording()
    secrets.add(undefined)
    secrets.add('')
    secrets.add('   ')
    secrets.register('  xy  ')
    expect(masked).toEqual([])
  })

  test('a short secret value is still masked itself (the runner has no minimum either)', () => {
    const { masked, secrets } = recording()
    secrets.add('abc')
    expect(masked[0]).toBe('abc')
    expect(secrets.redact('pw=abc')).toBe('pw=***')
  })

  test('register takes the exact string, trimmed', () => {
    const { masked, secrets } = recording()
    secrets.register('  Basic Y2k6c2VjcmV0  ')
    expect(masked).toEqual(['Basic Y2k6c2VjcmV0'])
  })
})

describe('redact and echoes', () => {
  test('redact replaces every registered form, longest first', () => {
    const { secrets } = recording()
    secrets.add('s3cret value')
    secrets.register('Basic Y2k6czNjcmV0K3ZhbHVl')
    secrets.add('s3cret value and more')
    expect(secrets.redact('error: s3cret value and more / s3cret+value / s3cret%20value / Basic Y2k6czNjcmV0K3ZhbHVl / s3cret')).toBe(
      'error: *** / *** / *** / *** / s3cret',
    )
  })

  test.each(Object.entries(ECHOES))('echoes and redact find the secret echoed as %s, inside other text', (_, encode) => {
    const { secrets } = recording()
    secrets.add(SECRET)
    const text = `invalid_client: the client secret '${encode(SECRET)}' is wrong`
    expect(secrets.echoes(text)).toBe(true)
    expect(readable(secrets.redact(text), SECRET)).toBe(false)
    expect(readable(clean(text, secrets, 300), SECRET)).toBe(false)
  })

  test('the edges of a run a form was cut out of go too: they carry bits of the secret', () => {
    const { secrets } = recording()
    secrets.add(SECRET)
    const blob = Buffer.from(`x${SECRET}`).toString('base64')
    expect(secrets.redact(`sent ${blob} and pw=${SECRET}, done`)).toBe('sent *** and pw=***, done')
  })

  test('echoes finds a fragment of a secret and a secret inside a granted scope', () => {
    const { secrets } = recording()
    secrets.add('tok_9f8e7d6c5b4a39281716')
    expect(secrets.echoes('read write tok_9f8e7d6c')).toBe(true)
    expect(secrets.echoes(`read ${Buffer.from('tok_9f8e7d6c5b4a39281716').toString('base64url')}`)).toBe(true)
    expect(secrets.echoes('openid profile email api:read')).toBe(false)
  })

  test('echoes is false when nothing is secret, and true for text too long to check', () => {
    expect(recording().secrets.echoes('anything')).toBe(false)
    const { secrets } = recording()
    secrets.add('tok_9f8e7d6c5b4a39281716')
    expect(secrets.echoes('read '.repeat(10_000))).toBe(true)
  })
})

describe('clean: server text shown as plain words', () => {
  const secrets = () => {
    const s = recording().secrets
    s.add(SECRET)
    return s
  }

  test('an ordinary description is shown as it is', () => {
    const text = "The client's credentials are invalid (unsupported_grant_type). See docs.example.com for help."
    expect(clean(text, secrets(), 300)).toBe(text)
  })

  test('long opaque runs, escapes and credential shapes become ***; errors codes and words stay', () => {
    const text =
      'invalid_request: request_id=4f9a1c2e7b8d90aa1234 failed; sent Bearer abcdefgh12345678 and eyJhbGciOiJIUzI1NiJ9.e30.sig and caf%c3%a9 \\u0041'
    expect(clean(text, undefined, 300)).toBe('invalid_request: *** failed; sent Bearer *** and *** and *** ***')
    expect(OPAQUE_MIN).toBe(12)
  })

  test('control, format and line-separator characters become spaces: no workflow command, no bidi trick', () => {
    expect(clean('bad\n::add-mask::x\r\u2028::error::y \u202etxt', undefined, 300)).toBe('bad *** ::error::y txt')
  })

  test('a secret split by zero-width characters, or spaced out over words, is not shown', () => {
    const s = secrets()
    const split = [...SECRET].join('\u200b')
    expect(readable(clean(`sent ${split} here`, s, 300), SECRET)).toBe(false)
    expect(readable(s.redact(`sent ${split} here`), SECRET)).toBe(false)
    expect(s.echoes(`sent ${split} here`)).toBe(true)
    expect(s.echoes('an ordinary\u200b scope\u202e')).toBe(false)
    const spaced =
      SECRET.replace(/ /g, '')
        .match(/.{1,4}/g)
        ?.join(' ') ?? ''
    expect(clean(`the secret is ${spaced} indeed`, s, 300)).toBe('***')
  })

  test('any backslash escape, HTML entity or quoted-printable pair makes a word opaque', () => {
    expect(clean('a \\u{48} b \\110 c &#72; d =48=78 e', undefined, 300)).toBe('a *** b *** c *** d *** e')
  })

  test('text that still decodes to a secret across words is withheld whole', () => {
    const s = recording().secrets
    s.add('hunter two three four')
    expect(clean('your secret is hunter%20two three four, oops', s, 300)).toBe('***')
  })

  test.each(Object.entries(ECHOES))('a cut at every length leaves no readable part of the secret echoed as %s', (_, encode) => {
    const s = secrets()
    const text = `The request failed because the secret ${encode(SECRET)} does not match the client registered for this tenant, please retry later.`
    for (let max = 1; max <= text.length + 1; max++) {
      const out = clean(text, s, max)
      expect(out.length).toBeLessThanOrEqual(max + 1)
      expect(readable(out, SECRET)).toBe(false)
    }
  })

  test("a UUID is shown (TPP's identities), unless its hex carries a secret", () => {
    const id = 'local:{6b3a2c1e-0000-4000-8000-00000000a001}'
    expect(clean(`signed in as ${id}.`, secrets(), 300)).toBe(`signed in as ${id}.`)
    const s = recording().secrets
    s.add('Zq9!xK2#')
    const hex = Buffer.from('Zq9!xK2#abcdefgh').toString('hex')
    const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
    expect(clean(`as ${uuid}`, s, 300)).toBe('as ***')
  })

  test('a secret made of words does not blank those words elsewhere; its own fragments still go', () => {
    const s = recording().secrets
    s.add('a-password-1234')
    expect(clean('invalid password for user', s, 300)).toBe('invalid password for user')
    expect(clean('invalid a-password-12 given', s, 300)).toBe('invalid *** given')
  })

  test('a cut falls between words, never inside one', () => {
    const text = 'alpha beta gamma delta epsilon'
    expect(clean(text, undefined, 13)).toBe('alpha beta…')
    expect(clean(text, undefined, 16)).toBe('alpha beta gamma…')
    expect(clean('unbrokenwordthatislonger', undefined, 10)).toBe('…')
  })

  test('a cut of an unknown encoded run (no secret registered) drops the whole run', () => {
    const blob = Buffer.from('x'.repeat(40)).toString('base64')
    for (let max = 1; max < 80; max++) expect(clean(`error ${blob} tail`, undefined, max)).not.toMatch(/eHh4/)
  })
})

test('the secret inputs are the credential inputs', () => {
  expect([...SECRET_INPUTS].sort()).toEqual(
    [
      'actor-token',
      'api-token',
      'assertion',
      'client-key',
      'client-key-passphrase',
      'client-secret',
      'password',
      'private-key',
      'refresh-token',
      'subject-token',
    ].sort(),
  )
})

describe('cleanUrl: a URL the server named, shown by origin and path segment', () => {
  const secrets = () => {
    const s = new Secrets(() => {})
    s.add(SECRET)
    return s
  }

  test('ports, IPs, /.well-known and tenant ids show; query, fragment and userinfo never do', () => {
    const u = new URL('http://user:pw@127.0.0.1:45361/.well-known/oauth-authorization-server/?code=abc#frag')
    expect(cleanUrl(u, secrets(), 200)).toBe('http://127.0.0.1:45361/.well-known/oauth-authorization-server/')
    expect(cleanUrl(u, secrets(), 200, false)).toBe('/.well-known/oauth-authorization-server/')
    const entra = new URL('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token')
    expect(cleanUrl(entra, secrets(), 200)).toBe(entra.href)
  })

  test('a segment that could carry encoded material is ***; a URL that echoes a secret shows nothing', () => {
    const opaque = new URL('https://as.example/o/c2VjcmV0LXZhbHVlLWxvbmc/token%0A/')
    expect(cleanUrl(opaque, secrets(), 200)).toBe('https://as.example/o/***/***/')
    const echo = new URL(`https://as.example/o/${Buffer.from(SECRET).toString('base64url')}/`)
    expect(cleanUrl(echo, secrets(), 200)).toBe('***')
  })

  test('a long path is cut between segments', () => {
    const long = new URL(`https://as.example/${'segment/'.repeat(20)}token`)
    const shown = cleanUrl(long, secrets(), 60)
    expect(shown).toBe('https://as.example/segment/segment/segment/segment/segment/…')
  })
})

/**
 * The encodings a secret may travel in, both ways: the forms of a value a server or this action
 * could print (to mask and redact them exactly), and the decodings of a text (to find a secret a
 * server echoed in an encoding no exact form anticipates). Used by src/secrets.ts only.
 */

/** Above this length a value is masked as itself only: each encoded form would be one more long mask. */
export const MAX_ENCODED_LENGTH = 8192

/**
 * The most lines of one value masked line by line. A PEM key has a few dozen; a hostile server's
 * token with 100,000 lines would otherwise register 100,000 masks, and every later redaction
 * would cost masks × text (seconds per line of server text). Beyond this the value is masked whole.
 */
export const MAX_LINES = 256

/** The lines of a multi-line value worth masking one by one: trimmed, without PEM armour, at most MAX_LINES. */
export function secretLines(value: string): string[] {
  const lines = value.split(/\r?\n|\r/)
  if (lines.length < 2) return []
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !/^-----(BEGIN|END) /.test(l))
    .slice(0, MAX_LINES)
}

export interface Forms {
  /** Forms the runner does not mask itself: registered with setSecret (and redacted). */
  announce: string[]
  /** Forms the runner masks itself (PROTOCOLS.md §6) or too contrived to announce: redacted only. */
  local: string[]
}

const hex2 = (b: number, upper: boolean) => (upper ? b.toString(16).toUpperCase() : b.toString(16)).padStart(2, '0')

/** Percent-encoding of every byte outside `keep`; `space` for a space (`+` in forms). */
function percent(value: string, keep: RegExp, space: string, upper: boolean): string {
  let out = ''
  for (const ch of value) {
    if (ch === ' ') out += space
    else if (keep.test(ch)) out += ch
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${hex2(b, upper)}`
  }
  return out
}

/** JSON string escaping with `\uXXXX` for every character matched by `which`, and optionally `\/`. */
function jsonEscape(value: string, which: RegExp, upper: boolean, slash: boolean): string {
  let out = JSON.stringify(value).slice(1, -1)
  out = out.replace(which, (c) => {
    const code = c.charCodeAt(0).toString(16).padStart(4, '0')
    return `\\u${upper ? code.toUpperCase() : code}`
  })
  return slash ? out.replace(/\//g, '\\/') : out
}

/**
 * base64 of the value from byte 0, 1 and 2: one of them is group-aligned wherever the value sits
 * in a larger blob. Trimmed as the runner trims its own (ADR 0297): padding, and the last
 * character before it, which depends on what follows the value.
 */
function base64Shifts(value: string, url: boolean): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const out: string[] = []
  for (let shift = 0; shift < 3 && shift < bytes.length; shift++) {
    const b64 = bytes.subarray(shift).toString(url ? 'base64url' : 'base64')
    const padded = bytes.length - shift
    out.push(padded % 3 === 0 ? b64.replace(/=+$/, '') : b64.replace(/=+$/, '').slice(0, -1))
  }
  return out
}

/** Every form of `value` worth masking: how this action sends it, and how servers echo it. */
export function derivedForms(value: string): Forms {
  const announce: string[] = []
  const local: string[] = []
  announce.push(...secretLines(value))
  const jwt = value.split('.')
  if (jwt.length === 3 && jwt[2].length >= 16) announce.push(jwt[2])
  if (value.length > MAX_ENCODED_LENGTH) return { announce, local }

  const unreserved = /[A-Za-z0-9\-._~]/
  for (const upper of [true, false]) {
    // URLSearchParams (`*` kept, `~` encoded), encodeURIComponent (`!'()*` kept), Python quote_plus / .NET UrlEncode (`~` kept).
    announce.push(
      percent(value, /[A-Za-z0-9*\-._]/, '+', upper),
      percent(value, /[A-Za-z0-9\-_.!~*'()]/, '%20', upper),
      percent(value, unreserved, '+', upper),
      percent(value, /[A-Za-z0-9\-_.!*'()]/, '+', upper),
      Buffer.from(value, 'utf8').toString('hex')[upper ? 'toUpperCase' : 'toLowerCase'](),
    )
    // Non-ASCII as \uXXXX (Python json.dumps), and `\/` (PHP json_encode); plain JSON the runner masks itself.
    if (/[^\x00-\x7f]/.test(value)) announce.push(jsonEscape(value, /[^\x00-\x7f]/g, upper, false))
    if (value.includes('/')) announce.push(jsonEscape(value, /[^\x00-\x7f]/g, upper, true))
    // Every character as \uXXXX: contrived, redacted only.
    local.push(jsonEscape(value, /[^\\]/g, upper, false))
  }
  // .NET Uri.EscapeDataString, Newtonsoft JSON and base64: the runner masks these itself.
  local.push(percent(value, unreserved, '%20', true), JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64'))
  local.push(...base64Shifts(value, false))
  announce.push(...base64Shifts(value, true))
  return { announce, local }
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Percent-decoding that never throws: bytes it cannot read as UTF-8 become U+FFFD. */
function percentDecode(text: string, plus: boolean): string {
  const s = plus ? text.replace(/\+/g, ' ') : text
  if (!/%[0-9a-f]{2}/i.test(s)) return s
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-f]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(...Buffer.from(s[i], 'utf8'))
  }
  return Buffer.from(bytes).toString('utf8')
}

function unescapeText(text: string): string {
  return text
    .replace(/\\u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\x([0-9a-f]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)))
    .replace(/\\([\\/"'])/g, '$1')
    .replace(/&(amp|lt|gt|quot|apos);/gi, (_, n) => HTML_ENTITIES[n.toLowerCase()])
    .replace(/&#(x[0-9a-f]+|\d+);/gi, (_, n) =>
      String.fromCodePoint(Number.parseInt(n.replace(/^x/i, ''), n[0] === 'x' || n[0] === 'X' ? 16 : 10)),
    )
}

/** The runs of a text that could be base64 (either alphabet) or hex, each decoded at every alignment. */
function binaryDecodings(text: string): string[] {
  const out: string[] = []
  for (const [run] of text.matchAll(/[A-Za-z0-9+/_-]{4,}/g)) {
    for (let shift = 0; shift < 4 && run.length - shift >= 4; shift++) out.push(Buffer.from(run.slice(shift), 'base64').toString('utf8'))
  }
  // Hex in groups too (a UUID, aa:bb:cc): the separators removed, it is one run.
  for (const [match] of text.matchAll(/[0-9a-f]{2,}(?:[-:][0-9a-f]{2,})+|[0-9a-f]{8,}/gi)) {
    const run = match.replace(/[-:]/g, '')
    for (let shift = 0; shift < 2; shift++) out.push(Buffer.from(run.slice(shift), 'hex').toString('utf8'))
  }
  return out
}

/**
 * The text as a reader could decode it: percent-decoded (`+` as space or not), unescaped (JSON,
 * JavaScript, HTML), both in either order, without whitespace, and every base64 or hex run of
 * each decoded.
 */
export function decodings(text: string): string[] {
  const texts = new Set<string>([text])
  for (const plus of [false, true]) {
    const p = percentDecode(text, plus)
    texts.add(p)
    texts.add(unescapeText(p))
    texts.add(percentDecode(unescapeText(text), plus))
  }
  // A secret spaced out over words ("Hx7 ~q*Z r/ü+"): the text with no whitespace at all.
  if (/\s/.test(text)) texts.add(text.replace(/\s+/g, ''))
  // Inside base64 or hex there may be form-encoding again (a Basic credential: RFC 6749 §2.3.1).
  return [...texts].flatMap((t) => [t, ...binaryDecodings(t).flatMap((b) => [b, percentDecode(b, true)])])
}

/**
 * Masking and redaction: the one place that knows which strings are secret.
 *
 * Two layers (PROTOCOLS.md §6 lists what the runner masks itself and what it does not):
 * - `add` registers a secret with the runner (setSecret) together with the forms the runner does
 *   not derive itself: how this action sends it (URLSearchParams `+`, a Basic credential, PEM lines,
 *   a JWT signature) and how servers echo it (lower-case percent-encoding, `quote_plus`, JSON
 *   `\u`/`\/` escapes, base64url at every byte alignment, hex). That covers text printed unrouted.
 * - Server text is never printed without `clean()`, which shows less rather than chasing encodings:
 *   1. format characters (zero-width, bidi) are deleted, so a secret split by them still matches,
 *      and control characters become spaces: no workflow command;
 *   2. every known form is redacted, and so is every word that decodes (percent, JSON, HTML,
 *      base64 at any offset, hex) to a secret or holds 8 consecutive characters of one, and every
 *      word a form was cut out of, unless what is left is plain (`eEh4***A==` → `***`: the edges
 *      of a base64 run carry the secret's first and last bytes);
 *   3. if the text as a whole still decodes to a secret, or holds one spaced out, none of it is shown;
 *   4. every word that could carry encoded material becomes `***`: any word with an escape (`%2a`,
 *      `\u0041`, `&#65;`, `=4F=6B`), and any word of OPAQUE_MIN characters or more that is neither
 *      a plain word (PLAIN_WORD) nor a UUID — a long opaque run never shows;
 *   5. the cut comes last and only between words: no cut splits a run, so none leaves a fragment
 *      of a secret that the runner's exact-substring mask would no longer match.
 * `redact` (for text built from known parts, like the summary) is step 2, format characters
 * deleted first; `echoes` says whether steps 2 and 3 would find anything.
 */
import { decodings, derivedForms, MAX_ENCODED_LENGTH, secretLines } from './secret-forms.js'

export type MaskSink = (value: string) => void

/**
 * Derived forms shorter than this are not registered: masking "a" would blank the whole log.
 * A secret value itself is always masked, whatever its length: the user said it is secret.
 */
const MIN_MASK_LENGTH = 4
/** A word of server text this long that is not a plain word could carry a secret, encoded: dropped. */
export const OPAQUE_MIN = 12
/** This many consecutive characters of a secret make a word of server text an echo of it. */
const FRAGMENT = 8
/** Text longer than this is not decoded word by word: it counts as an echo (withheld). */
const MAX_CHECKED = 16_384

export class Secrets {
  /** Exact forms, redacted longest first. */
  private readonly forms = new Set<string>()
  /** The secret values themselves, looked for in decoded text. */
  private readonly values = new Set<string>()
  /** Every FRAGMENT-long piece of every secret (its first 16 KiB): no whitespace, not lower-case letters alone. */
  private readonly fragments = new Set<string>()
  private sorted: string[] | undefined

  constructor(private readonly sink: MaskSink) {}

  /** Registers a secret value and every derived form of it that could be emitted or echoed. */
  add(value: string | undefined): void {
    if (!value?.trim()) return
    // Server text loses its format characters before it is matched: a secret holding one (a soft
    // hyphen, an emoji's zero-width joiner) is matched, and masked, without them too.
    const visible = withoutFormat(value)
    if (visible !== value) this.add(visible)
    this.register(value, 1)
    const { announce, local } = derivedForms(value)
    for (const form of announce) this.register(form)
    for (const form of local) this.remember(form)
    for (const part of [value, ...secretLines(value)]) {
      const v = part.trim()
      // A whole PEM value starts with its armour: its fragments (`-----BEG`) would blank every certificate; its lines are checked.
      if (v.length < MIN_MASK_LENGTH || /^-----(BEGIN|END) /.test(v)) continue
      this.values.add(v)
      const head = v.slice(0, 2 * MAX_ENCODED_LENGTH)
      for (let i = 0; i + FRAGMENT <= head.length; i++) {
        const piece = head.slice(i, i + FRAGMENT)
        // Lower-case letters alone are a word ("password" of "a-password-1234"): as a fragment it would blank ordinary text.
        if (!/\s/.test(piece) && !/^\p{Ll}+$/u.test(piece)) this.fragments.add(piece)
      }
    }
  }

  /** Registers the exact string (e.g. a Basic credential built from two secrets). */
  register(form: string, minLength = MIN_MASK_LENGTH): void {
    const v = form.trim()
    if (v.length < minLength || this.forms.has(v)) return
    this.remember(v, minLength)
    this.sink(v)
  }

  private remember(form: string, minLength = MIN_MASK_LENGTH): void {
    const v = form.trim()
    if (v.length < minLength || this.forms.has(v)) return
    this.forms.add(v)
    this.sorted = undefined
  }

  /** True when `text` carries a secret in any form: exact, a fragment, or in any encoding decodings() reads. */
  echoes(text: string): boolean {
    if (!this.forms.size) return false
    if (text.length > MAX_CHECKED) return true
    const visible = withoutFormat(text)
    return this.redact(visible) !== visible || decodings(visible).some((d) => this.holds(d))
  }

  /** Replaces every known secret form in `text` with `***`, longest first, then every word that echoes one. */
  redact(text: string): string {
    if (!this.forms.size) return text
    this.sorted ??= [...this.forms].sort((a, b) => b.length - a.length)
    let out = withoutFormat(text)
    for (const v of this.sorted) out = out.split(v).join('***')
    if (out.length > MAX_CHECKED) return out.replace(/\S{8,}/g, '***')
    // A form cut out of a larger run leaves its edges (`eEh4***A==`: base64 of a prefix and the secret's first bytes).
    return out.replace(/\S{4,}/g, (word) =>
      (word.includes('***') && !plain(word)) || decodings(word).some((d) => this.holds(d)) ? '***' : word,
    )
  }

  /** Whether decoded text holds a secret value or a fragment of one. */
  private holds(text: string): boolean {
    for (const v of this.values) if (text.includes(v)) return true
    for (let i = 0; i + FRAGMENT <= text.length; i++) if (this.fragments.has(text.slice(i, i + FRAGMENT))) return true
    return false
  }
}

/** An RFC 9562 UUID, perhaps braced and prefixed (TPP's `local:{…}` identities): shown; decodings() reads its hex as one run. */
const UUID = /^(?:\p{L}+:)?\{?[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\}?$/iu

/** Text without format characters (zero-width, bidi): invisible, they would split a secret from its mask. */
const withoutFormat = (text: string) => text.replace(/\p{Cf}+/gu, '')

/** A word with an escape in it: percent, any backslash escape (JSON, JavaScript, C), HTML, quoted-printable. */
const ESCAPED = /%[0-9a-f]{2}|\\[0-9a-z\\/"'{]|&#x?[0-9a-f]+;?|&(amp|lt|gt|quot|apos);?|(?:=[0-9a-f]{2}){2}/i
/**
 * A plain word: letters (any script), or `***`, with one to three of `-_.,;'/:#@?=&[]` between them — snake_case,
 * don't, application/json, dependabot[bot] (the runner's bot actors), https://***@as.example/realms/ci?x=y#z, urn:ietf:params. No digits and
 * no `+`: with those, base64, hex and percent-encoding would pass as words (base64's `=` ends it).
 */
const PLAIN_WORD = /^\/{0,2}(?:\p{L}+|\*\*\*)(?:[-_.,;'’/:#@?=&[\]]{1,3}(?:\p{L}+|\*\*\*))*\/?$/u

/** The word without the punctuation around it. */
const bare = (word: string) => word.replace(/^[("'[<{]+/, '').replace(/[)"'\]>},.;:!?]+$/, '')
const plain = (word: string) => PLAIN_WORD.test(bare(word))

/** Whether a word of server text could carry encoded material (step 3 above). */
function opaque(word: string): boolean {
  const core = bare(word)
  return ESCAPED.test(core) || (core.length >= OPAQUE_MIN && !PLAIN_WORD.test(core) && !UUID.test(core))
}

/**
 * Server text made safe to print (the rule is at the top of this file): at most `max` characters
 * plus `…`, cut only between words. Also for input values shown in errors (src/inputs.ts).
 */
export function clean(text: string, secrets: Secrets | undefined, max: number): string {
  // Format characters (zero-width, bidi) go first: a secret split by them must still match its mask.
  const visible = withoutFormat(text).replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
  const redacted = secrets ? secrets.redact(visible) : visible
  if (secrets?.echoes(redacted)) return '***'
  const safe = redacted
    .replace(/\b(Basic|Bearer|DPoP)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 ***')
    .replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '***')
    .replace(/\S+/g, (word) => (opaque(word) ? '***' : word))
    .replace(/\s+/g, ' ')
    .trim()
  if (safe.length <= max) return safe
  const end = safe.lastIndexOf(' ', max)
  return `${end > 0 ? safe.slice(0, end) : ''}…`
}

/**
 * A URL the server named (a redirect, a discovered endpoint) as shown: origin and path, never userinfo,
 * query or fragment. clean() would blank it whole (a port, `/.well-known`, a tenant id in the path are
 * not plain words), so the rule applies per path segment: a segment that could carry encoded material
 * is `***`, and none of it shows when it echoes a secret. `origin: false` shows the path alone.
 */
export function cleanUrl(url: URL, secrets: Secrets | undefined, max: number, origin = true): string {
  const whole = `${url.origin}${url.pathname}`
  if (secrets?.echoes(whole)) return '***'
  const path = url.pathname
    .split('/')
    .map((segment) => (segment && opaque(segment) ? '***' : segment))
    .join('/')
  const shown = origin ? `${url.origin}${path}` : path
  if (shown.length <= max) return shown
  // Cut between segments only, like clean() between words.
  const end = shown.lastIndexOf('/', max)
  return `${end > 0 ? shown.slice(0, end) : ''}/…`
}

/** The names of inputs whose values are secret; masked before anything else happens. */
export const SECRET_INPUTS = [
  'client-secret',
  'password',
  'refresh-token',
  'api-token',
  'private-key',
  'client-key',
  'client-key-passphrase',
  'subject-token',
  'actor-token',
  'assertion',
] as const

/**
 * Masking and redaction: the one place that knows which strings are secret.
 *
 * The runner masks a registered value and a few encodings of it (PROTOCOLS.md §6), but not
 * the forms this action itself produces: a Basic credential, URLSearchParams' `+` encoding,
 * each line of a PEM key, the signature of a JWT. Every form is registered here before it
 * can reach a request, an output, state or the log, and `redact` scrubs all of them from
 * any text (an error_description, an exception message) before it is printed.
 */
export type MaskSink = (value: string) => void

/**
 * Derived forms shorter than this are not registered: masking "a" would blank the whole log.
 * A secret value itself is always masked, whatever its length: the user said it is secret.
 */
const MIN_MASK_LENGTH = 4

export class Secrets {
  private readonly values = new Set<string>()

  constructor(private readonly sink: MaskSink) {}

  /** Registers a secret value and every derived form of it that could be emitted. */
  add(value: string | undefined): void {
    if (!value?.trim()) return
    this.register(value, 1)
    for (const form of derivedForms(value)) this.register(form)
  }

  /** Registers the exact string (e.g. a Basic credential built from two secrets). */
  register(form: string, minLength = MIN_MASK_LENGTH): void {
    const v = form.trim()
    if (v.length < minLength || this.values.has(v)) return
    this.values.add(v)
    this.sink(v)
  }

  /** True when `text` carries a registered secret in any form redact knows (server text that echoes one). */
  echoes(text: string): boolean {
    return this.redact(text) !== text
  }

  /** Replaces every registered secret form in `text` with `***`, longest first. */
  redact(text: string): string {
    let out = text
    const sorted = [...this.values].sort((a, b) => b.length - a.length)
    for (const v of sorted) out = out.split(v).join('***')
    return out
  }
}

/**
 * Server text made safe to print: every registered secret redacted, then anything shaped like a
 * credential (an Authorization value, a JWT) as well, control characters dropped, length bounded.
 * The length bound applies after redaction, so a cut can never leave part of a secret behind.
 */
export function clean(text: string, secrets: Secrets | undefined, max: number): string {
  const safe = (secrets ? secrets.redact(text) : text)
    .replace(/\b(Basic|Bearer|DPoP)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 ***')
    .replace(/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '***')
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
  return safe.length > max ? `${safe.slice(0, max)}…` : safe
}

function derivedForms(value: string): string[] {
  const forms = [value]
  const lines = value.split(/\r?\n|\r/).map((l) => l.trim())
  if (lines.length > 1) forms.push(...lines.filter((l) => !/^-----(BEGIN|END) /.test(l)))
  forms.push(
    new URLSearchParams({ v: value }).toString().slice(2),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    Buffer.from(value, 'utf8').toString('base64'),
  )
  const jwt = value.split('.')
  if (jwt.length === 3 && jwt[2].length >= 16) forms.push(jwt[2])
  return forms
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

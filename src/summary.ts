/**
 * The job summary: under a heading per step, one two-column table with the same rows for every
 * provider — provider, endpoint host, identity, granted scope, issued and expiry times with the
 * lifetime left, and the revocation plan (main) or result (post).
 *
 * Never a token: the table is built from the lease's descriptive fields only, and any of those
 * that a server filled in is escaped (it must not break the table or inject HTML) and has the
 * lease's own secrets cut out, should a server ever echo one back in, say, its scope.
 */
import type { Lease } from './lease.js'

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function humanDuration(seconds: number): string {
  if (seconds <= 0) return 'expired'
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const parts = [d && `${d} d`, h && `${h} h`, m && `${m} min`, !d && !h && s && `${s} s`].filter(Boolean)
  return parts.slice(0, 2).join(' ')
}

/** The expiry and the lifetime left at `now`, e.g. `2026-01-31T12:00:00Z (in 59 min)` or `… (expired)`. */
export function expiryText(lease: Pick<Lease, 'expiresAt'>, now: number): string {
  if (lease.expiresAt === undefined) return 'unknown'
  const left = lease.expiresAt - now
  return `${iso(lease.expiresAt)} (${left > 0 ? `in ${humanDuration(left)}` : 'expired'})`
}

/**
 * A table cell from text a server may have chosen: one line, `|` escaped so the row keeps two
 * columns, `<`/`>` as entities so no HTML (an image, a link) reaches the summary page.
 */
function cell(text: string, secrets: (string | undefined)[], redact: Redact): string {
  let out = redact(text)
  for (const s of secrets) if (s) out = out.split(s).join('***')
  return out
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

const MAIN_REVOCATION: Record<Lease['revocation'], string> = {
  scheduled: 'scheduled for the end of the job',
  disabled: 'disabled (revoke: false)',
  unsupported: 'not supported by this server: the token stays valid until it expires',
}

/** Cuts every registered secret out of a text (Secrets.redact); identity when none is given. */
export type Redact = (text: string) => string
const keep: Redact = (text) => text

export function leaseTable(lease: Lease, now: number, revocation: string, redact: Redact = keep): string {
  const rows: [string, string][] = [
    ['Provider', lease.provider],
    // The host only: a path or query string may carry a tenant id the reader does not need.
    ['Endpoint', new URL(lease.tokenEndpoint).host],
    ['Identity', lease.identity ?? '—'],
    ['Scope', lease.scope || '—'],
    ['Issued', iso(lease.issuedAt)],
    ['Expires', expiryText(lease, now)],
    ['Revocation', revocation],
  ]
  const secrets = [lease.token, lease.refreshToken]
  const body = rows.map(([k, v]) => `| ${k} | ${cell(v, secrets, redact)} |`).join('\n')
  return `| Lease | Details |\n|---|---|\n${body}\n`
}

/** The main step's summary: what was leased, and whether post will revoke it. */
export function mainSummary(lease: Lease, now: number, redact?: Redact): string {
  return `### token-lease: token obtained\n\n${leaseTable(lease, now, MAIN_REVOCATION[lease.revocation], redact)}`
}

/** The post step's summary: the same table, with the revocation's result. */
export function postSummary(lease: Lease, now: number, result: string, redact?: Redact): string {
  return `### token-lease: lease ended\n\n${leaseTable(lease, now, result, redact)}`
}

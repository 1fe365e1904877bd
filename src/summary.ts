/**
 * The job summary: under a heading per step, one two-column table with the same rows for every
 * provider — provider, endpoint host, identity, granted scope, issued and expiry times with the
 * lifetime left and granted, the lease record (fingerprint, who leased it, a JWT's naming claims)
 * and the revocation plan (main) or result (post). A failed main step gets its own table.
 *
 * Never a token: the table is built from the lease's descriptive fields only, and any of those
 * that a server filled in is escaped (it must not break the table or inject HTML) and has the
 * lease's own secrets cut out, should a server ever echo one back in, say, its scope.
 */
import type { Lease } from './lease.js'
import type { LeaseRecord } from './record.js'

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
 * A table cell from any text: one line, every secret cut out, and nothing that GitHub's Markdown
 * would render — Markdown punctuation backslash-escaped, `& < >` as entities (no HTML), and URL-ish
 * text (`://`, `www.`, `@`: an e-mail address, a mention) broken with a zero-width space so no
 * autolink forms. A cell cannot become a link, an image, HTML or a second column, whatever a server put in it.
 */
export function cell(text: string, secrets: (string | undefined)[] = [], redact: Redact = keep): string {
  let out = redact(text)
  for (const s of secrets) if (s) out = out.split(s).join('***')
  return out
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]()#!|~]/g, '\\$&')
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u200b.`)
    .replace(/@/g, '@\u200b')
}

const MAIN_REVOCATION: Record<Lease['revocation'], string> = {
  scheduled: 'scheduled for the end of the job',
  disabled: 'disabled (revoke: false)',
  unsupported: 'not supported by this server: the token stays valid until it expires',
}

/** Cuts every registered secret out of a text (Secrets.redact); identity when none is given. */
export type Redact = (text: string) => string
const keep: Redact = (text) => text

/** What the step worked out beside the lease: the scope as it may be shown, and the lease record. */
export interface LeaseDetails {
  /** ScopeView.text; the lease's scope as it is when absent. */
  scope?: string
  record?: LeaseRecord
}

function table(rows: [string, string][], secrets: (string | undefined)[], redact: Redact): string {
  const body = rows.map(([k, v]) => `| ${k} | ${cell(v, secrets, redact)} |`).join('\n')
  return `| Lease | Details |\n|---|---|\n${body}\n`
}

export function leaseTable(lease: Lease, now: number, revocation: string, redact: Redact = keep, details: LeaseDetails = {}): string {
  const { record } = details
  const granted = lease.expiresAt === undefined ? 'unknown' : humanDuration(lease.expiresAt - lease.issuedAt)
  const rows: [string, string][] = [
    ['Provider', lease.provider],
    // The host only: a path or query string may carry a tenant id the reader does not need.
    ['Endpoint', new URL(lease.tokenEndpoint).host],
    ['Identity', lease.identity ?? '—'],
    ['Scope', details.scope ?? (lease.scope || '—')],
    ['Issued', iso(lease.issuedAt)],
    ['Expires', expiryText(lease, now)],
    ['Lifetime granted', granted],
    ...(record
      ? ([
          ['Fingerprint', `${record.fingerprint} (SHA-256 of the token, first 16 hex)`],
          ['Leased by', record.leasedBy ?? '—'],
          ...(record.claims ? [['Token claims', record.claims]] : []),
        ] as [string, string][])
      : []),
    ['Revocation', revocation],
  ]
  return table(rows, [lease.token, lease.refreshToken], redact)
}

/** The main step's summary: what was leased, and whether post will revoke it. */
export function mainSummary(lease: Lease, now: number, redact?: Redact, details?: LeaseDetails): string {
  return `### token-lease: token obtained\n\n${leaseTable(lease, now, MAIN_REVOCATION[lease.revocation], redact, details)}`
}

/** The post step's summary: the same table, with the revocation's result. */
export function postSummary(lease: Lease, now: number, result: string, redact?: Redact, details?: LeaseDetails): string {
  return `### token-lease: lease ended\n\n${leaseTable(lease, now, result, redact, details)}`
}

/** What a failed main step knew: enough for a person to fix it without opening the log. */
export interface NoToken {
  provider: string
  /** Host of the endpoint asked (token-url, issuer or server-url); '—' when none could be read. */
  endpoint: string
  /** The identity asked for: client id (and user name), '—' when none. */
  identity: string
  /** The error exactly as the log shows it (already secret-free). */
  error: string
  /** What the post step will do. */
  post: string
}

/** The main step's summary when it leased no usable token. */
export function noTokenSummary(n: NoToken, redact: Redact = keep): string {
  const rows: [string, string][] = [
    ['Provider', n.provider],
    ['Endpoint', n.endpoint],
    ['Identity asked for', n.identity],
    ['Error', n.error],
    ['Post step', n.post],
  ]
  return `### token-lease: no token\n\n${table(rows, [], redact)}`
}

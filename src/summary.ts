/**
 * The job summary: one small table, the same for every provider. Never a token: only the
 * provider, endpoint host, identity, granted scope, times and the revocation result.
 */
import type { Lease } from './lease.js'

const esc = (v: string) => v.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')
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

export function expiryText(lease: Pick<Lease, 'expiresAt'>, now: number): string {
  return lease.expiresAt === undefined ? 'unknown' : `${iso(lease.expiresAt)} (in ${humanDuration(lease.expiresAt - now)})`
}

export function leaseTable(lease: Lease, now: number, revocation: string): string {
  const rows: [string, string][] = [
    ['Provider', lease.provider],
    ['Endpoint', new URL(lease.tokenEndpoint).host],
    ['Identity', lease.identity ?? '—'],
    ['Scope', lease.scope || '—'],
    ['Issued', iso(lease.issuedAt)],
    ['Expires', expiryText(lease, now)],
    ['Revocation', revocation],
  ]
  return `| | |\n|---|---|\n${rows.map(([k, v]) => `| ${k} | ${esc(v)} |`).join('\n')}\n`
}

export function mainSummary(lease: Lease, now: number): string {
  const revocation = { scheduled: 'scheduled for the end of the job', disabled: "disabled (revoke: false)", unsupported: 'not supported by this server: the token stays valid until it expires' }[lease.revocation]
  return `### token-lease: token obtained\n\n${leaseTable(lease, now, revocation)}`
}

export function postSummary(lease: Lease, now: number, result: string): string {
  return `### token-lease: lease ended\n\n${leaseTable(lease, now, result)}`
}

/**
 * The lease record: what lets an auditor match a server's audit entry to the job that held the
 * token — a fingerprint of the token (never the token), who leased it (the runner's GITHUB_*
 * variables) and, for a JWT, the claims that name it (jti, sub, aud; never the signature).
 * Every value is cleaned like server text: the environment and the token are not ours to trust.
 */
import { createHash } from 'node:crypto'
import { jwtClaims, type Lease } from './lease.js'
import { clean, type Secrets } from './secrets.js'

export interface LeaseRecord {
  /** The first 16 hex characters of the token's SHA-256: safe to print, enough to correlate. */
  fingerprint: string
  /** e.g. `octo/app, workflow CI, run 42 attempt 1, job deploy, actor octocat`; undefined outside a runner. */
  leasedBy?: string
  /** e.g. `jti 5d1…, sub ci, aud api`: a JWT's naming claims; undefined for an opaque token. */
  claims?: string
}

export function fingerprint(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)
}

/** The runner's variables that say which job leased the token. */
export function leasedBy(env: NodeJS.ProcessEnv, secrets: Secrets): string | undefined {
  const v = (name: string) => {
    const value = env[name]
    return value ? clean(value, secrets, 100) : undefined
  }
  const run = v('GITHUB_RUN_ID')
  const attempt = v('GITHUB_RUN_ATTEMPT')
  const parts = [
    v('GITHUB_REPOSITORY'),
    v('GITHUB_WORKFLOW') && `workflow ${v('GITHUB_WORKFLOW')}`,
    run && `run ${run}${attempt ? ` attempt ${attempt}` : ''}`,
    v('GITHUB_JOB') && `job ${v('GITHUB_JOB')}`,
    v('GITHUB_ACTOR') && `actor ${v('GITHUB_ACTOR')}`,
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : undefined
}

/** A JWT's jti, sub and aud, cleaned (the payload is the server's text); never the signature. */
export function namingClaims(token: string, secrets: Secrets): string | undefined {
  const claims = jwtClaims(token)
  if (!claims) return undefined
  const parts: string[] = []
  for (const name of ['jti', 'sub', 'aud']) {
    const value = claims[name]
    const text = Array.isArray(value) ? value.filter((x) => typeof x === 'string').join(' ') : value
    if (typeof text === 'string' && text) parts.push(`${name} ${clean(text, secrets, 120)}`)
  }
  return parts.length ? parts.join(', ') : undefined
}

export function leaseRecord(lease: Pick<Lease, 'token'>, env: NodeJS.ProcessEnv, secrets: Secrets): LeaseRecord {
  return { fingerprint: fingerprint(lease.token), leasedBy: leasedBy(env, secrets), claims: namingClaims(lease.token, secrets) }
}

/** The record as one log line. */
export function recordLine(record: LeaseRecord): string {
  const parts = [`Token fingerprint ${record.fingerprint} (SHA-256, first 16 hex)`]
  if (record.leasedBy) parts.push(`leased by ${record.leasedBy}`)
  if (record.claims) parts.push(`token claims: ${record.claims}`)
  return `${parts.join('; ')}.`
}

/**
 * A Lease is what main obtained and post must end: the token, when it expires, and how to
 * revoke it. Main hands it to post through the step state (one JSON value, masked before it
 * is saved); credentials are not in it — post reads them from the inputs again.
 */
import * as z from 'zod/mini'
import { PROVIDERS } from './inputs.js'

export const REVOCATION = ['scheduled', 'disabled', 'unsupported'] as const
export type Revocation = (typeof REVOCATION)[number]

const leaseSchema = z.object({
  provider: z.enum(PROVIDERS),
  token: z.string().check(z.minLength(1)),
  tokenType: z.string(),
  /** Epoch seconds. */
  issuedAt: z.number(),
  /** Epoch seconds; absent when the server told nothing and the token is not a JWT. */
  expiresAt: z.optional(z.number()),
  scope: z.optional(z.string()),
  /** false: the server stated no scope, so `scope` is what was asked for (RFC 6749 §5.1 lets it omit an unchanged one). */
  scopeConfirmed: z.optional(z.boolean()),
  /** Who the token is for, as the summary shows it: client id or server identity. */
  identity: z.optional(z.string()),
  /** Where the token came from (shown by host in the summary). */
  tokenEndpoint: z.string(),
  revocation: z.enum(REVOCATION),
  /** Where post revokes; absent when revocation is not 'scheduled'. */
  revocationEndpoint: z.optional(z.string()),
  /** Client authentication method resolved by main, so post authenticates the same way. */
  clientAuth: z.optional(z.string()),
  /** client_secret_basic only: 'unencoded' when the server accepted id and secret only without form-encoding. */
  basicEncoding: z.optional(z.enum(['unencoded'])),
  /** A refresh token the server issued unasked: post revokes it too. */
  refreshToken: z.optional(z.string()),
})

export type Lease = z.infer<typeof leaseSchema>

export const STATE_KEY = 'lease'

/**
 * What main saves as its very first act, before anything can fail: the runner then hands post
 * main's own STATE_lease (it overrides one planted through GITHUB_ENV), so a lease in post is
 * always main's. NO_LEASE: main leased nothing (yet); REVOKED_BY_MAIN: main revoked its token at once.
 */
export const NO_LEASE = 'none'
export const REVOKED_BY_MAIN = 'revoked-by-main'

/**
 * The largest lease main hands to post. The state travels as one environment variable: Linux
 * refuses a single one over 128 KiB (MAX_ARG_STRLEN) and Windows over 32,767 characters, so a
 * lease of 32,000 characters or more is never saved: main revokes that token at once.
 */
export const MAX_LEASE_LENGTH = 32_000

export function encodeLease(lease: Lease): string {
  return JSON.stringify(lease)
}

/** Returns the lease from state, or undefined when there is none or it is unreadable. */
export function decodeLease(state: string): Lease | undefined {
  if (!state) return undefined
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(state))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * Clocks drift and servers round: an expiry less than this far in the past may not have
 * happened yet on the server, so post still revokes such a token.
 */
export const EXPIRY_GRACE = 300

/**
 * Expired beyond doubt: more than EXPIRY_GRACE seconds ago, by an expiry that was still ahead when
 * the token was issued. A token granted already expired (expires_in -3600, a JWT `exp` behind the
 * runner's clock) says more about a clock or a server than about the token: it may well be alive.
 */
export function clearlyExpired(lease: Pick<Lease, 'expiresAt'> & Partial<Pick<Lease, 'issuedAt'>>, now: number): boolean {
  if (lease.expiresAt === undefined) return false
  if (lease.issuedAt !== undefined && lease.expiresAt <= lease.issuedAt) return false
  return lease.expiresAt < now - EXPIRY_GRACE
}

/** Seconds left before the token expires, or undefined when the expiry is unknown. */
export function secondsLeft(lease: Pick<Lease, 'expiresAt'>, now: number): number | undefined {
  return lease.expiresAt === undefined ? undefined : lease.expiresAt - now
}

/** A JWT's claims (decoded, not verified; never the signature), or undefined for anything else. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Expiry from a JWT's `exp` claim (decoded, not verified); undefined for anything else. */
export function jwtExpiry(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp
  return typeof exp === 'number' ? exp : undefined
}

/** Year 10000: an expiry beyond it is not a real one (and no Date can show it). */
const LAST_EPOCH = 253402300800

/** The expiry when it is a plausible point in time; a server's nonsense (NaN, 1e16) means unknown. */
export function plausibleExpiry(expiresAt: number | undefined): number | undefined {
  return expiresAt !== undefined && Number.isFinite(expiresAt) && expiresAt > 0 && expiresAt < LAST_EPOCH ? expiresAt : undefined
}

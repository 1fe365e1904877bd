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

/** Seconds left before the token expires, or undefined when the expiry is unknown. */
export function secondsLeft(lease: Pick<Lease, 'expiresAt'>, now: number): number | undefined {
  return lease.expiresAt === undefined ? undefined : lease.expiresAt - now
}

/** Expiry from a JWT's `exp` claim (decoded, not verified); undefined for anything else. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return typeof claims.exp === 'number' ? claims.exp : undefined
  } catch {
    return undefined
  }
}

/** Year 10000: an expiry beyond it is not a real one (and no Date can show it). */
const LAST_EPOCH = 253402300800

/** The expiry when it is a plausible point in time; a server's nonsense (NaN, 1e16) means unknown. */
export function plausibleExpiry(expiresAt: number | undefined): number | undefined {
  return expiresAt !== undefined && Number.isFinite(expiresAt) && expiresAt > 0 && expiresAt < LAST_EPOCH ? expiresAt : undefined
}

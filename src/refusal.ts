/**
 * Main's refusals and its failure report: a granted token it may not hand on (too large for the
 * post step's state, or living longer than max-lifetime) is revoked at once, and a failed main
 * step writes the "token-lease: no token" table — what was asked, the error, what post will do.
 */
import type { ActionsCore } from './core.js'
import { SIGNEASY_TOKEN_URL, type Config } from './inputs.js'
import { jwtExpiry, MAX_LEASE_LENGTH, plausibleExpiry, REVOKED_BY_MAIN, STATE_KEY, type Lease } from './lease.js'
import type { Provider } from './providers/index.js'
import { errorMessage, LeaseRefused, writeSummary } from './report.js'
import { clean, Secrets } from './secrets.js'
import { expiryText, humanDuration, noTokenSummary } from './summary.js'

/** What main left for post: no lease, its lease, or the word that it revoked the token itself. */
export type Saved = 'none' | 'lease' | 'revoked' | 'lease-after-failed-revocation' | 'left-alive'

/** Why the granted token may not be handed on: too large for the post step, or living too long. */
export function refuse(lease: Lease, config: Config, stateLength: number): string | undefined {
  if (stateLength > MAX_LEASE_LENGTH)
    return `The token is too large to hand to the post step (its lease is ${stateLength} characters; the limit is ${MAX_LEASE_LENGTH}, as the lease travels to the post step in one environment variable), so it was not output.`
  if (config.maxLifetime === undefined) return undefined
  const max = humanDuration(config.maxLifetime)
  if (lease.expiresAt === undefined)
    return `The server did not say how long the token lives, so it cannot be shown to meet 'max-lifetime' (${max}); it was not output.`
  // A JWT lives until its `exp`, whatever expires_in said: a resource server checks the claim.
  const claimed = plausibleExpiry(jwtExpiry(lease.token))
  const byClaim = claimed !== undefined && claimed > lease.expiresAt
  const lifetime = (byClaim ? claimed : lease.expiresAt) - lease.issuedAt
  if (lifetime > config.maxLifetime)
    return `The server granted a token that lives ${humanDuration(lifetime)}${byClaim ? " (by its JWT 'exp', beyond the expires_in it stated)" : ''}, longer than 'max-lifetime' (${max}); it was not output.`
  return undefined
}

/** Revokes a refused token before failing: the failure says whether that worked. Always throws. */
export async function revokeAtOnce(
  core: ActionsCore,
  provider: Provider,
  lease: Lease,
  why: string,
  known: { saved: Saved },
  state: string | undefined,
): Promise<never> {
  const until = `it stays valid until ${expiryText(lease, lease.issuedAt)}`
  if (lease.revocation === 'unsupported') {
    known.saved = 'left-alive'
    throw new LeaseRefused(`${why} This server offers no revocation: ${until}.`)
  }
  let failure: string
  try {
    const result = await provider.revoke(lease)
    if (result === 'revoked') {
      core.saveState(STATE_KEY, REVOKED_BY_MAIN)
      known.saved = 'revoked'
      throw new LeaseRefused(`${why} The token is already revoked.`)
    }
    failure = 'the server found no token to revoke'
  } catch (err) {
    if (err instanceof LeaseRefused) throw err
    failure = errorMessage(err).replace(/\.$/, '')
  }
  // When the lease fits in the state, post tries again — unless revoke: false tells it not to revoke.
  const retry = state !== undefined && lease.revocation === 'scheduled'
  if (retry) core.saveState(STATE_KEY, state)
  known.saved = retry ? 'lease-after-failed-revocation' : 'left-alive'
  throw new LeaseRefused(`${why} Revoking it at once failed (${failure}): ${until}${retry ? '; the post step will try again' : ''}.`)
}

/** The failed main step's table: what was asked, what went wrong, what post will do. */
export async function writeFailedSummary(
  core: ActionsCore,
  error: string,
  known: { secrets?: Secrets; config?: Config; saved: Saved },
): Promise<void> {
  const { config } = known
  const secrets = known.secrets ?? new Secrets(() => {})
  if (config ? !config.summary : /^\s*false\s*$/i.test(core.getInput('summary'))) return
  // Without a parsed config, the raw inputs say what was asked (cleaned: they are not checked).
  const input = (name: string) => clean(core.getInput(name), secrets, 100)
  const endpoint = config
    ? (config.tokenUrl ?? config.issuer ?? config.serverUrl ?? (config.provider === 'signeasy' ? SIGNEASY_TOKEN_URL : undefined))
    : ['token-url', 'issuer', 'server-url'].map((n) => core.getInput(n).trim()).find(Boolean)
  const identity = [config?.clientId ?? core.getInput('client-id'), config?.username ?? core.getInput('username')]
    .map((v) => clean(v ?? '', secrets, 100))
    .filter(Boolean)
  const post: Record<Saved, string> = {
    none: 'nothing: no token was leased',
    lease: 'revoke the token when the job ends, as planned',
    revoked: 'nothing: main already revoked the token',
    'lease-after-failed-revocation': 'try again to revoke the token when the job ends',
    'left-alive': 'nothing: the token could not be revoked and stays valid until it expires',
  }
  await writeSummary(
    core,
    noTokenSummary(
      {
        provider: config?.provider ?? (input('provider') || 'oauth2'),
        endpoint: endpoint && URL.canParse(endpoint) ? new URL(endpoint).host : '—',
        identity: identity.length ? identity.join(', user ') : '—',
        error,
        post: post[known.saved],
      },
      (t) => secrets.redact(t),
    ),
  )
}

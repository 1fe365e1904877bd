/**
 * The post step: state → trust check → provider.revoke → verify → summary. It runs whatever
 * happened in main (post-if: always()), never throws, and only fails the job when
 * revoke-failure is 'fail' (or verify-revocation is 'true' and the death cannot be confirmed).
 */
import type { ActionsCore } from './core.js'
import { clearlyExpired, decodeLease, NO_LEASE, REVOKED_BY_MAIN, STATE_KEY, type Lease } from './lease.js'
import { makeDeps, maskLease, maskSecretInputs, start, type Runtime } from './main.js'
import { debugStack, errorMessage, writeSummary } from './report.js'
import { createProvider, type Provider } from './providers/index.js'
import { leaseRecord } from './record.js'
import { scopeView } from './scope.js'
import { Secrets } from './secrets.js'
import { expiryText, postSummary } from './summary.js'
import { unvouched } from './trust.js'
import type { Config } from './inputs.js'

export async function post(rt: Runtime): Promise<void> {
  const { core } = rt
  // The lease is read and masked first: it is what must be ended, whatever the inputs say now.
  const secrets = new Secrets((v) => core.setSecret(v))
  const state = core.getState(STATE_KEY)
  const lease = decodeLease(state)
  if (lease) maskLease(lease, secrets)
  // Read before the inputs are parsed, so an input that no longer parses still fails the job when asked.
  let failHard = false
  try {
    failHard = /^\s*fail\s*$/i.test(core.getInput('revoke-failure'))
    if (!lease) return nothingToEnd(core, secrets, state, failHard)
    const { config } = start(core, secrets)
    failHard = mustEnd(config)
    await end(rt, lease, config, secrets)
  } catch (err) {
    const message = errorMessage(err)
    debugStack(core, err)
    if (failHard) core.setFailed(message)
    else core.warning(message)
  }
}

/**
 * No lease: said once, as information. Main's own error (a bad input, a refused token) was
 * reported by main; the inputs are not parsed again, only their secrets masked.
 */
function nothingToEnd(core: ActionsCore, secrets: Secrets, state: string, failHard: boolean): void {
  maskSecretInputs(core, secrets)
  if (state === REVOKED_BY_MAIN) core.info('The main step revoked its token at once: nothing left to revoke.')
  else if (!state || state === NO_LEASE) core.info('The main step leased no token: nothing to revoke.')
  else core[failHard ? 'setFailed' : 'warning']('The lease saved by the main step could not be read: nothing was revoked.')
}

async function end(rt: Runtime, lease: Lease, config: Config, secrets: Secrets): Promise<void> {
  const { core } = rt
  const failHard = mustEnd(config)
  const deps = makeDeps(config, secrets, rt)
  const now = deps.now()
  const redact = (t: string) => secrets.redact(t)
  const details = { scope: scopeView(lease, secrets).text, record: leaseRecord(lease, rt.env, secrets) }
  const summary = async (result: string) => {
    if (config.summary) await writeSummary(core, postSummary(lease, now, result, redact, details))
  }
  const until = lease.expiresAt === undefined ? 'it expires' : expiryText(lease, now)
  const done = async (result: string, level: 'info' | 'warning' | 'setFailed' = 'info') => {
    core[level](result)
    await summary(result)
  }
  if (lease.revocation === 'disabled' || !config.revoke) return await done('Not revoked: revoke is false.')
  if (lease.revocation === 'unsupported') {
    const message = `Not revoked: ${lease.provider} offers no revocation; the token stays valid until ${until}.`
    // The policy asks for a confirmed death: a token that stays alive cannot pass it.
    if (config.verifyRevocation === 'true') return await done(`${message} verify-revocation is true, so this fails the step.`, 'setFailed')
    return await done(message)
  }

  // Skipped only when the expiry is clearly past: a clock a little behind the server's is no reason.
  const expired = clearlyExpired(lease, now)
  // An expired access token needs nothing; a refresh token issued with it may still live.
  if (expired && !lease.refreshToken) return await done('Not revoked: the token expired more than 5 minutes ago.')
  // Credentials go only where the inputs point: a lease naming another endpoint was not main's.
  let foreign: string[]
  try {
    foreign = await unvouched(lease, config, deps)
  } catch (err) {
    const reason = errorMessage(err).replace(/\.$/, '')
    throw Object.assign(
      new Error(
        `Not revoked: the lease's endpoints could not be checked against the issuer's metadata (${reason}); nothing was sent. The token stays valid until ${until}.`,
      ),
      { name: 'RequestError' },
    )
  }
  if (foreign.length) {
    const message = `A lease was planted: it names ${foreign.join(' and ')}, which the inputs do not vouch for. Nothing was sent to it.`
    return core[failHard ? 'setFailed' : 'warning'](message)
  }
  const hosts = [lease.tokenEndpoint, lease.revocationEndpoint].filter((u): u is string => !!u).map((u) => new URL(u).host)
  core.debug(`The lease's endpoints (${[...new Set(hosts)].join(', ')}) are the ones the inputs give or discover.`)

  const provider = await createProvider(config, deps)
  let result: Awaited<ReturnType<typeof provider.revoke>>
  try {
    result = await provider.revoke(lease, { accessTokenExpired: expired })
  } catch (err) {
    // The HTTP layer's errors already say "Revocation failed: …" or "Revocation (POST …) failed": no second prefix.
    const detail = errorMessage(err)
    const message = detail.startsWith('Revocation') || detail.startsWith('TPP revocation') ? detail : `Revocation failed: ${detail}`
    await summary(`failed: ${message}`)
    const left = expired ? 'The refresh token stays valid until the server ends the grant.' : `The token stays valid until ${until}.`
    throw Object.assign(new Error(`${message} ${left}`), { name: 'RequestError' })
  }
  if (result === 'not found') {
    // TPP's 202: nothing was revoked, so the token may still be valid.
    const message = `Not revoked: the server found no token to revoke; the token may stay valid until ${until}. Hint: check that no proxy drops the Authorization header.`
    return await done(message, failHard ? 'setFailed' : 'warning')
  }
  const what = expired ? ' the refresh token (the access token had expired)' : ''
  const check = await confirm(provider, lease, config, expired)
  if (check.state === 'dead') return await done(`Revoked${what} — confirmed by the server.`)
  if (check.state === 'alive') {
    const message = `Not revoked: the server accepted the revocation but still reports the token active; it may stay valid until ${until}.`
    return await done(message, failHard ? 'setFailed' : 'warning')
  }
  const message = `Revoked${what} — not confirmed: ${check.reason}.`
  if (config.verifyRevocation === 'true') return await done(`${message} verify-revocation is true, so this fails the step.`, 'setFailed')
  await done(message)
}

/**
 * Whether a token not shown dead fails the step: revoke-failure: fail, or verify-revocation: true
 * (the death must be confirmed, so a refused or failed revocation cannot pass either).
 */
function mustEnd(config: Config): boolean {
  return config.revokeFailure === 'fail' || config.verifyRevocation === 'true'
}

/** Whether the server confirms the token dead: one request at most, and only when it may be asked. */
async function confirm(
  provider: Provider,
  lease: Lease,
  config: Config,
  accessTokenExpired: boolean,
): Promise<{ state: 'dead' } | { state: 'alive' } | { state: 'unknown'; reason: string }> {
  if (config.verifyRevocation === 'false') return { state: 'unknown', reason: 'not checked (verify-revocation is false)' }
  if (accessTokenExpired) return { state: 'unknown', reason: 'the access token had expired, so there is nothing to ask about' }
  if (!provider.verify) return { state: 'unknown', reason: `${lease.provider} offers no way to ask whether a token is dead` }
  return provider.verify(lease)
}

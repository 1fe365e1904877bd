/**
 * The post step: state → provider.revoke → summary. It runs whatever happened in main
 * (post-if: always()), never throws, and only fails the job when revoke-failure is 'fail'.
 */
import { decodeLease, STATE_KEY } from './lease.js'
import { debugStack, errorMessage, makeDeps, maskLease, start, writeSummary, type Runtime } from './main.js'
import { createProvider } from './providers/index.js'
import { Secrets } from './secrets.js'
import { expiryText, postSummary } from './summary.js'

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
    const { config } = start(core, secrets)
    failHard = config.revokeFailure === 'fail'
    if (!lease) {
      if (state) core[failHard ? 'setFailed' : 'warning']('The lease saved by the main step could not be read: nothing was revoked.')
      else core.info('The main step leased no token: nothing to revoke.')
      return
    }
    const deps = makeDeps(config, secrets, rt)
    const now = deps.now()
    const redact = (t: string) => secrets.redact(t)
    const until = lease.expiresAt === undefined ? 'it expires' : expiryText(lease, now)
    const done = async (result: string, level: 'info' | 'warning' = 'info') => {
      core[level](result)
      if (config.summary) await writeSummary(core, postSummary(lease, now, result, redact))
    }
    if (lease.revocation === 'disabled' || !config.revoke) return await done('Not revoked: revoke is false.')
    if (lease.revocation === 'unsupported')
      return await done(`Not revoked: ${lease.provider} offers no revocation; the token stays valid until ${until}.`)
    const expired = lease.expiresAt !== undefined && lease.expiresAt <= now
    // An expired access token needs nothing; a refresh token issued with it may still live.
    if (expired && !lease.refreshToken) return await done('Not revoked: the token has already expired.')

    const provider = await createProvider(config, deps)
    let result: Awaited<ReturnType<typeof provider.revoke>>
    try {
      result = await provider.revoke(lease, { accessTokenExpired: expired })
    } catch (err) {
      // The HTTP layer's errors already say "Revocation failed: …" or "Revocation (POST …) failed": no second prefix.
      const detail = errorMessage(err)
      const message = detail.startsWith('Revocation') ? detail : `Revocation failed: ${detail}`
      if (config.summary) await writeSummary(core, postSummary(lease, now, 'failed', redact))
      const left = expired ? 'The refresh token stays valid until the server ends the grant.' : `The token stays valid until ${until}.`
      throw Object.assign(new Error(`${message} ${left}`), { name: 'RequestError' })
    }
    if (result === 'not found') {
      // TPP's 202: nothing was revoked, so the token may still be valid.
      const message = `Not revoked: the server found no token to revoke; the token may stay valid until ${until}. Hint: check that no proxy drops the Authorization header.`
      if (failHard) {
        if (config.summary) await writeSummary(core, postSummary(lease, now, message, redact))
        return core.setFailed(message)
      }
      return await done(message, 'warning')
    }
    const what = expired ? 'the refresh token (the access token had expired)' : 'the token'
    await done(result === 'revoked' ? `Revoked ${what}.` : `Revoked: the server reports the token ${result}.`)
  } catch (err) {
    const message = errorMessage(err)
    debugStack(core, err)
    if (failHard) core.setFailed(message)
    else core.warning(message)
  }
}

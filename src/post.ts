/**
 * The post step: state → provider.revoke → summary. It runs whatever happened in main
 * (post-if: always()), never throws, and only fails the job when revoke-failure is 'fail'.
 */
import { debugStack, errorMessage, makeDeps, maskLease, start, type Runtime } from './main.js'
import { decodeLease, STATE_KEY } from './lease.js'
import { createProvider } from './providers/index.js'
import { expiryText, postSummary } from './summary.js'

export async function post(rt: Runtime): Promise<void> {
  const { core } = rt
  let failHard = false
  let leased = false
  try {
    const { secrets, config } = start(core)
    failHard = config.revokeFailure === 'fail'
    const lease = decodeLease(core.getState(STATE_KEY))
    if (!lease) {
      core.info('The main step leased no token: nothing to revoke.')
      return
    }
    maskLease(lease, secrets)
    leased = true
    const deps = makeDeps(config, secrets, rt)
    const now = deps.now()
    const done = async (result: string, warn = false) => {
      if (warn) core.warning(result)
      else core.info(result)
      if (config.summary) await core.appendSummary(postSummary(lease, now, result))
    }
    if (lease.revocation === 'disabled' || !config.revoke) return await done('Not revoked: revoke is false.')
    if (lease.revocation === 'unsupported')
      return await done(
        `Not revoked: ${lease.provider} offers no revocation; the token stays valid until ${lease.expiresAt === undefined ? 'it expires (expiry unknown)' : expiryText(lease, now)}.`,
      )
    if (lease.expiresAt !== undefined && lease.expiresAt <= now) return await done('Not revoked: the token has already expired.')

    const provider = await createProvider(config, deps)
    try {
      const result = await provider.revoke(lease)
      // 'not found' (TPP's 202) revoked nothing: the token may still be valid, so it is a warning.
      if (result === 'not found')
        await done(
          `Not revoked: the server found no token to revoke; the token may stay valid until ${lease.expiresAt === undefined ? 'it expires' : expiryText(lease, now)}. Hint: check that no proxy drops the Authorization header.`,
          true,
        )
      else await done(result === 'revoked' ? 'Revoked the token.' : `Revoked: the server reports the token ${result}.`)
    } catch (err) {
      // The HTTP layer's errors already say "Revocation failed: …" or "Revocation (POST …) failed": no second prefix.
      const detail = errorMessage(err)
      const message = detail.startsWith('Revocation') ? detail : `Revocation failed: ${detail}`
      if (config.summary) await core.appendSummary(postSummary(lease, now, 'failed'))
      throw Object.assign(new Error(message), { name: 'RequestError' })
    }
  } catch (err) {
    const message = errorMessage(err)
    debugStack(core, err)
    if (failHard) core.setFailed(message)
    else core.warning(leased ? `${message} The token stays valid until it expires.` : message)
  }
}

/**
 * The post step: state → provider.revoke → summary. It runs whatever happened in main
 * (post-if: always()), never throws, and only fails the job when revoke-failure is 'fail'.
 */
import { errorMessage, makeDeps, maskLease, start, type Runtime } from './main.js'
import { decodeLease, STATE_KEY } from './lease.js'
import { createProvider } from './providers/index.js'
import { expiryText, postSummary } from './summary.js'

export async function post(rt: Runtime): Promise<void> {
  const { core } = rt
  let failHard = false
  try {
    const { secrets, config } = start(core)
    failHard = config.revokeFailure === 'fail'
    const lease = decodeLease(core.getState(STATE_KEY))
    if (!lease) {
      core.info('The main step leased no token: nothing to revoke.')
      return
    }
    maskLease(lease, secrets)
    const deps = makeDeps(config, secrets, rt)
    const now = deps.now()
    const done = async (result: string) => {
      core.info(result)
      if (config.summary) await core.appendSummary(postSummary(lease, now, result))
    }
    if (lease.revocation === 'disabled' || !config.revoke) return await done('Not revoked: revoke is false.')
    if (lease.revocation === 'unsupported')
      return await done(`Not revoked: ${lease.provider} offers no revocation; the token stays valid until ${expiryText(lease, now)}.`)
    if (lease.expiresAt !== undefined && lease.expiresAt <= now) return await done('Not revoked: the token has already expired.')

    const provider = await createProvider(config, deps)
    try {
      const result = await provider.revoke(lease)
      await done(result === 'revoked' ? 'Revoked the token.' : `Revoked: the server reports the token ${result}.`)
    } catch (err) {
      const message = `Revocation failed: ${errorMessage(err)}`
      if (config.summary) await core.appendSummary(postSummary(lease, now, 'failed'))
      throw Object.assign(new Error(message), { name: 'RequestError' })
    }
  } catch (err) {
    const message = errorMessage(err)
    if (failHard) core.setFailed(message)
    else core.warning(`${message} The token stays valid until it expires.`)
  }
}

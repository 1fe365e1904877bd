/**
 * Checks that need no network but more than the inputs' text, run after parseConfig and before
 * any request: a private_key_jwt key that cannot sign, or a flow that needs the job's OIDC token
 * on a runner that offers none, fails at once — not after discovery or a first token request.
 */
import { needsGithubOidc, oidcRequestEnv, tppKeylessMessage } from './github-oidc.js'
import { InputError, type Config } from './inputs.js'
import { readSigningKey } from './oauth/assertion.js'

/** Throws the InputError the flow would otherwise meet halfway through. */
export function preflight(config: Config, env: NodeJS.ProcessEnv): void {
  if (config.privateKey) readSigningKey(config.privateKey, config.signingAlgorithm)
  if (!needsGithubOidc(config)) return
  try {
    oidcRequestEnv(env)
  } catch (err) {
    if (config.provider !== 'venafi-tpp' || !(err instanceof InputError)) throw err
    throw new InputError(tppKeylessMessage(err.message))
  }
}

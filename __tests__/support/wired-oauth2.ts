/**
 * The OAuth 2.0 provider as main and post wire it (src/main.ts makeDeps: the real HTTP layer, TLS
 * material, the real OIDC-token fetch), for tests that drive acquire and revoke directly against
 * real servers. The log is what makeDeps wrote through a recording core; `masked`, what was masked.
 */
import { parseConfig, type RawInputs } from '../../src/inputs.js'
import { makeDeps } from '../../src/main.js'
import { create } from '../../src/providers/oauth2.js'
import { Secrets, SECRET_INPUTS } from '../../src/secrets.js'
import { fakeCore } from './fake-core.js'

/** Retries default to 0 here so that a refusal shows at once; a test may set its own. */
export function wiredOauth2Provider(raw: RawInputs, env: NodeJS.ProcessEnv) {
  const { core, log } = fakeCore({})
  const masked: string[] = []
  const secrets = new Secrets((v) => masked.push(v))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  const config = parseConfig({ retries: '0', ...raw })
  return { provider: create(config, makeDeps(config, secrets, { core, env })), log, masked }
}

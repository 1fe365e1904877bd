/**
 * Signeasy (PROTOCOLS.md §4): an Auth0-style client-credentials request with a JSON body and
 * a fixed audience. Its 30-day JWT access tokens cannot be revoked, so the lease says
 * 'unsupported' and post makes no request. Every default can be overridden (sandbox, proxy).
 */
import { SIGNEASY_AUDIENCE, SIGNEASY_TOKEN_URL, type Config } from '../inputs.js'
import { OAuth2Provider } from './oauth2.js'
import type { Deps, Provider } from './index.js'

export function create(config: Config, deps: Deps): Provider {
  const signeasy: Config = {
    ...config,
    tokenUrl: config.tokenUrl ?? SIGNEASY_TOKEN_URL,
    revocationUrl: undefined,
    issuer: undefined,
    audience: config.audience ?? SIGNEASY_AUDIENCE,
    requestFormat: config.requestFormat ?? 'json',
    // Auth0's JSON shape carries the client's credentials in the body.
    clientAuth: config.clientAuth ?? 'client_secret_post',
  }
  const oauth2 = new OAuth2Provider(signeasy, deps)
  return {
    acquire: () => oauth2.acquire(),
    revoke: () => Promise.reject(new Error('Signeasy access tokens cannot be revoked')),
  }
}

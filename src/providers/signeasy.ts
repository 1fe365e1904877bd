/**
 * Signeasy (PROTOCOLS.md §4): an Auth0-style client-credentials request with a JSON body
 * {client_id, client_secret, audience, grant_type} at auth.signeasy.com. Every default can be
 * overridden (a sandbox, a proxy): token-url, audience, request-format, client-auth
 * (client_secret_basic). The access token is a 30-day JWT and Auth0 cannot revoke access
 * tokens, so the lease says 'unsupported': post makes no request, and main warns that the token
 * stays valid until its expires-at.
 */
import { SIGNEASY_AUDIENCE, SIGNEASY_TOKEN_URL, type Config } from '../inputs.js'
import { RequestError } from '../http.js'
import type { Deps, Provider } from './index.js'

/** The Config the generic OAuth 2.0 provider needs to speak Signeasy's token request. */
export function signeasyConfig(config: Config): Config {
  return {
    ...config,
    tokenUrl: config.tokenUrl ?? SIGNEASY_TOKEN_URL,
    // Nothing to discover and nothing to revoke (inputs.ts refuses issuer and revocation-url).
    issuer: undefined,
    revocationUrl: undefined,
    grantType: 'client_credentials',
    audience: config.audience ?? SIGNEASY_AUDIENCE,
    requestFormat: config.requestFormat ?? 'json',
    // The documented request carries the client's credentials in the body.
    clientAuth: config.clientAuth ?? 'client_secret_post',
  }
}

export async function create(config: Config, deps: Deps): Promise<Provider> {
  // Imported, not bundled in: the oauth2 chunk is shared with provider oauth2.
  const { OAuth2Provider } = await import('./oauth2.js')
  const oauth2 = new OAuth2Provider(signeasyConfig(config), deps)
  return {
    acquire: () => oauth2.acquire(),
    // Never called: post makes no request for a lease whose revocation is 'unsupported'.
    revoke: () => Promise.reject(new RequestError('Signeasy access tokens cannot be revoked: the token stays valid until it expires.')),
  }
}

/**
 * Client authentication at the token and revocation endpoints (RFC 6749 §2.3, RFC 7523 §2.2,
 * RFC 8705): what to add to a request's headers and parameters for each method.
 */
import type { ClientAuth, Config } from '../inputs.js'
import type { Deps } from '../providers/index.js'
import { signClientAssertion } from './assertion.js'

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface Authentication {
  headers: Record<string, string>
  params: Record<string, string>
}

/**
 * The method to use: the one asked for, else the one the given credentials imply — preferring
 * a method the server lists (RFC 8414 `token_endpoint_auth_methods_supported`, when discovered).
 */
export function chooseClientAuth(config: Config, supported?: string[]): ClientAuth {
  if (config.clientAuth) return config.clientAuth
  if (config.privateKey) return 'private_key_jwt'
  if (config.clientSecret) {
    const basicListed = !supported || supported.includes('client_secret_basic')
    return basicListed || !supported.includes('client_secret_post') ? 'client_secret_basic' : 'client_secret_post'
  }
  if (config.tls.cert && config.clientId) return 'tls_client_auth'
  // The job's OIDC token is never sent unasked: github-oidc only when client-auth says so.
  return 'none'
}

/**
 * RFC 6749 §2.3.1 / Appendix B: each part form-encoded before base64. `unencoded` sends them as
 * they are, for servers that do not form-decode Basic credentials (the form a lease records).
 */
export function basicCredential(id: string, secret: string, unencoded = false): string {
  const enc = (v: string) => (unencoded ? v : new URLSearchParams({ v }).toString().slice(2))
  return Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64')
}

export interface AuthenticateOptions {
  /** client_secret_basic with id and secret not form-encoded (Lease.basicEncoding 'unencoded'). */
  unencoded?: boolean
}

/**
 * Headers and parameters that authenticate the client. `audience` is the endpoint a signed
 * assertion is for; each call signs a new one (assertions are single-use: unique jti).
 */
export async function authenticate(
  method: ClientAuth,
  config: Config,
  audience: string,
  deps: Deps,
  options: AuthenticateOptions = {},
): Promise<Authentication> {
  const id = config.clientId
  const withId: Record<string, string> = id ? { client_id: id } : {}
  switch (method) {
    case 'client_secret_basic': {
      const credential = basicCredential(id!, config.clientSecret!, options.unencoded)
      deps.secrets.register(credential)
      deps.secrets.register(`Basic ${credential}`)
      return { headers: { authorization: `Basic ${credential}` }, params: {} }
    }
    case 'client_secret_post':
      return { headers: {}, params: { client_id: id!, client_secret: config.clientSecret! } }
    case 'private_key_jwt': {
      const assertion = await signClientAssertion(config, audience)
      deps.secrets.add(assertion)
      return { headers: {}, params: { ...withId, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } }
    }
    case 'github-oidc': {
      const assertion = await deps.githubOidcToken(config.oidcAudience)
      return { headers: {}, params: { ...withId, client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion } }
    }
    case 'tls_client_auth':
    case 'none':
      // RFC 8705 §2: the certificate authenticates on the TLS connection; client_id still goes in the body.
      return { headers: {}, params: withId }
  }
}

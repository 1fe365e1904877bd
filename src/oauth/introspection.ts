/**
 * RFC 7662 introspection to confirm a revocation: one POST of the token, with the same client
 * authentication as the token request (and the Basic form that worked, Lease.basicEncoding).
 * `active: false` proves the token dead; `active: true` means the revocation did not take.
 * Anything else — no endpoint, a client that may not introspect, a failure — is 'unknown' with
 * a reason a person can act on. Server text is never shown: only the status and the verdict.
 */
import { RequestError } from '../http.js'
import { isAllowedUrl, type ClientAuth, type Config } from '../inputs.js'
import type { Lease } from '../lease.js'
import type { Deps, Verification } from '../providers/index.js'
import { metadataOf } from '../trust.js'
import { authenticate, chooseClientAuth } from './client-auth.js'
import { tokenRequest } from './token-request.js'

const unknown = (reason: string): Verification => ({ state: 'unknown', reason })

/** The introspection endpoint: the input, else the one the given issuer's metadata names. */
export async function introspectionEndpoint(config: Config, deps: Deps): Promise<string | { reason: string }> {
  if (config.introspectionUrl) return config.introspectionUrl
  if (!config.issuer) return { reason: "no introspection endpoint is known (give 'introspection-url')" }
  const value = (await metadataOf(config.issuer, deps)).introspection_endpoint
  if (value === undefined) return { reason: "the server's metadata lists no introspection_endpoint (give 'introspection-url')" }
  if (typeof value !== 'string' || !URL.canParse(value) || !isAllowedUrl(value, config.allowInsecureHttp))
    return { reason: "the server's introspection_endpoint is not a usable https URL (give 'introspection-url')" }
  return value
}

export async function introspect(lease: Lease, config: Config, deps: Deps): Promise<Verification> {
  try {
    const endpoint = await introspectionEndpoint(config, deps)
    if (typeof endpoint !== 'string') return unknown(endpoint.reason)
    const method = (lease.clientAuth as ClientAuth | undefined) ?? chooseClientAuth(config)
    const build = async () => {
      const auth = await authenticate(method, config, lease.tokenEndpoint, deps, { unencoded: lease.basicEncoding === 'unencoded' })
      return tokenRequest(
        endpoint,
        { token: lease.token, token_type_hint: 'access_token', ...auth.params },
        'form',
        auth.headers,
        'Introspection',
      )
    }
    const req = { ...(await build()), ...(method === 'private_key_jwt' && { renew: build }) }
    const res = await deps.send(req)
    if (res.status === 401 || res.status === 403)
      return unknown(`the client may not introspect (introspection answered HTTP ${res.status})`)
    if (res.status !== 200) return unknown(`introspection answered HTTP ${res.status}`)
    let active: unknown
    try {
      active = JSON.parse(res.body)?.active
    } catch {
      /* not JSON: the body is never shown */
    }
    if (active === false) return { state: 'dead' }
    if (active === true) return { state: 'alive' }
    return unknown("introspection answered without a true or false 'active'")
  } catch (err) {
    // The HTTP layer's and discovery's errors carry no secret; anything else is not printed.
    if (err instanceof RequestError || (err instanceof Error && err.name === 'InputError')) return unknown(err.message.replace(/\.$/, ''))
    return unknown('introspection failed unexpectedly')
  }
}

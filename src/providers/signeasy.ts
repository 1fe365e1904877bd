/**
 * Signeasy (PROTOCOLS.md §4): an Auth0-style client-credentials request with a JSON body
 * {client_id, client_secret, audience, grant_type} at auth.signeasy.com. Every default can be
 * overridden (a sandbox, a proxy): token-url, audience, request-format, client-auth
 * (client_secret_basic). The token request is the generic OAuth 2.0 provider's.
 *
 * Revocation is Signeasy's own, not RFC 7009: `DELETE https://api.signeasy.com/oauth2/tokens/revoke/`
 * with the token as Bearer, 200 {"message": "Access Revoked"}. Signeasy documents it for OAuth
 * apps; that it ends a client-credentials token is not confirmed by any source, so only 200
 * counts as revoked and every other answer is reported as not confirmed — never hidden.
 */
import { SIGNEASY_AUDIENCE, SIGNEASY_TOKEN_URL, type Config } from '../inputs.js'
import { describe, RequestError, type HttpRequest, type HttpResponse } from '../http.js'
import type { Lease } from '../lease.js'
import { jsonObject, requestIds } from '../oauth/response.js'
import { clean, type Secrets } from '../secrets.js'
import type { Acquired, Deps, Provider, RevokeResult } from './index.js'

export const SIGNEASY_REVOCATION_URL = 'https://api.signeasy.com/oauth2/tokens/revoke/'

/** The Config the generic OAuth 2.0 provider needs to speak Signeasy's token request. */
export function signeasyConfig(config: Config): Config {
  return {
    ...config,
    tokenUrl: config.tokenUrl ?? SIGNEASY_TOKEN_URL,
    // Nothing to discover; revocation is Signeasy's own DELETE (below), not RFC 7009.
    issuer: undefined,
    revocationUrl: undefined,
    grantType: 'client_credentials',
    audience: config.audience ?? SIGNEASY_AUDIENCE,
    requestFormat: config.requestFormat ?? 'json',
    // The documented request carries the client's credentials in the body.
    clientAuth: config.clientAuth ?? 'client_secret_post',
  }
}

/**
 * Where post revokes: 'revocation-url', else Signeasy's own endpoint for a token from Signeasy's
 * own token URL. A token from another token-url (a sandbox, a dev environment) is not sent to
 * production's endpoint unasked: its environment's endpoint must be given.
 */
export function signeasyRevocationUrl(config: Pick<Config, 'tokenUrl' | 'revocationUrl'>): string | undefined {
  if (config.revocationUrl) return config.revocationUrl
  return !config.tokenUrl || config.tokenUrl === SIGNEASY_TOKEN_URL ? SIGNEASY_REVOCATION_URL : undefined
}

const OAUTH_APPS_ONLY =
  "Signeasy documents this endpoint for OAuth apps ('Revoking Access Tokens'); that it ends a client-credentials token is not confirmed, so the token may stay valid until it expires"

export async function create(config: Config, deps: Deps): Promise<Provider> {
  // Imported, not bundled in: the oauth2 chunk is shared with provider oauth2.
  const { OAuth2Provider } = await import('./oauth2.js')
  const oauth2 = new OAuth2Provider(signeasyConfig(config), deps)
  const revocationUrl = signeasyRevocationUrl(config)

  return {
    async acquire(): Promise<Acquired> {
      const acquired = await oauth2.acquire()
      if (!revocationUrl)
        return {
          ...acquired,
          lease: { ...acquired.lease, revocation: 'unsupported', revocationEndpoint: undefined },
          unsupportedReason:
            "'token-url' is not Signeasy's own, so its token is not sent to api.signeasy.com: give that environment's revocation endpoint in 'revocation-url'",
        }
      const revocation = config.revoke ? 'scheduled' : 'disabled'
      return { ...acquired, lease: { ...acquired.lease, revocation, revocationEndpoint: revocationUrl } }
    },

    async revoke(lease: Lease): Promise<RevokeResult> {
      // Where the inputs say, whatever the saved lease names: the token goes nowhere the workflow did not choose.
      if (!revocationUrl) throw new RequestError(`Not revoked: no Signeasy revocation endpoint is known. Hint: give 'revocation-url'.`)
      const req: HttpRequest = {
        method: 'DELETE',
        url: revocationUrl,
        headers: { authorization: `Bearer ${lease.token}` },
        purpose: 'Revocation',
      }
      const res = await deps.send(req)
      if (res.status === 200) return 'revoked'
      throw notConfirmed(req, res, deps.secrets)
    },
  }
}

/**
 * Anything but the documented 200: endpoint, status with its reason phrase, an OAuth `error` code
 * if the body has one (cleaned, bounded), and the honest hint; never the body.
 */
function notConfirmed(req: HttpRequest, res: HttpResponse, secrets: Secrets): RequestError {
  // Not JSON: the body is never shown.
  const json = jsonObject(res.body)
  const code = typeof json?.error === 'string' && json.error ? clean(json.error, secrets, 60) : undefined
  const ids = requestIds(res, secrets, json)
  const reason = res.statusText ? ` ${clean(res.statusText, secrets, 100)}` : ''
  const extra =
    res.status === 404 || res.status === 405
      ? "; check 'revocation-url'"
      : res.status === 429 || res.status >= 500
        ? '; the server failed or is busy: it may work on a later run'
        : res.status >= 200 && res.status < 300
          ? ' (only the documented 200 counts)'
          : ''
  return new RequestError(
    `Revocation not confirmed: ${describe(req)} → HTTP ${res.status}${reason}${code ? `; error ${code}` : ''}${ids ? `; ${ids}` : ''}. Hint: ${OAUTH_APPS_ONLY}${extra}.`,
    res.status,
    code,
  )
}

/**
 * M-Trust (PROTOCOLS.md §5): an App's API token is exchanged for a short-lived access token;
 * with rotate-api-token the API token itself is first exchanged for a new one, which the
 * workflow must store. No revocation endpoint is documented, so nothing is revoked.
 */
import type { Config } from '../inputs.js'
import { RequestError, type HttpRequest } from '../http.js'
import { jwtExpiry, type Lease } from '../lease.js'
import { failure, readJson, readToken } from '../oauth/response.js'
import type { Acquired, Deps, Provider } from './index.js'

export function create(config: Config, deps: Deps): Provider {
  const base = config.serverUrl!.replace(/\/+$/, '')
  const post = (path: string, body: object, purpose: string): HttpRequest => ({
    method: 'POST',
    url: `${base}${path}`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    purpose,
  })
  const hint = "check 'client-id' (the App id) and 'api-token' (the App's API token: not expired, not deactivated by a rotation)"

  /** Exchanges the API token for a new one; the old one is deactivated by the server. */
  async function rotate(apiToken: string): Promise<{ value: string; expiresAt?: string }> {
    const req = post('/api/token/v1/tokens/refresh/api-token', { client_id: config.clientId, grant_type: 'token-exchange', refresh_token: apiToken, scope: 'openid' }, 'M-Trust API token rotation')
    const res = await deps.send(req)
    if (res.status !== 200 && res.status !== 201) throw failure(req, res, deps.secrets, hint)
    const json = readJson(req, res)
    if (typeof json.value !== 'string' || !json.value) throw new RequestError(`M-Trust API token rotation answered HTTP ${res.status} without a new token value.`, res.status)
    deps.secrets.add(json.value)
    const info = json.token as { expirationDate?: unknown } | undefined
    const expiry = typeof info?.expirationDate === 'string' ? new Date(info.expirationDate) : undefined
    return { value: json.value, expiresAt: expiry && !isNaN(expiry.getTime()) ? expiry.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined }
  }

  return {
    async acquire(): Promise<Acquired> {
      let apiToken = config.apiToken!
      const outputs: Record<string, string> = {}
      if (config.rotateApiToken) {
        const rotated = await rotate(apiToken)
        apiToken = rotated.value
        outputs['api-token'] = rotated.value
        outputs['api-token-expires-at'] = rotated.expiresAt ?? ''
        deps.log.warning(
          `The API token was rotated: the old one is now deactivated. Store the new one from the 'api-token' output (e.g. gh secret set) before the job ends${rotated.expiresAt ? `; it expires ${rotated.expiresAt}` : ''}.`,
        )
      }
      try {
        return await accessToken(apiToken, outputs)
      } catch (err) {
        // The old API token is already deactivated: the new one must reach the workflow anyway.
        throw Object.assign(err as Error, { outputs })
      }
    },
    revoke: () => Promise.reject(new Error('M-Trust documents no revocation endpoint')),
  }

  async function accessToken(apiToken: string, outputs: Record<string, string>): Promise<Acquired> {
      const req = post('/api/token/v1/tokens/access-token', { client_id: config.clientId, grant_type: 'refresh_token', refresh_token: apiToken, scope: 'openid' }, 'M-Trust token request')
      const res = await deps.send(req)
      if (res.status !== 200 && res.status !== 201) throw failure(req, res, deps.secrets, hint)
      const token = readToken(req, res, deps.secrets)
      const now = deps.now()
      const lease: Lease = {
        provider: 'm-trust',
        token: token.access_token,
        tokenType: token.token_type ?? 'Bearer',
        issuedAt: now,
        // The API documents no lifetime: a JWT's exp claim is the only source.
        expiresAt: token.expires_in !== undefined ? now + token.expires_in : jwtExpiry(token.access_token),
        scope: token.scope ?? 'openid',
        identity: config.clientId,
        tokenEndpoint: req.url,
        revocation: 'unsupported',
      }
      return { lease, outputs }
  }
}

/**
 * Venafi TPP / CyberArk Certificate Manager Self-Hosted, VEDauth (PROTOCOLS.md §1):
 * one of three ways in — username/password, a client certificate over mutual TLS, or the
 * job's GitHub OIDC token for servers with a JWT mapping — and GET /vedauth/revoke/token,
 * which ends the whole grant (its refresh token included).
 */
import type { Config } from '../inputs.js'
import { describe, RequestError, type HttpRequest } from '../http.js'
import type { Lease } from '../lease.js'
import { failure, readToken } from '../oauth/response.js'
import type { Acquired, Deps, Provider, RevokeResult } from './index.js'

export const DEFAULT_TPP_SCOPE = 'certificate:manage,revoke'

/** The base URL as users paste it: with or without a trailing `/`, `/vedsdk` or `/vedsdk/`. */
export function tppBase(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '').replace(/\/vedsdk$/i, '')
}

type WayIn = 'oauth' | 'certificate' | 'jwt'

export function create(config: Config, deps: Deps): Provider {
  const base = tppBase(config.serverUrl!)
  const scope = config.scope ?? DEFAULT_TPP_SCOPE
  const way: WayIn = config.username ? 'oauth' : config.tls.cert ? 'certificate' : 'jwt'
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-cache' }

  const HINTS: Record<WayIn, string> = {
    oauth: "check 'username'/'password', that 'client-id' is the API integration's id, and that 'scope' is within the integration's scope",
    certificate: "check that the client certificate maps to a TPP identity, that the server accepts client certificates, and 'client-id'/'scope'",
    jwt: "check the server's JWT mapping for GitHub's issuer and the token's audience ('oidc-audience'), and 'client-id'/'scope'",
  }

  return {
    async acquire(): Promise<Acquired> {
      const body: Record<string, string> = { client_id: config.clientId!, scope }
      if (way === 'oauth') Object.assign(body, { username: config.username!, password: config.password! })
      if (way === 'jwt') body.jwt = await deps.githubOidcToken(config.oidcAudience)
      const req: HttpRequest = { method: 'POST', url: `${base}/vedauth/authorize/${way}`, headers, body: JSON.stringify(body), purpose: 'TPP token request' }
      const res = await deps.send(req)
      if (res.status !== 200) throw failure(req, res, deps.secrets, HINTS[way])
      const token = readToken(req, res, deps.secrets)
      const now = deps.now()
      const lease: Lease = {
        provider: 'venafi-tpp',
        token: token.access_token,
        tokenType: token.token_type ?? 'Bearer',
        issuedAt: now,
        // TPP gives an absolute expiry; expires_in only on some versions.
        expiresAt: token.expires ?? (token.expires_in !== undefined ? now + token.expires_in : undefined),
        scope: token.scope ?? scope,
        identity: token.identity ? `${token.identity} (${config.clientId})` : config.clientId,
        tokenEndpoint: req.url,
        revocation: config.revoke ? 'scheduled' : 'disabled',
        revocationEndpoint: `${base}/vedauth/revoke/token`,
        // The refresh token (masked by readToken) is never output: revoking the grant ends it too.
      }
      return { lease }
    },

    async revoke(lease: Lease): Promise<RevokeResult> {
      const req: HttpRequest = {
        method: 'GET',
        url: lease.revocationEndpoint!,
        headers: { authorization: `Bearer ${lease.token}`, 'cache-control': 'no-cache' },
        purpose: 'TPP revocation',
      }
      const res = await deps.send(req)
      if (res.status === 200) return 'revoked'
      // 202 "[token] not found": the server did not see a token to revoke (vcert treats only 200 as success).
      if (res.status === 202) return 'not found'
      // Since 20.4 an invalid or expired token gives 401: nothing is left to revoke.
      if (res.status === 401) return 'already invalid'
      if (res.status === 403)
        throw new RequestError(`TPP revocation failed: ${describe(req)} → HTTP 403. Hint: the token's scope may not allow revocation on this server version.`, 403)
      throw failure(req, res, deps.secrets)
    },
  }
}

/**
 * Generic OAuth 2.0: every grant of RFC 6749 / 8693 / 7523 at a token endpoint (given or
 * discovered), and RFC 7009 revocation with the same client authentication.
 */
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, type Config } from '../inputs.js'
import { jwtExpiry, type Lease } from '../lease.js'
import { authenticate, chooseClientAuth } from '../oauth/client-auth.js'
import { discover, type Metadata } from '../oauth/discovery.js'
import { failure, readToken } from '../oauth/response.js'
import { clean } from '../secrets.js'
import { isAllowedUrl } from '../inputs.js'
import { RequestError, type HttpRequest, type HttpResponse } from '../http.js'
import { paramsFromPairs, tokenRequest, type Params } from '../oauth/token-request.js'
import type { ClientAuth } from '../inputs.js'
import type { Acquired, Deps, Provider, RevokeOptions, RevokeResult, Verification } from './index.js'
import { introspect } from '../oauth/introspection.js'

const GRANT_URIS: Record<Config['grantType'], string> = {
  client_credentials: 'client_credentials',
  password: 'password',
  refresh_token: 'refresh_token',
  'token-exchange': 'urn:ietf:params:oauth:grant-type:token-exchange',
  'jwt-bearer': 'urn:ietf:params:oauth:grant-type:jwt-bearer',
}

export function create(config: Config, deps: Deps): Provider {
  return new OAuth2Provider(config, deps)
}

export class OAuth2Provider implements Provider {
  constructor(
    private readonly config: Config,
    private readonly deps: Deps,
  ) {}

  async acquire(): Promise<Acquired> {
    const { config, deps } = this
    const metadata = await this.metadata()
    const tokenEndpoint = config.tokenUrl ?? this.discovered(metadata?.token_endpoint, 'token_endpoint')
    if (!tokenEndpoint) throw new RequestError(`Discovery: the metadata of ${config.issuer} has no token_endpoint. Hint: give 'token-url'.`)
    const revocationEndpoint = config.revocationUrl ?? this.discovered(metadata?.revocation_endpoint, 'revocation_endpoint')
    // Server metadata is server text: only a list of plain strings is used, and printed cleaned.
    const listed = metadata?.token_endpoint_auth_methods_supported
    const supported = Array.isArray(listed) ? listed.filter((m): m is string => typeof m === 'string') : undefined
    const clientAuth = chooseClientAuth(config, supported)
    if (!config.clientAuth && supported)
      deps.log.info(`Client authentication: ${clientAuth} (not given; the server lists ${clean(supported.join(', '), deps.secrets, 300)})`)
    if (config.grantType === 'password')
      deps.log.warning(
        'grant-type password sends a user password to the token endpoint; RFC 9700 §2.4 says it must not be used. Prefer client credentials, a JWT or token exchange.',
      )

    const params: Params = {
      grant_type: GRANT_URIS[config.grantType],
      ...(await this.grantParams()),
      scope: config.scope,
      audience: config.audience,
      resource: config.resource.length ? config.resource : undefined,
      ...paramsFromPairs(config.extraParams),
    }
    const build = async () => {
      const auth = await authenticate(clientAuth, config, tokenEndpoint, deps)
      return tokenRequest(tokenEndpoint, { ...params, ...auth.params }, config.requestFormat ?? 'form', auth.headers)
    }
    // A retry of a private_key_jwt request carries a new assertion (a reused jti is refused).
    const req = { ...(await build()), ...(clientAuth === 'private_key_jwt' && { renew: build }) }
    const res = await deps.send(req)
    if (res.status !== 200) throw failure(req, res, deps.secrets)
    const token = readToken(req, res, deps.secrets)

    const now = deps.now()
    const outputs: Record<string, string> = {}
    let refreshToken = token.refresh_token
    if (config.grantType === 'refresh_token') {
      // The workflow's own refresh token is not ours to revoke; a rotated one must be stored by the workflow.
      if (refreshToken && refreshToken !== config.refreshToken) outputs['refresh-token'] = refreshToken
      refreshToken = undefined
    }
    const lease: Lease = {
      provider: config.provider,
      token: token.access_token,
      tokenType: token.token_type ?? 'Bearer',
      issuedAt: now,
      expiresAt: token.expires_in !== undefined ? now + token.expires_in : jwtExpiry(token.access_token),
      scope: token.scope ?? config.scope,
      ...(token.scope === undefined && config.scope !== undefined && { scopeConfirmed: false }),
      identity: config.clientId,
      tokenEndpoint,
      revocation: !revocationEndpoint ? 'unsupported' : config.revoke ? 'scheduled' : 'disabled',
      revocationEndpoint,
      clientAuth,
      refreshToken,
    }
    return { lease, outputs }
  }

  async revoke(lease: Lease, options: RevokeOptions = {}): Promise<RevokeResult> {
    const { config, deps } = this
    const endpoint = lease.revocationEndpoint!
    const method = (lease.clientAuth as ClientAuth) ?? chooseClientAuth(config)
    // The refresh token first: revoking it SHOULD end its access tokens too (RFC 7009 §2.1).
    // Both are tried even when one is refused, so one refusal never leaves the other alive.
    const tokens: [string, string][] = []
    if (lease.refreshToken) tokens.push([lease.refreshToken, 'refresh_token'])
    if (!options.accessTokenExpired) tokens.push([lease.token, 'access_token'])
    const errors: RequestError[] = []
    for (const [token, hint] of tokens) {
      // A fresh assertion per request: a signed client assertion is single-use. Its audience stays
      // the token endpoint, which servers accept at revocation too (RFC 7523 §3).
      const build = async () => {
        const auth = await authenticate(method, config, lease.tokenEndpoint, deps)
        return tokenRequest(endpoint, { token, token_type_hint: hint, ...auth.params }, 'form', auth.headers, 'Revocation')
      }
      let req: HttpRequest
      let res: HttpResponse
      try {
        req = { ...(await build()), ...(method === 'private_key_jwt' && { renew: build }) }
        res = await deps.send(req)
      } catch (err) {
        // A network failure (after retries) on one token must not keep the other from being tried.
        if (!(err instanceof Error) || (err.name !== 'RequestError' && err.name !== 'InputError')) throw err
        errors.push(err as RequestError)
        continue
      }
      // RFC 7009 §2.2: 200 whether the token was revoked or was already invalid; some servers answer 204.
      if (res.status >= 200 && res.status < 300) continue
      const error = failure(
        req,
        res,
        deps.secrets,
        res.status === 404 ? "check 'revocation-url' (or the issuer's revocation_endpoint)" : undefined,
      )
      // Only 2xx revokes: invalid_token or any other error leaves the token's fate unknown.
      errors.push(error)
    }
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new RequestError(errors.map((e) => e.message).join(' '), errors[0].status, errors[0].code)
    return 'revoked'
  }

  /** A discovered endpoint is server data: checked before the lease promises anything with it. */
  private discovered(value: unknown, field: string): string | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      throw new RequestError(
        `Discovery: the metadata of ${this.config.issuer} has a ${field} that is not an absolute URL. Hint: give it as an input instead.`,
      )
    if (!isAllowedUrl(value, this.config.allowInsecureHttp))
      throw new RequestError(
        `Discovery: the ${field} of ${this.config.issuer} is plain http to a host that is not loopback (${new URL(value).host}): refused. Hint: fix the server's metadata, or set allow-insecure-http: true.`,
      )
    return value
  }

  private async metadata(): Promise<Metadata | undefined> {
    const { config } = this
    // Discovery costs a round trip: only when an endpoint or the auth method is still unknown.
    if (!config.issuer) return undefined
    if (config.tokenUrl && config.revocationUrl && config.clientAuth) return undefined
    return discover(config.issuer, this.deps)
  }

  private async grantParams(): Promise<Params> {
    const { config, deps } = this
    switch (config.grantType) {
      case 'client_credentials':
        return {}
      case 'password':
        return { username: config.username, password: config.password }
      case 'refresh_token':
        return { refresh_token: config.refreshToken }
      case 'jwt-bearer':
        return { assertion: config.assertion ?? (await deps.githubOidcToken(config.oidcAudience)) }
      case 'token-exchange': {
        const subject = config.subjectToken ?? (await deps.githubOidcToken(config.oidcAudience))
        return {
          subject_token: subject,
          subject_token_type: config.subjectTokenType ?? (config.subjectToken ? ACCESS_TOKEN_TYPE : JWT_TOKEN_TYPE),
          actor_token: config.actorToken,
          actor_token_type: config.actorTokenType,
          requested_token_type: config.requestedTokenType,
        }
      }
    }
  }

  /** Confirms a revocation through RFC 7662 introspection (src/oauth/introspection.ts). */
  verify(lease: Lease): Promise<Verification> {
    return introspect(lease, this.config, this.deps)
  }
}

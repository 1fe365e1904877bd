/**
 * Generic OAuth 2.0: every grant of RFC 6749 / 8693 / 7523 at a token endpoint (given or
 * discovered), and RFC 7009 revocation with the same client authentication.
 */
import { ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, type Config } from '../inputs.js'
import { jwtExpiry, type Lease } from '../lease.js'
import { authenticate, basicCredential, chooseClientAuth } from '../oauth/client-auth.js'
import { discover, type Metadata } from '../oauth/discovery.js'
import { failure, isClientAuthRefusal, readToken, type FailureOptions, type TokenFields } from '../oauth/response.js'
import { clean } from '../secrets.js'
import { isAllowedUrl } from '../inputs.js'
import { RequestError, showableUrl, type HttpRequest, type HttpResponse } from '../http.js'
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

/** Network failures after which a request may have reached the server (its answer lost, not its question). */
const MAY_HAVE_ARRIVED = new Set(['TIMEOUT', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'EBODYTOOLARGE'])
const SPENT_REFRESH_TOKEN =
  'refresh token may be spent: the request may have reached the server, which may have rotated it (RFC 9700 §4.14.2), and the answer is lost; it was not re-sent, and if a later run is refused with invalid_grant, a new refresh token is needed'
const spent = (err: RequestError) => new RequestError(`${err.message} The ${SPENT_REFRESH_TOKEN}.`, err.status, err.code)

/** RFC 7009 §2.2 answers 200 for a token already invalid: an invalid_token error confirms nothing. */
const REVOCATION_INVALID_TOKEN =
  'an RFC 7009 server answers 200 even for a token that is already invalid, so this refusal does not show the token is dead; check the revocation endpoint and how it wants the client to authenticate'

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
    const build = async (unencoded = false) => {
      const auth = await authenticate(clientAuth, config, tokenEndpoint, deps, { unencoded })
      const req = tokenRequest(tokenEndpoint, { ...params, ...auth.params }, config.requestFormat ?? 'form', auth.headers)
      // A refresh token the server may rotate is spent once it arrives: never re-sent after that (RFC 9700 §4.14.2).
      return config.grantType === 'refresh_token' ? { ...req, repeatable: false } : req
    }
    const { token, basicEncoding } = await this.grant(clientAuth, build)

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
      ...(basicEncoding && { basicEncoding }),
      refreshToken,
    }
    return { lease, outputs, ...(!revocationEndpoint && { unsupportedReason: this.noRevocationReason(metadata) }) }
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
    const unencoded = lease.basicEncoding === 'unencoded'
    const errors: RequestError[] = []
    for (const [token, hint] of tokens) {
      // A fresh assertion per request: a signed client assertion is single-use. Its audience stays
      // the token endpoint, which servers accept at revocation too (RFC 7523 §3).
      const build = async () => {
        const auth = await authenticate(method, config, lease.tokenEndpoint, deps, { unencoded })
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
      // Anything else, invalid_token included, is a refusal: nothing confirms the token is dead.
      if (res.status >= 200 && res.status < 300) continue
      errors.push(
        failure(req, res, deps.secrets, {
          codeHints: { invalid_token: REVOCATION_INVALID_TOKEN },
          ...(res.status === 404 && { hint: "check 'revocation-url' (or the issuer's revocation_endpoint)" }),
        }),
      )
    }
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new RequestError(errors.map((e) => e.message).join(' '), errors[0].status, errors[0].code)
    return 'revoked'
  }

  /**
   * Sends the grant request and reads the token. With client_secret_basic refused as a
   * client-authentication failure, and only then, one more request with the credential unencoded.
   */
  private async grant(
    clientAuth: ClientAuth,
    build: (unencoded?: boolean) => Promise<HttpRequest>,
  ): Promise<{ token: TokenFields; basicEncoding?: 'unencoded' }> {
    // A retry of a private_key_jwt request carries a new assertion (a reused jti is refused).
    const req = { ...(await build()), ...(clientAuth === 'private_key_jwt' && { renew: () => build() }) }
    const res = await this.sendGrant(req)
    if (res.status === 200) {
      if (clientAuth === 'client_secret_basic')
        this.deps.log.debug('Client authentication: the server accepted the form-encoded Basic credential (RFC 6749 §2.3.1).')
      return { token: this.readGrant(req, res) }
    }
    if (!this.basicFallbackApplies(clientAuth, res)) throw this.grantFailure(req, res)
    // RFC 6749 Appendix B says servers form-decode Basic credentials; many do not. One more try, as they are.
    const retry = await build(true)
    let second: HttpResponse
    try {
      second = await this.sendGrant(retry)
    } catch (err) {
      // The first refusal is what the user must fix, whatever became of the retry: both are said.
      if (!(err instanceof RequestError)) throw err
      throw this.grantFailure(req, res, {
        note: `client_secret_basic was tried twice: form-encoded (RFC 6749 §2.3.1), refused as above, and as they are, which got no answer (${err.message.replace(/\.$/, '')})`,
      })
    }
    // Past client authentication this time (a scope refused, say): that answer is the one to report.
    if (second.status !== 200 && !isClientAuthRefusal(second))
      throw this.grantFailure(retry, second, {
        note: 'this answers the Basic credential sent unencoded, after the server refused it form-encoded',
      })
    if (second.status !== 200)
      throw this.grantFailure(req, res, {
        note: `client_secret_basic was tried twice: with 'client-id' and 'client-secret' form-encoded (RFC 6749 §2.3.1), and as they are (HTTP ${second.status})`,
        hint: "check 'client-id' and 'client-secret', and that the client may use client_secret_basic (else set 'client-auth')",
      })
    this.deps.log.info(
      'Client authentication: the server refused the form-encoded Basic credential and accepted it unencoded (it does not form-decode, RFC 6749 Appendix B); revocation uses the same form.',
    )
    return { token: this.readGrant(retry, second), basicEncoding: 'unencoded' }
  }

  /**
   * The Basic fallback applies to a refusal of the client's authentication, and only when
   * form-encoding changed the id or the secret (else the unencoded form is the same bytes).
   */
  private basicFallbackApplies(clientAuth: ClientAuth, res: HttpResponse): boolean {
    const { clientId, clientSecret } = this.config
    if (clientAuth !== 'client_secret_basic' || !clientId || !clientSecret || !isClientAuthRefusal(res)) return false
    return basicCredential(clientId, clientSecret) !== basicCredential(clientId, clientSecret, true)
  }

  /** Sends the grant request; a refresh token lost on the way is said to be possibly spent. */
  private async sendGrant(req: HttpRequest): Promise<HttpResponse> {
    try {
      return await this.deps.send(req)
    } catch (err) {
      if (err instanceof RequestError && this.config.grantType === 'refresh_token' && MAY_HAVE_ARRIVED.has(err.code ?? '')) throw spent(err)
      throw err
    }
  }

  private grantFailure(req: HttpRequest, res: HttpResponse, options: FailureOptions = {}): RequestError {
    const mayBeSpent = this.config.grantType === 'refresh_token' && res.status >= 500
    const note = [options.note, mayBeSpent && `the ${SPENT_REFRESH_TOKEN}`].filter(Boolean).join('; ')
    return failure(req, res, this.deps.secrets, { ...options, ...(note && { note }) })
  }

  /** A 200 the server answered has consumed a refresh token, whether or not its body can be read. */
  private readGrant(req: HttpRequest, res: HttpResponse): TokenFields {
    try {
      return readToken(req, res, this.deps.secrets)
    } catch (err) {
      if (err instanceof RequestError && this.config.grantType === 'refresh_token') throw spent(err)
      throw err
    }
  }

  /** Why no revocation endpoint is known, and how to give one (Acquired.unsupportedReason). */
  private noRevocationReason(metadata: Metadata | undefined): string {
    const give = "give 'revocation-url' if the server has a revocation endpoint (RFC 7009)"
    if (metadata) return `The metadata of ${this.config.issuer} lists no revocation_endpoint: ${give}.`
    return `No 'revocation-url' was given${this.config.issuer ? '' : " and no 'issuer' to discover one from"}: ${give}.`
  }

  /** A discovered endpoint is server data: checked before the lease promises anything with it. */
  private discovered(value: unknown, field: string): string | undefined {
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      throw new RequestError(
        `Discovery: the metadata of ${this.config.issuer} has a ${field} that is not an absolute URL. Hint: give it as an input instead.`,
      )
    // Every request's URL is logged, and the client's credential goes to it: one that carries a secret is refused.
    if (!showableUrl(value, this.deps.secrets))
      throw new RequestError(
        `Discovery: the ${field} of ${this.config.issuer} carries a secret or a host not written as URLs write hosts: refused. Hint: fix the server's metadata, or give the endpoint as an input.`,
      )
    if (!isAllowedUrl(value, this.config.allowInsecureHttp))
      throw new RequestError(
        `Discovery: the ${field} of ${this.config.issuer} is plain http to a host that is not loopback (${clean(new URL(value).host, this.deps.secrets, 100)}): refused. Hint: fix the server's metadata, or set allow-insecure-http: true.`,
      )
    return value
  }

  private async metadata(): Promise<Metadata | undefined> {
    const { config } = this
    // Discovery costs a round trip: only when an endpoint or the auth method is still unknown.
    if (!config.issuer) return undefined
    if (config.tokenUrl && config.revocationUrl && config.clientAuth) return undefined
    return discover(config.issuer, this.deps, { allowInsecureHttp: config.allowInsecureHttp })
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

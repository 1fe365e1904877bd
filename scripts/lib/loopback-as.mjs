/**
 * A small OAuth 2.0 authorization server EMULATOR on 127.0.0.1, for the flows the real one in
 * oidc-server.mjs (oidc-provider) cannot serve in a test:
 * - Federated client credentials, Entra ID's shape (PROTOCOLS.md §3): client_assertion is a JWT
 *   from an external issuer (the GitHub OIDC stand-in), matched to a client's federated
 *   credential by issuer, subject and audience, its signature verified against the issuer's JWKS
 *   (fetched from <issuer>/.well-known/jwks). oidc-provider cannot: it demands iss = sub =
 *   client_id of a client assertion, which a GitHub token (iss = GitHub, sub = repo:…) never has.
 * - The refresh_token grant with rotation (RFC 6749 §6, RFC 9700 §4.14.2): oidc-provider only
 *   issues refresh tokens after an interactive login.
 * - The password grant (RFC 6749 §4.3), which oidc-provider does not implement.
 * - RFC 7009 revocation, with the same client authentication, and discovery.
 * Written from RFC 6749 §2.3 / §4.3 / §4.4 / §5 / §6, RFC 7009, RFC 7521 / 7523, RFC 8414, OIDC
 * Discovery. With `tenant`, paths follow Entra ID v2.0: issuer <origin>/<tenant>/v2.0, token
 * endpoint <origin>/<tenant>/oauth2/v2.0/token, OIDC discovery only, and (like Entra) no
 * revocation endpoint unless `revocation: true`.
 *
 * Quirks of real servers, each off by default (issue 11: a real server met all of these):
 * - `basicFormDecoding: false`: Basic credentials are compared as sent, not form-decoded
 *   (RFC 6749 Appendix B says a server must decode; many do not).
 * - `bareClientRefusal: true`: a failed client authentication is answered 403 with no body.
 * - `postAuth: false`: client_secret_post is refused (as a failed client authentication).
 * - `trailingSlash: true`: every path is routed only with a trailing slash; without it, a 301 to it.
 * - `listRevocation: false`: the metadata lists no revocation_endpoint although the endpoint works.
 */
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import { createRemoteJWKSet, jwtVerify } from 'jose'

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

class OAuthError extends Error {
  constructor(status, error, description) {
    super(description)
    Object.assign(this, { status, error })
  }
}

/**
 * Options: clients [{ id, secret?, scope?, federated?: [{ issuer, subject, audience }] }]
 * (no secret and no federated credential: a public client); users [{ username, password }];
 * tenant; revocation (default: true without a tenant, false with one); authMethods (the
 * token_endpoint_auth_methods_supported listed); rotateRefreshTokens (default true);
 * refreshTokenOnPassword (default true); accessTokenTtl (seconds, default 3600).
 */
export async function startLoopbackAs({
  clients = [],
  users = [],
  tenant,
  revocation = !tenant,
  authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  rotateRefreshTokens = true,
  refreshTokenOnPassword = true,
  accessTokenTtl = 3600,
  basicFormDecoding = true,
  bareClientRefusal = false,
  postAuth = true,
  trailingSlash = false,
  listRevocation = revocation,
} = {}) {
  const tokens = new Map()
  const requests = []
  const jwksByIssuer = new Map()
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      const e = err instanceof OAuthError ? err : new OAuthError(500, 'server_error', 'unexpected')
      if (bareClientRefusal && e.clientAuth) return res.writeHead(403).end()
      const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' }
      if (e.status === 401) headers['www-authenticate'] = 'Basic realm="loopback-as"'
      res.writeHead(e.status, headers).end(JSON.stringify({ error: e.error, error_description: e.message }))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${server.address().port}`
  const slash = trailingSlash ? '/' : ''
  const paths = tenant
    ? {
        issuer: `/${tenant}/v2.0`,
        token: `/${tenant}/oauth2/v2.0/token`,
        revoke: `/${tenant}/oauth2/v2.0/revoke`,
        discovery: [`/${tenant}/v2.0/.well-known/openid-configuration`],
      }
    : {
        issuer: '',
        token: `/token${slash}`,
        revoke: `/revoke${slash}`,
        discovery: [`/.well-known/oauth-authorization-server${slash}`, `/.well-known/openid-configuration${slash}`],
      }
  const issuer = `${origin}${paths.issuer}`
  const metadata = {
    issuer,
    token_endpoint: `${origin}${paths.token}`,
    ...(revocation && listRevocation && { revocation_endpoint: `${origin}${paths.revoke}` }),
    token_endpoint_auth_methods_supported: authMethods,
    grant_types_supported: ['client_credentials', 'refresh_token', 'password'],
  }

  async function handle(req, res) {
    const url = new URL(req.url, origin)
    const body = await readBody(req)
    const params = Object.fromEntries(new URLSearchParams(body))
    requests.push({ method: req.method, path: url.pathname, headers: { ...req.headers }, params })
    if (trailingSlash && !url.pathname.endsWith('/')) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` }).end()
      return
    }
    if (req.method === 'GET' && paths.discovery.includes(url.pathname)) return json(res, 200, metadata)
    const isToken = url.pathname === paths.token
    const isRevoke = revocation && url.pathname === paths.revoke
    if (!isToken && !isRevoke) throw new OAuthError(404, 'not_found', 'no such endpoint')
    if (req.method !== 'POST') throw new OAuthError(405, 'invalid_request', 'POST only')
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      throw new OAuthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded')
    const client = await authenticateClient(req, params)
    return isToken ? json(res, 200, await grant(client, params)) : json(res, 200, revoke(client, params))
  }

  /** RFC 6749 §2.3: exactly one method; a public client only identifies itself. */
  async function authenticateClient(req, params) {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const used = [
      basic && 'basic',
      params.client_secret !== undefined && 'post',
      params.client_assertion !== undefined && 'assertion',
    ].filter(Boolean)
    if (used.length > 1) throw new OAuthError(400, 'invalid_request', `more than one client authentication method: ${used.join(', ')}`)
    if (basic) {
      // RFC 7617 §2: the user-id ends at the first colon; the password may hold more.
      const decoded = Buffer.from(basic, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const decode = (p) => (basicFormDecoding ? formDecode(p) : p)
      return withSecret(decode(decoded.slice(0, Math.max(colon, 0))), decode(colon < 0 ? '' : decoded.slice(colon + 1)))
    }
    if (used[0] === 'post') {
      if (!postAuth) throw clientRefusal('client_secret_post is not accepted')
      return withSecret(params.client_id, params.client_secret)
    }
    if (used[0] === 'assertion') return withFederatedAssertion(params)
    const client = clients.find((c) => c.id === params.client_id)
    if (!client || client.secret || client.federated) throw new OAuthError(401, 'invalid_client', 'client authentication required')
    return client
  }

  function withSecret(id, secret) {
    const client = clients.find((c) => c.id === id)
    if (!client?.secret || client.secret !== secret) throw clientRefusal('client authentication failed')
    return client
  }

  function clientRefusal(description) {
    return Object.assign(new OAuthError(401, 'invalid_client', description), { clientAuth: true })
  }

  /** Entra ID's federated identity credential: the assertion's iss, sub and aud must match one. */
  async function withFederatedAssertion(params) {
    if (params.client_assertion_type !== ASSERTION_TYPE)
      throw new OAuthError(400, 'invalid_request', 'client_assertion_type must be jwt-bearer')
    const client = clients.find((c) => c.id === params.client_id)
    if (!client?.federated)
      throw new OAuthError(401, 'invalid_client', 'client_id is required and must name a client with a federated credential')
    for (const fc of client.federated) {
      try {
        const { payload } = await jwtVerify(params.client_assertion, jwks(fc.issuer), { issuer: fc.issuer, audience: fc.audience })
        if (payload.sub === fc.subject) return client
      } catch {
        /* try the next credential */
      }
    }
    throw new OAuthError(
      401,
      'invalid_client',
      'No matching federated identity record found for presented assertion issuer, subject and audience.',
    )
  }

  function jwks(iss) {
    if (!jwksByIssuer.has(iss)) jwksByIssuer.set(iss, createRemoteJWKSet(new URL(`${iss}/.well-known/jwks`)))
    return jwksByIssuer.get(iss)
  }

  async function grant(client, params) {
    const confidential = !!(client.secret || client.federated)
    switch (params.grant_type) {
      case 'client_credentials': {
        if (!confidential) throw new OAuthError(400, 'unauthorized_client', 'client credentials need a confidential client')
        return issue(client, grantedScope(client, params.scope))
      }
      case 'refresh_token': {
        const old = tokens.get(params.refresh_token ?? '')
        if (old?.kind !== 'refresh' || !old.active || old.clientId !== client.id)
          throw new OAuthError(400, 'invalid_grant', 'refresh token invalid, expired or revoked')
        // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
        const scope = params.scope ? narrowed(old.scope, params.scope) : old.scope
        if (!rotateRefreshTokens) return issue(client, scope, { username: old.username })
        old.active = false
        return issue(client, scope, { username: old.username, refresh: old.scope })
      }
      case 'password': {
        const user = users.find((u) => u.username === params.username)
        if (!user || user.password !== params.password) throw new OAuthError(400, 'invalid_grant', 'invalid resource owner credentials')
        const scope = grantedScope(client, params.scope)
        return issue(client, scope, { username: user.username, ...(refreshTokenOnPassword && { refresh: scope }) })
      }
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `grant_type ${params.grant_type} is not supported`)
    }
  }

  function grantedScope(client, requested) {
    if (!requested) return client.scope
    if (client.scope) narrowed(client.scope, requested)
    return requested
  }

  function narrowed(allowed, requested) {
    const ok = new Set((allowed ?? '').split(' '))
    if (!requested.split(' ').every((s) => ok.has(s))) throw new OAuthError(400, 'invalid_scope', 'scope not allowed')
    return requested
  }

  function issue(client, scope, { username, refresh } = {}) {
    const accessToken = mint('at')
    tokens.set(accessToken, { kind: 'access', clientId: client.id, scope, username, active: true, exp: now() + accessTokenTtl })
    const body = { access_token: accessToken, token_type: 'Bearer', expires_in: accessTokenTtl, ...(scope && { scope }) }
    if (refresh !== undefined) {
      const refreshToken = mint('rt')
      tokens.set(refreshToken, { kind: 'refresh', clientId: client.id, scope: refresh, username, active: true })
      body.refresh_token = refreshToken
    }
    return body
  }

  /** RFC 7009 §2.2: 200 also for an unknown token; another client's token is refused (§2.1). */
  function revoke(client, params) {
    if (!params.token) throw new OAuthError(400, 'invalid_request', 'token is required')
    const t = tokens.get(params.token)
    if (t && t.clientId !== client.id) throw new OAuthError(400, 'invalid_request', 'the token was not issued to this client')
    if (t) t.active = false
    return {}
  }

  return {
    issuer,
    tokenEndpoint: metadata.token_endpoint,
    revocationEndpoint: metadata.revocation_endpoint,
    /** Requests received: method, path, headers, form parameters. */
    requests,
    /** A refresh token issued earlier (by "another system") for `clientId`. */
    seedRefreshToken(clientId, scope) {
      const value = mint('rt')
      tokens.set(value, { kind: 'refresh', clientId, scope, active: true })
      return value
    },
    /** The server's view of a token, as RFC 7662 introspection would give it. */
    introspect(token) {
      const t = tokens.get(token)
      if (!t?.active || (t.exp && t.exp <= now())) return { active: false }
      return {
        active: true,
        token_type: t.kind === 'access' ? 'access_token' : 'refresh_token',
        client_id: t.clientId,
        scope: t.scope,
        username: t.username,
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(resolve)
      }),
  }
}

const now = () => Math.floor(Date.now() / 1000)
const mint = (prefix) => `${prefix}_${randomBytes(24).toString('base64url')}`

/** application/x-www-form-urlencoded decoding; a malformed escape leaves the text as it is (and so unmatched). */
function formDecode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let text = ''
    req.setEncoding('utf8')
    req.on('data', (d) => (text += d))
    req.on('end', () => resolve(text))
    req.on('error', reject)
  })
}

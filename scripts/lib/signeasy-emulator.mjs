/**
 * An emulator of Signeasy's token endpoint (PROTOCOLS.md §4) for tests: a real HTTP server on
 * 127.0.0.1 (HTTPS when given a pki from scripts/lib/pki.mjs) answering POST /oauth/token the way
 * Signeasy documents it, with Auth0's semantics where Signeasy says nothing.
 *
 * Signeasy's servers cannot run here, so this is written from the protocol notes, not their code.
 * It checks exactly what it receives and rejects what the real API would:
 * - a content type other than JSON or form (Auth0 takes both; 415 here is an assumption: the
 *   status Auth0 gives is not documented) and a body that does not parse;
 * - a missing required field (client_id, client_secret, audience, grant_type) and any field the
 *   docs do not list (deliberately strict: the action must send exactly the documented request);
 * - a grant_type other than client_credentials; an unknown client or a wrong secret (Auth0: 401
 *   access_denied "Unauthorized"); an audience other than the API's (403 "Service not found");
 *   a scope the client was not granted (403);
 * - client authentication twice (Basic header and client_secret in the body), RFC 6749 §2.3.
 * It issues 30-day RS256 JWT access tokens with Auth0's claims.
 *
 * Revocation as Signeasy documents it ("Revoking Access Tokens"): DELETE /oauth2/tokens/revoke/
 * with `Authorization: Bearer <token>` → 200 {"message": "Access Revoked"}. After that the token
 * is really dead: GET /v3/me (a stand-in for any API call with the token) answers 401, and a
 * second revocation too. What Signeasy answers for an unknown, expired or revoked token is not
 * documented: 401 {"error": "invalid_token", …} here is an assumption. The docs write the
 * endpoint for OAuth apps; `revokesClientCredentials: false` plays the case no source rules out,
 * a server that refuses a client-credentials token there (403, and the token stays alive).
 * Any other path is 404.
 *
 * Every request is recorded; `inject` queues faults (a status, or a reset connection) for retry
 * tests. Nothing here is a real credential.
 */
import { createServer as createHttpServer, STATUS_CODES } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { randomUUID } from 'node:crypto'
import { generateKeyPair, SignJWT } from 'jose'

export const SIGNEASY_AUDIENCE = 'https://api-ext.signeasy.com/'
export const THIRTY_DAYS = 30 * 24 * 3600
const FIELDS = ['client_id', 'client_secret', 'audience', 'grant_type', 'scope']

class AuthError extends Error {
  constructor(status, error, description) {
    super(description)
    this.status = status
    this.error = error
  }
}

/** Reads the body as JSON or form, whichever the content type says; 415 for anything else. */
function parseBody(req, body) {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase()
  if (type === 'application/json') {
    let json
    try {
      json = JSON.parse(body)
    } catch {
      throw new AuthError(400, 'invalid_request', 'The request body is not valid JSON')
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new AuthError(400, 'invalid_request', 'The request body must be a JSON object')
    return { format: 'json', params: json }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(body)
    const params = {}
    for (const key of new Set(form.keys())) {
      const values = form.getAll(key)
      params[key] = values.length === 1 ? values[0] : values
    }
    return { format: 'form', params }
  }
  throw new AuthError(415, 'invalid_request', `Unsupported content type '${type || 'none'}': send application/json`)
}

/** The client's credentials from a Basic header or the body (never both). */
function clientCredentials(req, params) {
  const m = /^Basic (\S+)$/i.exec(req.headers.authorization ?? '')
  if (m) {
    if (params.client_secret !== undefined) throw new AuthError(400, 'invalid_request', 'Client authentication must use only one method')
    const decoded = Buffer.from(m[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new AuthError(401, 'access_denied', 'Unauthorized')
    const dec = (v) => decodeURIComponent(v.replace(/\+/g, ' '))
    return { id: dec(decoded.slice(0, colon)), secret: dec(decoded.slice(colon + 1)), method: 'client_secret_basic' }
  }
  return { id: params.client_id, secret: params.client_secret, method: 'client_secret_post' }
}

export const REVOKE_PATH = '/oauth2/tokens/revoke/'
export const ME_PATH = '/v3/me'

/**
 * Starts the emulator. Options:
 * - clients: [{ id, secret, scopes = ['rs:read', 'rs:update'] }]
 * - audience: the API identifier (default Signeasy's)
 * - lifetime: access-token seconds (default 30 days)
 * - revokesClientCredentials: false refuses to revoke client-credentials tokens (403; default true)
 * - pki: serve HTTPS with pki.server (from createPki()) instead of HTTP
 * - now: () => epoch seconds
 */
export async function startSigneasyEmulator({
  clients = [],
  audience = SIGNEASY_AUDIENCE,
  lifetime = THIRTY_DAYS,
  revokesClientCredentials = true,
  pki,
  now = () => Math.floor(Date.now() / 1000),
} = {}) {
  const { privateKey } = await generateKeyPair('RS256')
  const kid = randomUUID()
  const registry = new Map(clients.map((c) => [c.id, { scopes: ['rs:read', 'rs:update'], ...c }]))
  /** Every request received: method, path, headers, raw body, parsed params, and the format. */
  const requests = []
  /** Every access token issued, with its claims. */
  const issued = []
  const faults = []
  let issuer

  async function token(req, body) {
    const { format, params } = parseBody(req, body)
    const unknown = Object.keys(params).filter((k) => !FIELDS.includes(k))
    if (unknown.length) throw new AuthError(400, 'invalid_request', `Unknown parameter(s): ${unknown.join(', ')}`)
    for (const [k, v] of Object.entries(params))
      if (typeof v !== 'string') throw new AuthError(400, 'invalid_request', `Parameter ${k} must be a single string`)
    const credentials = clientCredentials(req, params)
    if (credentials.method === 'client_secret_basic' && params.client_id !== undefined && params.client_id !== credentials.id)
      throw new AuthError(400, 'invalid_request', 'client_id in the body does not match the authenticated client')
    const missing = [
      ['grant_type', params.grant_type],
      ['client_id', credentials.id],
      ['client_secret', credentials.secret],
    ].filter(([, v]) => !v)
    if (missing.length) throw new AuthError(400, 'invalid_request', `Missing required parameter: ${missing[0][0]}`)
    if (params.grant_type !== 'client_credentials') {
      const known = ['authorization_code', 'refresh_token', 'password', 'http://auth0.com/oauth/grant-type/password-realm']
      if (!known.includes(params.grant_type))
        throw new AuthError(400, 'unsupported_grant_type', `Unsupported grant type: ${params.grant_type}`)
      throw new AuthError(403, 'unauthorized_client', `Grant type '${params.grant_type}' not allowed for the client.`)
    }
    const client = registry.get(credentials.id)
    if (!client || client.secret !== credentials.secret) throw new AuthError(401, 'access_denied', 'Unauthorized')
    if (!params.audience)
      throw new AuthError(403, 'access_denied', 'No audience parameter was provided, and no default audience has been configured')
    if (params.audience !== audience) throw new AuthError(403, 'access_denied', `Service not found: ${params.audience}`)
    const asked = params.scope ? params.scope.split(' ').filter(Boolean) : client.scopes
    const refused = asked.filter((s) => !client.scopes.includes(s))
    if (refused.length) throw new AuthError(403, 'access_denied', `Client has not been granted scopes: ${refused.join(', ')}`)

    const iat = now()
    const claims = {
      iss: issuer,
      sub: `${client.id}@clients`,
      aud: audience,
      iat,
      exp: iat + lifetime,
      azp: client.id,
      scope: asked.join(' '),
      gty: 'client-credentials',
    }
    const accessToken = await new SignJWT({ scope: claims.scope, gty: claims.gty, azp: claims.azp })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setIssuer(claims.iss)
      .setSubject(claims.sub)
      .setAudience(claims.aud)
      .setIssuedAt(iat)
      .setExpirationTime(claims.exp)
      // Unique per issue: with a frozen test clock, equal claims would otherwise make equal (deterministic RS256) tokens.
      .setJti(randomUUID())
      .sign(privateKey)
    issued.push({ token: accessToken, clientId: client.id, claims, format, clientAuth: credentials.method })
    return { access_token: accessToken, scope: claims.scope, expires_in: lifetime, token_type: 'Bearer' }
  }

  /**
   * Revoked token strings. A JWT is its string: two issued with the same claims in the same second
   * are byte for byte the same token (RS256 signatures are deterministic), and revoking one ends both.
   */
  const revoked = new Set()

  /** The issued token a Bearer header carries, if it is still alive (not revoked, not expired). */
  function liveToken(req) {
    const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')
    const found = m && !revoked.has(m[1]) ? issued.find((t) => t.token === m[1]) : undefined
    return found && found.claims.exp > now() ? found : undefined
  }

  function revoke(req) {
    const token = liveToken(req)
    if (!token) throw new AuthError(401, 'invalid_token', 'The access token is invalid, expired or revoked')
    if (!revokesClientCredentials && token.claims.gty === 'client-credentials')
      throw new AuthError(403, 'access_denied', 'Only tokens of OAuth apps can be revoked here')
    revoked.add(token.token)
    for (const t of issued) if (t.token === token.token) t.revokedAt = now()
    return { message: 'Access Revoked' }
  }

  function me(req) {
    const token = liveToken(req)
    if (!token) throw new AuthError(401, 'invalid_token', 'The access token is invalid, expired or revoked')
    return { client_id: token.clientId, scope: token.claims.scope }
  }

  const routes = {
    'POST /oauth/token': (req, body) => token(req, body),
    [`DELETE ${REVOKE_PATH}`]: (req) => revoke(req),
    [`GET ${ME_PATH}`]: (req) => me(req),
  }

  const handler = async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const body = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    requests.push({ method: req.method, path, headers: { ...req.headers }, body })
    const fault = faults.find((f) => f.path === path && f.times > 0)
    if (fault) {
      fault.times--
      if (fault.reset) return req.socket.destroy()
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? '')
      return
    }
    try {
      const route = routes[`${req.method} ${path}`]
      if (!route) {
        const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`))
        throw known ? new AuthError(405, 'invalid_request', 'Method Not Allowed') : new AuthError(404, 'not_found', 'Not Found')
      }
      const payload = await route(req, body)
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' })
        .end(JSON.stringify(payload))
    } catch (err) {
      if (!(err instanceof AuthError)) return res.writeHead(500, STATUS_CODES[500]).end()
      res
        .writeHead(err.status, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ error: err.error, error_description: err.message }))
    }
  }
  const server = pki ? createHttpsServer({ key: pki.server.key, cert: pki.server.cert }, handler) : createHttpServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`
  issuer = `${url}/`

  return {
    url,
    port,
    tokenUrl: `${url}/oauth/token`,
    revocationUrl: `${url}${REVOKE_PATH}`,
    audience,
    requests,
    issued,
    /** Whether the API would accept the token now: issued here, not revoked, not expired. */
    isLive: (token) => !!liveToken({ headers: { authorization: `Bearer ${token}` } }),
    /** Queues a fault for `path`: { status, headers?, body? } or { reset: true }; `times` (default 1). */
    inject(path, fault) {
      faults.push({ times: 1, ...fault, path })
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(resolve)
      }),
  }
}

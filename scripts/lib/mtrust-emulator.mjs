/**
 * An emulator of M-Trust's token API (PROTOCOLS.md §5) for tests: a real HTTP server on
 * 127.0.0.1 (HTTPS when given a pki from scripts/lib/pki.mjs) with the two documented calls:
 *   POST /api/token/v1/tokens/access-token       {client_id, grant_type:"refresh_token", refresh_token:<API token>, scope:"openid"} → {access_token}
 *   POST /api/token/v1/tokens/refresh/api-token  {client_id, grant_type:"token-exchange", refresh_token:<API token>, scope:"openid"}
 *                                                → {token:{name, creationDate, expirationDate}, value}
 * The rotation path is the guide's above; the API reference gives /api/token/v1/v1/tokens/refresh/api-token,
 * and which one is live is unknown: `rotatePath` serves either ('guide', the default, or 'reference'),
 * the other answering 404. The reference types the dates as numbers with no unit, the guide shows a
 * timestamp: `dates` serves 'iso' (default), 'epoch-seconds' or 'epoch-ms'.
 * M-Trust's servers cannot run here, so this is written from the protocol notes, not their code.
 * It checks the exact JSON it receives and rejects what the real API would: a content type other
 * than JSON (415), a body that does not parse, a missing or an extra field, a wrong grant_type or
 * scope, an unknown App (client_id), an API token that is unknown, of another App, expired, or
 * deactivated — a rotation deactivates the API token it was given, so only the newest one works.
 * M-Trust documents no error shape or status codes: errorStyle 'oauth' (default) answers like the
 * Keycloak-style token service an API token that is "basically a refresh token" suggests,
 * {error, error_description} with 400/401; 'problem' answers RFC 9457 problem+json
 * {type, title, status, detail}. Access tokens are RS256 JWTs with an `exp` (accessTokenFormat
 * 'jwt', the default) or opaque strings ('opaque'), and the response carries only access_token,
 * as documented. No revocation endpoint is documented, so there is none. Every request is
 * recorded; `inject` queues faults. Nothing here is a real credential.
 */
import { createServer as createHttpServer, STATUS_CODES } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { randomBytes, randomUUID } from 'node:crypto'
import { generateKeyPair, SignJWT } from 'jose'

export const ACCESS_TOKEN_PATH = '/api/token/v1/tokens/access-token'
export const ROTATE_PATH = '/api/token/v1/tokens/refresh/api-token'
export const REFERENCE_ROTATE_PATH = '/api/token/v1/v1/tokens/refresh/api-token'
const ROTATE_PATHS = { guide: ROTATE_PATH, reference: REFERENCE_ROTATE_PATH }
const DATE_SHAPES = { iso: (s) => new Date(s * 1000).toISOString(), 'epoch-seconds': (s) => s, 'epoch-ms': (s) => s * 1000 }
const FIELDS = ['client_id', 'grant_type', 'refresh_token', 'scope']
const DAY = 86400

class ApiError extends Error {
  constructor(status, error, description) {
    super(description)
    this.status = status
    this.error = error
  }
}

/** A new opaque API token value (the console shows it once). */
const newApiToken = () => `mt_${randomBytes(24).toString('base64url')}`

/**
 * Starts the emulator. Options:
 * - apps: [{ id, apiTokens: [{ name, value, expiresAt? (epoch s; default now + 90 d) }] }]
 * - accessLifetime: access-token seconds (default 300)
 * - accessTokenFormat: 'jwt' (default) or 'opaque'
 * - errorStyle: 'oauth' (default) or 'problem'
 * - rotationStatus: HTTP status of a successful rotation (default 200)
 * - rotatePath: which documented rotation path is live: 'guide' (default) or 'reference'
 * - dates: creationDate/expirationDate as 'iso' (default), 'epoch-seconds' or 'epoch-ms'
 * - pki: serve HTTPS with pki.server instead of HTTP
 * - now: () => epoch seconds
 */
export async function startMtrustEmulator({
  apps = [],
  accessLifetime = 300,
  accessTokenFormat = 'jwt',
  errorStyle = 'oauth',
  rotationStatus = 200,
  rotatePath = 'guide',
  dates = 'iso',
  pki,
  now = () => Math.floor(Date.now() / 1000),
} = {}) {
  if (!ROTATE_PATHS[rotatePath]) throw new Error(`rotatePath must be one of ${Object.keys(ROTATE_PATHS).join(', ')}`)
  if (!DATE_SHAPES[dates]) throw new Error(`dates must be one of ${Object.keys(DATE_SHAPES).join(', ')}`)
  const date = DATE_SHAPES[dates]
  const { privateKey } = await generateKeyPair('RS256')
  const appIds = new Set(apps.map((a) => a.id))
  /** Every API token, live or deactivated: { appId, name, value, createdAt, expiresAt, active, replacedBy? }. */
  const apiTokens = apps.flatMap((a) =>
    (a.apiTokens ?? []).map((t) => ({
      appId: a.id,
      name: t.name,
      value: t.value,
      createdAt: now(),
      expiresAt: t.expiresAt ?? now() + 90 * DAY,
      active: true,
    })),
  )
  /** Every access token issued: { token, appId, apiTokenName, issuedAt, expiresAt }. */
  const accessTokens = []
  /** Every request received: method, path, headers, raw body, parsed JSON. */
  const requests = []
  const faults = []
  let url

  /** The checks both calls share: JSON, exactly the four fields, grant_type, scope, App, API token. */
  function check(req, body, grantType) {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase()
    if (type !== 'application/json')
      throw new ApiError(415, 'invalid_request', `Content type '${type || 'none'}' is not supported: send application/json`)
    let json
    try {
      json = JSON.parse(body)
    } catch {
      throw new ApiError(400, 'invalid_request', 'The request body is not valid JSON')
    }
    if (!json || typeof json !== 'object' || Array.isArray(json))
      throw new ApiError(400, 'invalid_request', 'The request body must be a JSON object')
    const extra = Object.keys(json).filter((k) => !FIELDS.includes(k))
    if (extra.length) throw new ApiError(400, 'invalid_request', `Unknown field(s): ${extra.join(', ')}`)
    const missing = FIELDS.filter((k) => typeof json[k] !== 'string' || json[k] === '')
    if (missing.length) throw new ApiError(400, 'invalid_request', `Missing field(s): ${missing.join(', ')}`)
    if (json.grant_type !== grantType) throw new ApiError(400, 'unsupported_grant_type', `grant_type must be ${grantType}`)
    if (json.scope !== 'openid') throw new ApiError(400, 'invalid_scope', 'scope must be openid')
    if (!appIds.has(json.client_id)) throw new ApiError(401, 'invalid_client', 'Invalid client or Invalid client credentials')
    const apiToken = apiTokens.find((t) => t.value === json.refresh_token)
    if (!apiToken || apiToken.appId !== json.client_id) throw new ApiError(400, 'invalid_grant', 'Invalid refresh token')
    if (!apiToken.active) throw new ApiError(400, 'invalid_grant', 'Token is not active: the API token was deactivated')
    if (apiToken.expiresAt <= now()) throw new ApiError(400, 'invalid_grant', 'Token is not active: the API token has expired')
    return apiToken
  }

  async function accessToken(apiToken) {
    const issuedAt = now()
    const expiresAt = issuedAt + accessLifetime
    const token =
      accessTokenFormat === 'opaque'
        ? randomBytes(32).toString('base64url')
        : await new SignJWT({ azp: apiToken.appId, scope: 'openid', typ: 'Bearer' })
            .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
            .setIssuer(`${url}/auth`)
            .setSubject(`service-account-${apiToken.appId}`)
            .setJti(randomUUID())
            .setIssuedAt(issuedAt)
            .setExpirationTime(expiresAt)
            .sign(privateKey)
    accessTokens.push({ token, appId: apiToken.appId, apiTokenName: apiToken.name, issuedAt, expiresAt })
    return { access_token: token }
  }

  function rotate(old) {
    const t = now()
    const fresh = { appId: old.appId, name: old.name, value: newApiToken(), createdAt: t, expiresAt: t + 90 * DAY, active: true }
    old.active = false
    old.replacedBy = fresh.value
    apiTokens.push(fresh)
    return { token: { name: fresh.name, creationDate: date(fresh.createdAt), expirationDate: date(fresh.expiresAt) }, value: fresh.value }
  }

  const routes = {
    [ACCESS_TOKEN_PATH]: async (req, body) => [200, await accessToken(check(req, body, 'refresh_token'))],
    [ROTATE_PATHS[rotatePath]]: async (req, body) => [rotationStatus, rotate(check(req, body, 'token-exchange'))],
  }

  function sendError(res, err) {
    if (errorStyle === 'problem') {
      const title = STATUS_CODES[err.status] ?? 'Error'
      res
        .writeHead(err.status, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ type: 'about:blank', title, status: err.status, detail: err.message }))
    } else {
      res
        .writeHead(err.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: err.error, error_description: err.message }))
    }
  }

  const handler = async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const body = Buffer.concat(chunks).toString('utf8')
    const path = new URL(req.url, 'http://127.0.0.1').pathname
    let json
    try {
      json = JSON.parse(body)
    } catch {
      json = undefined
    }
    requests.push({ method: req.method, path, headers: { ...req.headers }, body, json })
    const fault = faults.find((f) => f.path === path && f.times > 0)
    if (fault) {
      fault.times--
      if (fault.reset) return req.socket.destroy()
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(fault.body ?? '')
      return
    }
    try {
      const route = routes[path]
      if (!route) throw new ApiError(404, 'not_found', 'Not Found')
      if (req.method !== 'POST') throw new ApiError(405, 'invalid_request', 'Method Not Allowed')
      const [status, payload] = await route(req, body)
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(payload))
    } catch (err) {
      if (!(err instanceof ApiError)) return res.writeHead(500).end()
      sendError(res, err)
    }
  }
  const server = pki ? createHttpsServer({ key: pki.server.key, cert: pki.server.cert }, handler) : createHttpServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  url = `${pki ? 'https' : 'http'}://127.0.0.1:${port}`

  return {
    url,
    port,
    requests,
    apiTokens,
    accessTokens,
    /** Whether an access token was issued here and has not expired (what an M-Trust API would accept). */
    isLive: (token) => accessTokens.some((t) => t.token === token && t.expiresAt > now()),
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

/**
 * An emulator of Venafi TPP's token API, VEDauth (PROTOCOLS.md §1), for tests: a real HTTPS
 * server on 127.0.0.1 with a throwaway private CA (scripts/lib/pki.mjs) that asks every client
 * for a certificate (`requestCert`), so the certificate way in is a real mutual-TLS handshake.
 *
 * A real TPP cannot run here, so this is written from the protocol notes, not from TPP's code.
 * It rejects what TPP documents it rejects: a body that is not JSON (415, an assumption: TPP
 * runs on ASP.NET, which answers an unsupported media type so), field names in another case
 * (they are case-sensitive, so `Client_Id` is simply missing), a missing scope, an unknown
 * client_id (it must equal an API integration's id exactly), a scope outside the integration's,
 * wrong credentials, a client certificate from an unknown issuer or one that maps to no
 * identity, a GitHub OIDC JWT that no JWT mapping accepts. Errors are HTTP 400 with the reason
 * in the status line (what vcert and the Vault plugins read) and, with errorStyle 'json', an
 * OAuth-style body {error, error_description} as well (TPP documents no error-body schema).
 *
 * Grants are tracked: revoke (GET /vedauth/revoke/token) ends the whole grant, so the access
 * token then fails GET /vedauth/authorize/verify with 401 (verify answers 200 while the grant
 * lives, 401 only once it is revoked or expired) and its refresh token fails
 * POST /vedauth/authorize/token with 400. Without an Authorization header revoke answers 202
 * "[token] not found", as TPP does; a token it does not accept gets 401 (TPP ≥ 20.4).
 *
 * Content type on GETs — our reading, not TPP's documented behaviour: vcert's request()
 * (pkg/venafi/tpp/tpp.go) sends `content-type: application/json` and `cache-control: no-cache`
 * on every VEDauth call, the GETs to verify and revoke included, and the docs show the same.
 * Whether TPP refuses a GET without it is not documented; this emulator insists (415), so a
 * client that drifts from what vcert sends is caught. `inject` queues faults (a status, or a
 * reset connection) for retry tests. Nothing here is a real credential.
 */
import { createServer, request as httpsRequest } from 'node:https'
import { randomBytes, randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'

/** TPP's scopes and the privileges each takes (Scope map for tokens); a bare scope is read-level. */
export const TPP_SCOPES = {
  admin: [],
  agent: ['delete'],
  certificate: ['approve', 'delete', 'discover', 'manage', 'revoke'],
  codesign: ['delete', 'manage'],
  codesignclient: [],
  configuration: ['delete', 'manage'],
  restricted: ['delete', 'manage'],
  security: ['delete', 'manage'],
  ssh: ['approve', 'delete', 'discover', 'manage'],
  statistics: [],
}

class TppError extends Error {
  constructor(status, error, description) {
    super(description)
    this.status = status
    this.error = error
  }
}
const invalid = (error, description) => new TppError(400, error, description)

/** Parses TPP scope syntax `scope:priv1,priv2;scope2` into [[scope, Set(privileges)], …]. */
export function parseScope(text) {
  if (typeof text !== 'string' || text.trim() === '') throw invalid('invalid_request', 'scope is required')
  const parsed = new Map()
  // Scope and privilege names match whatever their case (the docs write both `Configuration:Manage` and `configuration:manage`).
  for (const part of text.toLowerCase().split(';')) {
    const m = /^([a-z]+)(?::([a-z]+(?:,[a-z]+)*))?$/.exec(part)
    if (!m) throw invalid('invalid_scope', `Scope syntax is not valid: '${part}'`)
    const [, name, privs] = m
    if (!(name in TPP_SCOPES)) throw invalid('invalid_scope', `Unknown scope '${name}'`)
    const set = parsed.get(name) ?? new Set()
    for (const p of privs ? privs.split(',') : []) {
      if (!TPP_SCOPES[name].includes(p)) throw invalid('invalid_scope', `Unknown privilege '${p}' for scope '${name}'`)
      set.add(p)
    }
    parsed.set(name, set)
  }
  return parsed
}

/** The granted scope as TPP shows it: scopes in the order asked, privileges sorted. */
export const formatScope = (parsed) =>
  [...parsed].map(([name, privs]) => (privs.size ? `${name}:${[...privs].sort().join(',')}` : name)).join(';')

const within = (asked, allowed) =>
  [...asked].every(([name, privs]) => allowed.has(name) && [...privs].every((p) => allowed.get(name).has(p)))

/** An opaque token in TPP's shape: 16 random bytes, base64 (e.g. `KT2EEVTIjWM/37L78dqJAg==`). */
const newToken = () => randomBytes(16).toString('base64')
const dotnetDate = (s) => `/Date(${s * 1000})/`
const isoDate = (s) => new Date(s * 1000).toISOString()

/** Requests carrying this header (the emulator's own probes, below) are not recorded. */
const PROBE_HEADER = 'x-tpp-emulator-probe'

/**
 * Starts the emulator. Options:
 * - pki: from createPki() (server certificate for 127.0.0.1, the CA client certificates must chain to)
 * - integrations: [{ id, scope, refresh = true, accessLifetime = 3600, grantLifetime = 86400, expiresIn = false }]
 * - users: [{ username, password, identity }]
 * - certificates: [{ cn, identity }] — the client certificate's CN mapped to a TPP identity
 * - jwtMappings: [{ verify(jwt, audience), audience, claims: { name: value }, identity }] — verify is the
 *   GitHub OIDC stand-in's (scripts/lib/github-oidc-server.mjs)
 * - errorStyle: 'json' (reason phrase and an OAuth-style JSON body) or 'reason' (reason phrase only)
 * - now: () => epoch seconds
 */
export async function startTppEmulator({
  pki,
  integrations = [],
  users = [],
  certificates = [],
  jwtMappings = [],
  errorStyle = 'json',
  now = () => Math.floor(Date.now() / 1000),
} = {}) {
  if (!pki) throw new Error('startTppEmulator needs a pki (scripts/lib/pki.mjs createPki())')
  const clients = new Map(
    integrations.map((i) => [
      i.id,
      { refresh: true, accessLifetime: 3600, grantLifetime: 86400, expiresIn: false, ...i, allowed: parseScope(i.scope) },
    ]),
  )
  /** Every request received: method, path, headers, raw body, parsed JSON, the TLS client certificate. */
  const requests = []
  /** Every grant issued, live or revoked (tests read tokens from here for leak checks). */
  const grants = []
  const faults = []

  function issue(client, identity, scope) {
    const t = now()
    const grant = {
      id: randomUUID(),
      clientId: client.id,
      identity,
      scope: formatScope(scope),
      grantIssuedAt: t,
      grantExpires: t + client.grantLifetime,
      revoked: false,
      refreshCount: 0,
    }
    grants.push(grant)
    return tokenResponse(client, grant)
  }

  /** Mints a fresh access token (and single-use refresh token) for a grant. */
  function tokenResponse(client, grant) {
    const t = now()
    grant.accessToken = newToken()
    grant.accessIssuedAt = t
    grant.accessExpires = Math.min(t + client.accessLifetime, grant.grantExpires)
    grant.refreshToken = client.refresh ? newToken() : undefined
    const body = { access_token: grant.accessToken }
    if (grant.refreshToken) body.refresh_token = grant.refreshToken
    body.expires = grant.accessExpires
    if (client.expiresIn) body.expires_in = grant.accessExpires - t
    body.token_type = 'Bearer'
    body.scope = grant.scope
    body.identity = grant.identity
    if (grant.refreshToken) body.refresh_until = grant.grantExpires
    return body
  }

  const live = (grant) => grant && !grant.revoked && grant.grantExpires > now()
  const byAccessToken = (token) => grants.find((g) => g.accessToken === token && live(g) && g.accessExpires > now())

  /** The JSON content type vcert sends on every call (on GETs too: see the header comment). */
  function requireJson(req) {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase()
    if (type !== 'application/json')
      throw new TppError(415, 'invalid_request', `The request entity's media type '${type || 'none'}' is not supported for this resource`)
  }

  /** The common checks of every authorize endpoint: JSON body, client_id, scope. */
  function authorizeRequest(req, body) {
    requireJson(req)
    let json
    try {
      json = JSON.parse(body)
    } catch {
      throw invalid('invalid_request', 'The request body is not valid JSON')
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw invalid('invalid_request', 'The request body is not a JSON object')
    // Field names are case-sensitive: `Client_Id` is not `client_id`.
    if (typeof json.client_id !== 'string' || !json.client_id) throw invalid('invalid_request', 'client_id is required')
    const client = clients.get(json.client_id)
    if (!client) throw invalid('invalid_client', `The client_id '${json.client_id}' does not match an API integration`)
    const scope = parseScope(json.scope)
    if (!within(scope, client.allowed))
      throw invalid('invalid_scope', `The requested scope is not within the scope of API integration '${client.id}'`)
    return { json, client, scope }
  }

  const routes = {
    'POST /vedauth/authorize/oauth': (req, body) => {
      const { json, client, scope } = authorizeRequest(req, body)
      if (typeof json.username !== 'string' || typeof json.password !== 'string')
        throw invalid('invalid_request', 'username and password are required')
      const user = users.find((u) => u.username === json.username && u.password === json.password)
      if (!user) throw invalid('invalid_grant', 'Username/password combination not valid')
      return [200, issue(client, user.identity, scope)]
    },
    'POST /vedauth/authorize/certificate': (req, body) => {
      const { client, scope } = authorizeRequest(req, body)
      const peer = req.socket.getPeerCertificate()
      if (!peer?.subject) throw invalid('invalid_grant', 'No client certificate was presented')
      if (!req.socket.authorized) throw invalid('invalid_grant', 'The client certificate was not issued by an approved issuer')
      const mapped = certificates.find((c) => c.cn === peer.subject.CN)
      if (!mapped) throw invalid('invalid_grant', 'The client certificate does not map to an identity')
      return [200, issue(client, mapped.identity, scope)]
    },
    'POST /vedauth/authorize/jwt': async (req, body) => {
      const { json, client, scope } = authorizeRequest(req, body)
      if (typeof json.jwt !== 'string' || !json.jwt) throw invalid('invalid_request', 'jwt is required')
      for (const mapping of jwtMappings) {
        let payload
        try {
          payload = (await mapping.verify(json.jwt, mapping.audience)).payload
        } catch {
          continue
        }
        if (Object.entries(mapping.claims ?? {}).every(([k, v]) => payload[k] === v)) return [200, issue(client, mapping.identity, scope)]
      }
      throw invalid('invalid_grant', 'The JWT is not valid for any JWT mapping')
    },
    'POST /vedauth/authorize/token': (req, body) => {
      requireJson(req)
      let json
      try {
        json = JSON.parse(body)
      } catch {
        throw invalid('invalid_request', 'The request body is not valid JSON')
      }
      const grant = grants.find((g) => g.refreshToken && g.refreshToken === json?.refresh_token)
      if (!live(grant)) throw invalid('invalid_grant', 'Grant has been revoked, has expired, or the refresh token is invalid')
      if (grant.clientId !== json.client_id)
        throw invalid(
          'invalid_grant',
          'The client_id value being requested with the refresh token does not match the client_id of the access token',
        )
      grant.refreshCount++
      return [200, tokenResponse(clients.get(grant.clientId), grant)]
    },
    'GET /vedauth/authorize/verify': (req) => {
      requireJson(req)
      const grant = byAccessToken(bearer(req))
      if (!grant) return [401, undefined, 'Unauthorized']
      return [
        200,
        {
          access_issued_on: dotnetDate(grant.accessIssuedAt),
          access_issued_on_ISO8601: isoDate(grant.accessIssuedAt),
          access_issued_on_unix_time: grant.accessIssuedAt,
          application: grant.clientId,
          expires: dotnetDate(grant.grantExpires),
          expires_ISO8601: isoDate(grant.grantExpires),
          expires_unix_time: grant.grantExpires,
          grant_issued_on: dotnetDate(grant.grantIssuedAt),
          grant_issued_on_ISO8601: isoDate(grant.grantIssuedAt),
          grant_issued_on_unix_time: grant.grantIssuedAt,
          identity: grant.identity,
          scope: grant.scope,
          valid_for: grant.accessExpires - grant.accessIssuedAt,
        },
        'Token is valid',
      ]
    },
    'GET /vedauth/revoke/token': (req) => {
      requireJson(req)
      const token = bearer(req)
      if (token === undefined) return [202, '[token] not found', '[token] not found']
      const grant = byAccessToken(token)
      if (!grant) return [401, undefined, 'Unauthorized']
      grant.revoked = true
      grant.revokedAt = now()
      return [200, `Grant for identity [${grant.identity}] with scope [${grant.scope}] has been revoked`]
    },
    'GET /vedauth/authorize/isAuthServer': (req) => {
      requireJson(req)
      return [202, undefined, 'Venafi Authentication Server']
    },
  }

  function bearer(req) {
    const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')
    return m ? m[1] : undefined
  }

  const server = createServer(
    { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
    async (req, res) => {
      const chunks = []
      for await (const c of req) chunks.push(c)
      const body = Buffer.concat(chunks).toString('utf8')
      const path = new URL(req.url, 'https://127.0.0.1').pathname
      const peer = req.socket.getPeerCertificate()
      if (!req.headers[PROBE_HEADER]) {
        let json
        try {
          json = body ? JSON.parse(body) : undefined
        } catch {
          json = undefined
        }
        requests.push({
          method: req.method,
          path,
          headers: { ...req.headers },
          body,
          json,
          clientCertificate: peer?.subject ? { cn: peer.subject.CN, authorized: req.socket.authorized } : undefined,
        })
      }
      const fault = faults.find((f) => f.path === path && f.times > 0)
      if (fault) {
        fault.times--
        if (fault.reset) return req.socket.destroy()
        res
          .writeHead(fault.status, fault.reason ?? STATUS_CODES[fault.status], { 'content-type': 'text/plain', ...fault.headers })
          .end(fault.body ?? '')
        return
      }
      const route = routes[`${req.method} ${path}`]
      try {
        if (!route) {
          const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`))
          throw new TppError(
            known ? 405 : 404,
            'invalid_request',
            known ? 'The requested resource does not support this method' : 'Not found',
          )
        }
        const [status, payload, reason] = await route(req, body)
        const text = typeof payload === 'string' ? payload : payload === undefined ? '' : JSON.stringify(payload)
        const type = typeof payload === 'string' || payload === undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'
        res.writeHead(status, reason ?? STATUS_CODES[status], { 'content-type': type, 'cache-control': 'no-cache' }).end(text)
      } catch (err) {
        if (!(err instanceof TppError)) {
          res.writeHead(500, 'Internal Server Error').end()
          return
        }
        const json = errorStyle === 'json' ? JSON.stringify({ error: err.error, error_description: err.message }) : ''
        res.writeHead(err.status, err.message, { 'content-type': json ? 'application/json; charset=utf-8' : 'text/plain' }).end(json)
      }
    },
  )
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port
  const url = `https://127.0.0.1:${port}`

  /** A request of the test's own, over TLS trusting the emulator's CA, with vcert's content type; not recorded. */
  function probe(method, path, { headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
      const sent = { [PROBE_HEADER]: '1', 'content-type': 'application/json', ...headers }
      const req = httpsRequest(`${url}${path}`, { method, ca: pki.ca.cert, headers: sent }, (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode, statusText: res.statusMessage, headers: res.headers, body: text }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  return {
    url,
    port,
    requests,
    grants,
    /** Queues a fault for `path`: { status, reason?, headers?, body? } or { reset: true }; `times` (default 1). */
    inject(path, fault) {
      faults.push({ times: 1, ...fault, path })
    },
    /** GET /vedauth/authorize/verify with the token, as a resource server would check it. */
    verify: (token) => probe('GET', '/vedauth/authorize/verify', { headers: { authorization: `Bearer ${token}` } }),
    /** POST /vedauth/authorize/token: uses a refresh token. */
    refresh: (clientId, refreshToken) =>
      probe('POST', '/vedauth/authorize/token', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: clientId, refresh_token: refreshToken }),
      }),
    probe,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(resolve)
      }),
  }
}

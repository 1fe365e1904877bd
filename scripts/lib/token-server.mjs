/**
 * A small OAuth 2.0 authorization server emulator on 127.0.0.1, for the benchmark and the burst
 * test: RFC 8414 metadata, the client credentials grant (RFC 6749 §4.4) with client_secret_basic
 * or client_secret_post, and RFC 7009 revocation. It is deliberately minimal — no keys, no JWTs,
 * opaque random tokens — so that a measurement is the step's cost, not the server's.
 *
 * `rateLimit: { perSecond }` makes it a rate-limited server: it admits at most `perSecond`
 * requests in any sliding one-second window and answers the rest 429 with Retry-After: 1,
 * as API gateways in front of token servers do.
 *
 * Every request is recorded (method, path, headers, body, status, time) so that tests can
 * assert exactly what was sent.
 */
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'

export const BENCH_CLIENT = { id: 'bench-client', secret: 'bench:secret+with%chars & "quotes"' }

/**
 * Starts the server. Options: client ({id, secret}), scope granted when none is asked,
 * expiresIn (seconds), rateLimit ({perSecond}). Returns
 * { url, issuer, tokenUrl, revocationUrl, requests, issued, revoked, close() }.
 */
export async function startTokenServer({ client = BENCH_CLIENT, expiresIn = 3600, rateLimit } = {}) {
  const requests = []
  /** access token → client id */
  const issued = new Map()
  const revoked = new Set()
  /** Times (ms) of the admitted requests within the last second. */
  let window = []

  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const record = {
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        status: 0,
      }
      requests.push(record)
      const send = (status, body, headers = {}) => {
        record.status = status
        const text = body === undefined ? '' : JSON.stringify(body)
        res.writeHead(status, { ...(text && { 'content-type': 'application/json' }), 'cache-control': 'no-store', ...headers })
        res.end(text)
      }
      if (rateLimit) {
        window = window.filter((t) => record.at - t < 1000)
        if (window.length >= rateLimit.perSecond) return send(429, { error: 'too_many_requests' }, { 'retry-after': '1' })
        window.push(record.at)
      }
      route(record, send)
    })
  })

  const route = (record, send) => {
    const { method, path, headers, body } = record
    if (method === 'GET' && path === '/.well-known/oauth-authorization-server') {
      return send(200, {
        issuer,
        token_endpoint: `${issuer}/token`,
        revocation_endpoint: `${issuer}/revoke`,
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        grant_types_supported: ['client_credentials'],
      })
    }
    if (method !== 'POST' || (path !== '/token' && path !== '/revoke')) return send(404, { error: 'not_found' })
    if (!/^application\/x-www-form-urlencoded\b/.test(headers['content-type'] ?? ''))
      return send(400, { error: 'invalid_request', error_description: 'form body expected' })
    const form = new URLSearchParams(body)
    if (!authenticated(headers.authorization, form, client))
      return send(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token-server"' })
    if (path === '/revoke') {
      const token = form.get('token')
      if (!token) return send(400, { error: 'invalid_request', error_description: 'token is required' })
      // RFC 7009 §2.2: 200 also for a token that is unknown or already invalid.
      if (issued.has(token)) revoked.add(token)
      return send(200)
    }
    if (form.get('grant_type') !== 'client_credentials') return send(400, { error: 'unsupported_grant_type' })
    const token = randomBytes(24).toString('base64url')
    issued.set(token, client.id)
    return send(200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      ...(form.get('scope') && { scope: form.get('scope') }),
    })
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${server.address().port}`
  return {
    url: issuer,
    issuer,
    tokenUrl: `${issuer}/token`,
    revocationUrl: `${issuer}/revoke`,
    requests,
    issued,
    revoked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** RFC 6749 §2.3.1: Basic with form-encoded id and secret, or both in the body; never both ways. */
function authenticated(authorization, form, client) {
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')
  if (basic) {
    if (form.has('client_secret')) return false
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return false
    const decode = (s) => decodeURIComponent(s.replace(/\+/g, ' '))
    return decode(decoded.slice(0, colon)) === client.id && decode(decoded.slice(colon + 1)) === client.secret
  }
  return form.get('client_id') === client.id && form.get('client_secret') === client.secret
}

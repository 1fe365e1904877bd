/**
 * A hostile OAuth 2.0 authorization server on 127.0.0.1 (port 0) for the security contract suite.
 * It emulates no vendor: it is the server issue 12 describes, one that echoes what it was sent.
 *
 * POST /token   learns the client secret from the request (the Basic credential, decoded as
 *               RFC 6749 §2.3.1 encodes it, or the client_secret body field) and answers as the
 *               plan says: an error that echoes the secret, or a token whose scope echoes it.
 * POST /revoke  learns the token from the body and answers as the plan says.
 *
 * Echoes go in the encoding a test names (ENCODINGS) and in one or more places: the
 * error_description, the granted scope, the reason phrase, the Content-Type header (with a
 * body that is not JSON, so the client names the type). Every request is recorded.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'

const pct = (s, { upper = true, keep = /[A-Za-z0-9\-._~]/, space = '%20' } = {}) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b)
      if (c === ' ') return space
      if (b < 0x80 && keep.test(c)) return c
      const h = b.toString(16).padStart(2, '0')
      return `%${upper ? h.toUpperCase() : h}`
    })
    .join('')
const json = (s, { all = false, upper = false, slash = false } = {}) => {
  let out = ''
  for (const c of s) {
    const code = c.charCodeAt(0)
    if (all || code >= 0x80 || code < 0x20) {
      const h = code.toString(16).padStart(4, '0')
      out += `\\u${upper ? h.toUpperCase() : h}`
    } else if (c === '"' || c === '\\') out += `\\${c}`
    else if (c === '/' && slash) out += '\\/'
    else out += c
  }
  return out
}
const b64 = (s, prefix, url) => {
  const all = Buffer.concat([Buffer.from(prefix), Buffer.from(s, 'utf8')]).toString(url ? 'base64url' : 'base64')
  return all
}

/** Every way a server might echo a value, as the server would write it (`base64 +N`: N bytes before it). */
export const ENCODINGS = {
  plain: (s) => s,
  'percent, upper hex': (s) => pct(s),
  'percent, lower hex (.NET)': (s) => pct(s, { upper: false, keep: /[A-Za-z0-9\-._*]/, space: '+' }),
  'quote_plus (~ kept)': (s) => pct(s, { keep: /[A-Za-z0-9\-._~]/, space: '+' }),
  'encodeURIComponent, lower hex': (s) => pct(s, { upper: false, keep: /[A-Za-z0-9\-_.!~*'()]/ }),
  'JSON \\u non-ASCII': (s) => json(s),
  'JSON \\u non-ASCII, upper, \\/': (s) => json(s, { upper: true, slash: true }),
  'JSON \\u every char': (s) => json(s, { all: true }),
  'JSON \\u every char, upper': (s) => json(s, { all: true, upper: true }),
  'base64 +0': (s) => b64(s, '', false),
  'base64 +1': (s) => b64(s, 'x', false),
  'base64 +2': (s) => b64(s, 'xy', false),
  'base64url +0': (s) => b64(s, '', true),
  'base64url +1': (s) => b64(s, '!', true),
  'base64url +2': (s) => b64(s, '!?', true),
  'hex, lower': (s) => Buffer.from(s, 'utf8').toString('hex'),
  'hex, upper': (s) => Buffer.from(s, 'utf8').toString('hex').toUpperCase(),
}

/** The client secret as the request carried it: Basic (each part form-decoded) or client_secret. */
function clientSecretOf(req, body) {
  const basic = /^Basic\s+(\S+)/i.exec(req.headers.authorization ?? '')
  if (basic) {
    // Form-encoded (RFC 6749 §2.3.1) or, on the client's unencoded retry, as it is: a '%' or ':' of the
    // raw secret must not throw (a thrown handler leaves the request hanging).
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
    const pass = decoded.slice(decoded.indexOf(':') + 1)
    try {
      return decodeURIComponent(pass.replace(/\+/g, ' '))
    } catch {
      return pass
    }
  }
  return new URLSearchParams(body).get('client_secret') ?? ''
}

/**
 * plan: { token: Place, revoke: Place } where Place is
 *   { status, echo: 'secret' | 'token' | 'both' | 'authorization', encoding, places: ['description' | 'scope' | 'reason' | 'type'], pad }
 * `pad` characters of filler go before the echo in the description (to move it across a cut).
 */
export async function startHostileServer() {
  const requests = []
  let plan = {}
  let issued = ''
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = new URL(req.url, 'http://x').pathname
      requests.push({ method: req.method, path, headers: req.headers, body })
      const secret = clientSecretOf(req, body)
      const route = path === '/token' ? plan.token : path === '/revoke' ? plan.revoke : undefined
      if (!route) return send(res, 404, undefined, {}, JSON.stringify({ error: 'not_found' }))
      const token = path === '/revoke' ? (new URLSearchParams(body).get('token') ?? '') : issued
      const authorization = req.headers.authorization ?? ''
      const values = { secret: [secret], token: [token], both: [secret, token], authorization: [authorization] }[route.echo ?? 'secret']
      const echo = values.map((v) => ENCODINGS[route.encoding ?? 'plain'](v)).join(' and ')
      const places = route.places ?? ['description']
      const filler = route.pad ? `${'f'.repeat(route.pad)} ` : ''
      const reason = places.includes('reason') ? `Denied ${echo}` : undefined
      if (places.includes('type')) return send(res, route.status ?? 200, reason, { 'content-type': echo }, '<html>denied</html>')
      if (path === '/token' && (route.status ?? 200) === 200) {
        issued = `at-${randomBytes(24).toString('base64url')}`
        const scope = places.includes('scope') ? `read ${ENCODINGS[route.encoding ?? 'plain'](issued)} ${echo} write` : 'read write'
        return send(res, 200, reason, {}, JSON.stringify({ access_token: issued, token_type: 'Bearer', expires_in: 3600, scope }))
      }
      // Without a description, a body that is not JSON: the client then shows the reason phrase.
      if (!places.includes('description')) return send(res, route.status ?? 400, reason, { 'content-type': 'text/plain' }, 'denied')
      const description = places.includes('description')
        ? `${filler}the client sent ${echo} which is not accepted by this server for this client`
        : undefined
      return send(res, route.status ?? 400, reason, {}, JSON.stringify({ error: 'invalid_client', error_description: description }))
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    url: (p) => `${origin}${p}`,
    requests,
    /** The token the last successful token request was given. */
    issued: () => issued,
    setPlan(p) {
      plan = p
      requests.length = 0
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

function send(res, status, reason, headers, body) {
  res.writeHead(status, reason, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
  res.end(body)
}

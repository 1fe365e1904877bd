/**
 * Reading endpoint answers (src/oauth/response.ts): token fields masked as they are read;
 * errors that name endpoint, status, OAuth error and a hint, and never show the raw body.
 */
import type { HttpRequest, HttpResponse } from '../../src/http.js'
import { RequestError } from '../../src/http.js'
import { failure, isClientAuthRefusal, readJson, readToken, requestIds } from '../../src/oauth/response.js'
import { Secrets } from '../../src/secrets.js'

const req: HttpRequest = {
  method: 'POST',
  url: 'https://as.example/oauth2/token?tenant=blue',
  purpose: 'Token request',
  body: 'grant_type=client_credentials',
}
const res = (
  status: number,
  body: unknown,
  contentType = 'application/json',
  statusText = '',
  headers: HttpResponse['headers'] = {},
): HttpResponse => ({
  status,
  statusText,
  headers: { 'content-type': contentType, ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

function recording() {
  const masked: string[] = []
  return { masked, secrets: new Secrets((v) => masked.push(v)) }
}

function thrown(fn: () => unknown): RequestError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(RequestError)
    return err as RequestError
  }
  throw new Error('did not throw')
}

describe('readJson', () => {
  test('returns a JSON object', () => {
    expect(readJson(req, res(200, { a: 1 }))).toEqual({ a: 1 })
  })

  test.each([
    ['an HTML page', '<html><body>Sign in: secret-page-content</body></html>', 'text/html; charset=utf-8', 'text/html'],
    ['a JSON array', '[1,2]', 'application/json', 'application/json'],
    ['an empty body', '', 'application/json', 'application/json'],
  ])('refuses %s without showing it', (_, body, type, shown) => {
    const err = thrown(() => readJson(req, res(200, body, type)))
    expect(err.message).toBe(
      `Token request (POST https://as.example/oauth2/token) answered HTTP 200 with a body that is not a JSON object (content-type ${shown}). Hint: check that the URL is the API endpoint, not a web page or a proxy.`,
    )
    expect(err.status).toBe(200)
    expect(err.message).not.toContain('secret-page-content')
  })
})

describe('readToken', () => {
  test('reads the RFC 6749 §5.1 fields and masks every token before returning', () => {
    const { masked, secrets } = recording()
    const body = {
      access_token: 'at-value-0001',
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: 'rt-value-0001',
      id_token: 'idt-value-0001',
      scope: 'api:read',
      ext: 'kept',
    }
    const token = readToken(req, res(200, body), secrets)
    expect(token).toEqual({ ...body, expires: undefined, issued_token_type: undefined, identity: undefined })
    expect(masked).toEqual(expect.arrayContaining(['at-value-0001', 'rt-value-0001', 'idt-value-0001']))
  })

  test('numeric strings become numbers; empty strings become absent', () => {
    const { secrets } = recording()
    const token = readToken(req, res(200, { access_token: 'at-value-0001', expires_in: '3600', token_type: '', scope: '' }), secrets)
    expect(token).toMatchObject({ expires_in: 3600, token_type: undefined, scope: undefined })
    expect(readToken(req, res(200, { access_token: 'at-value-0001', expires_in: 'soon' }), secrets).expires_in).toBeUndefined()
  })

  test('a 200 without an access_token is an error, and tokens in it are masked anyway', () => {
    const { masked, secrets } = recording()
    const err = thrown(() => readToken(req, res(200, { refresh_token: 'rt-value-0002', token_type: 'Bearer' }), secrets))
    expect(err.message).toBe('Token request (POST https://as.example/oauth2/token) answered HTTP 200 without an access_token.')
    expect(masked).toContain('rt-value-0002')
  })
})

describe('failure', () => {
  test('an OAuth error: endpoint without query, status, code, description and the hint for the code', () => {
    const { secrets } = recording()
    const err = failure(
      req,
      res(
        401,
        { error: 'invalid_client', error_description: 'client authentication failed', internal: 'stack-trace-detail' },
        'application/json',
        'Unauthorized',
      ),
      secrets,
    )
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      "Token request failed: POST https://as.example/oauth2/token → HTTP 401; error invalid_client: client authentication failed; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
    )
    expect(err.status).toBe(401)
    expect(err.code).toBe('invalid_client')
    expect(err.message).not.toContain('stack-trace-detail')
    expect(err.message).not.toContain('tenant=blue')
  })

  test.each([
    ['invalid_grant', 'the grant or assertion was refused'],
    ['invalid_scope', "check 'scope'"],
    ['unauthorized_client', 'the client is not allowed this grant type'],
    ['unsupported_grant_type', "the server does not support this 'grant-type'"],
    ['invalid_request', 'the server found the request malformed'],
    ['invalid_target', "check 'audience' and 'resource'"],
  ])('%s has its hint', (code, hint) => {
    const { secrets } = recording()
    expect(failure(req, res(400, { error: code }), secrets).message).toMatch(
      new RegExp(
        `^Token request failed: POST https://as\\.example/oauth2/token → HTTP 400; error ${code}; Hint: ${hint.replace(/[()']/g, '.')}`,
      ),
    )
  })

  test('a secret echoed in error_description is redacted; control characters and length are tamed', () => {
    const { secrets } = recording()
    secrets.add('Sup3r:secret+with%chars & "quotes"')
    const description = `bad secret Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22\r\n##[error]forged ${'x'.repeat(400)}`
    const err = failure(req, res(400, { error: 'invalid_client', error_description: description }), secrets)
    expect(err.message).not.toContain('Sup3r')
    expect(err.message).not.toMatch(/[\r\n]/)
    expect(err.message).toContain('error invalid_client: bad secret *** ***…;')
    expect(err.message).not.toContain('xxxxx') // the cut falls between words: the long one goes whole
  })

  test('a body that is not JSON is never shown: the reason phrase and a status hint instead', () => {
    const { secrets } = recording()
    const err = failure(req, res(503, '<html>upstream secret-backend-name down</html>', 'text/html', 'Service Unavailable'), secrets)
    expect(err.message).toBe(
      'Token request failed: POST https://as.example/oauth2/token → HTTP 503 Service Unavailable; Hint: the server failed; try again later.',
    )
    expect(err.code).toBeUndefined()
  })

  test.each([
    [
      401,
      "check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client",
    ],
    [
      403,
      "the server refused the client: some servers answer a wrong client credential with 403, so check the credential and that 'client-auth' is a method it accepts, then what the client is allowed",
    ],
    [404, 'check the URL: the endpoint was not found'],
    [405, 'check the URL: the endpoint does not take this method'],
  ])('HTTP %i without an OAuth error has a status hint', (status, hint) => {
    const { secrets } = recording()
    expect(failure(req, res(status, ''), secrets).message).toBe(
      `Token request failed: POST https://as.example/oauth2/token → HTTP ${status}; Hint: ${hint}.`,
    )
  })

  test('an unknown error code with no status hint has no hint; an extra hint is used when given', () => {
    const { secrets } = recording()
    expect(failure(req, res(400, { error: 'slow_down' }), secrets).message).toBe(
      'Token request failed: POST https://as.example/oauth2/token → HTTP 400; error slow_down.',
    )
    expect(failure(req, res(400, { error: 'slow_down' }), secrets, 'wait a bit').message).toBe(
      'Token request failed: POST https://as.example/oauth2/token → HTTP 400; error slow_down; Hint: wait a bit.',
    )
  })
})

describe('hints from status and code together', () => {
  const CREDENTIALS =
    "Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client."

  test("Keycloak's wrong secret (401 unauthorized_client): the hint is about the credentials", () => {
    const { secrets } = recording()
    const err = failure(
      req,
      res(401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' }),
      secrets,
    )
    expect(err.message).toBe(
      `Token request failed: POST https://as.example/oauth2/token → HTTP 401; error unauthorized_client: Invalid client or Invalid client credentials; ${CREDENTIALS}`,
    )
  })

  test.each([400, 403])('unauthorized_client with HTTP %i is about what the client may do', (status) => {
    const { secrets } = recording()
    expect(failure(req, res(status, { error: 'unauthorized_client' }), secrets).message).toContain(
      "Hint: the client is not allowed this grant type: enable it for the client on the server, or change 'grant-type'.",
    )
  })

  test('a 401 beats any code hint and any extra hint', () => {
    const { secrets } = recording()
    expect(failure(req, res(401, { error: 'invalid_scope' }), secrets, 'extra').message).toMatch(
      /; error invalid_scope; Hint: check 'client-id'/,
    )
  })

  test('context hints per code come before the generic ones; a note goes before the hint', () => {
    const { secrets } = recording()
    const err = failure(req, res(400, { error: 'invalid_token' }), secrets, {
      codeHints: { invalid_token: 'here it means X' },
      note: 'tried twice',
    })
    expect(err.message).toBe(
      'Token request failed: POST https://as.example/oauth2/token → HTTP 400; error invalid_token; tried twice; Hint: here it means X.',
    )
  })
})

describe('a redirect Location is server text: it may carry the secret', () => {
  const SECRET = 'Pa ss/w0rd~Zq9'
  const redirectTo = (location: string) => res(301, '', 'text/html', 'Moved', { location })

  test('on the same origin, a raw secret the URL parser re-encodes (space to %20, slash kept) is still redacted', () => {
    const { secrets } = recording()
    secrets.add(SECRET)
    const err = failure(req, redirectTo(`/o/${SECRET}/token`), secrets)
    expect(new URL(`https://x/${SECRET}`).pathname).toBe('/Pa%20ss/w0rd~Zq9')
    expect(err.message).toContain('the endpoint redirects to ***: give that URL')
    expect(err.message).not.toContain('w0rd')
  })

  test('to the same path with another query: said so, and the query is not shown', () => {
    const { secrets } = recording()
    const err = failure(req, redirectTo('/oauth2/token?session=abc123'), secrets)
    expect(err.message).toContain('Hint: the endpoint redirects to itself with another query: give the final URL;')
    expect(err.message).not.toContain('abc123')
  })

  test('on another host, a host the parser lowercased (or decoded) is not named: the server did not write it so', () => {
    const { secrets } = recording()
    secrets.add('Sh0rtLived-Key-Zq9')
    const err = failure(req, redirectTo('https://Sh0rtLived-Key-Zq9.evil.example/login?x=1'), secrets)
    expect(err.message).toContain('the endpoint redirects to another host, often a login page')
    expect(err.message.toLowerCase()).not.toContain('sh0rtlived')
    // A host written as the parser writes it is named, cleaned.
    expect(failure(req, redirectTo('https://login.example:8443/x'), secrets).message).toContain('another host (login.example:8443)')
  })

  test('a request id that is the hex or the base64url of the secret, or carries it at an offset, is not shown', () => {
    const { secrets } = recording()
    secrets.add('s3cret-value-Zq9')
    const hex = Buffer.from('s3cret-value-Zq9').toString('hex')
    const headers = {
      'x-request-id': hex,
      'x-ms-request-id': `r-${Buffer.from('s3cret-value-Zq9').toString('base64url')}`,
      'x-amzn-requestid': `ab${Buffer.from('..s3cret-value-Zq9').toString('base64url')}`,
      'x-correlation-id': `x${hex.toUpperCase()}`,
      'cf-ray': '8f1e2d3c4b5a-AMS',
    }
    expect(requestIds(res(500, '', 'text/plain', '', headers), secrets)).toBe('request id: 8f1e2d3c4b5a-AMS')
  })
})

describe('isClientAuthRefusal', () => {
  test.each([
    [401, '', true],
    [401, { error: 'invalid_grant' }, true],
    [400, { error: 'invalid_client' }, true],
    [400, { error: 'unauthorized_client' }, true],
    [403, { error: 'invalid_client' }, true],
    [403, '', true],
    [403, '<html>Forbidden</html>', true],
    [403, { error: 'access_denied' }, false],
    [400, '', false],
    [400, { error: 'invalid_grant' }, false],
    [404, { error: 'invalid_client' }, false],
    [500, { error: 'invalid_client' }, false],
  ])('HTTP %i %j → %s', (status, body, expected) => {
    expect(isClientAuthRefusal(res(status, body))).toBe(expected)
  })
})

describe('correlation ids (request id: …)', () => {
  test('from headers and from Entra / Okta error bodies, deduplicated, before the hint', () => {
    const { secrets } = recording()
    const err = failure(
      req,
      res(
        400,
        { error: 'invalid_client', trace_id: 'b1c2d3e4-0001', correlation_id: 'c0ffee00-0002', timestamp: '2026-12-01 11:00:00Z' },
        'application/json',
        '',
        { 'x-ms-request-id': 'b1c2d3e4-0001', 'cf-ray': '8f1e2d3c4b5a-AMS' },
      ),
      secrets,
    )
    expect(err.message).toBe(
      "Token request failed: POST https://as.example/oauth2/token → HTTP 400; error invalid_client; request id: b1c2d3e4-0001, 8f1e2d3c4b5a-AMS, c0ffee00-0002; Hint: check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client.",
    )
  })

  test.each([
    ['x-request-id', { 'x-request-id': 'r-1' }, {}],
    ['x-amzn-requestid', { 'x-amzn-requestid': '6b0a1f3e-aws' }, {}],
    ['x-correlation-id', { 'x-correlation-id': 'corr:42' }, {}],
    ['request-id', { 'request-id': 'req_01.abc' }, {}],
    ["Okta's errorId", {}, { errorCode: 'E0000004', errorId: 'oae1a2b3c4d' }],
  ])('%s', (_, headers, body) => {
    const { secrets } = recording()
    const expected = Object.values(headers)[0] ?? (body as { errorId: string }).errorId
    expect(requestIds(res(401, body, 'application/json', '', headers), secrets, body)).toBe(`request id: ${expected}`)
  })

  test('only id-shaped values: text, markup, control characters, long values and an echoed secret are dropped', () => {
    const { secrets } = recording()
    secrets.add('s3cret-value-Zq9')
    const headers = {
      'x-request-id': 'two words',
      'x-ms-request-id': '<img src=x>',
      'x-correlation-id': 'id\n::error::forged',
      'request-id': 'x'.repeat(101),
      'x-amzn-requestid': 's3cret-value-Zq9',
      'cf-ray': ['ray-01', 'ray-02'],
    }
    expect(requestIds(res(500, '', 'text/plain', '', headers), secrets)).toBe('request id: ray-01')
  })

  test('at most three', () => {
    const { secrets } = recording()
    const headers = { 'x-request-id': 'a-1', 'x-ms-request-id': 'b-2', 'x-amzn-requestid': 'c-3', 'x-correlation-id': 'd-4' }
    expect(requestIds(res(500, '', 'text/plain', '', headers), secrets)).toBe('request id: a-1, b-2, c-3')
  })

  test('none: nothing said', () => {
    const { secrets } = recording()
    expect(failure(req, res(503, '', 'text/plain', '', { 'x-request-id': '' }), secrets).message).not.toContain('request id')
  })
})

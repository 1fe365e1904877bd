/**
 * Endpoint discovery (src/oauth/discovery.ts) through the real HTTP layer, nock answering:
 * RFC 8414 (well-known inserted before the issuer's path), then OpenID Connect Discovery
 * (appended), and the issuer in the document must match; a URL that answers 200 with something
 * else (a web page, another issuer) does not end the search.
 */
import nock from 'nock'
import { Http, RequestError } from '../../src/http.js'
import { discover, discoveryUrls, MAX_REDIRECTS } from '../../src/oauth/discovery.js'
import { Secrets } from '../../src/secrets.js'
import { offlineWithNock } from '../support/nock-guard.js'

const ORIGIN = 'https://as.example'
const ISSUER = `${ORIGIN}/realms/ci`

interface Seen {
  method: string
  path: string
  headers: Record<string, unknown>
  body: unknown
}
let seen: Seen[]
let log: string[]

/** Answers GET `path` with `status`/`body`, recording the request as sent. */
function answer(path: string, status: number, body: unknown, contentType = 'application/json', origin = ORIGIN) {
  nock(origin)
    .get(path)
    .reply(function (uri, requestBody) {
      seen.push({ method: this.req.method, path: uri, headers: this.req.headers, body: requestBody })
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType }]
    })
}

/** Answers GET `path` with a redirect to `location`, recording the request. */
function redirect(path: string, status: number, location: string, origin = ORIGIN) {
  nock(origin)
    .get(path)
    .reply(function (uri, requestBody) {
      seen.push({ method: this.req.method, path: `${origin === ORIGIN ? '' : origin}${uri}`, headers: this.req.headers, body: requestBody })
      return [status, '', { location }]
    })
}

const deps = (allowInsecureHttp = false) => ({
  send: new Http({ timeout: 5, retries: 0, allowInsecureHttp, log: (l) => log.push(l) }).send,
  secrets: new Secrets(() => {}),
})
/** With step debug lines collected too. */
const debugDeps = () => ({
  ...deps(),
  log: {
    info: (m: string) => log.push(m),
    warning: (m: string) => log.push(`warning: ${m}`),
    debug: (m: string) => log.push(`debug: ${m}`),
  },
})
const metadata = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/revoke`,
  token_endpoint_auth_methods_supported: ['client_secret_post'],
}

beforeEach(() => {
  seen = []
  log = []
})
offlineWithNock()

describe('discoveryUrls', () => {
  test.each([
    [
      'https://as.example',
      ['https://as.example/.well-known/oauth-authorization-server', 'https://as.example/.well-known/openid-configuration'],
    ],
    [
      'https://as.example/',
      ['https://as.example/.well-known/oauth-authorization-server', 'https://as.example/.well-known/openid-configuration'],
    ],
    [
      'https://as.example/realms/ci',
      [
        'https://as.example/.well-known/oauth-authorization-server/realms/ci',
        'https://as.example/realms/ci/.well-known/openid-configuration',
      ],
    ],
    [
      'https://as.example:8443/tenant/v2/',
      [
        'https://as.example:8443/.well-known/oauth-authorization-server/tenant/v2',
        'https://as.example:8443/tenant/v2/.well-known/openid-configuration',
      ],
    ],
  ])('%s', (issuer, urls) => {
    expect(discoveryUrls(issuer)).toEqual(urls)
  })
})

describe('discover', () => {
  test('RFC 8414 metadata: one plain GET, no credentials', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 200, metadata)
    expect(await discover(ISSUER, deps())).toEqual(metadata)
    expect(seen).toEqual([
      {
        method: 'GET',
        path: '/.well-known/oauth-authorization-server/realms/ci',
        headers: { accept: 'application/json', connection: 'close', 'user-agent': 'token-lease', host: 'as.example' },
        body: '',
      },
    ])
    // The HTTP layer's own line (its exact shape is tested with http.ts): method, URL, status.
    expect(log).toEqual([
      expect.stringMatching(/^GET https:\/\/as\.example\/\.well-known\/oauth-authorization-server\/realms\/ci → HTTP 200\b/),
    ])
  })

  test('falls back to OpenID Connect Discovery when RFC 8414 is not served', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 404, '<html>Not Found</html>', 'text/html')
    answer('/realms/ci/.well-known/openid-configuration', 200, { ...metadata, issuer: `${ISSUER}/` })
    expect(await discover(ISSUER, deps())).toMatchObject({ token_endpoint: `${ISSUER}/token` })
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /.well-known/oauth-authorization-server/realms/ci',
      'GET /realms/ci/.well-known/openid-configuration',
    ])
  })

  const RFC8414 = '/.well-known/oauth-authorization-server/realms/ci'
  const OIDC = '/realms/ci/.well-known/openid-configuration'
  const bothTried = () =>
    expect(seen.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body)}`)).toEqual([`GET ${RFC8414} ""`, `GET ${OIDC} ""`])

  test('RFC 8414 answering 200 with a web page: OpenID Connect Discovery is tried', async () => {
    answer(RFC8414, 200, '<html>login portal</html>', 'text/html; charset=utf-8')
    answer(OIDC, 200, metadata)
    expect(await discover(ISSUER, deps())).toEqual(metadata)
    bothTried()
  })

  test('RFC 8414 naming another issuer (RFC 8414 §3.3): its document is not used, OpenID Connect Discovery is tried', async () => {
    answer(RFC8414, 200, { ...metadata, issuer: 'https://evil.example/realms/ci', token_endpoint: 'https://evil.example/token' })
    answer(OIDC, 200, metadata)
    expect(await discover(ISSUER, deps())).toEqual(metadata)
    bothTried()
  })

  test('a JSON array or string is not a document either', async () => {
    answer(RFC8414, 200, '[]')
    answer(OIDC, 200, '"metadata"')
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → not JSON (content-type application/json), ${OIDC} → not JSON (content-type application/json)). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.`,
    )
    bothTried()
  })

  test('both for another issuer: the error names each issuer and says to set it as the server names itself', async () => {
    answer(RFC8414, 200, { ...metadata, issuer: 'https://as.example/realms/other' })
    answer(OIDC, 200, { ...metadata, issuer: 'https://as.example/realms/CI' })
    const err = (await discover(ISSUER, deps()).catch((e: unknown) => e)) as Error
    expect(err).toBeInstanceOf(RequestError)
    expect(err.message).toBe(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → issuer 'https://as.example/realms/other', ${OIDC} → issuer 'https://as.example/realms/CI'). Hint: set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead.`,
    )
    bothTried()
  })

  test('a web page, then a document without an issuer: each named, the page not shown', async () => {
    answer(RFC8414, 200, '<html>login portal internal-host-name</html>', 'text/html')
    answer(OIDC, 200, { token_endpoint: `${ISSUER}/token` })
    const err = (await discover(ISSUER, deps()).catch((e: unknown) => e)) as Error
    expect(err.message).toBe(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → not JSON (content-type text/html), ${OIDC} → no issuer). Hint: set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead.`,
    )
    expect(err.message).not.toContain('internal-host-name')
    bothTried()
  })

  test('an issuer with line breaks cannot start a new log line (or a workflow command)', async () => {
    answer(RFC8414, 404, '')
    answer(OIDC, 200, { ...metadata, issuer: 'https://x.example\n::add-mask::y' })
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → HTTP 404, ${OIDC} → issuer 'https://x.example ***'). Hint: set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead.`,
    )
    bothTried()
  })

  test('neither document: the error lists both tries and a way out', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 404, '')
    answer('/realms/ci/.well-known/openid-configuration', 403, '')
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      "Discovery failed for issuer https://as.example/realms/ci (/.well-known/oauth-authorization-server/realms/ci → HTTP 404, /realms/ci/.well-known/openid-configuration → HTTP 403). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.",
    )
  })
})

describe('discover: redirects of the metadata GET (it carries no credential)', () => {
  const RFC8414 = '/.well-known/oauth-authorization-server/realms/ci'
  const OIDC = '/realms/ci/.well-known/openid-configuration'

  test('a 301 to the trailing-slash path is followed; the issuer check still applies', async () => {
    answer(RFC8414, 404, '')
    redirect(OIDC, 301, `${OIDC}/`)
    answer(`${OIDC}/`, 200, metadata)
    expect(await discover(ISSUER, debugDeps())).toEqual(metadata)
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${RFC8414}`, `GET ${OIDC}`, `GET ${OIDC}/`])
    for (const r of seen) expect(r.headers.authorization).toBeUndefined()
    expect(log).toContain(`debug: Discovery: ${OIDC} redirects (HTTP 301) to ${OIDC}/; following`)
  })

  test('a redirect to another origin is followed, but its document must still name the configured issuer', async () => {
    redirect(RFC8414, 302, 'https://cdn.example/meta.json?sig=abc')
    answer('/meta.json?sig=abc', 200, { ...metadata, issuer: 'https://cdn.example' }, 'application/json', 'https://cdn.example')
    answer(OIDC, 404, '')
    const err = (await discover(ISSUER, deps()).catch((e: unknown) => e)) as Error
    expect(err.message).toBe(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → HTTP 302 to cdn.example → issuer 'https://cdn.example', ${OIDC} → HTTP 404). Hint: set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead.`,
    )
    expect(err.message).not.toContain('sig=abc')
  })

  test(`at most ${MAX_REDIRECTS} redirects are followed`, async () => {
    redirect(RFC8414, 307, '/a')
    redirect('/a', 307, '/b')
    redirect('/b', 307, '/c')
    redirect('/c', 307, '/d')
    answer(OIDC, 200, metadata)
    expect(await discover(ISSUER, deps())).toEqual(metadata)
    expect(seen.map((r) => r.path)).toEqual([RFC8414, '/a', '/b', '/c', OIDC])
  })

  test('the error names each hop, paths only, and why the last was not followed', async () => {
    redirect(RFC8414, 308, '/a?token=x')
    redirect('/a?token=x', 308, '/b')
    redirect('/b', 308, '/c')
    redirect('/c', 308, '/d')
    redirect(OIDC, 301, 'http://plain.example/meta')
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → HTTP 308 to /a → HTTP 308 to /b → HTTP 308 to /c → HTTP 308 to /d → not followed: more than ${MAX_REDIRECTS} redirects, ${OIDC} → HTTP 301 to plain.example → not followed: plain http). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.`,
    )
    expect(seen).toHaveLength(5)
  })

  test('plain http to a host that is not loopback: followed only with allow-insecure-http', async () => {
    redirect(RFC8414, 301, 'http://intranet.example/meta')
    answer('/meta', 200, metadata, 'application/json', 'http://intranet.example')
    expect(await discover(ISSUER, deps(true), { allowInsecureHttp: true })).toEqual(metadata)
    expect(seen.map((r) => `${r.headers.host}${r.path}`)).toEqual([`as.example${RFC8414}`, 'intranet.example/meta'])
  })

  test('a hostile Location: a URL that carries a secret (as the parser re-encodes it) or a host the parser rewrote is neither followed nor named', async () => {
    const SECRET = 'Cl1ent Secret/Zq9'
    const d = debugDeps()
    d.secrets.add(SECRET)
    // The second hop's path carries the secret as the URL parser re-encodes it (space → %20, slash kept).
    redirect(RFC8414, 302, 'https://cdn.example/m')
    redirect('/m', 302, `/x/${SECRET}/y`, 'https://cdn.example')
    redirect(OIDC, 301, 'https://Cl1ent-Secret-Zq9.evil.example/meta')
    d.secrets.add('Cl1ent-Secret-Zq9')
    const err = (await discover(ISSUER, d).catch((e: unknown) => e)) as Error
    const refused = 'not followed: its URL carries a secret or a host not as written'
    expect(err.message).toBe(
      `Discovery failed for issuer ${ISSUER} (${RFC8414} → HTTP 302 to cdn.example → HTTP 302 to *** → ${refused}, ${OIDC} → HTTP 301 to another host → ${refused}). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.`,
    )
    // Neither URL was requested, so no log line of the HTTP layer shows one either.
    expect(seen.map((r) => r.path)).toEqual([RFC8414, 'https://cdn.example/m', OIDC])
    const shown = [err.message, ...log].join('\n')
    for (const hidden of ['Secret/Zq9', 'Secret%2FZq9', 'Secret/', '%20Secret', 'cl1ent-secret']) expect(shown).not.toContain(hidden)
  })

  test('allow-insecure-http opens plain http, never another scheme', async () => {
    redirect(RFC8414, 302, 'ftp://files.example/meta')
    answer(OIDC, 200, metadata)
    expect(await discover(ISSUER, deps(true), { allowInsecureHttp: true })).toEqual(metadata)
    expect(seen.map((r) => r.path)).toEqual([RFC8414, OIDC])
  })

  test('a redirect without a usable Location is not followed', async () => {
    redirect(RFC8414, 302, 'javascript:alert(1)')
    answer(OIDC, 200, metadata)
    expect(await discover(ISSUER, deps())).toEqual(metadata)
    expect(seen).toHaveLength(2)
  })
})

describe('discover: step debug', () => {
  test('the endpoints and auth methods listed, cleaned, URLs without their query', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 200, {
      ...metadata,
      revocation_endpoint: `${ISSUER}/revoke?tenant=blue`,
      introspection_endpoint: `${ISSUER}/introspect`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 42, 'private_key_jwt\n::error::x'],
    })
    await discover(ISSUER, debugDeps())
    expect(log.filter((l) => l.startsWith('debug:'))).toEqual([
      `debug: Discovery: token_endpoint ${ISSUER}/token, revocation_endpoint ${ISSUER}/revoke, introspection_endpoint ${ISSUER}/introspect`,
      'debug: Discovery: token_endpoint_auth_methods_supported client_secret_basic, private_key_jwt ::error::x; revocation_endpoint_auth_methods_supported not listed',
    ])
  })
})

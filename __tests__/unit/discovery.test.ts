/**
 * Endpoint discovery (src/oauth/discovery.ts) through the real HTTP layer, nock answering:
 * RFC 8414 (well-known inserted before the issuer's path), then OpenID Connect Discovery
 * (appended), and the issuer in the document must match.
 */
import nock from 'nock'
import { Http } from '../../src/http.js'
import { discover, discoveryUrls } from '../../src/oauth/discovery.js'
import { Secrets } from '../../src/secrets.js'

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
function answer(path: string, status: number, body: unknown, contentType = 'application/json') {
  nock(ORIGIN)
    .get(path)
    .reply(function (uri, requestBody) {
      seen.push({ method: this.req.method, path: uri, headers: this.req.headers, body: requestBody })
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType }]
    })
}

const deps = () => ({ send: new Http({ timeout: 5, retries: 0, log: (l) => log.push(l) }).send, secrets: new Secrets(() => {}) })
const metadata = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/revoke`,
  token_endpoint_auth_methods_supported: ['client_secret_post'],
}

beforeEach(() => {
  seen = []
  log = []
  nock.disableNetConnect()
})
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([])
  nock.cleanAll()
  nock.enableNetConnect()
})

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

  test('a document for another issuer is refused (RFC 8414 §3.3)', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 200, { ...metadata, issuer: 'https://evil.example/realms/ci' })
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      "Discovery: the metadata at https://as.example/.well-known/oauth-authorization-server/realms/ci names issuer 'https://evil.example/realms/ci', not 'https://as.example/realms/ci'. Hint: set 'issuer' exactly as the server names itself.",
    )
    expect(seen).toHaveLength(1)
  })

  test('a document without an issuer is refused', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 200, { token_endpoint: `${ISSUER}/token` })
    await expect(discover(ISSUER, deps())).rejects.toThrow("names issuer 'undefined', not 'https://as.example/realms/ci'")
  })

  test('neither document: the error lists both tries and a way out', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 404, '')
    answer('/realms/ci/.well-known/openid-configuration', 403, '')
    await expect(discover(ISSUER, deps())).rejects.toThrow(
      "Discovery failed for issuer https://as.example/realms/ci (/.well-known/oauth-authorization-server/realms/ci → HTTP 404, /realms/ci/.well-known/openid-configuration → HTTP 403). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.",
    )
  })

  test('a web page instead of metadata is named, not shown', async () => {
    answer('/.well-known/oauth-authorization-server/realms/ci', 200, '<html>login portal internal-host-name</html>', 'text/html')
    const err = await discover(ISSUER, deps()).catch((e: Error) => e)
    expect((err as Error).message).toBe(
      'Discovery (GET https://as.example/.well-known/oauth-authorization-server/realms/ci) answered HTTP 200 with a body that is not a JSON object (content-type text/html). Hint: check that the URL is the API endpoint, not a web page or a proxy.',
    )
  })
})

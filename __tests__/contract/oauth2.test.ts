/**
 * Runner contract: the committed dist/ bundles run as the runner runs them, against a real
 * authorization server (oidc-provider on 127.0.0.1).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CI_CLIENT, startOidcServer, type OidcServer } from '../support/oidc-server.js'
import { leaks, runMain, runPost, type StepResult } from '../support/steps.js'

let server: OidcServer
beforeAll(async () => {
  server = await startOidcServer()
})
afterAll(() => server.close())

/** A fresh 3600 s token, seen a second or two later on a loaded machine. */
const LIFETIME = /^(3600|359\d)$/
const LEFT = '(1 h|5\\d min( \\d{1,2} s)?)'

const inputs = () => ({ issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, scope: 'api:read' })

test('main leases a live token; post revokes it; no secret reaches the log', async () => {
  const main = await runMain({ inputs: inputs(), debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  expect(token).toMatch(/^[\w-]{20,}$/)
  expect(main.outputs).toMatchObject({
    'token-type': 'Bearer',
    'expires-in': expect.stringMatching(LIFETIME),
    scope: 'api:read',
    revocation: 'scheduled',
  })
  expect(main.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  expect(main.masks).toEqual(expect.arrayContaining([CI_CLIENT.secret, token]))
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: CI_CLIENT.id })
  expect(main.summary).toContain('| Scope | api:read |')

  const post = await runPost({ inputs: inputs(), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(await server.introspect(token)).toEqual({ active: false })
  expect(leaks(main, [token, CI_CLIENT.secret])).toEqual([])
  expect(leaks(post, [token, CI_CLIENT.secret])).toEqual([])
})

test('post without a lease says so and succeeds', async () => {
  const post = await runPost({ inputs: inputs() })
  expect(post.code).toBe(0)
  expect(post.log).toContain('The main step leased no token: nothing to revoke.')
})

test('a wrong secret fails main with the endpoint, status, error code and a hint', async () => {
  const wrong = 'wrong-secret-value-123'
  const main = await runMain({ inputs: { ...inputs(), 'client-secret': wrong } })
  expect(main.code).toBe(1)
  expect(main.log).toMatch(
    /##\[error\]Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 401; error invalid_client.*Hint: check 'client-id'/,
  )
  expect(main.state).toEqual({ lease: 'none' })
  expect(leaks(main, [wrong])).toEqual([])
})

// ---- Revocation planned or not, skipped, failing; refusals before any request; the summary ----

/** The Basic credential of CI_CLIENT (RFC 6749 §2.3.1), written out: it must never reach the log either. */
const CI_BASIC = Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise((resolve) => s.close(resolve))
  return port
}

/** A revocation endpoint that always fails with 500 and records what it was sent. */
async function failingEndpoint() {
  const seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[] = []
  const s: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body })
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error for ${body}`)
    })
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/revoke`
  return { url, seen, close: () => new Promise((resolve) => s.close(resolve)) }
}

/** Main with `extra` inputs, which must succeed; returns the step and its token. */
async function leased(extra: Record<string, string> = {}): Promise<{ main: StepResult; token: string }> {
  const main = await runMain({ inputs: { ...inputs(), ...extra } })
  expect(main.code).toBe(0)
  return { main, token: main.outputs.token }
}

test('revoke: false — revocation disabled, and post sends nothing', async () => {
  const { main, token } = await leased({ revoke: 'false' })
  expect(main.outputs.revocation).toBe('disabled')
  expect(main.log).not.toContain('The post step will revoke it')
  server.requests.length = 0
  const post = await runPost({ inputs: { ...inputs(), revoke: 'false' }, state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Not revoked: revoke is false.')
  expect(server.requests).toEqual([])
  expect(await server.introspect(token)).toMatchObject({ active: true })
})

test('a token-url without revocation-url or issuer — revocation unsupported, said in main and post', async () => {
  const only = { 'token-url': `${server.issuer}/token`, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, scope: 'api:read' }
  const main = await runMain({ inputs: only })
  expect(main.code).toBe(0)
  expect(main.outputs.revocation).toBe('unsupported')
  expect(main.log).toMatch(
    new RegExp(
      `##\\[warning\\]This server offers no revocation: the token stays valid until it expires \\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in ${LEFT}\\)\\)\\.`,
    ),
  )
  server.requests.length = 0
  const post = await runPost({ inputs: only, state: main.state })
  expect(post.code).toBe(0)
  expect(post.log).toMatch(/Not revoked: oauth2 offers no revocation; the token stays valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/)
  expect(server.requests).toEqual([])
  expect(await server.introspect(main.outputs.token)).toMatchObject({ active: true })
})

test('a lease expired more than 5 minutes ago is skipped without a request', async () => {
  const { main } = await leased()
  const lease = JSON.parse(main.state.lease)
  const state = {
    lease: JSON.stringify({ ...lease, issuedAt: Math.floor(Date.now() / 1000) - 4200, expiresAt: Math.floor(Date.now() / 1000) - 600 }),
  }
  server.requests.length = 0
  const post = await runPost({ inputs: inputs(), state })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Not revoked: the token expired more than 5 minutes ago.')
  expect(server.requests).toEqual([])
  expect(post.summary).toContain('| Revocation | Not revoked: the token expired more than 5 minutes ago. |')
})

test('revocation at a closed port: a warning by default (exit 0), an error with revoke-failure: fail (exit 1)', async () => {
  const port = await closedPort()
  const revoking = { ...inputs(), 'revocation-url': `http://127.0.0.1:${port}/revoke`, retries: '0' }
  const { main, token } = await leased(revoking)
  expect(main.outputs.revocation).toBe('scheduled')
  const refused = `Revocation (POST http://127.0.0.1:${port}/revoke) failed: connection refused. Hint: check the URL and port`

  const warned = await runPost({ inputs: revoking, state: main.state, debug: true })
  expect(warned.code).toBe(0)
  expect(warned.log).toContain(`##[warning]${refused}`)
  expect(warned.log).toMatch(new RegExp(`\\. The token stays valid until ${main.outputs['expires-at']} \\(in [^)]+\\)\\.$`, 'm'))
  expect(warned.log).not.toContain('##[error]')
  expect(warned.summary).toContain('| Revocation | failed: Revocation \\(POST http:\u200b//127.0.0.1:')

  const failed = await runPost({ inputs: { ...revoking, 'revoke-failure': 'fail' }, state: main.state, debug: true })
  expect(failed.code).toBe(1)
  expect(failed.log).toContain(`##[error]${refused}`)
  for (const step of [main, warned, failed]) expect(leaks(step, [token, CI_CLIENT.secret, CI_BASIC])).toEqual([])
})

test('revocation answered with 500: the request as sent, the failure named, nothing leaked with debug on', async () => {
  const endpoint = await failingEndpoint()
  try {
    const revoking = { ...inputs(), 'revocation-url': endpoint.url, retries: '0', 'revoke-failure': 'fail' }
    const { main, token } = await leased(revoking)
    const post = await runPost({ inputs: revoking, state: main.state, debug: true })
    expect(endpoint.seen).toEqual([
      {
        method: 'POST',
        url: '/revoke',
        headers: expect.objectContaining({
          authorization: `Basic ${CI_BASIC}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        }),
        body: `token=${token}&token_type_hint=access_token`,
      },
    ])
    expect(post.code).toBe(1)
    expect(post.log).toContain(
      `##[error]Revocation failed: POST ${endpoint.url} → HTTP 500 Internal Server Error; Hint: the server failed; try again later.`,
    )
    expect(leaks(post, [token, CI_CLIENT.secret, CI_BASIC])).toEqual([])
    // The token is still live at the real server: a failed revocation changes nothing.
    expect(await server.introspect(token)).toMatchObject({ active: true })
  } finally {
    await endpoint.close()
  }
})

test('plain http to a host that is not loopback is refused before any request', async () => {
  const main = await runMain({ inputs: { ...inputs(), issuer: '', 'token-url': 'http://auth.example.com/token' } })
  expect(main.code).toBe(1)
  expect(main.log).toContain(
    "##[error]Invalid input: 'token-url' is plain http to a host that is not loopback (auth.example.com): use https, or set allow-insecure-http: true",
  )
  expect(main.log).not.toMatch(/ → /)
  expect(main.outputs).toEqual({})
  expect(main.state).toEqual({ lease: 'none' })
})

test('a bad input fails before any request, with every problem named and the secret masked', async () => {
  server.requests.length = 0
  const main = await runMain({ inputs: { ...inputs(), timeout: 'soon', 'revoke-failure': 'never' }, debug: true })
  expect(main.code).toBe(1)
  expect(main.log).toContain(
    [
      '##[error]Invalid inputs:',
      "- 'revoke-failure' must be one of: warn, fail; got 'never'",
      "- 'timeout' must be a whole number of seconds from 1 to 600; got 'soon'",
    ].join('\n'),
  )
  expect(server.requests).toEqual([])
  expect(main.masks).toContain(CI_CLIENT.secret)
  expect(main.state).toEqual({ lease: 'none' })
  expect(leaks(main, [CI_CLIENT.secret])).toEqual([])
})

test('a wrong secret with debug on leaks neither the secret nor its Basic form', async () => {
  const wrong = 'wr0ng:secret & "quoted"+%'
  const wrongBasic = Buffer.from('ci-client:wr0ng%3Asecret+%26+%22quoted%22%2B%25').toString('base64')
  const main = await runMain({ inputs: { ...inputs(), 'client-secret': wrong }, debug: true })
  expect(main.code).toBe(1)
  expect(main.masks).toEqual(expect.arrayContaining([wrong, wrongBasic, `Basic ${wrongBasic}`]))
  expect(leaks(main, [wrong, wrongBasic])).toEqual([])
})

test('the job summary: one table per step, no token', async () => {
  const { main, token } = await leased()
  const post = await runPost({ inputs: inputs(), state: main.state })
  const host = `127.0.0.1:${server.port}`
  const time = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ'
  const table = (title: string, revocation: string) =>
    new RegExp(
      [
        `^### token-lease: ${title}`,
        '',
        '\\| Lease \\| Details \\|',
        '\\|---\\|---\\|',
        '\\| Provider \\| oauth2 \\|',
        `\\| Endpoint \\| ${host.replace(/\./g, '\\.')} \\|`,
        '\\| Identity \\| ci-client \\|',
        '\\| Scope \\| api:read \\|',
        `\\| Issued \\| ${time} \\|`,
        `\\| Expires \\| ${time} \\\\\\(in ${LEFT}\\\\\\) \\|`,
        '\\| Lifetime granted \\| 1 h \\|',
        '\\| Fingerprint \\| [0-9a-f]{16} \\\\\\(SHA-256 of the token, first 16 hex\\\\\\) \\|',
        '\\| Leased by \\| — \\|',
        `\\| Revocation \\| ${revocation} \\|`,
        '$',
      ].join('\n'),
    )
  expect(main.summary).toMatch(table('token obtained', 'scheduled for the end of the job'))
  expect(post.summary).toMatch(table('lease ended', 'Revoked — confirmed by the server\\.'))
  expect(leaks(main, [token])).toEqual([])
  expect(leaks(post, [token])).toEqual([])
})

test('summary: false writes none', async () => {
  const { main } = await leased({ summary: 'false' })
  expect(main.summary).toBe('')
  const post = await runPost({ inputs: { ...inputs(), summary: 'false' }, state: main.state })
  expect(post.code).toBe(0)
  expect(post.summary).toBe('')
})

/**
 * Runner contract for the lease's life: the built dist/ bundles run as the runner runs them
 * (scripts/lib/runner.mjs: INPUT_*, STATE_*, file commands, the log rendered with masks), with
 * step debug on, against oidc-provider on 127.0.0.1 (introspection enabled) and a recording
 * HTTP server that stands in for an attacker's endpoint. Every log is scanned for the secrets used.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CI_CLIENT, startOidcServer, type OidcServer } from '../support/oidc-server.js'
import { expectNoLeak, runMain, runPost } from '../support/steps.js'

const CI_BASIC = Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')

let server: OidcServer
let attacker: { url: string; seen: { url?: string; headers: IncomingHttpHeaders; body: string }[]; close: () => Promise<void> }
beforeAll(async () => {
  server = await startOidcServer()
  attacker = await recordingServer()
})
afterAll(async () => {
  await server.close()
  await attacker.close()
})

/** Answers 200 to anything and records what it was sent: the endpoint a planted lease names. */
async function recordingServer() {
  const seen: { url?: string; headers: IncomingHttpHeaders; body: string }[] = []
  const s: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body })
      res.end('')
    })
  })
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => s.close(() => resolve())) }
}

const inputs = () => ({ issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, scope: 'api:read' })
const GITHUB = {
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_RUN_ID: '314',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'ship',
  GITHUB_ACTOR: 'octocat',
}

test('lease, record and confirmed revocation, with step debug: the token dies and nothing secret is shown', async () => {
  const main = await runMain({ inputs: inputs(), env: GITHUB, debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  const fingerprint = main.outputs['token-fingerprint']
  expect(fingerprint).toMatch(/^[0-9a-f]{16}$/)
  expect(main.log).toContain(
    `Token fingerprint ${fingerprint} (SHA-256, first 16 hex); leased by octo/app, workflow Release, run 314 attempt 1, job ship, actor octocat.`,
  )
  expect(main.summary).toContain('### token-lease: token obtained')

  const post = await runPost({ inputs: inputs(), state: main.state, env: GITHUB, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — confirmed by the server.')
  expect(post.summary).toContain('| Revocation | Revoked — confirmed by the server. |')
  expect(post.summary).toContain(`| Fingerprint | ${fingerprint} `)
  expect(await server.introspect(token)).toEqual({ active: false })
  for (const step of [main, post]) expectNoLeak(step, [token, CI_CLIENT.secret, CI_BASIC])
})

test('a failed main step writes "token-lease: no token"; post says once that nothing was leased, and re-reports nothing', async () => {
  const wrong = 'wrong-secret-value-4711'
  const main = await runMain({ inputs: { ...inputs(), 'client-secret': wrong }, debug: true })
  expect(main.code).toBe(1)
  const error = /##\[error\](Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 401; error invalid_client[^\n]*)/.exec(
    main.log,
  )
  expect(error).not.toBeNull()
  const rows = main.summary.split('\n')
  expect(rows.slice(0, 4)).toEqual(['### token-lease: no token', '', '| Lease | Details |', '|---|---|'])
  expect(rows).toContain('| Provider | oauth2 |')
  expect(rows).toContain(`| Endpoint | 127.0.0.1:${server.port} |`)
  expect(rows).toContain('| Identity asked for | ci-client |')
  expect(rows).toContain('| Post step | nothing: no token was leased |')
  // The error cell is the log's error, escaped so it cannot render (URLs broken, Markdown escaped).
  const cell = rows.find((r) => r.startsWith('| Error | '))!
  expect(cell.replace(/\u200b/g, '').replace(/\\(.)/g, '$1')).toBe(`| Error | ${error![1]} |`)
  // Main's own placeholder state: the runner hands post this, never a planted one.
  expect(main.state).toEqual({ lease: 'none' })

  const post = await runPost({ inputs: { ...inputs(), 'client-secret': wrong }, state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('The main step leased no token: nothing to revoke.')
  expect(post.log).not.toMatch(/##\[(warning|error)\]/)
  for (const step of [main, post]) expectNoLeak(step, [wrong])
})

test('a STATE_lease planted through the environment, with no lease from main: refused, nothing sent', async () => {
  attacker.seen.length = 0
  server.requests.length = 0
  const planted = JSON.stringify({
    provider: 'oauth2',
    token: 'planted-token-value-1',
    tokenType: 'Bearer',
    issuedAt: Math.floor(Date.now() / 1000),
    tokenEndpoint: `${server.issuer}/token`,
    revocation: 'scheduled',
    revocationEndpoint: `${attacker.url}/collect`,
    clientAuth: 'client_secret_post',
  })
  const post = await runPost({ inputs: { ...inputs(), 'revoke-failure': 'fail' }, env: { STATE_lease: planted }, debug: true })
  expect(post.code).toBe(1)
  expect(post.log).toContain(
    `##[error]A lease was planted: it names revocation endpoint 127.0.0.1:${attacker.url.split(':').at(-1)}, which the inputs do not vouch for. Nothing was sent to it.`,
  )
  expect(attacker.seen).toEqual([])
  // Only the metadata GET (no credentials) reached the real server.
  expect(server.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? '-'}`)).toEqual([
    'GET /.well-known/oauth-authorization-server -',
  ])
  expectNoLeak(post, [CI_CLIENT.secret, CI_BASIC])

  // Had main run, its own state would win over the planted one (the runner sets STATE_* after GITHUB_ENV).
  const after = await runPost({ inputs: inputs(), env: { STATE_lease: planted }, state: { lease: 'none' } })
  expect(after.log).toContain('The main step leased no token: nothing to revoke.')
  expect(attacker.seen).toEqual([])
})

/**
 * Runner contract for `export-env`: the committed dist/ bundles run as the runner runs them,
 * against a real authorization server (oidc-provider on 127.0.0.1). The token must reach the
 * step's GITHUB_ENV file under the name given, be registered with ::add-mask:: during the step
 * (the runner applies GITHUB_ENV only after the step, to later steps), and never be readable in
 * the log, even with step debug on. A refused name (an allowlist: credential names only, outside
 * the runner's, git's, ssh's and the runtimes' prefixes) fails before any request is made.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CI_CLIENT, startOidcServer, type OidcServer } from '../support/oidc-server.js'
import { leaks, runMain, runPost } from '../support/steps.js'

let server: OidcServer
beforeAll(async () => {
  server = await startOidcServer()
})
afterAll(() => server.close())

const inputs = (extra: Record<string, string> = {}) => ({
  issuer: server.issuer,
  'client-id': CI_CLIENT.id,
  'client-secret': CI_CLIENT.secret,
  scope: 'api:read',
  ...extra,
})

test('the token reaches GITHUB_ENV under the name given, masked during the step; post still revokes it', async () => {
  const main = await runMain({ inputs: inputs({ 'export-env': 'LEASED_API_TOKEN' }), debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  expect(token).toMatch(/^[\w-]{20,}$/)
  expect(main.env).toEqual({ LEASED_API_TOKEN: token })
  expect(main.outputs.revocation).toBe('scheduled')

  // The mask is registered on stdout, which the runner reads live, before the step ends and
  // its GITHUB_ENV file is applied; and before the log line that follows the export.
  const lines = main.stdout.split('\n')
  const maskLine = lines.indexOf(`::add-mask::${token}`)
  expect(maskLine).toBeGreaterThanOrEqual(0)
  expect(maskLine).toBeLessThan(lines.findIndex((l) => l.startsWith('Leased a Bearer token')))
  expect(main.masks).toEqual(expect.arrayContaining([token, CI_CLIENT.secret]))
  expect(leaks(main, [token, CI_CLIENT.secret])).toEqual([])
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: CI_CLIENT.id })

  const post = await runPost({ inputs: inputs({ 'export-env': 'LEASED_API_TOKEN' }), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked — ')
  expect(post.env).toEqual({})
  expect(await server.introspect(token)).toEqual({ active: false })
  expect(leaks(post, [token, CI_CLIENT.secret])).toEqual([])
})

test('without export-env, GITHUB_ENV stays empty', async () => {
  const main = await runMain({ inputs: inputs() })
  expect(main.code).toBe(0)
  expect(main.env).toEqual({})
  const post = await runPost({ inputs: inputs(), state: main.state })
  expect(post.code).toBe(0)
  expect(await server.introspect(main.outputs.token)).toEqual({ active: false })
})

describe('a refused name', () => {
  /** A token endpoint that records every request it gets: there must be none. */
  let endpoint: Server
  let requests: Pick<IncomingMessage, 'method' | 'url'>[]
  let tokenUrl: string
  beforeAll(async () => {
    requests = []
    endpoint = createServer((req, res) => {
      requests.push({ method: req.method, url: req.url })
      res.writeHead(500).end()
    })
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve))
    tokenUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/token`
  })
  afterAll(() => new Promise((resolve) => endpoint.close(resolve)))

  const RESERVED =
    'GITHUB_*, RUNNER_*, ACTIONS_*, STATE_*, INPUT_*, GIT_*, SSH_*, LD_*, DYLD_*, NODE_*, NPM_CONFIG_*, JAVA*, _JAVA*, JDK_*, PYTHON*, PERL*, RUBY*, SSL_*, CURL_*, REQUESTS_* and *PROXY* are settings of the runner, a tool or a runtime'
  const notCredential = (name: string) =>
    `must name a credential variable, ending in TOKEN, KEY, SECRET, PASSWORD, PAT (e.g. API_TOKEN), so that no later step or tool reads the token as a setting; got '${name}'`
  // Names that would change how a later step, a tool, or this action's own post step runs.
  test.each([
    ['GITHUB_TOKEN', `may not be GITHUB_TOKEN: ${RESERVED}`],
    ['STATE_TOKEN', `may not be STATE_TOKEN: ${RESERVED}`],
    ['NODE_OPTIONS', notCredential('NODE_OPTIONS')],
    ['HTTPS_PROXY', notCredential('HTTPS_PROXY')],
    ['NODE_TLS_REJECT_UNAUTHORIZED', notCredential('NODE_TLS_REJECT_UNAUTHORIZED')],
    ['GIT_SSH_COMMAND', notCredential('GIT_SSH_COMMAND')],
    ['PROMPT_COMMAND', notCredential('PROMPT_COMMAND')],
    ['API-TOKEN', "must be an environment variable name (letters, digits, _); got 'API-TOKEN'"],
  ])('%s fails main before any request; nothing is exported, output or saved', async (name, message) => {
    const secret = 'refused-name-secret-4f8a1c'
    const main = await runMain({
      inputs: { 'token-url': tokenUrl, 'client-id': 'ci', 'client-secret': secret, 'export-env': name },
      debug: true,
    })
    expect(main.code).toBe(1)
    expect(main.log).toContain(`##[error]Invalid input: 'export-env' ${message}`)
    expect(requests).toEqual([])
    expect(main.env).toEqual({})
    expect(main.outputs).toEqual({})
    expect(main.state).toEqual({ lease: 'none' })
    expect(leaks(main, [secret])).toEqual([])

    // Post, with no lease, says so once and does not report main's input error again; no request.
    const post = await runPost({
      inputs: { 'token-url': tokenUrl, 'client-id': 'ci', 'client-secret': secret, 'export-env': name },
      state: main.state,
    })
    expect(post.code).toBe(0)
    expect(post.log).toContain('The main step leased no token: nothing to revoke.')
    expect(post.log).not.toContain('##[warning]')
    expect(requests).toEqual([])
    expect(leaks(post, [secret])).toEqual([])
  })
})

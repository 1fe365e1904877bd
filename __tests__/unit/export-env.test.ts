/**
 * `export-env: NAME` (src/inputs.ts validates the name, src/main.ts exports): an allowlist — the
 * name must be a credential variable's (ending in TOKEN, KEY, SECRET, PASSWORD or PAT), outside
 * the prefixes of the runner, git, ssh, the loader and the runtimes, so that it cannot change how
 * a later step, a tool or this action's post step runs; a refused name fails before any request. A good one receives the token once, after it is masked, and only when main succeeds.
 */
import nock from 'nock'
import { InputError, parseConfig } from '../../src/inputs.js'
import { main } from '../../src/main.js'
import { type Call, fakeCore } from '../support/fake-core.js'

const ORIGIN = 'https://as.example'
const NOW = 1_750_000_000
const CLIENT_ID = 'deploy-bot'
const SECRET = 'c0rrect-h0rse+battery/staple'
/** RFC 6749 §2.3.1, written out: each part form-encoded, then base64. */
const BASIC = `Basic ${Buffer.from('deploy-bot:c0rrect-h0rse%2Bbattery%2Fstaple').toString('base64')}`
const ACCESS_TOKEN = 'opaque-access-token-Xk29fQ7w'

const RESERVED =
  'GITHUB_*, RUNNER_*, ACTIONS_*, STATE_*, INPUT_*, GIT_*, SSH_*, LD_*, DYLD_*, NODE_*, NPM_CONFIG_*, JAVA*, _JAVA*, JDK_*, PYTHON*, PERL*, RUBY*, SSL_*, CURL_*, REQUESTS_* and *PROXY* are settings of the runner, a tool or a runtime'
const NOT_CREDENTIAL =
  'must name a credential variable, ending in TOKEN, KEY, SECRET, PASSWORD, PAT (e.g. API_TOKEN), so that no later step or tool reads the token as a setting'
const exportEnvOf = (name: string) => parseConfig({ 'token-url': `${ORIGIN}/token`, 'export-env': name }).exportEnv

function refusal(name: string): string {
  try {
    exportEnvOf(name)
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return (err as Error).message
  }
  throw new Error(`export-env '${name}' was accepted`)
}

describe('the name (an allowlist: credential names only, minus the reserved prefixes)', () => {
  test.each([
    'API_TOKEN',
    'api_token',
    '_TOKEN',
    'GH_TOKEN',
    'MY_GITHUB_TOKEN',
    'VAULT_TOKEN',
    'NODE_AUTH_TOKEN',
    'DEPLOY_API_KEY',
    'PGPASSWORD',
    'REGISTRY_SECRET',
    'GITLAB_PAT',
  ])('%s is accepted as given', (name) => {
    expect(exportEnvOf(name)).toBe(name)
  })

  test('left empty, nothing is exported', () => {
    expect(parseConfig({ 'token-url': `${ORIGIN}/token` }).exportEnv).toBeUndefined()
  })

  // Every name that changes how a later step, a tool or this action's own post step runs.
  test.each([
    'NODE_OPTIONS', // the runner refuses it too; it would run code in every later node step
    'NODE_TLS_REJECT_UNAUTHORIZED',
    'NODE_EXTRA_CA_CERTS',
    'HTTPS_PROXY',
    'https_proxy',
    'NO_PROXY',
    'ALL_PROXY',
    'SSL_CERT_FILE',
    'CURL_CA_BUNDLE',
    'REQUESTS_CA_BUNDLE',
    'JAVA_TOOL_OPTIONS',
    '_JAVA_OPTIONS',
    'JDK_JAVA_OPTIONS',
    'PYTHONSTARTUP',
    'PERL5OPT',
    'RUBYOPT',
    'GIT_SSH_COMMAND',
    'SSH_AUTH_SOCK',
    'BASH_ENV', // sourced by every later bash step
    'ENV',
    'PROMPT_COMMAND',
    'PS4',
    'SHELLOPTS',
    'BASHOPTS',
    'IFS',
    'HOME',
    'TMPDIR',
    'CI',
    'LD_PRELOAD',
    'DYLD_INSERT_LIBRARIES',
    'node_options',
    'PATH',
    'Path',
    'PATHNAME',
    'TOKEN2',
    'GITHUB_ENV',
    'github_output',
    'RUNNER_TEMP',
    'actions_step_debug',
    'STATE_lease',
    'INPUT_CLIENT_ID',
  ])('%s is not a credential name and is refused, naming the rule', (name) => {
    expect(refusal(name)).toBe(`Invalid input: 'export-env' ${NOT_CREDENTIAL}; got '${name}'`)
  })

  test.each([
    'GITHUB_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_RUNTIME_TOKEN',
    'RUNNER_TOKEN',
    'STATE_TOKEN',
    'INPUT_API_TOKEN',
    'GIT_TOKEN',
    'SSH_KEY',
    'NODE_TOKEN',
    'NPM_CONFIG_TOKEN',
    'JAVA_KEY',
    'PYTHON_TOKEN',
    'SSL_KEY',
    'CURL_TOKEN',
    'PROXY_TOKEN',
    'https_proxy_password',
    'LD_TOKEN',
  ])('%s names a credential under a reserved prefix and is refused', (name) => {
    expect(refusal(name)).toBe(`Invalid input: 'export-env' may not be ${name}: ${RESERVED}`)
  })

  test.each(['1TOKEN', 'API-TOKEN', 'API TOKEN', 'API_TOKEN=x', '$API_TOKEN', 'API.TOKEN', 'TÖKEN'])(
    '%j is not a variable name and is refused',
    (name) => {
      expect(refusal(name)).toBe(`Invalid input: 'export-env' must be an environment variable name (letters, digits, _); got '${name}'`)
    },
  )

  test('a name with a line break is refused and shown on one line, its command defused', () => {
    expect(refusal('TOKEN\n::add-mask::x')).toBe(
      "Invalid input: 'export-env' must be an environment variable name (letters, digits, _); got 'TOKEN ***'",
    )
  })

  test('a bad name is reported together with the other bad inputs', () => {
    let message = ''
    try {
      parseConfig({ 'token-url': `${ORIGIN}/token`, 'export-env': 'GITHUB_PATH', timeout: '0' })
    } catch (err) {
      message = (err as Error).message
    }
    const [title, ...problems] = message.split('\n')
    expect(title).toBe('Invalid inputs:')
    expect(problems.sort()).toEqual([
      `- 'export-env' ${NOT_CREDENTIAL}; got 'GITHUB_PATH'`,
      "- 'timeout' must be a whole number of seconds from 1 to 600; got '0'",
    ])
  })
})

describe('the main step', () => {
  let calls: Call[]

  const of = (kind: string) => calls.filter((c) => c[0] === kind)
  const first = (kind: string, arg?: unknown) => calls.findIndex((c) => c[0] === kind && (arg === undefined || c[1] === arg))

  /** The token endpoint answers once; the request is recorded into `calls`, in order. */
  function tokenEndpoint(body: object) {
    nock(ORIGIN)
      .post('/token')
      .reply(function (uri, requestBody) {
        const h = this.req.headers
        calls.push(['request', this.req.method, uri, h['content-type'], h.authorization, requestBody])
        return [200, JSON.stringify(body), { 'content-type': 'application/json' }]
      })
  }
  const inputs = { 'token-url': `${ORIGIN}/token`, 'client-id': CLIENT_ID, 'client-secret': SECRET, scope: 'deploy:write', retries: '0' }
  const run = (extra: Record<string, string>) =>
    main({ core: fakeCore({ ...inputs, ...extra }, { calls }).core, env: {}, now: () => NOW, sleep: async () => {} })
  const request: Call = [
    'request',
    'POST',
    '/token',
    'application/x-www-form-urlencoded',
    BASIC,
    'grant_type=client_credentials&scope=deploy%3Awrite',
  ]

  beforeEach(() => {
    calls = []
    nock.disableNetConnect()
  })
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  test('exports the token once, under the name given, after it is masked and output', async () => {
    tokenEndpoint({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 })
    await run({ 'export-env': 'DEPLOY_TOKEN' })

    expect(of('request')).toEqual([request])
    expect(of('setFailed')).toEqual([])
    expect(of('exportVariable')).toEqual([['exportVariable', 'DEPLOY_TOKEN', ACCESS_TOKEN]])
    const masked = first('setSecret', ACCESS_TOKEN)
    expect(masked).toBeGreaterThan(first('request'))
    expect(masked).toBeLessThan(first('exportVariable'))
    expect(of('setOutput')).toContainEqual(['setOutput', 'token', ACCESS_TOKEN])
    // Nothing a reader sees carries the token or the secret.
    const visible = calls.filter((c) => ['info', 'warning', 'debug', 'setFailed', 'appendSummary'].includes(c[0])).map((c) => String(c[1]))
    for (const text of visible) {
      expect(text).not.toContain(ACCESS_TOKEN)
      expect(text).not.toContain(SECRET)
    }
  })

  test('without export-env, nothing is exported', async () => {
    tokenEndpoint({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 })
    await run({})
    expect(of('request')).toEqual([request])
    expect(of('exportVariable')).toEqual([])
    expect(of('setOutput')).toContainEqual(['setOutput', 'token', ACCESS_TOKEN])
  })

  test('a reserved name fails the step before any request, and nothing is exported, saved or output', async () => {
    await run({ 'export-env': 'GITHUB_TOKEN' })
    expect(of('setFailed')).toEqual([['setFailed', `Invalid input: 'export-env' may not be GITHUB_TOKEN: ${RESERVED}`]])
    expect(of('request')).toEqual([])
    expect(of('exportVariable')).toEqual([])
    expect(of('saveState')).toEqual([['saveState', 'lease', 'none']])
    expect(of('setOutput')).toEqual([])
    // The secret input was masked all the same, before the inputs were judged.
    expect(first('setSecret', SECRET)).toBe(0)
  })

  test('a token that fails min-lifetime is not exported (post still revokes it from state)', async () => {
    tokenEndpoint({ access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 60 })
    await run({ 'export-env': 'DEPLOY_TOKEN', 'min-lifetime': '5m' })
    expect(of('request')).toEqual([request])
    expect(of('exportVariable')).toEqual([])
    expect(of('saveState')).toHaveLength(2) // main's placeholder, then the lease
    expect(of('setFailed')).toEqual([
      [
        'setFailed',
        "The token expires in 1 min, sooner than 'min-lifetime' (5 min). The post step will still revoke it. Hint: ask the server for a longer lifetime, or lower 'min-lifetime'.",
      ],
    ])
  })
})

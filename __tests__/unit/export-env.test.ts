/**
 * `export-env: NAME` (src/inputs.ts validates the name, src/main.ts exports): the name must be
 * a plain environment variable name that cannot take over later steps (NODE_OPTIONS, PATH) or
 * the runner's own variables (GITHUB_*, RUNNER_*, ACTIONS_*); a refused name fails before any
 * request. A good one receives the token once, after it is masked, and only when main succeeds.
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

const RESERVED = 'NODE_OPTIONS, PATH, BASH_ENV, ENV, LD_*, GITHUB_*, RUNNER_* and ACTIONS_* are reserved: they change how later steps run'
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

describe('the name', () => {
  test.each(['API_TOKEN', 'api_token', '_TOKEN', 'TOKEN2', 'GH_TOKEN', 'MY_GITHUB_TOKEN', 'NODE_OPTIONS_FOR_TESTS', 'PATHNAME'])(
    '%s is accepted as given',
    (name) => {
      expect(exportEnvOf(name)).toBe(name)
    },
  )

  test('left empty, nothing is exported', () => {
    expect(parseConfig({ 'token-url': `${ORIGIN}/token` }).exportEnv).toBeUndefined()
  })

  test.each([
    'NODE_OPTIONS', // the runner refuses it too; it would run code in every later node step
    'BASH_ENV', // sourced by every later bash step
    'LD_PRELOAD',
    'node_options',
    'PATH',
    'Path',
    'GITHUB_TOKEN',
    'GITHUB_ENV',
    'github_output',
    'RUNNER_TEMP',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'actions_step_debug',
  ])('%s is reserved and refused, naming the rule', (name) => {
    expect(refusal(name)).toBe(`Invalid input: 'export-env' may not be ${name}: ${RESERVED}`)
  })

  test.each(['1TOKEN', 'API-TOKEN', 'API TOKEN', 'API_TOKEN=x', '$API_TOKEN', 'API.TOKEN', 'TOKEN\nNODE_OPTIONS', 'TÖKEN'])(
    '%j is not a variable name and is refused',
    (name) => {
      expect(refusal(name)).toBe(`Invalid input: 'export-env' must be an environment variable name (letters, digits, _); got '${name}'`)
    },
  )

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
      `- 'export-env' may not be GITHUB_PATH: ${RESERVED}`,
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

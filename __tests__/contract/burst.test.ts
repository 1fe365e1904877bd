/**
 * Many jobs at once against one token server, and the round trips of a happy path (issue 8).
 *
 * The server is scripts/lib/token-server.mjs: an emulator of an OAuth 2.0 authorization server
 * (RFC 8414 metadata, client credentials with client_secret_basic, RFC 7009 revocation) on
 * 127.0.0.1, here behind a rate limit — at most 10 requests in any one-second window, 429 with
 * Retry-After: 1 beyond that, as an API gateway answers.
 *
 * The burst runs the committed bundle (dist/main) 30 times at once, as 30 runners would: the
 * real thing, about 5 s on a loaded 2-core machine, so it stays a spawned test. Start-up on 2
 * cores spreads those 30 first requests over about half a second; the in-process burst sends
 * all 30 within milliseconds — the harsher case, which 30 separate machines produce — through
 * the same HTTP layer, with the real sleep.
 */
import { main } from '../../src/main.js'
import { post } from '../../src/post.js'
import { fakeCore } from '../support/fake-core.js'
import { leaks, runMain, runPost, type StepResult } from '../support/steps.js'
// @ts-expect-error: plain ESM helper without type declarations
import * as tokenServer from '../../scripts/lib/token-server.mjs'

interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | undefined>
  body: string
  at: number
  status: number
}

interface TokenServer {
  issuer: string
  tokenUrl: string
  revocationUrl: string
  requests: RecordedRequest[]
  issued: Map<string, string>
  revoked: Set<string>
  close(): Promise<void>
}

const startTokenServer = (options: { rateLimit?: { perSecond: number } } = {}): Promise<TokenServer> =>
  tokenServer.startTokenServer(options)
const CLIENT: { id: string; secret: string } = tokenServer.BENCH_CLIENT

const JOBS = 30
const formEncoded = (v: string) => new URLSearchParams({ v }).toString().slice(2)
/** RFC 6749 §2.3.1: id and secret form-encoded, then base64. */
const BASIC_CREDENTIAL = Buffer.from(`${formEncoded(CLIENT.id)}:${formEncoded(CLIENT.secret)}`).toString('base64')
const TOKEN_REQUEST = {
  method: 'POST',
  path: '/token',
  headers: expect.objectContaining({
    authorization: `Basic ${BASIC_CREDENTIAL}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }),
  body: 'grant_type=client_credentials',
}
const revocationRequest = (token: string) => ({
  method: 'POST',
  path: '/revoke',
  headers: expect.objectContaining({ authorization: `Basic ${BASIC_CREDENTIAL}`, 'content-type': 'application/x-www-form-urlencoded' }),
  body: `token=${token}&token_type_hint=access_token`,
})
const secretsOf = (token: string) => [CLIENT.secret, BASIC_CREDENTIAL, token]

/** Attempts per job from its log: the attempt number of its final `→ HTTP 200` line. */
const attemptsOf = (log: string) => Number(/\/token → HTTP 200 in \d+ ms \(attempt (\d+) of 4\)/.exec(log)?.[1])

describe('30 jobs at once against a server that admits 10 requests a second', () => {
  let server: TokenServer
  beforeEach(async () => {
    server = await startTokenServer({ rateLimit: { perSecond: 10 } })
  })
  afterEach(() => server.close())

  const inputs = () => ({
    'token-url': server.tokenUrl,
    'revocation-url': server.revocationUrl,
    'client-id': CLIENT.id,
    'client-secret': CLIENT.secret,
  })

  /** What every burst must show: 30 tokens, ≤ 2 requests per job, each retry after Retry-After. */
  function expectServedWithinBudget(tokens: string[]) {
    expect(tokens.every((t) => server.issued.has(t))).toBe(true)
    expect(new Set(tokens).size).toBe(JOBS)
    for (const req of server.requests) expect(req).toMatchObject(TOKEN_REQUEST)
    const statuses = server.requests.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(JOBS)
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([])
    // The limit did bite (more than 10 arrived within a second), and the retries cost at most one more request per job.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect(server.requests.length / JOBS).toBeLessThanOrEqual(2)
  }

  test('the committed bundle, spawned 30 times: every job gets a token, with at most 2 requests per job on average', async () => {
    const started = Date.now()
    const jobs: StepResult[] = await Promise.all(Array.from({ length: JOBS }, () => runMain({ inputs: inputs() })))
    const seconds = (Date.now() - started) / 1000

    for (const job of jobs) {
      expect(job.code).toBe(0)
      expect(job.outputs).toMatchObject({ 'token-type': 'Bearer', 'expires-in': '3600', revocation: 'scheduled' })
      expect(job.outputs.token).toMatch(/^[\w-]{32}$/)
      // A job that met a 429 waited at least the Retry-After second before asking again, and said so.
      for (const wait of job.log.matchAll(/→ HTTP 429 in \d+ ms \(attempt \d of 4\); retrying in (\d+\.\d) s, Retry-After honoured/g))
        expect(Number(wait[1])).toBeGreaterThanOrEqual(1)
      expect(leaks(job, secretsOf(job.outputs.token))).toEqual([])
    }
    expectServedWithinBudget(jobs.map((j) => j.outputs.token))
    // Each request the server saw is one attempt that some job logged.
    expect(jobs.reduce((sum, j) => sum + attemptsOf(j.log), 0)).toBe(server.requests.length)
    // Three windows of 10 at the least; generous above for a loaded machine.
    expect(seconds).toBeGreaterThanOrEqual(2)
    expect(seconds).toBeLessThan(45)
  })

  test('in-process, all 30 token requests leave within milliseconds: the same budget holds', async () => {
    const waits: number[] = []
    const sleep = (ms: number) => {
      waits.push(ms)
      return new Promise<void>((resolve) => setTimeout(resolve, ms))
    }
    const cores = Array.from({ length: JOBS }, () => fakeCore(inputs()))
    await Promise.all(cores.map(({ core }) => main({ core, env: {}, sleep })))

    for (const c of cores) {
      expect(c.failed).toEqual([])
      expect(c.outputs.token).toMatch(/^[\w-]{32}$/)
    }
    expect(server.requests[JOBS - 1].at - server.requests[0].at).toBeLessThan(1000)
    expectServedWithinBudget(cores.map((c) => c.outputs.token))
    // One sleep per 429, each at least the server's Retry-After.
    expect(waits).toHaveLength(server.requests.length - JOBS)
    for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(1000)
  })
})

describe('round trips of a happy path', () => {
  let server: TokenServer
  beforeEach(async () => {
    server = await startTokenServer()
  })
  afterEach(() => server.close())

  const credentials = { 'client-id': CLIENT.id, 'client-secret': CLIENT.secret }

  test('token-url given: one request obtains the token, one revokes it (bundles, step debug on)', async () => {
    const inputs = { 'token-url': server.tokenUrl, 'revocation-url': server.revocationUrl, ...credentials, scope: 'api:read' }
    const mainStep = await runMain({ inputs, debug: true })
    expect(mainStep.code).toBe(0)
    const token = mainStep.outputs.token
    expect(server.requests).toEqual([
      expect.objectContaining({ ...TOKEN_REQUEST, body: 'grant_type=client_credentials&scope=api%3Aread', status: 200 }),
    ])
    expect(mainStep.outputs).toMatchObject({ scope: 'api:read', revocation: 'scheduled' })
    expect(mainStep.log).toContain('(attempt 1 of 4)')
    expect(mainStep.log).not.toContain('retrying')

    const postStep = await runPost({ inputs, state: mainStep.state, debug: true })
    expect(postStep.code).toBe(0)
    expect(postStep.log).toContain('Revoked — ')
    expect(server.requests.slice(1)).toEqual([expect.objectContaining({ ...revocationRequest(token), status: 200 })])
    expect(server.revoked).toEqual(new Set([token]))
    expect(leaks(mainStep, secretsOf(token))).toEqual([])
    expect(leaks(postStep, secretsOf(token))).toEqual([])
  })

  test('issuer only: discovery and the token request obtain it, one request revokes it', async () => {
    const inputs = { issuer: server.issuer, ...credentials }
    const mainStep = await runMain({ inputs })
    expect(mainStep.code).toBe(0)
    const token = mainStep.outputs.token
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/.well-known/oauth-authorization-server', body: '', status: 200 }),
      expect.objectContaining({ ...TOKEN_REQUEST, status: 200 }),
    ])

    const postStep = await runPost({ inputs, state: mainStep.state })
    expect(postStep.code).toBe(0)
    // Post checks the lease's discovered endpoints against the issuer's metadata (no credentials), then revokes.
    expect(server.requests.slice(2)).toEqual([
      expect.objectContaining({ method: 'GET', path: '/.well-known/oauth-authorization-server', body: '', status: 200 }),
      expect.objectContaining({ ...revocationRequest(token), status: 200 }),
    ])
    expect(server.revoked).toEqual(new Set([token]))
    expect(leaks(mainStep, secretsOf(token))).toEqual([])
    expect(leaks(postStep, secretsOf(token))).toEqual([])
  })

  test('no sleep on the happy path: main and post never wait', async () => {
    const inputs = { 'token-url': server.tokenUrl, 'revocation-url': server.revocationUrl, ...credentials }
    const waits: number[] = []
    const sleep = async (ms: number) => void waits.push(ms)

    const m = fakeCore(inputs)
    await main({ core: m.core, env: {}, sleep })
    expect(m.failed).toEqual([])
    const p = fakeCore(inputs, { state: m.saved })
    await post({ core: p.core, env: {}, sleep })
    expect(p.failed).toEqual([])
    expect(p.log).toContainEqual(expect.stringMatching(/^Revoked — /))

    expect(waits).toEqual([])
    expect(server.requests).toEqual([
      expect.objectContaining({ ...TOKEN_REQUEST, status: 200 }),
      expect.objectContaining({ ...revocationRequest(m.outputs.token), status: 200 }),
    ])
  })
})

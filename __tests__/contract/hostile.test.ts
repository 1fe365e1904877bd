/**
 * Runner contract against a hostile server (scripts/lib/hostile-server.mjs on 127.0.0.1: no vendor,
 * a server that echoes what it was sent). The bundled steps run as the runner runs them, with step
 * debug on, the log rendered as the runner renders it (command data un-escaped, then masked with
 * the runner's own derived forms). The server echoes the client secret and the token in every
 * encoding of ENCODINGS, in the error_description, the reason phrase, the Content-Type header, the
 * granted scope and at the revocation endpoint, and long descriptions are cut across the echo.
 * Then the log, stderr, summary, outputs, GITHUB_ENV and state are scanned for every encoding of
 * every secret, whole or in part.
 *
 * Needs `npm run build` first (dist/ is the lead's to commit).
 */
// @ts-expect-error: plain ESM helper without type declarations
import { ENCODINGS, startHostileServer } from '../../scripts/lib/hostile-server.mjs'
import { expectNoLeak, runMain, runPost, type StepResult } from '../support/steps.js'

const CLIENT_SECRET = 'Hx7 ~q*Zr/ü+%"kT3-vW9_mP2.bN4yL8'
const ENCODING_NAMES = Object.keys(ENCODINGS) as string[]
const encode = (name: string, value: string): string => ENCODINGS[name](value)

interface Hostile {
  url(path: string): string
  issued(): string
  setPlan(plan: object): void
  requests: { path: string; headers: Record<string, string | undefined> }[]
  close(): Promise<void>
}
let server: Hostile
beforeAll(async () => {
  server = await startHostileServer()
})
afterAll(() => server.close())

const inputs = () => ({
  'token-url': server.url('/token'),
  'revocation-url': server.url('/revoke'),
  'client-id': 'hostile-ci',
  'client-secret': CLIENT_SECRET,
  retries: '0',
})

/** 12 characters of any encoding of a secret, found in `text`: "<what> as <encoding>". */
function exposures(text: string, secrets: Record<string, string>): string[] {
  const found: string[] = []
  for (const [what, value] of Object.entries(secrets)) {
    for (const name of ENCODING_NAMES) {
      const form = encode(name, value)
      for (let i = 0; i + 12 <= form.length; i++) {
        if (text.includes(form.slice(i, i + 12))) {
          found.push(`${what} as ${name}: …${form.slice(i, i + 12)}…`)
          break
        }
      }
    }
  }
  return found
}

/** What a reader can see of a step: the rendered log, stderr, the summary, GITHUB_ENV, and the outputs but the token. */
function visible(step: StepResult): string {
  const { token: _token, ...outputs } = step.outputs
  return [step.log, step.stderr, step.summary, ...Object.values(step.env), ...Object.values(outputs)].join('\n')
}

/** The saved state as stored, and each string inside it as a reader of the JSON would decode it. */
function stateText(step: StepResult): string {
  const leaves = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []
  return Object.values(step.state)
    .flatMap((v) => {
      try {
        return [v, ...leaves(JSON.parse(v))]
      } catch {
        return [v]
      }
    })
    .join('\n')
}

describe.each(ENCODING_NAMES)('the server echoes the client secret as %s', (encoding) => {
  test('in error_description: the step fails naming status and code, with no part of the secret', async () => {
    server.setPlan({ token: { status: 400, echo: 'secret', encoding, places: ['description'] } })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    expect(main.log).toMatch(/##\[error\]Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 400; error invalid_client/)
    expect(exposures(`${visible(main)}\n${stateText(main)}`, { 'client secret': CLIENT_SECRET })).toEqual([])
    expectNoLeak(main, [CLIENT_SECRET])
  })

  test('the whole Authorization header, in error_description', async () => {
    server.setPlan({ token: { status: 400, echo: 'authorization', encoding, places: ['description'] } })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    expect(server.requests[0].headers.authorization).toMatch(/^Basic /)
    const credential = String(server.requests[0].headers.authorization).slice(6)
    expect(main.log).toContain('error invalid_client')
    expect(exposures(visible(main), { 'client secret': CLIENT_SECRET, 'Basic credential': credential })).toEqual([])
  })

  test('in the reason phrase of a body that is not JSON', async () => {
    server.setPlan({ token: { status: 400, echo: 'secret', encoding, places: ['reason'] } })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    expect(main.log).toContain('→ HTTP 400')
    expect(exposures(visible(main), { 'client secret': CLIENT_SECRET })).toEqual([])
  })

  test('in the Content-Type header of a 200 that is not JSON', async () => {
    server.setPlan({ token: { status: 200, echo: 'secret', encoding, places: ['type'] } })
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(1)
    expect(main.log).toContain('answered HTTP 200 with a body that is not a JSON object')
    expect(exposures(visible(main), { 'client secret': CLIENT_SECRET })).toEqual([])
  })
})

describe.each(ENCODING_NAMES)('the granted scope echoes the token and the client secret as %s', (encoding) => {
  const plan = {
    token: { status: 200, echo: 'secret', encoding, places: ['scope'] },
    revoke: { status: 400, echo: 'both', encoding, places: ['description'] },
  }

  test('log and summary of main, and of post when the revocation endpoint echoes both: nothing readable', async () => {
    server.setPlan(plan)
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(0)
    const token = main.outputs.token
    expect(token).toBe(server.issued())
    const secrets = { token, 'client secret': CLIENT_SECRET }
    // A scope that echoes a secret in any encoding is withheld whole (log, summary, output and state).
    expect(main.log).toMatch(
      /Leased a Bearer token from 127\.0\.0\.1:\d+ for hostile-ci; .*scope: withheld: the scope the server sent echoes a secret\./,
    )
    expect(exposures([main.log, main.stderr, main.summary].join('\n'), secrets)).toEqual([])
    expectNoLeak(main, [token, CLIENT_SECRET])

    const post = await runPost({ inputs: inputs(), state: main.state, debug: true })
    expect(server.requests.map((r) => r.path)).toEqual(['/token', '/revoke'])
    expect(post.log).toMatch(/Revocation failed: POST http:\/\/127\.0\.0\.1:\d+\/revoke → HTTP 400; error invalid_client/)
    expect(exposures(visible(post), secrets)).toEqual([])
    expect(exposures(stateText(post), { 'client secret': CLIENT_SECRET })).toEqual([])
    expectNoLeak(post, [token, CLIENT_SECRET])
  })

  // A scope that echoes a secret is withheld from the output and the lease (src/scope.ts).
  test('the scope output and the saved lease carry no part of the client secret', async () => {
    server.setPlan(plan)
    const main = await runMain({ inputs: inputs(), debug: true })
    expect(main.code).toBe(0)
    expect(exposures(`${main.outputs.scope}\n${stateText(main)}`, { 'client secret': CLIENT_SECRET })).toEqual([])
  })
})

describe.each(['base64 +1', 'percent, lower hex (.NET)', 'JSON \\u every char'])(
  'a long error_description cut across the echo (%s)',
  (encoding) => {
    // The description is cut at 300 characters; "<pad> the client sent " puts the echo at pad + 17.
    const length = encode(encoding, CLIENT_SECRET).length
    const pads = Array.from({ length: 24 }, (_, i) => 300 - 17 - length + Math.round((i * (length + 8)) / 23))
    test(`at ${pads.length} offsets from before to past the echo: no part of the secret left readable`, async () => {
      for (const pad of pads) {
        server.setPlan({ token: { status: 400, echo: 'secret', encoding, places: ['description'], pad } })
        const main = await runMain({ inputs: inputs(), debug: true })
        expect(main.code).toBe(1)
        expect(main.log).toContain('error invalid_client')
        expect(exposures(visible(main), { 'client secret': CLIENT_SECRET })).toEqual([])
      }
    })
  },
)

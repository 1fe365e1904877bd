/**
 * The lease's life against a real authorization server (panva's oidc-provider on 127.0.0.1,
 * scripts/lib/oidc-server.mjs, introspection enabled): main() and post() in-process with the
 * real HTTP layer. Revocation confirmed through RFC 7662 introspection for real; a scripted fault
 * of the same server (`keepTokensAlive`: its revocation endpoint answers 200 and revokes nothing)
 * shows the failure; max-lifetime revokes at once; a scope the server did not state is labelled.
 */
import { mainStep, postStep } from '../support/in-process.js'
import { CI_CLIENT, startOidcServer, type OidcServer } from '../support/oidc-server.js'

const CI_BASIC = `Basic ${Buffer.from('ci-client:Sup3r%3Asecret%2Bwith%25chars+%26+%22quotes%22').toString('base64')}`
const ENV = { GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '99', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'deploy', GITHUB_ACTOR: 'octocat' }

let server: OidcServer
let faulty: OidcServer
beforeAll(async () => {
  server = await startOidcServer()
  faulty = await startOidcServer({ keepTokensAlive: true })
})
afterAll(async () => {
  await server.close()
  await faulty.close()
})

const inputsFor = (s: OidcServer, extra: Record<string, string> = {}) => ({
  issuer: s.issuer,
  'client-id': CI_CLIENT.id,
  'client-secret': CI_CLIENT.secret,
  scope: 'api:read',
  ...extra,
})
const runMain = (inputs: Record<string, string>) => mainStep(inputs, ENV)
const runPost = (inputs: Record<string, string>, state: Record<string, string>) => postStep(inputs, state, ENV)

test('revocation confirmed by the server: one introspection request, same client authentication, token dead', async () => {
  const inputs = inputsFor(server)
  const m = await runMain(inputs)
  expect(m.failed).toEqual([])
  const token = m.outputs.token
  expect(m.outputs['token-fingerprint']).toMatch(/^[0-9a-f]{16}$/)
  expect(m.summary).toContain(`| Fingerprint | ${m.outputs['token-fingerprint']} `)
  expect(m.summary).toContain('| Leased by | octo/app, run 99 attempt 1, job deploy, actor octocat |')
  server.introspections.length = 0

  const p = await runPost(inputs, m.saved)
  expect(p.log.filter((l) => !/^(GET|POST|debug:) /.test(l))).toEqual(['Revoked — confirmed by the server.'])
  expect(p.summary).toContain('| Revocation | Revoked — confirmed by the server. |')
  expect(server.introspections).toHaveLength(1)
  expect(server.introspections[0]).toMatchObject({
    method: 'POST',
    headers: { authorization: CI_BASIC },
    body: { token, token_type_hint: 'access_token' },
    status: 200,
  })
  expect(await server.introspect(token)).toEqual({ active: false })
  expect(p.leaks([token, CI_CLIENT.secret, CI_BASIC.slice(6)])).toEqual([])
})

test('a server that keeps the token alive after "revoking" it: a revocation failure, and a failed step with revoke-failure: fail', async () => {
  const inputs = inputsFor(faulty)
  const m = await runMain(inputs)
  const token = m.outputs.token

  const p = await runPost(inputs, m.saved)
  expect(p.warnings).toEqual([
    expect.stringMatching(
      /^Not revoked: the server accepted the revocation but still reports the token active; it may stay valid until \d{4}-.*Z \(in (1 h|59 min)/,
    ),
  ])
  expect(await faulty.introspect(token)).toMatchObject({ active: true })

  const strict = await runPost({ ...inputs, 'revoke-failure': 'fail' }, m.saved)
  expect(strict.failed).toEqual([
    expect.stringMatching(/^Not revoked: the server accepted the revocation but still reports the token active/),
  ])
})

test('max-lifetime shorter than the grant: main revokes the token at once, outputs nothing, fails; post has nothing left', async () => {
  const inputs = inputsFor(server, { 'max-lifetime': '30m' })
  const m = await runMain(inputs)
  expect(m.outputs.token).toBeUndefined()
  expect(m.failed).toEqual([
    expect.stringMatching(
      /^The server granted a token that lives (1 h|59 min \d+ s), longer than 'max-lifetime' \(30 min\); it was not output\. The token is already revoked\.$/,
    ),
  ])
  const revoke = server.requests.filter((r) => r.path === '/token/revocation').at(-1)!
  expect(revoke.status).toBe(200)
  expect(await server.introspect(String(revoke.body!.token))).toEqual({ active: false })
  expect(m.saved).toEqual({ lease: 'revoked-by-main' })

  const p = await runPost(inputs, m.saved)
  expect(p.log).toEqual(['The main step revoked its token at once: nothing left to revoke.'])
})

test('a scope the server did not state is labelled as requested and not confirmed; the output keeps it', async () => {
  // oidc-provider drops a scope it does not know and then omits `scope` from its answer (RFC 6749 §5.1 allows that only for an unchanged scope).
  const inputs = inputsFor(server, { scope: 'admin' })
  const m = await runMain(inputs)
  expect(m.failed).toEqual([])
  expect(m.outputs.scope).toBe('admin')
  expect(m.log.find((l) => l.startsWith('Leased'))).toContain(
    'scope: admin (requested; the server did not state a scope, so it is not confirmed).',
  )
  expect(m.summary).toContain('| Scope | admin \\(requested; the server did not state a scope, so it is not confirmed\\) |')
  await runPost(inputs, m.saved)
})

/**
 * Runner contract: the committed dist/ bundles run as the runner runs them, against a real
 * authorization server (oidc-provider on 127.0.0.1).
 */
import { CI_CLIENT, startOidcServer, type OidcServer } from '../support/oidc-server.js'
import { leaks, runMain, runPost } from '../support/steps.js'

let server: OidcServer
beforeAll(async () => {
  server = await startOidcServer()
})
afterAll(() => server.close())

const inputs = () => ({ issuer: server.issuer, 'client-id': CI_CLIENT.id, 'client-secret': CI_CLIENT.secret, scope: 'api:read' })

test('main leases a live token; post revokes it; no secret reaches the log', async () => {
  const main = await runMain({ inputs: inputs(), debug: true })
  expect(main.code).toBe(0)
  const token = main.outputs.token
  expect(token).toMatch(/^[\w-]{20,}$/)
  expect(main.outputs).toMatchObject({ 'token-type': 'Bearer', 'expires-in': '3600', scope: 'api:read', revocation: 'scheduled' })
  expect(main.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  expect(main.masks).toEqual(expect.arrayContaining([CI_CLIENT.secret, token]))
  expect(await server.introspect(token)).toMatchObject({ active: true, client_id: CI_CLIENT.id })
  expect(main.summary).toContain('| Scope | api:read |')

  const post = await runPost({ inputs: inputs(), state: main.state, debug: true })
  expect(post.code).toBe(0)
  expect(post.log).toContain('Revoked the token.')
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
  expect(main.log).toMatch(/##\[error\]Token request failed: POST http:\/\/127\.0\.0\.1:\d+\/token → HTTP 401; error invalid_client.*Hint: check 'client-id'/)
  expect(main.state).toEqual({})
  expect(leaks(main, [wrong])).toEqual([])
})

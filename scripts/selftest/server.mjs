/**
 * The self-test's authorization server: the demo's oidc-provider (scripts/lib/oidc-server.mjs)
 * with the clients the self-test leases through, and one read-only route for the checks:
 *
 *   GET /selftest/leases   →  {"issued": n, "active": m}
 *   POST /selftest/leases  (body: the token)  →  {"issued": n, "active": m, "this": {active, client_id, scope}}
 *
 * counting the access tokens it issued and how many of them RFC 7662 introspection still calls
 * active, and with a token posted, whether that one is among them and what introspection says
 * of it. It never returns a token, so a check can run after the lease's post step without the
 * token being handed to it (post steps see only what their main step saw).
 *
 * Clients: `selftest` (client_secret_basic, its secret from SELFTEST_CLIENT_SECRET) for client
 * credentials; `selftest-keyless` (no client secret) for RFC 8693 token exchange and RFC 7523
 * jwt-bearer of a JWT from the trusted issuer (`trust`: GitHub's own in CI, the stand-in here).
 *
 * CI runs it in the background: `node scripts/selftest/server.mjs --port 8787 [--trust-github AUDIENCE]`.
 */
import { pathToFileURL } from 'node:url'
import { JWT_BEARER, SCOPES, startOidcServer, TOKEN_EXCHANGE } from '../lib/oidc-server.mjs'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const CLIENT_ID = 'selftest'
export const KEYLESS_CLIENT_ID = 'selftest-keyless'

/** `trust`: { issuer, jwks | jwksUri, audience } of the JWTs the keyless client may exchange. */
export async function startSelftestServer({ port = 0, clientSecret, trust } = {}) {
  if (!clientSecret) throw new Error('The self-test server needs a client secret (SELFTEST_CLIENT_SECRET).')
  const base = { redirect_uris: [], response_types: [], scope: SCOPES.join(' ') }
  // Opaque access tokens: the value is the jti (oidc-provider's opaque format).
  const issued = []
  let server
  const leases = async () => {
    const states = await Promise.all(issued.map((t) => server.introspect(t)))
    return { issued: issued.length, active: states.filter((s) => s.active === true).length }
  }
  server = await startOidcServer({
    port,
    use: [
      async (ctx, next) => {
        if (ctx.path !== '/selftest/leases' || !['GET', 'POST'].includes(ctx.method)) return next()
        if (ctx.method === 'GET') return void (ctx.body = await leases())
        let token = ''
        for await (const chunk of ctx.req) token += chunk
        const state = issued.includes(token) ? await server.introspect(token) : { active: false, issued_here: false }
        const { active, client_id, scope } = state
        ctx.body = { ...(await leases()), this: { active, client_id, scope, issued_here: issued.includes(token) } }
      },
    ],
    trustJwtIssuer: trust,
    clients: [
      { ...base, client_id: CLIENT_ID, client_secret: clientSecret, grant_types: ['client_credentials'] },
      ...(trust
        ? [{ ...base, client_id: KEYLESS_CLIENT_ID, token_endpoint_auth_method: 'none', grant_types: [TOKEN_EXCHANGE, JWT_BEARER] }]
        : []),
    ],
  })
  server.provider.on('client_credentials.saved', (token) => issued.push(token.jti))
  return { issuer: server.issuer, port: server.port, requests: server.requests, leases, close: server.close }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name)
    return i < 0 ? undefined : process.argv[i + 1]
  }
  const audience = arg('--trust-github')
  const server = await startSelftestServer({
    port: Number(arg('--port') ?? 0),
    clientSecret: process.env.SELFTEST_CLIENT_SECRET,
    // GitHub's JWKS is fetched from GitHub when the first JWT arrives.
    trust: audience ? { issuer: GITHUB_ISSUER, jwksUri: `${GITHUB_ISSUER}/.well-known/jwks`, audience } : undefined,
  })
  console.log(`self-test server: ${server.issuer}${audience ? ` (trusts ${GITHUB_ISSUER} for ${audience})` : ''}`)
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().then(() => process.exit(0)))
}

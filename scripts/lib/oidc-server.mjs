/**
 * A real authorization server for tests and the demo: panva's oidc-provider (OpenID
 * certified) on 127.0.0.1, with client credentials, RFC 7009 revocation, RFC 7662
 * introspection and discovery. Access tokens are opaque, so revocation can be observed.
 *
 * Options beyond the default (which stays as it was):
 * - `clients`: more client metadata (e.g. private_key_jwt clients with their public `jwks`).
 * - `mtls: { pki }` (a pki.mjs PKI): HTTPS with the PKI's server certificate, asking for a client
 *   certificate, and RFC 8705 tls_client_auth (`tls_client_auth_subject_dn` clients). The older
 *   `mtls: { serverOptions, features }` form is still taken as it is.
 * - `trustJwtIssuer: { issuer, jwks | jwksUri, audience }`: registers the RFC 8693 token-exchange and
 *   RFC 7523 jwt-bearer grants (oidc-provider's `registerGrantType`), which accept a JWT from
 *   that issuer (the GitHub OIDC stand-in, or GitHub's own issuer with its `jwksUri` fetched at
 *   run time, as the self-test in CI does) after verifying it against its JWKS; the opaque
 *   access token issued records the external `sub` (`external_sub` in introspection).
 * - `use`: more Koa middleware, installed before the server starts answering (the self-test's
 *   read-only route).
 * - `keepTokensAlive: true`: a scripted fault — the revocation endpoint answers 200 and revokes
 *   nothing, so introspection still reports the token active (a server whose revocation does not take).
 * `requests` records every request but introspection (method, path, headers, parsed body, status)
 * for tests to check; `introspections` records the introspection requests a client under test made
 * (the tests' own `introspect()` is marked and left out of both).
 */
import { X509Certificate } from 'node:crypto'
// oidc-provider warns about its development defaults (in-memory adapter, keys, Node < 22) when it
// loads and when a Provider is made: expected here, so those lines are dropped.
const warn = console.warn
console.warn = (...args) => (String(args[0]).startsWith('oidc-provider') ? undefined : warn(...args))
const { default: Provider, errors } = await import('oidc-provider')
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose'

export const SCOPES = ['api:read', 'api:write']
/** Marks the tests' own introspection requests, so only a client's are recorded. */
const TEST_INTROSPECTION = 'x-test-introspection'
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const JWT_TYPES = new Set(['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token'])
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

/**
 * Starts the server. `clients` are oidc-provider client metadata; a default confidential
 * client is added. Returns { issuer, port, provider, requests, close, introspect(token) }.
 */
export async function startOidcServer({ clients = [], port = 0, mtls, trustJwtIssuer, use = [], keepTokensAlive = false } = {}) {
  const tls = mtls?.pki ? mtlsFromPki(mtls.pki) : mtls
  const { createServer } = tls ? await import('node:https') : await import('node:http')
  const server = tls ? createServer(tls.serverOptions) : createServer()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const actualPort = server.address().port
  const issuer = `${tls ? 'https' : 'http'}://127.0.0.1:${actualPort}`
  const allClients = [
    {
      client_id: 'ci-client',
      client_secret: 'Sup3r:secret+with%chars & "quotes"',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPES.join(' '),
    },
    // Clients with keys are registered through the adapter below, not statically: oidc-provider
    // structuredClone()s static metadata, and under Jest's VM realm the clone's objects fail its
    // own plain-object check on `jwks`. (The in-memory adapter is shared by every server in the
    // process: give such clients ids unique within a test file.)
    ...clients.filter((c) => !c.jwks),
  ]
  // oidc-provider warns about its development defaults (in-memory adapter, keys, Node < 22): expected here.
  const provider = new Provider(issuer, {
    clients: allClients,
    scopes: SCOPES,
    features: {
      clientCredentials: { enabled: true },
      revocation: { enabled: true, allowedPolicy: async () => true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      devInteractions: { enabled: false },
      ...(tls?.features ?? {}),
    },
    clientAuthMethods: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
      ...(tls?.features?.mTLS?.tlsClientAuth ? ['tls_client_auth'] : []),
      ...(tls?.features?.mTLS?.selfSignedTlsClientAuth ? ['self_signed_tls_client_auth'] : []),
    ],
    ttl: { ClientCredentials: 3600 },
    // Tokens issued for an external JWT say whose it was: tests see it through introspection.
    extraTokenClaims: async (_ctx, token) => token.externalClaims,
    // Keep test output clean; errors still reach the client as OAuth errors.
    renderError: async (ctx, out) => {
      ctx.body = out
    },
  })
  provider.on('server_error', () => {})
  if (trustJwtIssuer) registerExternalJwtGrants(provider, trustJwtIssuer)
  for (const c of clients.filter((c) => c.jwks)) await provider.Client.adapter.upsert(c.client_id, JSON.parse(JSON.stringify(c)))

  const requests = []
  const introspections = []
  provider.use(async (ctx, next) => {
    if (keepTokensAlive && ctx.method === 'POST' && ctx.path === '/token/revocation') {
      // The fault: accepted, not done. (No client authentication is checked either: it is a fault.)
      ctx.status = 200
      ctx.body = ''
      requests.push({ method: ctx.method, path: ctx.path, headers: { ...ctx.headers }, body: undefined, status: 200 })
      return
    }
    await next()
    const seen = {
      method: ctx.method,
      path: ctx.path,
      headers: { ...ctx.headers },
      body: ctx.oidc?.body ? { ...ctx.oidc.body } : undefined,
      status: ctx.status,
    }
    if (ctx.path !== '/token/introspection') requests.push(seen)
    else if (!ctx.headers[TEST_INTROSPECTION]) introspections.push(seen)
  })
  for (const middleware of use) provider.use(middleware)
  server.on('request', provider.callback())
  const first = allClients[0]
  return {
    issuer,
    port: actualPort,
    provider,
    requests,
    introspections,
    /** RFC 7662 introspection as the default client, for tests to see a token's state. */
    async introspect(token) {
      const body = new URLSearchParams({ token }).toString()
      const auth = Buffer.from(
        `${encodeURIComponent(first.client_id)}:${encodeURIComponent(first.client_secret)}`.replace(/%20/g, '+'),
      ).toString('base64')
      const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${auth}`, [TEST_INTROSPECTION]: '1' }
      if (tls) return introspectOverTls(`${issuer}/token/introspection`, body, headers, tls.serverOptions.ca)
      const res = await fetch(`${issuer}/token/introspection`, { method: 'POST', headers, body })
      return res.json()
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(resolve)
      }),
  }
}

/** HTTPS server options and oidc-provider's mTLS feature from a pki.mjs PKI (RFC 8705 §2.1). */
function mtlsFromPki(pki) {
  return {
    // Ask for a certificate but let the request through without one: discovery needs none, and
    // the token endpoint must answer invalid_client (not a TLS failure) when it is missing.
    serverOptions: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false },
    features: {
      mTLS: {
        enabled: true,
        tlsClientAuth: true,
        getCertificate: (ctx) => {
          const cert = ctx.socket.getPeerCertificate?.()
          return cert?.raw ? new X509Certificate(cert.raw) : undefined
        },
        certificateAuthorized: (ctx) => ctx.socket.authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => {
          const cert = ctx.socket.getPeerCertificate?.()
          if (property !== 'tls_client_auth_subject_dn' || !cert?.raw) return false
          // X509Certificate.subject is one RDN a line ("CN=…"); RFC 8705 registers it as a DN string.
          return new X509Certificate(cert.raw).subject.split('\n').join(',') === expected
        },
      },
    },
  }
}

/** Node's fetch cannot take a private CA; introspection over TLS goes through node:https. */
async function introspectOverTls(url, body, headers, ca) {
  const { request } = await import('node:https')
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve(JSON.parse(text)))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * RFC 8693 token exchange and RFC 7523 §2.1 JWT bearer for JWTs from one trusted issuer: the
 * JWT's signature, issuer, audience and expiry are verified; an opaque, revocable access token
 * (a ClientCredentials token of the authenticated client) is issued.
 */
function registerExternalJwtGrants(provider, { issuer, jwks, jwksUri, audience }) {
  const keySet = jwksUri ? createRemoteJWKSet(new URL(jwksUri)) : createLocalJWKSet(jwks)
  const verify = async (jwt, what) => {
    try {
      return (await jwtVerify(jwt, keySet, { issuer, audience })).payload
    } catch (err) {
      throw Object.assign(new errors.InvalidGrant(), { error_description: `${what} not accepted (${err.code ?? 'invalid'})` })
    }
  }
  const issue = async (ctx, claims, extra = {}) => {
    const { client, params } = ctx.oidc
    const allowed = new Set((client.scope ?? '').split(' '))
    const scope =
      (params.scope ?? '')
        .split(' ')
        .filter((s) => allowed.has(s))
        .join(' ') || undefined
    const token = new provider.ClientCredentials({ client, scope })
    token.externalClaims = { external_iss: claims.iss, external_sub: claims.sub, ...extra }
    const value = await token.save()
    return { access_token: value, token_type: 'Bearer', expires_in: token.expiration, ...(scope && { scope }) }
  }

  provider.registerGrantType(
    TOKEN_EXCHANGE,
    async (ctx) => {
      const p = ctx.oidc.params
      if (!p.subject_token || !p.subject_token_type) throw new errors.InvalidRequest('subject_token and subject_token_type are required')
      if (!JWT_TYPES.has(p.subject_token_type)) throw new errors.InvalidRequest('unsupported subject_token_type')
      if (p.actor_token && !p.actor_token_type) throw new errors.InvalidRequest('actor_token_type is required with actor_token')
      if (p.requested_token_type && p.requested_token_type !== ACCESS_TOKEN_TYPE)
        throw new errors.InvalidRequest('only access tokens are issued')
      const claims = await verify(p.subject_token, 'subject_token')
      const extra = {
        ...(p.actor_token && { act: { sub: (await verify(p.actor_token, 'actor_token')).sub } }),
        ...(p.audience && { requested_audience: [p.audience].flat().join(' ') }),
        ...(p.resource && { requested_resource: [p.resource].flat().join(' ') }),
      }
      ctx.body = { ...(await issue(ctx, claims, extra)), issued_token_type: ACCESS_TOKEN_TYPE }
    },
    ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
    ['audience', 'resource'],
  )
  provider.registerGrantType(
    JWT_BEARER,
    async (ctx) => {
      if (!ctx.oidc.params.assertion) throw new errors.InvalidRequest('assertion is required')
      ctx.body = await issue(ctx, await verify(ctx.oidc.params.assertion, 'assertion'))
    },
    ['assertion', 'scope'],
  )
}

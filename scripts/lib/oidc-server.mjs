/**
 * A real authorization server for tests and the demo: panva's oidc-provider (OpenID
 * certified) on 127.0.0.1, with client credentials, RFC 7009 revocation, RFC 7662
 * introspection and discovery. Access tokens are opaque, so revocation can be observed.
 */
import Provider from 'oidc-provider'

export const SCOPES = ['api:read', 'api:write']

/**
 * Starts the server. `clients` are oidc-provider client metadata; a default confidential
 * client is added. Returns { issuer, port, close, introspect(token) }.
 */
export async function startOidcServer({ clients = [], port = 0, mtls } = {}) {
  const { createServer } = mtls ? await import('node:https') : await import('node:http')
  const server = mtls ? createServer(mtls.serverOptions) : createServer()
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const actualPort = server.address().port
  const issuer = `${mtls ? 'https' : 'http'}://127.0.0.1:${actualPort}`
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
    ...clients,
  ]
  // oidc-provider warns about its development defaults (in-memory adapter, keys, Node < 22): expected here.
  const warn = console.warn
  console.warn = (...args) => (String(args[0]).startsWith('oidc-provider') ? undefined : warn(...args))
  const provider = new Provider(issuer, {
    clients: allClients,
    scopes: SCOPES,
    features: {
      clientCredentials: { enabled: true },
      revocation: { enabled: true, allowedPolicy: async () => true },
      introspection: { enabled: true, allowedPolicy: async () => true },
      devInteractions: { enabled: false },
      ...(mtls?.features ?? {}),
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none', ...(mtls ? ['tls_client_auth', 'self_signed_tls_client_auth'] : [])],
    ttl: { ClientCredentials: 3600 },
    // Keep test output clean; errors still reach the client as OAuth errors.
    renderError: async (ctx, out) => { ctx.body = out },
  })
  console.warn = warn
  provider.on('server_error', () => {})
  server.on('request', provider.callback())
  const first = allClients[0]
  return {
    issuer,
    port: actualPort,
    provider,
    /** RFC 7662 introspection as the default client, for tests to see a token's state. */
    async introspect(token) {
      const body = new URLSearchParams({ token }).toString()
      const auth = Buffer.from(`${encodeURIComponent(first.client_id)}:${encodeURIComponent(first.client_secret)}`.replace(/%20/g, '+')).toString('base64')
      const res = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${auth}` },
        body,
      })
      return res.json()
    },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve) }),
  }
}

/**
 * Venafi TPP / CyberArk Certificate Manager Self-Hosted, VEDauth (PROTOCOLS.md §1):
 * one of three ways in — username/password, a client certificate over mutual TLS, or the
 * job's GitHub OIDC token for servers with a JWT mapping — GET /vedauth/revoke/token, which
 * ends the whole grant (its refresh token included; only 200 counts), and GET
 * /vedauth/authorize/verify, which tells whether the token still works (401: dead). Every call
 * carries vcert's headers, the JSON content type on the GETs too.
 */
import type { Config } from '../inputs.js'
import { InputError } from '../inputs.js'
import { tppKeylessMessage } from '../github-oidc.js'
import { describe, RequestError, type HttpRequest, type HttpResponse } from '../http.js'
import type { Lease } from '../lease.js'
import { jsonObject, readToken, requestIds } from '../oauth/response.js'
import { clean, type Secrets } from '../secrets.js'
import type { Acquired, Deps, Provider, RevokeResult, Verification } from './index.js'

export const DEFAULT_TPP_SCOPE = 'certificate:manage,revoke'

/** The base URL as users paste it: with or without a trailing `/`, `/vedsdk` or `/vedsdk/` (or `/vedauth`). */
export function tppBase(serverUrl: string): string {
  const u = new URL(serverUrl)
  // A TPP behind a path prefix (https://host/tpp/vedsdk) keeps its prefix.
  const path = u.pathname
    .replace(/\/+$/, '')
    .replace(/\/(vedsdk|vedauth)$/i, '')
    .replace(/\/+$/, '')
  return `${u.origin}${path}`
}

export type WayIn = 'oauth' | 'certificate' | 'jwt'

/** Which endpoint the inputs choose; inputs.ts has already refused an ambiguous combination. */
export function wayIn(config: Pick<Config, 'username' | 'password' | 'tls'>): WayIn {
  if (config.username || config.password) return 'oauth'
  if (config.tls.cert) return 'certificate'
  return 'jwt'
}

const WAY_NAMES: Record<WayIn, string> = {
  oauth: 'username/password',
  certificate: 'client certificate',
  jwt: "the job's GitHub OIDC token",
}

const HINTS: Record<WayIn, string> = {
  oauth:
    "check 'username' (e.g. local:svc-ci or DOMAIN\\user) and 'password', and that this user may use the API integration named in 'client-id'",
  certificate:
    'check that the client certificate is issued by a CA the TPP server trusts for certificate authentication, that its CN or SAN maps to a TPP identity allowed to use the API integration, and that the server accepts client certificates',
  jwt: "check the server's JWT mapping (TPP 22.4 or later): it must trust GitHub's issuer (https://token.actions.githubusercontent.com), expect the audience given in 'oidc-audience', and map this repository's claims to an identity allowed to use the API integration",
}
const CLIENT_HINT = "check 'client-id': it must equal the API integration's id exactly (case-sensitive)"
const SCOPE_HINT =
  "check 'scope': TPP syntax (';' between scopes, ',' between privileges, e.g. certificate:manage,revoke;configuration), and only what the API integration allows"

export function create(config: Config, deps: Deps): Provider {
  const base = tppBase(config.serverUrl!)
  const scope = config.scope ?? DEFAULT_TPP_SCOPE
  const way = wayIn(config)
  // vcert sends these on every VEDauth call; TPP sits behind IIS and proxies that may cache.
  const headers = { 'content-type': 'application/json', 'cache-control': 'no-cache' }

  async function body(): Promise<Record<string, string>> {
    // Field names and order as documented (names are case-sensitive).
    if (way === 'oauth') return { client_id: config.clientId!, username: config.username!, password: config.password!, scope }
    if (way === 'certificate') return { client_id: config.clientId!, scope }
    return { client_id: config.clientId!, jwt: await keylessToken(), scope }
  }

  async function keylessToken(): Promise<string> {
    try {
      return await deps.githubOidcToken(config.oidcAudience)
    } catch (err) {
      if (err instanceof InputError) throw new InputError(tppKeylessMessage(err.message))
      throw err
    }
  }

  return {
    async acquire(): Promise<Acquired> {
      const req: HttpRequest = {
        method: 'POST',
        url: `${base}/vedauth/authorize/${way}`,
        headers,
        body: JSON.stringify(await body()),
        purpose: 'TPP token request',
      }
      const res = await deps.send(req)
      if (res.status !== 200) throw tppFailure(req, res, deps.secrets, tokenHint(way, res))
      const token = readToken(req, res, deps.secrets)
      const now = deps.now()
      if (token.refresh_token)
        deps.log.debug(
          'TPP also issued a refresh token: it is masked and not output; revoking the grant at the end of the job ends it too.',
        )
      const lease: Lease = {
        provider: 'venafi-tpp',
        token: token.access_token,
        tokenType: token.token_type ?? 'Bearer',
        issuedAt: now,
        expiresAt: expiry(token.expires, token.expires_in, now),
        scope: token.scope ?? scope,
        identity: token.identity ? `${token.identity} (${config.clientId})` : config.clientId,
        tokenEndpoint: req.url,
        revocation: config.revoke ? 'scheduled' : 'disabled',
        revocationEndpoint: `${base}/vedauth/revoke/token`,
      }
      // client-id is the workflow's text: cleaned like server text, so a line break cannot start a workflow command.
      deps.log.info(`TPP signed in with ${WAY_NAMES[way]} through API integration '${clean(config.clientId!, deps.secrets, 200)}'.`)
      return { lease }
    },

    async revoke(lease: Lease): Promise<RevokeResult> {
      // Where the inputs say, whatever the saved lease names: the token goes only to the TPP given in server-url.
      const req = authorized('GET', `${base}/vedauth/revoke/token`, lease, 'Revocation')
      const res = await deps.send(req)
      // Only 200 revokes (vcert agrees): it ends the whole grant, refresh token included.
      if (res.status === 200) return 'revoked'
      // 202 "[token] not found": no token reached the server (a proxy that drops Authorization?).
      if (res.status === 202) return 'not found'
      throw tppFailure(req, res, deps.secrets, REVOKE_HINTS[res.status], res.status === 401 ? REFUSED_401 : undefined)
    },

    async verify(lease: Lease): Promise<Verification> {
      const req = authorized('GET', `${base}/vedauth/authorize/verify`, lease, 'TPP token check')
      let res: HttpResponse
      try {
        res = await deps.send(req)
      } catch (err) {
        // The HTTP layer's messages are built without secrets (endpoint, code, hint).
        return { state: 'unknown', reason: err instanceof Error && err.name === 'RequestError' ? err.message : 'the request failed' }
      }
      if (res.status === 401) return { state: 'dead' }
      if (res.status === 200) return { state: 'alive' }
      const reason = res.statusText ? ` ${clean(res.statusText, deps.secrets, 100)}` : ''
      return { state: 'unknown', reason: `${describe(req)} answered HTTP ${res.status}${reason}` }
    },
  }

  /** A VEDauth call that carries the token, with vcert's headers (it sends the JSON content type on GETs too). */
  function authorized(method: 'GET', url: string, lease: Lease, purpose: string): HttpRequest {
    return { method, url, headers: { ...headers, authorization: `Bearer ${lease.token}` }, purpose }
  }
}

/** What a 401 at revocation means: nothing was revoked, so nothing is claimed (TPP answers so since 20.4). */
const REFUSED_401 = 'not revoked: the server refused the token (401)'
const REVOKE_HINTS: Record<number, string> = {
  401: "TPP answers 401 for any token it does not accept (already revoked, expired, or issued by another server): check that 'server-url' is the TPP that issued it and that no other step revoked it",
  403: "the token's scope does not allow revocation on this server version; the docs name configuration:manage: add it to 'scope' (and to the API integration)",
  404: "check 'server-url': no VEDauth revoke endpoint there",
}

/** TPP gives an absolute `expires` (Unix seconds); `expires_in` only on some versions. */
function expiry(expires: number | undefined, expiresIn: number | undefined, now: number): number | undefined {
  // Defensive: a value in milliseconds would put the expiry thousands of years ahead.
  if (expires !== undefined) return expires > 1e11 ? Math.floor(expires / 1000) : expires
  return expiresIn !== undefined ? now + expiresIn : undefined
}

function tokenHint(way: WayIn, res: HttpResponse): string {
  if (res.status === 404)
    return `check 'server-url' (the TPP base URL, e.g. https://tpp.example.com): no VEDauth endpoint answered there${way === 'jwt' ? '; signing in with a JWT needs TPP 22.4 or later' : ''}`
  if (res.status >= 500) return 'the server failed; try again later'
  const text = `${errorFields(res).code ?? ''} ${errorFields(res).description ?? ''} ${res.statusText}`
  if (/invalid_client|client_id|application/i.test(text)) return CLIENT_HINT
  if (/invalid_scope|scope/i.test(text)) return SCOPE_HINT
  return HINTS[way]
}

/** The OAuth-style fields of an error body, where a TPP version sends one (none is documented). */
function errorFields(res: HttpResponse): { code?: string; description?: string } {
  const json = jsonObject(res.body)
  return {
    code: typeof json?.error === 'string' ? json.error : undefined,
    description: typeof json?.error_description === 'string' ? json.error_description : undefined,
  }
}

/**
 * The error for a refused VEDauth call: endpoint, status with TPP's reason phrase (where TPP
 * puts its reason; vcert reads nothing else), an error body's code and description if there
 * is one, and a hint — each redacted, never the raw body.
 */
function tppFailure(req: HttpRequest, res: HttpResponse, secrets: Secrets, hint?: string, verdict?: string): RequestError {
  const { code, description } = errorFields(res)
  const reason = res.statusText ? clean(res.statusText, secrets, 200) : ''
  const parts = [`${req.purpose} failed: ${describe(req)} → HTTP ${res.status}${reason ? ` ${reason}` : ''}`]
  const detail = description ? clean(description, secrets, 300) : undefined
  if (code) parts.push(`error ${clean(code, secrets, 60)}${detail && detail !== reason ? `: ${detail}` : ''}`)
  else if (detail && detail !== reason) parts.push(detail)
  const ids = requestIds(res, secrets, jsonObject(res.body))
  if (ids) parts.push(ids)
  if (verdict) parts.push(verdict)
  if (hint) parts.push(`Hint: ${hint}`)
  return new RequestError(parts.join('; ') + '.', res.status, code)
}

/**
 * Reading what a token or revocation endpoint answered: the token fields (masked the moment
 * they are read) and, on failure, an error that names the endpoint, the HTTP status, the
 * OAuth error code with its redacted description, and a hint — never the raw body.
 */
import { correlationIds, describe, RequestError, type HttpRequest, type HttpResponse } from '../http.js'
import { clean, cleanUrl, type Secrets } from '../secrets.js'

export interface TokenFields {
  access_token: string
  token_type?: string
  expires_in?: number
  /** TPP: absolute expiry, Unix seconds. */
  expires?: number
  refresh_token?: string
  scope?: string
  issued_token_type?: string
  identity?: string
  [key: string]: unknown
}

const HINTS: Record<string, string> = {
  invalid_client:
    "check 'client-id' and the client credential ('client-secret', 'private-key' or certificate) and that 'client-auth' is a method the server accepts for this client",
  invalid_grant:
    'the grant or assertion was refused: check the username/password, refresh token or assertion, its audience and expiry, and the trust set up on the server',
  invalid_scope: "check 'scope': request only scopes the client is allowed",
  unauthorized_client: "the client is not allowed this grant type: enable it for the client on the server, or change 'grant-type'",
  unsupported_grant_type: "the server does not support this 'grant-type'",
  invalid_request: 'the server found the request malformed: check the inputs for this grant type',
  invalid_target: "check 'audience' and 'resource'",
  access_denied: 'the server denied the request: check the client and its permissions',
  unsupported_token_type: 'the server cannot revoke this kind of token',
  invalid_token: 'the token is not (or no longer) valid',
  invalid_dpop_proof: 'the server requires DPoP, which this action does not send',
  server_error: 'the server failed; try again later',
  temporarily_unavailable: 'the server is overloaded or down for maintenance; try again later',
}

const STATUS_HINTS: Record<number, string> = {
  403: "the server refused the client: some servers answer a wrong client credential with 403, so check the credential and that 'client-auth' is a method it accepts, then what the client is allowed",
  404: 'check the URL: the endpoint was not found',
  405: 'check the URL: the endpoint does not take this method',
  407: 'a proxy asks for credentials: put them in HTTPS_PROXY (http://user:password@host:port)',
  415: "the server does not accept this body format: check 'request-format'",
}
/**
 * A 401 is about the client's credentials whatever `error` says: Keycloak answers a wrong secret
 * with 401 unauthorized_client, which elsewhere means a grant the client may not use.
 */
const CREDENTIALS_HINT = HINTS.invalid_client
const NOT_FOLLOWED = 'redirects are not followed so that credentials go nowhere else'

/** The server's correlation ids, as "request id: …" (src/http.ts correlationIds). */
export function requestIds(res: HttpResponse, secrets: Secrets, json?: Record<string, unknown>): string | undefined {
  const ids = correlationIds(res, secrets, json)
  return ids.length ? `request id: ${ids.join(', ')}` : undefined
}

/**
 * Where a redirect points, for the hint: the path when it stays on the request's origin (never a
 * query), only the host when it leaves it, nothing when the Location is unreadable.
 */
function redirectHint(req: HttpRequest, res: HttpResponse, secrets: Secrets): string {
  const location = [res.headers.location].flat()[0]
  const to = typeof location === 'string' && URL.canParse(location, req.url) ? new URL(location, req.url) : undefined
  if (!to || !/^https?:$/.test(to.protocol)) return `the endpoint redirects (often to a login page): give the final URL; ${NOT_FOLLOWED}`
  const from = new URL(req.url)
  if (to.origin === from.origin) {
    const path = cleanUrl(to, secrets, 200, false)
    if (path === from.pathname) return `the endpoint redirects to itself with another query: give the final URL; ${NOT_FOLLOWED}`
    return `the endpoint redirects to ${path}: give that URL; ${NOT_FOLLOWED}`
  }
  return `the endpoint redirects to another host (${clean(to.host, secrets, 100)}), often a login page: give the final URL; ${NOT_FOLLOWED}`
}

/** Parses a JSON object body; anything else is an error that names what came back, not the body. */
export function readJson(req: HttpRequest, res: HttpResponse): Record<string, unknown> {
  const type = String(res.headers['content-type'] ?? 'none')
  try {
    const value = JSON.parse(res.body)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value
  } catch {
    /* reported below */
  }
  throw new RequestError(
    `${req.purpose} (${describe(req)}) answered HTTP ${res.status} with a body that is not a JSON object (content-type ${clean(type.split(';')[0], undefined, 60) || 'none'}). Hint: check that the URL is the API endpoint, not a web page or a proxy.`,
    res.status,
  )
}

/** The token fields of a successful response, each secret masked before it is returned. */
export function readToken(req: HttpRequest, res: HttpResponse, secrets: Secrets): TokenFields {
  const json = readJson(req, res)
  for (const key of ['access_token', 'refresh_token', 'id_token']) {
    if (typeof json[key] === 'string') secrets.add(json[key] as string)
  }
  if (typeof json.access_token !== 'string' || json.access_token === '')
    throw new RequestError(`${req.purpose} (${describe(req)}) answered HTTP ${res.status} without an access_token.`, res.status)
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined)
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
  return {
    ...json,
    access_token: json.access_token,
    token_type: str(json.token_type),
    expires_in: num(json.expires_in),
    expires: num(json.expires),
    refresh_token: str(json.refresh_token),
    scope: str(json.scope),
    issued_token_type: str(json.issued_token_type),
    identity: str(json.identity),
  }
}

export interface FailureOptions {
  /** Used when neither the status nor the OAuth error code has a hint of its own. */
  hint?: string
  /** Hints for error codes in this context, before the generic ones (e.g. invalid_token at revocation). */
  codeHints?: Record<string, string>
  /** Said after the error and before the hint, e.g. what else was tried. */
  note?: string
}

/** The OAuth error code and description of an error body, cleaned; the rest of the body is never shown. */
function oauthError(body: string, secrets?: Secrets): { json?: Record<string, unknown>; code?: string; description?: string } {
  try {
    const json: unknown = JSON.parse(body)
    if (!json || typeof json !== 'object' || Array.isArray(json)) return {}
    const { error, error_description } = json as Record<string, unknown>
    return {
      json: json as Record<string, unknown>,
      code: typeof error === 'string' ? clean(error, secrets, 60) || undefined : undefined,
      description: typeof error_description === 'string' ? clean(error_description, secrets, 300) || undefined : undefined,
    }
  } catch {
    return {}
  }
}

/**
 * Builds the error for a failed response: endpoint, status, OAuth error, correlation ids, hint.
 * `options` may be a plain hint string, the form vendor providers call it with.
 */
export function failure(req: HttpRequest, res: HttpResponse, secrets: Secrets, options: string | FailureOptions = {}): RequestError {
  const { hint: extraHint, codeHints = {}, note } = typeof options === 'string' ? { hint: options } : options
  const { json, code, description } = oauthError(res.body, secrets)
  const reason = !code && res.statusText ? ` ${clean(res.statusText, secrets, 200)}` : ''
  const parts = [`${req.purpose} failed: ${describe(req)} → HTTP ${res.status}${reason}`]
  if (code) parts.push(`error ${code}${description ? `: ${description}` : ''}`)
  const ids = requestIds(res, secrets, json)
  if (ids) parts.push(ids)
  if (note) parts.push(note)
  const redirect = res.status >= 300 && res.status < 400 ? redirectHint(req, res, secrets) : undefined
  const hint =
    (res.status === 401 && CREDENTIALS_HINT) ||
    (code && (codeHints[code] ?? HINTS[code])) ||
    extraHint ||
    redirect ||
    STATUS_HINTS[res.status] ||
    (res.status >= 500 ? 'the server failed; try again later' : undefined)
  if (hint) parts.push(`Hint: ${hint}`)
  return new RequestError(parts.join('; ') + '.', res.status, code)
}

/**
 * A refusal of the client's authentication (RFC 6749 §5.2 invalid_client; unauthorized_client,
 * which some servers answer for a wrong secret; or a bare 401/403), as opposed to a refusal of
 * the grant or the scope.
 */
export function isClientAuthRefusal(res: HttpResponse): boolean {
  const { code } = oauthError(res.body)
  if (res.status === 401) return true
  if (code === 'invalid_client' || code === 'unauthorized_client') return [400, 401, 403].includes(res.status)
  return res.status === 403 && !code
}

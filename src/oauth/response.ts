/**
 * Reading what a token or revocation endpoint answered: the token fields (masked the moment
 * they are read) and, on failure, an error that names the endpoint, the HTTP status, the
 * OAuth error code with its redacted description, and a hint — never the raw body.
 */
import { describe, RequestError, type HttpRequest, type HttpResponse } from '../http.js'
import { clean, type Secrets } from '../secrets.js'

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
  401: 'the server did not accept the client credentials',
  403: 'the client is not allowed to do this',
  404: 'check the URL: the endpoint was not found',
  405: 'check the URL: the endpoint does not take this method',
  407: 'a proxy asks for credentials: put them in HTTPS_PROXY (http://user:password@host:port)',
  415: "the server does not accept this body format: check 'request-format'",
}
const REDIRECT_HINT =
  'the endpoint redirects (often to a login page): give the final URL; redirects are not followed so that credentials go nowhere else'

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

/** Builds the error for a failed response: endpoint, status, OAuth error, hint. */
export function failure(req: HttpRequest, res: HttpResponse, secrets: Secrets, extraHint?: string): RequestError {
  let code: string | undefined
  let description: string | undefined
  try {
    const json = JSON.parse(res.body)
    if (json && typeof json.error === 'string') code = clean(json.error, secrets, 60)
    if (json && typeof json.error_description === 'string') description = clean(json.error_description, secrets, 300)
  } catch {
    /* not JSON: the body is never shown */
  }
  const reason = !code && res.statusText ? ` ${clean(res.statusText, secrets, 200)}` : ''
  const parts = [`${req.purpose} failed: ${describe(req)} → HTTP ${res.status}${reason}`]
  if (code) parts.push(`error ${code}${description ? `: ${description}` : ''}`)
  const redirect = res.status >= 300 && res.status < 400 ? REDIRECT_HINT : undefined
  const hint =
    (code && HINTS[code]) ||
    extraHint ||
    redirect ||
    STATUS_HINTS[res.status] ||
    (res.status >= 500 ? 'the server failed; try again later' : undefined)
  if (hint) parts.push(`Hint: ${hint}`)
  return new RequestError(parts.join('; ') + '.', res.status, code)
}

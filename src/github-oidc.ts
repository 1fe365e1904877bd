/**
 * The job's GitHub OIDC token (PROTOCOLS.md §3): GET the runner's request URL with the
 * audience, bearer the request token. Transient failures are retried by the HTTP layer; the
 * token (and its signature part) is masked before it is returned.
 */
import { InputError, type Config } from './inputs.js'
import { readJson } from './oauth/response.js'
import { RequestError, type Send } from './http.js'
import type { Secrets } from './secrets.js'

export const PERMISSION_HINT = "grant it in the workflow with 'permissions: id-token: write' (on the job or the workflow)"

const STATUS_HINTS: Record<number, string> = {
  401: "the runner's request token was refused; it is only valid while the job runs",
  403: 'the job may not request OIDC tokens: ' + PERMISSION_HINT,
  404: 'the runner offers no OIDC token service at that URL',
}

/**
 * Whether the flow the inputs describe signs in with the job's OIDC token (checked before any
 * request, by src/preflight.ts). client-auth github-oidc chosen by discovery, not given, is
 * known only after discovery: githubOidcToken says it then.
 */
export function needsGithubOidc(config: Config): boolean {
  switch (config.provider) {
    case 'oauth2':
      return (
        config.clientAuth === 'github-oidc' ||
        (config.grantType === 'jwt-bearer' && !config.assertion) ||
        (config.grantType === 'token-exchange' && !config.subjectToken)
      )
    case 'venafi-tpp':
      // wayIn() of providers/venafi-tpp.ts, not imported so that the provider stays loaded on demand.
      return !(config.username || config.password) && !config.tls.cert
    default:
      return false
  }
}

/** The runner's token service URL and request token, or the InputError that says how to get them. */
/** Why TPP wanted the OIDC token, for its error: the way in is chosen from what is (not) given. */
export function tppKeylessMessage(reason: string): string {
  return `provider venafi-tpp with neither 'username'/'password' nor 'client-certificate'/'client-key' signs in with the job's GitHub OIDC token. ${reason} (Or give 'username'/'password' or a client certificate: an empty secret, e.g. in a pull request from a fork, counts as not given.)`
}

export function oidcRequestEnv(env: NodeJS.ProcessEnv): { url: string; bearer: string } {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!url || !bearer)
    throw new InputError(
      `This flow uses the job's GitHub OIDC token, but the runner offers none (ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set): ${PERMISSION_HINT}. Pull requests from forks never get one.`,
    )
  return { url, bearer }
}

/**
 * Fetches a fresh ID token for `audience` (GitHub's default audience, https://github.com/<owner>,
 * when none is given). `log` gets one line with the claims a relying party matches on — the
 * issuer, subject and audience, which are not secret — to make trust mismatches easy to see.
 */
export async function githubOidcToken(
  env: NodeJS.ProcessEnv,
  send: Send,
  secrets: Secrets,
  audience?: string,
  log?: (line: string) => void,
): Promise<string> {
  const { url, bearer } = oidcRequestEnv(env)
  secrets.add(bearer)
  const full = audience ? `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}` : url
  const req = { method: 'GET' as const, url: full, headers: { authorization: `Bearer ${bearer}` }, purpose: 'GitHub OIDC token request' }
  const res = await send(req)
  if (res.status !== 200) {
    const hint = STATUS_HINTS[res.status] ?? (res.status >= 500 ? 'the token service failed; re-run the job' : "check 'oidc-audience'")
    throw new RequestError(`GitHub OIDC token request failed: HTTP ${res.status}. Hint: ${hint}.`, res.status)
  }
  const value = readJson(req, res).value
  if (typeof value !== 'string' || !value) throw new RequestError('GitHub OIDC token request answered without a token.', res.status)
  secrets.add(value)
  log?.(`GitHub OIDC token: ${describeClaims(value)}`)
  return value
}

/** iss, sub and aud of a JWT (decoded, not verified), for the log; never the token itself. */
export function describeClaims(jwt: string): string {
  try {
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'))
    const aud = Array.isArray(claims.aud) ? claims.aud.join(' ') : claims.aud
    // Control characters dropped: a claim must not start a new log line (or a workflow command).
    return `iss=${claims.iss}, sub=${claims.sub}, aud=${aud}`.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  } catch {
    return 'not a JWT'
  }
}

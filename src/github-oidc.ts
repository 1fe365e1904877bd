/**
 * The job's GitHub OIDC token (PROTOCOLS.md §3): GET the runner's request URL with the
 * audience, bearer the request token. Retries come from the HTTP layer; the token is masked
 * before it is returned.
 */
import { InputError } from './inputs.js'
import { readJson } from './oauth/response.js'
import { RequestError, type Send } from './http.js'
import type { Secrets } from './secrets.js'

export async function githubOidcToken(
  env: NodeJS.ProcessEnv,
  send: Send,
  secrets: Secrets,
  audience?: string,
): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!url || !bearer)
    throw new InputError(
      `This flow uses the job's GitHub OIDC token, but the runner offers none. Grant it in the workflow: permissions: id-token: write (on the job or workflow).`,
    )
  secrets.add(bearer)
  const full = audience ? `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}` : url
  const req = { method: 'GET' as const, url: full, headers: { authorization: `Bearer ${bearer}` }, purpose: 'GitHub OIDC token request' }
  const res = await send(req)
  if (res.status !== 200)
    throw new RequestError(`GitHub OIDC token request failed: HTTP ${res.status}. Hint: check 'permissions: id-token: write' and 'oidc-audience'.`, res.status)
  const value = readJson(req, res).value
  if (typeof value !== 'string' || !value) throw new RequestError('GitHub OIDC token request answered without a token.', res.status)
  secrets.add(value)
  return value
}

/**
 * Endpoint discovery from an issuer: RFC 8414 first (well-known inserted before the issuer's
 * path), then OpenID Connect Discovery (appended). The document's issuer must match. A URL that
 * answers 200 with something else (an app that serves HTML on every path, or another issuer's
 * document) does not stop the search: the next URL is tried, and only when both fail is the
 * error thrown, naming what each answered.
 */
import { RequestError } from '../http.js'
import type { Deps } from '../providers/index.js'
import { clean } from '../secrets.js'

export interface Metadata {
  issuer: string
  token_endpoint?: string
  revocation_endpoint?: string
  introspection_endpoint?: string
  token_endpoint_auth_methods_supported?: string[]
  revocation_endpoint_auth_methods_supported?: string[]
  grant_types_supported?: string[]
}

export function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer)
  const path = u.pathname.replace(/\/$/, '')
  return [`${u.origin}/.well-known/oauth-authorization-server${path}`, `${u.origin}${path}/.well-known/openid-configuration`]
}

const sameIssuer = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '')

/** A JSON object, or undefined for anything else (HTML, an array, a string…). */
function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export async function discover(issuer: string, deps: Pick<Deps, 'send' | 'secrets'>): Promise<Metadata> {
  const answers: string[] = []
  let otherIssuer = false
  for (const url of discoveryUrls(issuer)) {
    const req = { method: 'GET' as const, url, purpose: 'Discovery' }
    const res = await deps.send(req)
    const answered = (what: string) => answers.push(`${new URL(url).pathname} → ${what}`)
    if (res.status !== 200) {
      answered(`HTTP ${res.status}`)
      continue
    }
    const doc = jsonObject(res.body)
    if (!doc) {
      const type = clean(String(res.headers['content-type'] ?? 'none').split(';')[0], deps.secrets, 60) || 'none'
      answered(`not JSON (content-type ${type})`)
      continue
    }
    if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer)) {
      // An issuer is public (it is in every token); cleaned all the same, as the server chose it.
      otherIssuer = true
      answered(typeof doc.issuer === 'string' ? `issuer '${clean(doc.issuer, deps.secrets, 200)}'` : 'no issuer')
      continue
    }
    return doc as unknown as Metadata
  }
  const hint = otherIssuer
    ? "set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead"
    : "check 'issuer', or give 'token-url' (and 'revocation-url') instead"
  throw new RequestError(`Discovery failed for issuer ${issuer} (${answers.join(', ')}). Hint: ${hint}.`)
}

/**
 * Endpoint discovery from an issuer: RFC 8414 first (well-known inserted before the issuer's
 * path), then OpenID Connect Discovery (appended). The document's issuer must match.
 */
import { RequestError } from '../http.js'
import type { Deps } from '../providers/index.js'
import { readJson } from './response.js'

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

export async function discover(issuer: string, deps: Pick<Deps, 'send' | 'secrets'>): Promise<Metadata> {
  const statuses: string[] = []
  for (const url of discoveryUrls(issuer)) {
    const req = { method: 'GET' as const, url, purpose: 'Discovery' }
    const res = await deps.send(req)
    if (res.status !== 200) {
      statuses.push(`${new URL(url).pathname} → HTTP ${res.status}`)
      continue
    }
    const doc = readJson(req, res) as unknown as Metadata
    if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer))
      throw new RequestError(
        `Discovery: the metadata at ${url} names issuer '${String(doc.issuer)}', not '${issuer}'. Hint: set 'issuer' exactly as the server names itself.`,
      )
    return doc
  }
  throw new RequestError(
    `Discovery failed for issuer ${issuer} (${statuses.join(', ')}). Hint: check 'issuer', or give 'token-url' (and 'revocation-url') instead.`,
  )
}

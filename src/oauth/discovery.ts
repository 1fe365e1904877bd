/**
 * Endpoint discovery from an issuer: RFC 8414 first (well-known inserted before the issuer's
 * path), then OpenID Connect Discovery (appended). The document's issuer must match. A URL that
 * answers 200 with something else (an app that serves HTML on every path, or another issuer's
 * document) does not stop the search: the next URL is tried, and only when both fail is the
 * error thrown, naming what each answered. The metadata GET carries no credential, so it follows
 * a few redirects (a server that routes the well-known path only with a trailing slash answers
 * 301), each to https or loopback only unless plain http is allowed; the issuer check still applies.
 */
import { redirectTarget, RequestError, showableUrl, type HttpResponse } from '../http.js'
import { isAllowedUrl } from '../inputs.js'
import type { Deps } from '../providers/index.js'
import { clean, cleanUrl } from '../secrets.js'
import { jsonObject } from './response.js'

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

export const MAX_REDIRECTS = 3
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308])

export interface DiscoverOptions {
  /** allow-insecure-http: a redirect may then lead to plain http on any host. */
  allowInsecureHttp?: boolean
}

type DiscoveryDeps = Pick<Deps, 'send' | 'secrets'> & Partial<Pick<Deps, 'log'>>

/** The metadata GET, following at most MAX_REDIRECTS redirects; `hops` names each, for the error. */
async function fetchMetadata(
  first: string,
  deps: DiscoveryDeps,
  options: DiscoverOptions,
): Promise<{ res: HttpResponse; hops: string[]; refused?: string }> {
  const hops: string[] = []
  let url = first
  for (let redirects = 0; ; redirects++) {
    const res = await deps.send({ method: 'GET', url, purpose: 'Discovery' })
    if (!REDIRECT_STATUS.has(res.status)) return { res, hops }
    // Where it points is server text: the path (never a query) on the same origin, else the host only.
    const target = redirectTarget(url, res, deps.secrets)
    const next = target.url
    const shown = target.shown ?? 'another host'
    hops.push(`HTTP ${res.status} to ${shown}`)
    if (!next) return { res, hops, refused: 'not followed' }
    // Its URL would be logged as the HTTP layer shows it: a secret in it, or a host the parser rewrote, stops here.
    if (!target.showable) return { res, hops, refused: 'not followed: its URL carries a secret or a host not as written' }
    if (!isAllowedUrl(next.href, !!options.allowInsecureHttp)) return { res, hops, refused: 'not followed: plain http' }
    if (redirects === MAX_REDIRECTS) return { res, hops, refused: `not followed: more than ${MAX_REDIRECTS} redirects` }
    // Only showable URLs are followed, so the one this hop came from is safe to name (cleaned all the same).
    deps.log?.debug(`Discovery: ${cleanUrl(new URL(url), deps.secrets, 200, false)} redirects (HTTP ${res.status}) to ${shown}; following`)
    url = next.href
  }
}

export async function discover(issuer: string, deps: DiscoveryDeps, options: DiscoverOptions = {}): Promise<Metadata> {
  const answers: string[] = []
  let otherIssuer = false
  for (const url of discoveryUrls(issuer)) {
    const { res, hops, refused } = await fetchMetadata(url, deps, options)
    const answered = (what: string) => answers.push([new URL(url).pathname, ...hops, what].join(' → '))
    if (refused) {
      answered(refused)
      continue
    }
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
    debugMetadata(doc, deps)
    return doc as unknown as Metadata
  }
  const hint = otherIssuer
    ? "set 'issuer' exactly as the server names itself (RFC 8414 §3.3), or give 'token-url' (and 'revocation-url') instead"
    : "check 'issuer', or give 'token-url' (and 'revocation-url') instead"
  throw new RequestError(`Discovery failed for issuer ${issuer} (${answers.join(', ')}). Hint: ${hint}.`)
}

/** Step debug: the endpoints and auth methods the server lists (its text, cleaned; URLs without query). */
function debugMetadata(doc: Record<string, unknown>, deps: DiscoveryDeps): void {
  if (!deps.log) return
  const url = (v: unknown) => {
    if (v === undefined) return 'none'
    if (typeof v !== 'string' || !URL.canParse(v)) return '(not a URL)'
    // Its origin and path as the parser rewrites them could carry a secret past the masks (see showableUrl).
    if (!showableUrl(v, deps.secrets)) return '(not shown: it carries a secret or a rewritten host)'
    return cleanUrl(new URL(v), deps.secrets, 200)
  }
  const list = (v: unknown) =>
    Array.isArray(v) ? clean(v.filter((m) => typeof m === 'string').join(', '), deps.secrets, 300) || 'none' : 'not listed'
  deps.log.debug(
    `Discovery: token_endpoint ${url(doc.token_endpoint)}, revocation_endpoint ${url(doc.revocation_endpoint)}, introspection_endpoint ${url(doc.introspection_endpoint)}`,
  )
  deps.log.debug(
    `Discovery: token_endpoint_auth_methods_supported ${list(doc.token_endpoint_auth_methods_supported)}; revocation_endpoint_auth_methods_supported ${list(doc.revocation_endpoint_auth_methods_supported)}`,
  )
}

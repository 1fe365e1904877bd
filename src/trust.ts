/**
 * Which endpoints the inputs vouch for. The post step sends credentials (a client secret, a fresh
 * client assertion, the token itself) only to those: the ones given as inputs, the ones discovered
 * from the given issuer, anything under the given server-url, and the vendor's own fixed hosts.
 * Main saves its own state first, so a lease in post is main's; this is the second lock, for a
 * lease planted through GITHUB_ENV (STATE_lease) when main saved none.
 */
import { SIGNEASY_TOKEN_URL, type Config } from './inputs.js'
import type { Lease } from './lease.js'
import { discover, type Metadata } from './oauth/discovery.js'
import type { Deps } from './providers/index.js'

/** Hosts Signeasy's protocol is fixed to (PROTOCOLS.md §4): its token and API origins. */
const SIGNEASY_ORIGINS = [new URL(SIGNEASY_TOKEN_URL).origin, 'https://api.signeasy.com']

const discoveries = new WeakMap<Deps, Map<string, Promise<Metadata>>>()

/** The issuer's metadata, discovered once per step (trust and introspection share it). */
export function metadataOf(issuer: string, deps: Deps): Promise<Metadata> {
  let byIssuer = discoveries.get(deps)
  if (!byIssuer) discoveries.set(deps, (byIssuer = new Map()))
  let found = byIssuer.get(issuer)
  if (!found) byIssuer.set(issuer, (found = discover(issuer, deps)))
  return found
}

const same = (a: string, b: string | undefined) => !!b && URL.canParse(b) && new URL(a).href === new URL(b).href

/** The endpoints a lease would have post contact, by what they are called. */
function endpointsOf(lease: Lease): [string, string][] {
  const named: [string, string | undefined][] = [
    ['token endpoint', lease.tokenEndpoint],
    ['revocation endpoint', lease.revocationEndpoint],
  ]
  return named.filter((e): e is [string, string] => e[1] !== undefined)
}

/**
 * The endpoints of the lease the inputs do not vouch for ('revocation endpoint evil.example'),
 * empty when all are vouched for. Discovery (a GET without credentials) happens only when a
 * given URL does not already vouch for every endpoint.
 */
export async function unvouched(lease: Lease, config: Config, deps: Deps): Promise<string[]> {
  if (lease.provider !== config.provider) return [`provider ${lease.provider}, not the configured ${config.provider}`]
  const given = [config.tokenUrl, config.revocationUrl, config.introspectionUrl]
  const origins: string[] = []
  if (config.serverUrl && URL.canParse(config.serverUrl)) origins.push(new URL(config.serverUrl).origin)
  if (config.provider === 'signeasy') origins.push(...SIGNEASY_ORIGINS)
  const vouched = (url: string, extra: (string | undefined)[] = []) =>
    URL.canParse(url) && ([...given, ...extra].some((g) => same(url, g)) || origins.includes(new URL(url).origin))
  let left = endpointsOf(lease).filter(([, url]) => !vouched(url))
  if (left.length && config.provider === 'oauth2' && config.issuer) {
    const m = await metadataOf(config.issuer, deps)
    left = left.filter(([, url]) => !vouched(url, [m.token_endpoint, m.revocation_endpoint, m.introspection_endpoint]))
  }
  return left.map(([name, url]) => `${name} ${URL.canParse(url) ? new URL(url).host : '(not a URL)'}`)
}

/**
 * The Provider interface every wire protocol implements, and the registry that loads one.
 * Providers are plain code: no Actions calls, everything they need arrives in `Deps`,
 * so each can be tested with a fake `send` or against a real server.
 */
import type { Config, ProviderName } from '../inputs.js'
import type { Send } from '../http.js'
import type { Lease } from '../lease.js'
import type { Secrets } from '../secrets.js'

export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

export interface Deps {
  send: Send
  secrets: Secrets
  log: Logger
  /** Epoch seconds. */
  now: () => number
  /** The job's GitHub OIDC token for an audience (masked by the time it returns). */
  githubOidcToken: (audience?: string) => Promise<string>
}

export interface Acquired {
  lease: Lease
  /** Outputs beyond the token's own, e.g. a rotated refresh or API token (already masked). */
  outputs?: Record<string, string>
  /** Why revocation is 'unsupported' and how to fix it, e.g. "the metadata lists no revocation_endpoint: give 'revocation-url'". */
  unsupportedReason?: string
}

/** 'revoked' only when the server accepted the revocation (2xx; TPP 200); 'not found': TPP's 202, nothing was revoked. */
export type RevokeResult = 'revoked' | 'not found'

export interface RevokeOptions {
  /** The access token has expired: only what outlives it (a refresh token) is left to revoke. */
  accessTokenExpired?: boolean
}

/**
 * What the server says of a token after revocation: 'dead' (RFC 7662 active:false, TPP verify 401),
 * 'alive' (still accepted: the revocation did not take), or 'unknown' with the reason it could not be asked.
 */
export type Verification = { state: 'dead' } | { state: 'alive' } | { state: 'unknown'; reason: string }

export interface Provider {
  acquire(): Promise<Acquired>
  /** Ends the lease; throws a RequestError when the server refuses. */
  revoke(lease: Lease, options?: RevokeOptions): Promise<RevokeResult>
  /** Asks the server whether the revoked token is dead (one request at most); absent: the protocol cannot tell. */
  verify?(lease: Lease): Promise<Verification>
}

export type ProviderFactory = (config: Config, deps: Deps) => Provider | Promise<Provider>

/** Each provider is its own chunk, loaded only when the workflow asks for it. */
const registry: Record<ProviderName, () => Promise<{ create: ProviderFactory }>> = {
  oauth2: () => import('./oauth2.js'),
  'venafi-tpp': () => import('./venafi-tpp.js'),
  'm-trust': () => import('./m-trust.js'),
  signeasy: () => import('./signeasy.js'),
}

export async function createProvider(config: Config, deps: Deps): Promise<Provider> {
  const { create } = await registry[config.provider]()
  return create(config, deps)
}

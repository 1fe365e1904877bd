/** Typed access to the loopback authorization server emulator (scripts/lib/loopback-as.mjs). */
// @ts-expect-error: plain ESM helper without type declarations
import * as server from '../../scripts/lib/loopback-as.mjs'

export interface LoopbackClient {
  id: string
  secret?: string
  scope?: string
  /** Entra ID-style federated identity credentials: a JWT with this iss, sub and aud authenticates the client. */
  federated?: { issuer: string; subject: string; audience: string }[]
}

export interface LoopbackAsOptions {
  clients?: LoopbackClient[]
  users?: { username: string; password: string }[]
  /** Entra ID v2.0 paths under this tenant (and no revocation endpoint unless `revocation`). */
  tenant?: string
  revocation?: boolean
  authMethods?: string[]
  rotateRefreshTokens?: boolean
  refreshTokenOnPassword?: boolean
  accessTokenTtl?: number
  /** false: Basic credentials compared as sent, not form-decoded (RFC 6749 Appendix B ignored). */
  basicFormDecoding?: boolean
  /** true: a failed client authentication is answered 403 with no body. */
  bareClientRefusal?: boolean
  /** false: client_secret_post is refused. */
  postAuth?: boolean
  /** true: paths routed only with a trailing slash; without it, a 301 to it. */
  trailingSlash?: boolean
  /** false: the metadata lists no revocation_endpoint although the endpoint works. */
  listRevocation?: boolean
}

export interface LoopbackAs {
  issuer: string
  tokenEndpoint: string
  revocationEndpoint?: string
  requests: { method: string; path: string; headers: Record<string, string | undefined>; params: Record<string, string> }[]
  seedRefreshToken(clientId: string, scope?: string): string
  introspect(token: string): { active: boolean; token_type?: string; client_id?: string; scope?: string; username?: string }
  close(): Promise<void>
}

export const startLoopbackAs = (options: LoopbackAsOptions = {}): Promise<LoopbackAs> => server.startLoopbackAs(options)

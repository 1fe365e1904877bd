/** Typed access to the real authorization server (oidc-provider) used by tests and the demo. */
// @ts-expect-error: plain ESM helper without type declarations
import * as server from '../../scripts/lib/oidc-server.mjs'

/** A request as the server saw it (the tests' own introspection calls are not recorded). */
export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | undefined>
  /** The parsed form (or JSON) body, when there was one. */
  body?: Record<string, string | string[]>
  status: number
}

export interface OidcServer {
  issuer: string
  port: number
  requests: RecordedRequest[]
  /** Introspection requests a client under test made (not the tests' own). */
  introspections: RecordedRequest[]
  /** The oidc-provider instance, e.g. to listen to its events ('grant.error', …). */
  provider: {
    on(event: string, listener: (ctx: unknown, err: { error_detail?: string }) => void): void
    off(event: string, listener: (ctx: unknown, err: { error_detail?: string }) => void): void
  }
  introspect(token: string): Promise<{ active: boolean; [k: string]: unknown }>
  close(): Promise<void>
}

export const CI_CLIENT = { id: 'ci-client', secret: 'Sup3r:secret+with%chars & "quotes"' }

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'

export const startOidcServer = (options: Record<string, unknown> = {}): Promise<OidcServer> => server.startOidcServer(options)

/** Typed access to the real authorization server (oidc-provider) used by tests and the demo. */
// @ts-expect-error: plain ESM helper without type declarations
import * as server from '../../scripts/lib/oidc-server.mjs'

export interface OidcServer {
  issuer: string
  port: number
  introspect(token: string): Promise<{ active: boolean; [k: string]: unknown }>
  close(): Promise<void>
}

export const CI_CLIENT = { id: 'ci-client', secret: 'Sup3r:secret+with%chars & "quotes"' }

export const startOidcServer = (options: Record<string, unknown> = {}): Promise<OidcServer> => server.startOidcServer(options)

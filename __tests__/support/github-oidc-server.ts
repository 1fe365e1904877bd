/** Typed access to the stand-in for the runner's OIDC token service (scripts/lib/github-oidc-server.mjs). */
// @ts-expect-error: plain ESM helper without type declarations
import * as server from '../../scripts/lib/github-oidc-server.mjs'

export interface GithubOidcServer {
  issuer: string
  jwks: { keys: object[] }
  requestToken: string
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  requests: { method: string; path: string; audience: string | null; authorization?: string }[]
  issued: string[]
  verify(jwt: string, audience: string): Promise<{ payload: Record<string, unknown> }>
  close(): Promise<void>
}

export const startGithubOidcServer = (options: Record<string, unknown> = {}): Promise<GithubOidcServer> =>
  server.startGithubOidcServer(options)

/** Typed access to the Venafi TPP (VEDauth) emulator in scripts/lib/tpp-emulator.mjs, and the throwaway PKI. */
// @ts-expect-error: plain ESM helper without type declarations
import * as emulator from '../../scripts/lib/tpp-emulator.mjs'
// @ts-expect-error: plain ESM helper without type declarations
import * as pkiLib from '../../scripts/lib/pki.mjs'

export interface Pki {
  ca: { cert: string; key: string }
  server: { cert: string; key: string }
  client: { cert: string; key: string; cn: string }
  clientEncrypted: { key: string; passphrase: string }
}

export interface TppIntegration {
  id: string
  scope: string
  refresh?: boolean
  accessLifetime?: number
  grantLifetime?: number
  expiresIn?: boolean
}

export interface TppEmulatorOptions {
  pki: Pki
  integrations?: TppIntegration[]
  users?: { username: string; password: string; identity: string }[]
  certificates?: { cn: string; identity: string }[]
  jwtMappings?: {
    verify: (jwt: string, audience: string) => Promise<{ payload: Record<string, unknown> }>
    audience: string
    claims?: Record<string, unknown>
    identity: string
  }[]
  errorStyle?: 'json' | 'reason'
  now?: () => number
}

export interface TppRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
  json?: Record<string, unknown>
  clientCertificate?: { cn: string; authorized: boolean }
}

export interface TppGrant {
  id: string
  clientId: string
  identity: string
  scope: string
  accessToken: string
  refreshToken?: string
  accessIssuedAt: number
  accessExpires: number
  grantExpires: number
  revoked: boolean
  revokedAt?: number
  refreshCount: number
}

export interface ProbeResponse {
  status: number
  statusText: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface TppFault {
  status?: number
  reason?: string
  headers?: Record<string, string>
  body?: string
  reset?: boolean
  times?: number
}

export interface TppEmulator {
  url: string
  port: number
  requests: TppRequest[]
  grants: TppGrant[]
  inject(path: string, fault: TppFault): void
  verify(token: string): Promise<ProbeResponse>
  refresh(clientId: string, refreshToken: string): Promise<ProbeResponse>
  probe(method: string, path: string, options?: { headers?: Record<string, string>; body?: string }): Promise<ProbeResponse>
  close(): Promise<void>
}

export const startTppEmulator = (options: TppEmulatorOptions): Promise<TppEmulator> => emulator.startTppEmulator(options)
export const parseScope = (text: string): Map<string, Set<string>> => emulator.parseScope(text)
export const formatScope = (parsed: Map<string, Set<string>>): string => emulator.formatScope(parsed)
export const createPki = (options: { clientCn?: string; passphrase?: string } = {}): Pki => pkiLib.createPki(options)

/** The fixture most tests share: one integration, one user, one mapped certificate, one JWT mapping. */
export const TPP = {
  clientId: 'token-lease-ci',
  integrationScope: 'certificate:discover,manage,revoke;configuration',
  username: 'local:svc-release',
  password: 'Pa55:word+with%chars & "quotes"',
  userIdentity: 'local:{6b3a2c1e-0000-4000-8000-00000000a001}',
  certIdentity: 'local:{6b3a2c1e-0000-4000-8000-00000000a002}',
  jwtIdentity: 'local:{6b3a2c1e-0000-4000-8000-00000000a003}',
  jwtAudience: 'https://tpp.example.com/vedauth',
  repository: 'octo-org/octo-repo',
} as const

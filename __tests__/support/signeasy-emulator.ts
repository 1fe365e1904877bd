/** Typed access to the Signeasy token-endpoint emulator in scripts/lib/signeasy-emulator.mjs. */
// @ts-expect-error: plain ESM helper without type declarations
import * as emulator from '../../scripts/lib/signeasy-emulator.mjs'
import { request as httpRequest } from 'node:http'
import type { Pki } from './tpp-emulator.js'

export interface SigneasyClient {
  id: string
  secret: string
  /** Scopes the client is granted (default rs:read rs:update). */
  scopes?: string[]
}

export interface SigneasyEmulatorOptions {
  clients?: SigneasyClient[]
  audience?: string
  /** Access-token lifetime in seconds (default 30 days). */
  lifetime?: number
  /** false: the revocation endpoint refuses client-credentials tokens (403), which stay alive (default true). */
  revokesClientCredentials?: boolean
  /** Serve HTTPS with this PKI's server certificate. */
  pki?: Pki
  now?: () => number
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface IssuedToken {
  token: string
  clientId: string
  claims: { iss: string; sub: string; aud: string; iat: number; exp: number; azp: string; scope: string; gty: string }
  format: 'json' | 'form'
  clientAuth: 'client_secret_post' | 'client_secret_basic'
  /** Epoch seconds: when DELETE /oauth2/tokens/revoke/ ended it. */
  revokedAt?: number
}

export interface Fault {
  status?: number
  headers?: Record<string, string>
  body?: string
  reset?: boolean
  times?: number
}

export interface SigneasyEmulator {
  url: string
  port: number
  tokenUrl: string
  /** DELETE here with the token as Bearer revokes it (Signeasy's documented path, on this server). */
  revocationUrl: string
  audience: string
  requests: RecordedRequest[]
  issued: IssuedToken[]
  /** Whether the API would accept the token now (GET /v3/me answers 200): issued here, not revoked, not expired. */
  isLive(token: string): boolean
  inject(path: string, fault: Fault): void
  close(): Promise<void>
}

export const SIGNEASY_AUDIENCE: string = emulator.SIGNEASY_AUDIENCE
export const THIRTY_DAYS: number = emulator.THIRTY_DAYS
export const REVOKE_PATH: string = emulator.REVOKE_PATH
export const ME_PATH: string = emulator.ME_PATH
export const startSigneasyEmulator = (options: SigneasyEmulatorOptions = {}): Promise<SigneasyEmulator> =>
  emulator.startSigneasyEmulator(options)

/** The fixture the tests share (nothing here is a real credential). */
export const SIGNEASY = {
  clientId: 'se-live-app-0042',
  clientSecret: 'se:Secr3t+with%chars & "quotes"/x',
} as const

/** A raw request of the test's own (not through the action), to show what an emulator accepts and refuses. */
export function rawRequest(
  url: string,
  { method = 'POST', headers = {}, body = '' }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; json?: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => {
        let json: Record<string, unknown> | undefined
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The step inputs for the fixture client against emulator `se`; `extra` adds or overrides. */
export const signeasyInputs = (se: Pick<SigneasyEmulator, 'tokenUrl' | 'revocationUrl'>, extra: Record<string, string> = {}) => ({
  provider: 'signeasy',
  'token-url': se.tokenUrl,
  'revocation-url': se.revocationUrl,
  'client-id': SIGNEASY.clientId,
  'client-secret': SIGNEASY.clientSecret,
  ...extra,
})

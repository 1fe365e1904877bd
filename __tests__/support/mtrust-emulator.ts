/** Typed access to the M-Trust token API emulator in scripts/lib/mtrust-emulator.mjs. */
// @ts-expect-error: plain ESM helper without type declarations
import * as emulator from '../../scripts/lib/mtrust-emulator.mjs'
import type { Fault, RecordedRequest } from './signeasy-emulator.js'
import type { Pki } from './tpp-emulator.js'

export interface MtrustApp {
  id: string
  apiTokens?: { name: string; value: string; expiresAt?: number }[]
}

export interface MtrustEmulatorOptions {
  apps?: MtrustApp[]
  accessLifetime?: number
  accessTokenFormat?: 'jwt' | 'opaque'
  errorStyle?: 'oauth' | 'problem'
  rotationStatus?: number
  /** Which documented rotation path is live (the other answers 404): the guide's (default) or the API reference's. */
  rotatePath?: 'guide' | 'reference'
  /** The shape of creationDate/expirationDate in a rotation answer (default 'iso'). */
  dates?: 'iso' | 'epoch-seconds' | 'epoch-ms'
  pki?: Pki
  now?: () => number
}

export interface MtrustApiToken {
  appId: string
  name: string
  value: string
  createdAt: number
  expiresAt: number
  active: boolean
  replacedBy?: string
}

export interface MtrustAccessToken {
  token: string
  appId: string
  apiTokenName: string
  issuedAt: number
  expiresAt: number
}

export interface MtrustEmulator {
  url: string
  port: number
  requests: (RecordedRequest & { json?: Record<string, unknown> })[]
  apiTokens: MtrustApiToken[]
  accessTokens: MtrustAccessToken[]
  isLive(token: string): boolean
  inject(path: string, fault: Fault): void
  close(): Promise<void>
}

export const ACCESS_TOKEN_PATH: string = emulator.ACCESS_TOKEN_PATH
export const ROTATE_PATH: string = emulator.ROTATE_PATH
export const REFERENCE_ROTATE_PATH: string = emulator.REFERENCE_ROTATE_PATH
export const startMtrustEmulator = (options: MtrustEmulatorOptions = {}): Promise<MtrustEmulator> => emulator.startMtrustEmulator(options)

/** The fixture the tests share (nothing here is a real credential). */
export const MTRUST = {
  appId: '3f2a9c1e-7b5d-4e8a-9c0f-0000000000a1',
  apiTokenName: 'ci-release',
  apiToken: 'mt_api-T0ken+with/chars=and"quotes"-0001',
} as const

/** One App with the fixture's API token (a fresh copy: the emulator deactivates it on rotation). */
export const fixtureApps = (): MtrustApp[] => [{ id: MTRUST.appId, apiTokens: [{ name: MTRUST.apiTokenName, value: MTRUST.apiToken }] }]

/** The step inputs for the fixture App against emulator `mt`; `extra` adds or overrides. */
export const mtrustInputs = (mt: Pick<MtrustEmulator, 'url'>, extra: Record<string, string> = {}) => ({
  provider: 'm-trust',
  'server-url': mt.url,
  'client-id': MTRUST.appId,
  'api-token': MTRUST.apiToken,
  ...extra,
})

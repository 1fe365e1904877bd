/** Typed access to the fault-injecting loopback server (scripts/lib/fault-server.mjs). */
// @ts-expect-error: plain ESM helper without type declarations
import * as impl from '../../scripts/lib/fault-server.mjs'

export interface RecordedRequest {
  method: string
  path: string
  query: string
  headers: Record<string, string | string[] | undefined>
  body: string
  /** performance.now() of the test process when the request had fully arrived. */
  at: number
  clientCertCn?: string
}

export type Step = { delayMs?: number } & (
  | { status?: number; statusText?: string; headers?: Record<string, string>; json?: unknown; body?: string; stall?: boolean }
  | { reset: true }
  | { hang: true }
  | { status: number; echo: 'text' | 'json' | 'body' }
)

export interface FaultServer {
  port: number
  origin: string
  url(path: string): string
  requests: RecordedRequest[]
  requestsTo(method: string, path: string): RecordedRequest[]
  route(method: 'GET' | 'POST' | 'DELETE', path: string, steps: Step | Step[]): void
  reset(): void
  close(): Promise<void>
}

export interface FaultServerTls {
  cert: string
  key: string
  ca?: string
  requestCert?: boolean
}

export const startFaultServer = (options: { tls?: FaultServerTls } = {}): Promise<FaultServer> => impl.startFaultServer(options)

export const issueServerCertificate = (ca: { cert: string; key: string }, names: string[]): { cert: string; key: string } =>
  impl.issueServerCertificate(ca, names)

/** Typed access to the CONNECT-only test proxy (scripts/lib/connect-proxy.mjs). */
// @ts-expect-error: plain ESM helper without type declarations
import * as impl from '../../scripts/lib/connect-proxy.mjs'

export interface Tunnel {
  target: string
  host: string
  port: number
  proxyAuthorization?: string
  /** The status the proxy answered the CONNECT with. */
  status: number
}

export interface ConnectProxy {
  port: number
  url: string
  tunnels: Tunnel[]
  close(): Promise<void>
}

export interface ConnectProxyOptions {
  /** Host name → IP, the proxy's own name resolution. */
  hosts?: Record<string, string>
  /** Answer every CONNECT with this status. */
  refuse?: number
  /** "user:password" the proxy requires (407 without). */
  credentials?: string
  /** Accept each CONNECT and never answer it. */
  hang?: boolean
}

export const startConnectProxy = (options: ConnectProxyOptions = {}): Promise<ConnectProxy> => impl.startConnectProxy(options)

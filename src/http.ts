/**
 * The one HTTP layer: per-request timeout, retries of transient failures with capped
 * exponential backoff and full jitter (honouring Retry-After), TLS trust anchors and client
 * certificates (also through a proxy), and log lines that never carry a body or a header.
 */
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import type { OutgoingHttpHeaders, RequestOptions } from 'node:http'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import type { TlsConfig } from './inputs.js'
import { isAllowedUrl } from './inputs.js'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers?: Record<string, string>
  body?: string
  /** Names the endpoint in log lines and errors, e.g. "token endpoint". */
  purpose: string
}

export interface HttpResponse {
  status: number
  /** The reason phrase (TPP puts its error text there). */
  statusText: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface HttpOptions {
  /** Seconds per attempt. */
  timeout: number
  retries: number
  tls?: TlsConfig
  allowInsecureHttp?: boolean
  log: (line: string) => void
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** First backoff step; doubles per attempt up to MAX_BACKOFF_MS. */
  backoffMs?: number
}

export type Send = (req: HttpRequest) => Promise<HttpResponse>

const MAX_BACKOFF_MS = 10_000
const MAX_RETRY_AFTER_MS = 60_000
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504])
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'TIMEOUT', 'UND_ERR_SOCKET'])

/** A request that could not be completed, or whose answer was an error. Message has no secret. */
export class RequestError extends Error {
  override name = 'RequestError'
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message)
  }
}

/** Where a request went, for humans: method, origin and path, never the query. */
export function describe(req: Pick<HttpRequest, 'method' | 'url'>): string {
  const u = new URL(req.url)
  return `${req.method} ${u.origin}${u.pathname}`
}

export class Http {
  private readonly client: HttpClient
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number

  constructor(private readonly options: HttpOptions) {
    const handlers = options.tls && (options.tls.ca || options.tls.cert) ? [tlsHandler(options.tls)] : []
    this.client = new HttpClient('token-lease', handlers, {
      socketTimeout: options.timeout * 1000,
      allowRedirects: false,
      allowRetries: false,
      keepAlive: false,
    })
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    this.random = options.random ?? Math.random
  }

  /** Sends with retries; resolves with the final response whatever its status. */
  readonly send: Send = async (req) => {
    if (!isAllowedUrl(req.url, !!this.options.allowInsecureHttp))
      throw new RequestError(`Refused plain http to ${new URL(req.url).host} (${req.purpose}): use https, or set allow-insecure-http: true`)
    const attempts = this.options.retries + 1
    const where = describe(req)
    for (let attempt = 1; ; attempt++) {
      const started = Date.now()
      let outcome: string
      let retryAfterMs: number | undefined
      try {
        const res = await this.once(req)
        const ms = Date.now() - started
        if (!TRANSIENT_STATUS.has(res.status) || attempt === attempts) {
          this.options.log(`${where} → HTTP ${res.status} (${ms} ms${attempts > 1 && attempt > 1 ? `, attempt ${attempt} of ${attempts}` : ''})`)
          return res
        }
        outcome = `HTTP ${res.status}`
        retryAfterMs = parseRetryAfter(res.headers['retry-after'])
      } catch (err) {
        const code = errorCode(err)
        if (!TRANSIENT_CODES.has(code) || attempt === attempts) {
          this.options.log(`${where} → ${code} (attempt ${attempt} of ${attempts})`)
          throw networkError(req, code, attempt)
        }
        outcome = code
      }
      const cap = Math.min(MAX_BACKOFF_MS, (this.options.backoffMs ?? 1000) * 2 ** (attempt - 1))
      const wait = Math.round((retryAfterMs ?? 0) + this.random() * cap)
      this.options.log(`${where} → ${outcome} (attempt ${attempt} of ${attempts}); retrying in ${(wait / 1000).toFixed(1)} s`)
      await this.sleep(wait)
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const headers: OutgoingHttpHeaders = { accept: 'application/json', ...req.headers }
    const res = await this.client.request(req.method, req.url, req.body ?? null!, headers)
    // The socket timeout covers waiting for headers; this bounds reading the body as well.
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        res.message.destroy()
        reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }))
      }, this.options.timeout * 1000)
    })
    try {
      const body = await Promise.race([res.readBody(), deadline])
      return { status: res.message.statusCode ?? 0, statusText: res.message.statusMessage ?? '', headers: res.message.headers, body }
    } finally {
      clearTimeout(timer)
    }
  }
}

/** Adds trust anchors and a client certificate to each request, also through a proxy tunnel. */
function tlsHandler(tls: TlsConfig): RequestHandler {
  const ca = tls.ca ? [...rootCertificates, ...extraCaCertificates(), tls.ca] : undefined
  const settings = {
    ...(ca && { ca }),
    ...(tls.cert && { cert: tls.cert, key: tls.key, passphrase: tls.passphrase }),
  }
  return {
    prepareRequest(options: RequestOptions) {
      Object.assign(options, settings)
      // A proxy tunnel agent opens the TLS socket from its own options, not the request's.
      const agent = options.agent as { options?: object; proxyOptions?: object } | undefined
      if (agent && agent.proxyOptions) agent.options = { ...agent.options, ...settings }
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
  }
}

/** Setting `ca` replaces Node's trust store, so keep what NODE_EXTRA_CA_CERTS added. */
function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS
  if (!file) return []
  try {
    return [readFileSync(file, 'utf8')]
  } catch {
    return []
  }
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; message?: string }
  if (e?.code) return e.code
  if (/timeout/i.test(e?.message ?? '')) return 'TIMEOUT'
  return 'ERROR'
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/

function networkError(req: HttpRequest, code: string, attempts: number): RequestError {
  const where = `${req.purpose} (${describe(req)})`
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT')
    return new RequestError(`${where} timed out${tries}. Hint: check that the server is reachable from the runner, or raise 'timeout'.`, undefined, code)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new RequestError(`${where} failed: DNS lookup of ${new URL(req.url).hostname} failed (${code})${tries}. Hint: check the host name in the URL.`, undefined, code)
  if (TLS_CODES.test(code))
    return new RequestError(
      `${where} failed: the server's TLS certificate was not accepted (${code}). Hint: for a private CA, pass its PEM in 'ca-certificate' (or set NODE_EXTRA_CA_CERTS); check the host name matches the certificate.`,
      undefined,
      code,
    )
  if (code === 'ECONNREFUSED')
    return new RequestError(`${where} failed: connection refused${tries}. Hint: check the URL and port, and any HTTPS_PROXY setting.`, undefined, code)
  return new RequestError(`${where} failed: ${code}${tries}.`, undefined, code)
}

function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value
  if (!v) return undefined
  const ms = /^\d+$/.test(v.trim()) ? Number(v) * 1000 : Date.parse(v) - Date.now()
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined
}

/**
 * The one HTTP layer: a deadline per attempt, retries of transient failures with capped
 * exponential backoff and full jitter (honouring Retry-After), TLS trust anchors and client
 * certificates (also through a proxy tunnel), and log lines that never carry a body or a header.
 *
 * Proxies: @actions/http-client reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case first)
 * and never proxies loopback hosts; it tunnels with CONNECT, also for http:// targets.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http'
import { createSecureContext, rootCertificates, type SecureContextOptions } from 'node:tls'
import { getProxyUrl, HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { InputError, isAllowedUrl, type TlsConfig } from './inputs.js'
import { clean, cleanUrl, type Secrets } from './secrets.js'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE'
  url: string
  headers?: Record<string, string>
  body?: string
  /** Names the endpoint in log lines and errors, e.g. "token endpoint". */
  purpose: string
  /**
   * false for a request whose repetition does harm (M-Trust's API token rotation deactivates
   * the token it was sent): retried only when the server surely did not act on it.
   */
  repeatable?: boolean
  /** Rebuilds the request before a retry: a signed client assertion (unique jti) is single-use. */
  renew?: () => Promise<HttpRequest>
}

export interface HttpResponse {
  status: number
  /** The reason phrase (TPP puts its error text there). */
  statusText: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface HttpOptions {
  /** Seconds per attempt: connecting, the proxy tunnel, TLS, headers and body together. */
  timeout: number
  retries: number
  tls?: TlsConfig
  allowInsecureHttp?: boolean
  log: (line: string) => void
  /** Step debug: each attempt's request and response, never a body or a credential. */
  debug?: (line: string) => void
  /** Server text in debug lines is cleaned against these. */
  secrets?: Secrets
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** First backoff step; doubles per attempt up to MAX_BACKOFF_MS. */
  backoffMs?: number
}

export type Send = (req: HttpRequest) => Promise<HttpResponse>

export const MAX_BACKOFF_MS = 10_000
export const MAX_RETRY_AFTER_MS = 60_000
/** A token or error response is small; anything larger is not what we asked for. */
const MAX_BODY_BYTES = 1024 * 1024
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504])
/** For a non-repeatable request: answers and failures that say the server did not process it. */
const NOT_PROCESSED_STATUS = new Set([429, 503])
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'PROXY_ECONNREFUSED', 'PROXY_EAI_AGAIN'])

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

/** The proxy a request to `url` goes through (host:port only, never its credentials), if any. */
export function proxyFor(url: string): string | undefined {
  try {
    const proxy = getProxyUrl(url)
    return proxy ? new URL(proxy).host : undefined
  } catch {
    // An unparseable proxy variable: the request itself reports it.
    return undefined
  }
}

/**
 * Wait before the next attempt: full jitter over a capped exponential step. With Retry-After,
 * never sooner, and the jitter spans at least twice Retry-After: a server that tells many jobs
 * "come back in 1 s" at once is saturated, and spreading them over two of its windows lets it
 * admit them instead of refusing half of them again.
 */
export function backoffDelay(attempt: number, random: number, baseMs: number, retryAfterMs?: number): number {
  const step = baseMs * 2 ** (attempt - 1)
  if (retryAfterMs === undefined) return Math.round(random * Math.min(MAX_BACKOFF_MS, step))
  return retryAfterMs + Math.round(random * Math.min(MAX_BACKOFF_MS, Math.max(step, 2 * retryAfterMs)))
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`, capped; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!v) return undefined
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - nowMs
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined
}

export class Http {
  private readonly tlsHandlers: RequestHandler[]
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number

  constructor(private readonly options: HttpOptions) {
    // Always installed: certificate checks stay on whatever NODE_TLS_REJECT_UNAUTHORIZED says.
    this.tlsHandlers = [tlsHandler(options.tls ?? {})]
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
    this.random = options.random ?? Math.random
  }

  /** Sends with retries; resolves with the final response whatever its status. */
  readonly send: Send = async (req) => {
    if (!isAllowedUrl(req.url, !!this.options.allowInsecureHttp))
      throw new RequestError(`Refused plain http to ${new URL(req.url).host} (${req.purpose}): use https, or set allow-insecure-http: true`)
    const attempts = this.options.retries + 1
    const proxy = proxyFor(req.url)
    const where = `${describe(req)}${proxy ? ` via proxy ${proxy}` : ''}`
    const debug = this.options.debug
    let current = req
    for (let attempt = 1; ; attempt++) {
      const started = Date.now()
      const of = `attempt ${attempt} of ${attempts}`
      let outcome: string
      let retryAfterMs: number | undefined
      debug?.(`${req.purpose}, ${of}: ${where}; ${requestDetails(current, this.options.secrets)}`)
      try {
        const res = await this.once(current)
        const took = `${Date.now() - started} ms`
        debug?.(`${req.purpose}, ${of}: ${responseDetails(res, this.options.secrets)}; ${took}`)
        const retryable = req.repeatable === false ? NOT_PROCESSED_STATUS : TRANSIENT_STATUS
        if (!retryable.has(res.status) || attempt === attempts) {
          this.options.log(`${where} → HTTP ${res.status} in ${took} (${of})`)
          if (retryable.has(res.status)) debug?.(`${req.purpose}: HTTP ${res.status} is transient, but no retries are left`)
          return res
        }
        outcome = `HTTP ${res.status} in ${took}`
        retryAfterMs = parseRetryAfter(res.headers['retry-after'])
      } catch (err) {
        const code = errorCode(err)
        const transient = (req.repeatable === false ? NOT_SENT_CODES : TRANSIENT_CODES).has(code)
        debug?.(`${req.purpose}, ${of}: no answer (${code}) after ${Date.now() - started} ms; ${transient ? 'transient' : 'permanent'}`)
        if (!transient || attempt === attempts) {
          this.options.log(`${where} → ${code} (${of}); ${transient ? 'no retries left' : 'not retried'}`)
          throw new RequestError(networkFailure(req, code, { attempts: attempt, timeout: this.options.timeout, proxy }), undefined, code)
        }
        outcome = code
      }
      const wait = backoffDelay(attempt, this.random(), this.options.backoffMs ?? 1000, retryAfterMs)
      const honoured = retryAfterMs !== undefined ? ', Retry-After honoured' : ''
      debug?.(
        `${req.purpose}: retrying (${req.repeatable === false ? 'the server surely did not act on it' : 'transient failure'}); backoff ${wait} ms${retryAfterMs !== undefined ? `, Retry-After ${retryAfterMs} ms` : ''}`,
      )
      this.options.log(`${where} → ${outcome} (${of}); retrying in ${(wait / 1000).toFixed(1)} s${honoured}`)
      await this.sleep(wait)
      if (req.renew) current = await req.renew()
    }
  }

  /** One attempt, bounded as a whole: a stalled proxy, handshake, header or body all end at the deadline. */
  private async once(req: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort()
        reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }))
      }, this.options.timeout * 1000)
    })
    try {
      // Promise.race subscribes to both, so the exchange's late rejection after an abort is handled.
      return await Promise.race([this.exchange(req, controller.signal), deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  private async exchange(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    // A client per attempt: its handlers carry this attempt's abort signal (no keep-alive to lose).
    const client = new HttpClient('token-lease', [...this.tlsHandlers, abortHandler(signal)], {
      socketTimeout: this.options.timeout * 1000,
      allowRedirects: false,
      allowRetries: false,
      keepAlive: false,
    })
    const headers: OutgoingHttpHeaders = { accept: 'application/json', ...req.headers }
    const res = await client.request(req.method, req.url, req.body ?? null!, headers)
    const body = await readBody(res.message)
    return { status: res.message.statusCode ?? 0, statusText: res.message.statusMessage ?? '', headers: res.message.headers, body }
  }
}

/** Request headers whose value is a credential: shown by name only. */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie|dpop|x-api-key|api-key)$/i

/** For step debug: the request's headers (credentials by name only) and body size, never the body. */
export function requestDetails(req: HttpRequest, secrets?: Secrets): string {
  const headers = Object.entries({ accept: 'application/json', ...req.headers }).map(([name, value]) => {
    if (!CREDENTIAL_HEADERS.test(name)) return `${name}: ${clean(value, secrets, 100)}`
    // The scheme (Basic, Bearer) helps; the credential never shows.
    const scheme = /^[A-Za-z]{3,10}(?= )/.exec(value)?.[0]
    return `${name} (${scheme ? `${scheme}, ` : ''}hidden)`
  })
  return `headers ${headers.join(', ')}; body ${Buffer.byteLength(req.body ?? '')} bytes`
}

/** Response headers with the ids that servers' support teams ask for first. */
const ID_HEADERS = [
  'x-request-id',
  'x-ms-request-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-okta-request-id',
  'x-correlation-id',
  'request-id',
  'x-trace-id',
  'cf-ray',
]
/** Error-body fields with one: Entra ID (trace_id, correlation_id), Okta (errorId), others (request_id). */
const ID_FIELDS = ['trace_id', 'correlation_id', 'errorId', 'request_id']
/** Only id-shaped values are shown: no escape, no space, nothing else of the server's text. */
const ID_SHAPE = /^[A-Za-z0-9._:-]{1,100}$/
const MAX_IDS = 3

/**
 * The server's correlation ids (headers, and the error body's fields), deduplicated, at most three.
 * An id is shown as it is when id-shaped and not an echo of a secret in any encoding `echoes` knows:
 * clean()'s rule against long opaque words would hide every real id (`8f2c…-LHR`).
 */
export function correlationIds(res: Pick<HttpResponse, 'headers'>, secrets?: Secrets, json?: Record<string, unknown>): string[] {
  const values = [...ID_HEADERS.map((name) => [res.headers[name]].flat()[0]), ...ID_FIELDS.map((field) => json?.[field])]
  const ids = values.filter((v): v is string => typeof v === 'string' && ID_SHAPE.test(v) && !secrets?.echoes(v))
  return [...new Set(ids)].slice(0, MAX_IDS)
}

/**
 * For step debug: status, media type, length, Retry-After and correlation ids. Server text, so
 * each is shown only in its expected shape (less server text, fewer places for an echo to hide).
 */
export function responseDetails(res: HttpResponse, secrets?: Secrets): string {
  const header = (name: string) => {
    const v = res.headers[name]
    return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined
  }
  const parts = [`HTTP ${res.status}${res.statusText ? ` ${clean(res.statusText, secrets, 60)}` : ''}`]
  const mediaType = /^\s*([A-Za-z0-9!#$&^_.+-]{1,60}\/[A-Za-z0-9!#$&^_.+-]{1,60})\s*(;|$)/.exec(header('content-type') ?? '')?.[1]
  parts.push(
    `content-type ${header('content-type') === undefined ? 'none' : mediaType ? clean(mediaType, secrets, 120) : '(not a media type)'}`,
  )
  parts.push(`${Buffer.byteLength(res.body)} bytes`)
  const retryAfter = header('retry-after')?.trim()
  if (retryAfter) parts.push(`Retry-After ${RETRY_AFTER_SHAPE.test(retryAfter) ? clean(retryAfter, secrets, 40) : '(unreadable)'}`)
  const ids = correlationIds(res, secrets)
  if (ids.length) parts.push(`request id ${ids.join(', ')}`)
  return parts.join('; ')
}

/** Delay-seconds or an IMF-fixdate (RFC 9110 §10.2.3): nothing else of that header is shown. */
const RETRY_AFTER_SHAPE = /^(\d{1,10}|[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$/

/** Where a redirect points, as a message may name it (RedirectTarget.shown). */
export interface RedirectTarget {
  /** The Location resolved against the request, when it is an http(s) URL. */
  url?: URL
  sameOrigin: boolean
  /** The path on the same origin (never a query), else the host alone (undefined when not shown), else a phrase. */
  shown?: string
  /**
   * Whether the URL may be requested and so logged as `describe` shows it (origin and path): its
   * host is as the server wrote it and it carries no secret, as sent or percent-decoded.
   */
  showable: boolean
}

/**
 * Reads a redirect's Location for a message. Server text, and it may carry a token or a secret:
 * never the query or userinfo; a path is cleaned as sent, or percent-decoded when that is where
 * a secret shows (the URL parser re-encodes a raw secret into a form no mask knows: space to
 * %20, slash kept); a host is named only as the server wrote it (the parser lowercases and
 * decodes hosts, which would carry a secret past the masks).
 */
export function redirectTarget(from: string, res: HttpResponse, secrets?: Secrets): RedirectTarget {
  const location = [res.headers.location].flat()[0]
  const to = typeof location === 'string' && URL.canParse(location, from) ? new URL(location, from) : undefined
  if (!to || !/^https?:$/.test(to.protocol)) return { sameOrigin: false, shown: 'nowhere readable', showable: false }
  const sameOrigin = to.origin === new URL(from).origin
  // A relative Location keeps the request's host, which is no server text.
  const hostAsWritten = to.host === new URL(from).host || (location as string).includes(to.host)
  const showable = hostAsWritten && !carriesSecret(`${to.origin}${to.pathname}`, secrets)
  // A path as cleanUrl shows it (per segment: clean() would blank a path with a digit in it whole);
  // none of it when it carries a secret, as sent or percent-decoded.
  if (sameOrigin)
    return { url: to, sameOrigin, shown: carriesSecret(to.pathname, secrets) ? '***' : cleanUrl(to, secrets, 200, false), showable }
  // A host is named only as the server wrote it, and only when no secret hides in it.
  const host = hostAsWritten && !carriesSecret(to.host, secrets) ? to.host : undefined
  return { url: to, sameOrigin, shown: host, showable }
}

/**
 * Whether a URL from a server (a metadata endpoint) may be requested, and so logged as `describe`
 * shows it: its host as the parser writes hosts (else the log shows a rewritten host, lowercased,
 * past the case-sensitive masks) and no secret in it, as sent or percent-decoded.
 */
export function showableUrl(raw: string, secrets?: Secrets): boolean {
  if (!URL.canParse(raw)) return false
  const u = new URL(raw)
  return raw.includes(u.host) && !carriesSecret(raw, secrets) && !carriesSecret(`${u.origin}${u.pathname}`, secrets)
}

function carriesSecret(text: string, secrets?: Secrets): boolean {
  return !!secrets && (secrets.echoes(text) || secrets.echoes(percentDecoded(text)))
}

function percentDecoded(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

/**
 * What to mask of the proxy variables' userinfo before any request: the runner's debug output
 * (NODE_DEBUG) and a tunnel's Proxy-Authorization (base64 of user:password) must not show it.
 */
export function proxyCredentials(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = []
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy']) {
    const raw = env[name]
    if (!raw) continue
    // As @actions/http-client reads it: a value it cannot parse without a scheme it reads as http://<value>
    // (so `token@proxy:3128` sends the token), and the text itself may still hold a password.
    const readings = [raw, ...(/^https?:\/\//i.test(raw) ? [] : [`http://${raw}`])].filter((v) => URL.canParse(v)).map((v) => new URL(v))
    const found = readings.flatMap(userinfoOf)
    const userinfo = found.length ? undefined : /^(?:[^@]*\/\/)?([^@/]+)@/.exec(raw)?.[1]
    values.push(...found, ...(userinfo ? [userinfo, ...userinfo.split(':').slice(1)] : []))
  }
  return [...new Set(values)]
}

/** The credentials of a proxy URL's userinfo, raw and decoded, and the user:password pair (its base64 is the Proxy-Authorization). */
function userinfoOf(url: URL): string[] {
  const decode = (v: string) => {
    try {
      return decodeURIComponent(v)
    } catch {
      return v
    }
  }
  if (url.password)
    return [url.password, decode(url.password), `${url.username}:${url.password}`, `${decode(url.username)}:${decode(url.password)}`]
  // A token given as the user name alone is a credential too.
  if (url.username) return [url.username, decode(url.username)]
  return []
}

/** Reads the body, failing (not hanging) when the connection breaks and refusing oversized bodies. */
function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    message.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { code: 'EBODYTOOLARGE' }))
        message.destroy()
      } else chunks.push(chunk)
    })
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    message.on('aborted', () => reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })))
    message.on('error', (err) => reject(err))
    message.on('close', () => {
      if (!message.complete) reject(Object.assign(new Error('closed'), { code: 'ECONNRESET' }))
    })
  })
}

function abortHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => void (options.signal = signal),
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
  }
}

/**
 * Adds trust anchors and a client certificate to each request, also through a proxy tunnel.
 * The material is loaded once here, so a wrong passphrase or a bad PEM fails before any request.
 */
function tlsHandler(tls: TlsConfig): RequestHandler {
  if (tls.ca) checkCaCertificate(tls.ca)
  const ca = tls.ca ? [...rootCertificates, ...extraCaCertificates(), tls.ca] : undefined
  const settings: SecureContextOptions & { rejectUnauthorized: true } = {
    // Explicit, so that NODE_TLS_REJECT_UNAUTHORIZED=0 in the job's environment cannot switch the checks off.
    rejectUnauthorized: true,
    ...(ca && { ca }),
    ...(tls.cert && { cert: tls.cert, key: tls.key, passphrase: tls.passphrase }),
  }
  if (tls.cert) checkClientCertificate({ cert: tls.cert, key: tls.key, passphrase: tls.passphrase })
  return {
    prepareRequest(options: RequestOptions) {
      Object.assign(options, settings)
      // The tunnel agent (tunnel's httpsOverHttp) opens the TLS socket from its own options, not the request's.
      const agent = options.agent as { options?: object; proxyOptions?: object } | undefined
      if (agent?.proxyOptions) agent.options = { ...agent.options, ...settings }
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not supported')),
  }
}

/** Node ignores a `ca` it cannot parse, which would surface later as a puzzling trust failure. */
function checkCaCertificate(pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  if (!blocks.length)
    throw new InputError(`Invalid input: 'ca-certificate' must be one or more PEM certificates (-----BEGIN CERTIFICATE----- …)`)
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block)
    } catch {
      throw new InputError(`Invalid input: 'ca-certificate': certificate ${i + 1} of ${blocks.length} is not a valid PEM certificate`)
    }
  })
}

function checkClientCertificate(settings: SecureContextOptions): void {
  try {
    createSecureContext(settings)
  } catch (err) {
    const code = errorCode(err)
    const why = /BAD_DECRYPT/.test(code)
      ? `'client-key' could not be decrypted: check 'client-key-passphrase'`
      : /KEY_VALUES_MISMATCH/.test(code)
        ? `'client-key' is not the key of 'client-certificate'`
        : `'client-certificate' or 'client-key' is not valid PEM (${code})`
    throw new InputError(`Invalid input: ${why}.`)
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

// ---- Network failures: a code for the log line, a message with a hint for the error ----

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'TIMEOUT',
  'UND_ERR_SOCKET',
  // The proxy could not reach the server, or we could not reach the proxy: as transient as the direct case.
  'PROXY_502',
  'PROXY_503',
  'PROXY_504',
  'PROXY_ECONNREFUSED',
  'PROXY_ECONNRESET',
  'PROXY_ETIMEDOUT',
  'PROXY_EAI_AGAIN',
])

/** A short, secret-free code for what went wrong: the Node/OpenSSL code, TIMEOUT, or PROXY_<status|code>. */
export function errorCode(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string }
  const message = String(e?.message ?? '')
  // tunnel (the CONNECT agent of @actions/http-client) reports every proxy failure as ECONNRESET with this text.
  const tunnel = /^tunneling socket could not be established, (?:statusCode=(\d+)|cause=.*?\b(E[A-Z_]+|ERR_[A-Z_]+)\b)?/.exec(message)
  if (tunnel) return `PROXY_${tunnel[1] ?? tunnel[2] ?? 'ERROR'}`
  // Our deadline aborts the request: the abort is the timeout.
  if (e?.code === 'ABORT_ERR' || e?.name === 'AbortError') return 'TIMEOUT'
  if (e?.code) return e.code
  if (/timeout/i.test(message)) return 'TIMEOUT'
  return 'ERROR'
}

const TLS_TRUST =
  /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_(GET_ISSUER_CERT(_LOCALLY)?|VERIFY_LEAF_SIGNATURE)|CERT_(UNTRUSTED|HAS_EXPIRED|NOT_YET_VALID|REVOKED|SIGNATURE_FAILURE)|CERT_CHAIN_TOO_LONG)$/
const TLS_REFUSED = /^ERR_SSL_.*ALERT/

interface FailureContext {
  attempts: number
  /** Seconds per attempt. */
  timeout: number
  proxy?: string
}

/** The error message for a request that got no HTTP answer: what happened, where, and what to check. */
export function networkFailure(req: HttpRequest, code: string, ctx: FailureContext): string {
  const u = new URL(req.url)
  const target = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`
  const where = `${req.purpose} (${describe(req)}${ctx.proxy ? ` via proxy ${ctx.proxy}` : ''})`
  const tries = ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : ''
  const fail = (what: string, hint: string) => `${where} failed: ${what}${tries}. Hint: ${hint}`
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT')
    return `${where} timed out${tries} (${ctx.timeout} s per attempt). Hint: check that the server is reachable from the runner (firewall, HTTPS_PROXY / NO_PROXY), or raise 'timeout'.`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL')
    return fail(
      `DNS lookup of ${u.hostname} failed (${code})`,
      `check the host name in the URL; a host that only a proxy can resolve needs HTTPS_PROXY (or HTTP_PROXY) set, and must not match NO_PROXY.`,
    )
  if (TLS_TRUST.test(code))
    return fail(
      `the server's TLS certificate is not trusted (${code})`,
      `for a private CA, pass its PEM certificate in 'ca-certificate' (or set NODE_EXTRA_CA_CERTS on the runner); an intercepting proxy's CA counts too.`,
    )
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return fail(
      `the server's TLS certificate is not issued for ${u.hostname} (${code})`,
      'use the host name the certificate names in the URL.',
    )
  if (TLS_REFUSED.test(code))
    return fail(
      `the server refused the TLS handshake (${code})`,
      `the server may require a client certificate ('client-certificate' and 'client-key') or not accept the one given.`,
    )
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
    return fail(`the TLS handshake failed (${code})`, 'check https:// versus http:// and the port in the URL.')
  const proxyStatus = /^PROXY_(\d+)$/.exec(code)
  if (proxyStatus && proxyStatus[1] === '407')
    return fail(
      `the proxy ${ctx.proxy} refused the tunnel to ${target} (HTTP 407)`,
      'the proxy wants credentials: put them in the proxy URL (http://user:password@host:port).',
    )
  if (proxyStatus?.[1].startsWith('4'))
    return fail(
      `the proxy ${ctx.proxy} refused the tunnel to ${target} (HTTP ${proxyStatus[1]})`,
      `ask for CONNECT to ${target} to be allowed, or list the host in NO_PROXY if it is reachable directly.`,
    )
  if (proxyStatus)
    return fail(
      `the proxy ${ctx.proxy} could not reach ${target} (HTTP ${proxyStatus[1]})`,
      "check the host name and port in the URL; the proxy resolves and connects on the runner's behalf.",
    )
  if (code.startsWith('PROXY_'))
    return fail(
      `could not connect to the proxy ${ctx.proxy} (${code.slice(6)})`,
      'check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY.',
    )
  if (code === 'ECONNREFUSED')
    return fail('connection refused', 'check the URL and port, and whether the host should go through HTTPS_PROXY.')
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return fail(
      `the connection was closed without an answer (${code})`,
      'the server, a firewall or a proxy dropped it; with a client certificate, check that the server accepts it.',
    )
  if (code === 'EBODYTOOLARGE')
    return fail(
      `the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
      'check that the URL is the API endpoint, not a download or a web page.',
    )
  if (code.startsWith('ERR_OSSL_'))
    return fail(
      `TLS could not be set up (${code})`,
      `check 'client-certificate', 'client-key', 'client-key-passphrase' and 'ca-certificate'.`,
    )
  return fail(code, 'check the URL, and that the server is reachable from the runner.')
}

/**
 * The one place that reads inputs. Every input of action.yml is parsed and checked here,
 * before any request, into a typed Config; a bad value fails with a message that names the
 * input and what is accepted — and never echoes a secret input's value.
 */
import * as z from 'zod/mini'
import { exportEnvRefusal } from './export-env.js'
import { clean, SECRET_INPUTS } from './secrets.js'

export const PROVIDERS = ['oauth2', 'venafi-tpp', 'm-trust', 'signeasy'] as const
export const GRANT_TYPES = ['client_credentials', 'password', 'refresh_token', 'token-exchange', 'jwt-bearer'] as const
export const CLIENT_AUTHS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'tls_client_auth',
  'github-oidc',
  'none',
] as const
export const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const

export type ProviderName = (typeof PROVIDERS)[number]
export type GrantType = (typeof GRANT_TYPES)[number]
export type ClientAuth = (typeof CLIENT_AUTHS)[number]
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number]

export const SIGNEASY_TOKEN_URL = 'https://auth.signeasy.com/oauth/token'
export const SIGNEASY_AUDIENCE = 'https://api-ext.signeasy.com/'
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt'
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'

export const INPUT_NAMES = [
  'provider',
  'token-url',
  'issuer',
  'revocation-url',
  'introspection-url',
  'server-url',
  'grant-type',
  'client-id',
  'client-secret',
  'client-auth',
  'private-key',
  'private-key-id',
  'signing-algorithm',
  'username',
  'password',
  'refresh-token',
  'api-token',
  'rotate-api-token',
  'subject-token',
  'subject-token-type',
  'actor-token',
  'actor-token-type',
  'requested-token-type',
  'assertion',
  'oidc-audience',
  'scope',
  'audience',
  'resource',
  'client-certificate',
  'client-key',
  'client-key-passphrase',
  'ca-certificate',
  'request-format',
  'extra-params',
  'min-lifetime',
  'max-lifetime',
  'export-env',
  'revoke',
  'revoke-failure',
  'verify-revocation',
  'timeout',
  'retries',
  'allow-insecure-http',
  'summary',
] as const
export type InputName = (typeof INPUT_NAMES)[number]
export type RawInputs = Partial<Record<InputName, string>>

export interface TlsConfig {
  ca?: string
  cert?: string
  key?: string
  passphrase?: string
}

export interface Config {
  provider: ProviderName
  tokenUrl?: string
  issuer?: string
  revocationUrl?: string
  /** RFC 7662 endpoint that confirms a revocation; else discovered from the issuer. */
  introspectionUrl?: string
  serverUrl?: string
  grantType: GrantType
  clientId?: string
  clientSecret?: string
  /** Undefined: chosen from what is given (and from discovery, for oauth2). */
  clientAuth?: ClientAuth
  privateKey?: string
  privateKeyId?: string
  signingAlgorithm: SigningAlgorithm
  username?: string
  password?: string
  refreshToken?: string
  apiToken?: string
  rotateApiToken: boolean
  subjectToken?: string
  subjectTokenType?: string
  actorToken?: string
  actorTokenType?: string
  requestedTokenType?: string
  assertion?: string
  oidcAudience?: string
  scope?: string
  audience?: string
  resource: string[]
  tls: TlsConfig
  /** Undefined: the provider's default (form; JSON for signeasy). */
  requestFormat?: 'form' | 'json'
  extraParams: [string, string][]
  /** Seconds. */
  minLifetime?: number
  /** Seconds: a longer-lived token is revoked at once and the step fails. */
  maxLifetime?: number
  exportEnv?: string
  revoke: boolean
  revokeFailure: 'warn' | 'fail'
  /** Ask the server whether the revoked token is dead: when an endpoint is known, always, or never. */
  verifyRevocation: 'auto' | 'true' | 'false'
  /** Seconds per HTTP request. */
  timeout: number
  retries: number
  allowInsecureHttp: boolean
  summary: boolean
}

export class InputError extends Error {
  override name = 'InputError'
}

/** Reads every input through `get` (core.getInput in the action). */
export function readInputs(get: (name: string) => string): RawInputs {
  const raw: RawInputs = {}
  for (const name of INPUT_NAMES) {
    const value = get(name)
    if (value !== '') raw[name] = value
  }
  return raw
}

const secretInputs = new Set<string>(SECRET_INPUTS)
/**
 * Shows an input's value in an error: never a secret input's, and any other only as server text
 * is shown (clean(): one line, plain words, no long opaque run, at most 100 characters), so no
 * value can start a workflow command or carry a secret put in the wrong input. parseConfig also
 * redacts every secret input's value from the whole message.
 */
export const shown = (name: string, value: string) =>
  secretInputs.has(name) ? '' : `; got '${clean(withoutUserinfo(value.replace(/[\t\r\n]+/g, ' ')), undefined, 100)}'`

interface IssueContext {
  addIssue(issue: { code: 'custom'; message: string }): void
}
/**
 * An optional string input turned into a value by `parse`: zod/mini's pipe into a transform
 * (classic zod's chained methods cost each step ~45 KB of bundle and ~9 ms of start-up).
 * `ctx.addIssue` reports a problem and parsing goes on, so every problem is listed at once.
 */
const optionalString = <T>(parse: (v: string | undefined, ctx: IssueContext) => T) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v: string | undefined, payload) => parse(v, { addIssue: (issue) => void payload.issues.push({ ...issue, input: v }) })),
  )

const oneOf = <T extends readonly string[]>(name: string, values: T, fallback?: T[number]) =>
  optionalString((v, ctx) => {
    if (v === undefined) return fallback
    const found = values.find((x) => x.toLowerCase() === v.toLowerCase())
    if (!found) ctx.addIssue({ code: 'custom', message: `'${name}' must be one of: ${values.join(', ')}${shown(name, v)}` })
    return found as T[number]
  })

const bool = (name: string, fallback: boolean) =>
  optionalString((v, ctx) => {
    if (v === undefined) return fallback
    if (/^true$/i.test(v)) return true
    if (/^false$/i.test(v)) return false
    ctx.addIssue({ code: 'custom', message: `'${name}' must be true or false${shown(name, v)}` })
    return fallback
  })

const wholeNumber = (name: string, fallback: number, min: number, max: number, unit: string) =>
  optionalString((v, ctx) => {
    if (v === undefined) return fallback
    const n = /^\d+$/.test(v) ? Number(v) : NaN
    if (!(n >= min && n <= max))
      ctx.addIssue({ code: 'custom', message: `'${name}' must be a whole number of ${unit} from ${min} to ${max}${shown(name, v)}` })
    return n
  })

/** Control and format characters, and Unicode line separators: none belongs in a one-line value. */
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]/u

/** Userinfo at the start of a URL-like value: after `scheme:` and any slashes, up to the last `@` before / \\ ? #. */
const USERINFO = /^(?:([A-Za-z][A-Za-z0-9+.-]*:)?([/\\]*))?[^/\\?#]*@/

/**
 * A URL as an error may show it: any userinfo (user:password@) becomes `***@`, whether the value
 * parses or not — `ftp://svc:pw@host` and `svc:pw@host/x` keep their password out of the log.
 */
export function withoutUserinfo(value: string): string {
  // Tabs and line breaks go first, as the URL parser drops them; without slashes, all before the @ may be a password.
  const cleaned = value
    .replace(/[\t\r\n]/g, '')
    .replace(USERINFO, (_, scheme = '', slashes = '') => (slashes ? `${scheme}${slashes}***@` : '***@'))
  // A password may itself hold '/', '?' or '#': any '@' left hides everything up to the last one (over-hiding is safe).
  const at = cleaned.lastIndexOf('@')
  if (at < 0 || cleaned.slice(0, at).endsWith('***')) return cleaned
  const slashes = cleaned.indexOf('//')
  const start = slashes >= 0 && slashes < at ? slashes + 2 : 0
  return `${cleaned.slice(0, start)}***${cleaned.slice(at)}`
}

const url = (name: string) => optionalString((v, ctx) => checkUrl(name, v, ctx))

/** A bare host, perhaps with a port and a path (`tpp.example.com:8443/vedsdk`): a value with no scheme. */
const BARE_HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d+)?([/?#]|$)/

/** server-url as vcert reads it: a bare host means https:// (plain http is never assumed). */
export function withHttps(value: string): string {
  return !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) && BARE_HOST.test(value) ? `https://${value}` : value
}

function checkUrl(name: string, v: string | undefined, ctx: IssueContext): string | undefined {
  if (v === undefined) return undefined
  // The URL parser drops tabs and line breaks silently: the value would not be the one printed or saved.
  if (CONTROL.test(v)) {
    ctx.addIssue({ code: 'custom', message: `'${name}' must be one line without control characters${shown(name, v)}` })
    return undefined
  }
  const parsed = URL.canParse(v) ? new URL(v) : undefined
  // Credentials are refused whatever the scheme, parsed or not (`svc:pw@host` is one to a person, if not to the URL parser).
  if (parsed?.username || parsed?.password || USERINFO.test(v))
    ctx.addIssue({ code: 'custom', message: `'${name}' must not carry credentials in the URL; use the credential inputs` })
  if (parsed?.protocol !== 'https:' && parsed?.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `'${name}' must be an absolute https:// URL${shown(name, v)}` })
    return undefined
  }
  // RFC 8414 §2: an issuer identifier has no query or fragment; discovery would build wrong URLs from one.
  if (name === 'issuer' && /[?#]/.test(v))
    ctx.addIssue({ code: 'custom', message: `'issuer' must have no query or fragment (RFC 8414 §2)${shown(name, v)}` })
  return v
}

const DURATION_UNITS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }
const duration = (name: string) =>
  optionalString((v, ctx) => {
    if (v === undefined) return undefined
    const m = /^(\d+)\s*([smhd]?)$/i.exec(v)
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `'${name}' must be a duration such as 90s, 15m, 2h or 1d${shown(name, v)}` })
      return undefined
    }
    return Number(m[1]) * DURATION_UNITS[m[2].toLowerCase()]
  })

/** Identifiers sent as they are and shown in the log: one line, no control characters. */
const oneLine = (name: string) =>
  optionalString((v, ctx) => {
    if (v !== undefined && CONTROL.test(v))
      ctx.addIssue({ code: 'custom', message: `'${name}' must be one line without control characters${shown(name, v)}` })
    return v
  })

const text = z.optional(z.string())
const lines = (v: string | undefined) =>
  (v ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)

const schema = z.object({
  provider: oneOf('provider', PROVIDERS, 'oauth2'),
  'token-url': url('token-url'),
  issuer: url('issuer'),
  'revocation-url': url('revocation-url'),
  'introspection-url': url('introspection-url'),
  'server-url': optionalString((v, ctx) => checkUrl('server-url', v === undefined ? v : withHttps(v), ctx)),
  'grant-type': oneOf('grant-type', GRANT_TYPES),
  'client-id': oneLine('client-id'),
  'client-secret': text,
  'client-auth': oneOf('client-auth', CLIENT_AUTHS),
  'private-key': text,
  'private-key-id': oneLine('private-key-id'),
  'signing-algorithm': oneOf('signing-algorithm', SIGNING_ALGORITHMS, 'RS256'),
  username: oneLine('username'),
  password: text,
  'refresh-token': text,
  'api-token': text,
  'rotate-api-token': bool('rotate-api-token', false),
  'subject-token': text,
  'subject-token-type': oneLine('subject-token-type'),
  'actor-token': text,
  'actor-token-type': oneLine('actor-token-type'),
  'requested-token-type': oneLine('requested-token-type'),
  assertion: text,
  'oidc-audience': oneLine('oidc-audience'),
  scope: oneLine('scope'),
  audience: oneLine('audience'),
  resource: optionalString((v, ctx) => {
    const list = lines(v)
    for (const r of list) {
      if (!URL.canParse(r) || r.includes('#'))
        ctx.addIssue({
          code: 'custom',
          message: `'resource' must be absolute URIs without a fragment, one per line${shown('resource', r)}`,
        })
    }
    return list
  }),
  'client-certificate': text,
  'client-key': text,
  'client-key-passphrase': text,
  'ca-certificate': text,
  'request-format': oneOf('request-format', ['form', 'json'] as const),
  'extra-params': optionalString((v, ctx) =>
    lines(v).flatMap((line, i): [string, string][] => {
      const eq = line.indexOf('=')
      if (eq <= 0) {
        ctx.addIssue({ code: 'custom', message: `'extra-params' line ${i + 1} must be key=value` })
        return []
      }
      return [[line.slice(0, eq).trim(), line.slice(eq + 1).trim()]]
    }),
  ),
  'min-lifetime': duration('min-lifetime'),
  'max-lifetime': duration('max-lifetime'),
  'export-env': optionalString((v, ctx) => {
    if (v === undefined) return undefined
    const refused = exportEnvRefusal(v)
    if (refused) ctx.addIssue({ code: 'custom', message: `'export-env' ${refused}` })
    return v
  }),
  revoke: bool('revoke', true),
  'revoke-failure': oneOf('revoke-failure', ['warn', 'fail'] as const, 'warn'),
  'verify-revocation': oneOf('verify-revocation', ['auto', 'true', 'false'] as const, 'auto'),
  timeout: wholeNumber('timeout', 30, 1, 600, 'seconds'),
  retries: wholeNumber('retries', 3, 0, 10, 'retries'),
  'allow-insecure-http': bool('allow-insecure-http', false),
  summary: bool('summary', true),
})

/** Parses and checks the inputs; throws InputError listing every problem found. */
export function parseConfig(raw: RawInputs): Config {
  // A secret given in the wrong input (a password as 'username') is cut from every message; one
  // shorter than 6 characters would cut letters out of words (the runner masks it all the same).
  const secrets = SECRET_INPUTS.map((name) => raw[name]?.trim() ?? '').filter((v) => v.length >= 6)
  const redact = (text: string) => secrets.reduce((t, v) => t.split(v).join('***'), text)
  const fail = (problems: string[]) => new InputError(redact(formatIssues(problems)))
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw fail(parsed.error.issues.map((i) => i.message))
  const i = parsed.data
  const config: Config = {
    provider: i.provider!,
    tokenUrl: i['token-url'],
    issuer: i.issuer,
    revocationUrl: i['revocation-url'],
    introspectionUrl: i['introspection-url'],
    serverUrl: i['server-url'],
    grantType: i['grant-type'] ?? 'client_credentials',
    clientId: i['client-id'],
    clientSecret: i['client-secret'],
    clientAuth: i['client-auth'],
    privateKey: i['private-key'],
    privateKeyId: i['private-key-id'],
    signingAlgorithm: i['signing-algorithm']!,
    username: i.username,
    password: i.password,
    refreshToken: i['refresh-token'],
    apiToken: i['api-token'],
    rotateApiToken: i['rotate-api-token'],
    subjectToken: i['subject-token'],
    subjectTokenType: i['subject-token-type'],
    actorToken: i['actor-token'],
    actorTokenType: i['actor-token-type'],
    requestedTokenType: i['requested-token-type'],
    assertion: i.assertion,
    oidcAudience: i['oidc-audience'],
    scope: i.scope,
    audience: i.audience,
    resource: i.resource,
    tls: { ca: i['ca-certificate'], cert: i['client-certificate'], key: i['client-key'], passphrase: i['client-key-passphrase'] },
    requestFormat: i['request-format'],
    extraParams: i['extra-params'],
    minLifetime: i['min-lifetime'],
    maxLifetime: i['max-lifetime'],
    exportEnv: i['export-env'],
    revoke: i.revoke,
    revokeFailure: i['revoke-failure']!,
    verifyRevocation: i['verify-revocation']!,
    timeout: i.timeout,
    retries: i.retries,
    allowInsecureHttp: i['allow-insecure-http'],
    summary: i.summary,
  }
  const problems = [...checkUrls(config), ...checkCombination(config, raw)]
  if (problems.length) throw fail(problems)
  return config
}

function formatIssues(messages: string[]): string {
  return messages.length === 1 ? `Invalid input: ${messages[0]}` : `Invalid inputs:\n- ${messages.join('\n- ')}`
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/** Whether a URL may be used: https, or http to loopback, or http with allow-insecure-http. */
export function isAllowedUrl(u: string, allowInsecureHttp: boolean): boolean {
  const { protocol, hostname } = new URL(u)
  return protocol === 'https:' || allowInsecureHttp || LOOPBACK.test(hostname)
}

function checkUrls(c: Config): string[] {
  const named: [string, string | undefined][] = [
    ['token-url', c.tokenUrl],
    ['issuer', c.issuer],
    ['revocation-url', c.revocationUrl],
    ['introspection-url', c.introspectionUrl],
    ['server-url', c.serverUrl],
  ]
  return named
    .filter(([, u]) => u && !isAllowedUrl(u, c.allowInsecureHttp))
    .map(
      ([n, u]) => `'${n}' is plain http to a host that is not loopback (${new URL(u!).host}): use https, or set allow-insecure-http: true`,
    )
}

/**
 * Inputs every provider takes (client-id, TLS, timeouts, revoke, …; signing-algorithm and
 * rotate-api-token have action.yml defaults, so they are always set and checked on their own);
 * the others only some providers use, and a provider refuses those it does not, naming them.
 */
const SHARED_INPUTS: InputName[] = [
  'provider',
  'client-id',
  'signing-algorithm',
  'rotate-api-token',
  'client-certificate',
  'client-key',
  'client-key-passphrase',
  'ca-certificate',
  'min-lifetime',
  'max-lifetime',
  'export-env',
  'revoke',
  'revoke-failure',
  'verify-revocation',
  'timeout',
  'retries',
  'allow-insecure-http',
  'summary',
]
const PROVIDER_INPUTS = INPUT_NAMES.filter((n) => !SHARED_INPUTS.includes(n))
const USED_BY: Record<ProviderName, InputName[]> = {
  oauth2: PROVIDER_INPUTS.filter((n) => n !== 'server-url' && n !== 'api-token'),
  'venafi-tpp': ['server-url', 'username', 'password', 'scope', 'oidc-audience'],
  // The request is fixed by the API (grant refresh_token, scope openid, JSON): nothing else may be asked for.
  'm-trust': ['server-url', 'api-token'],
  signeasy: [
    'token-url',
    'revocation-url',
    'grant-type',
    'client-secret',
    'client-auth',
    'scope',
    'audience',
    'request-format',
    'extra-params',
  ],
}

/** Which inputs each provider needs, and which combinations contradict each other. */
function checkCombination(c: Config, raw: RawInputs): string[] {
  const p: string[] = []
  const need = (name: InputName, why: string) => {
    if (!raw[name]) p.push(`'${name}' is required ${why}`)
  }
  const notWith = (names: InputName[], why: string) => {
    for (const n of names) if (raw[n]) p.push(`'${n}' is not used ${why}`)
  }
  const notUsedBy = (provider: ProviderName) =>
    notWith(
      PROVIDER_INPUTS.filter((n) => !USED_BY[provider].includes(n)),
      `by provider ${provider}`,
    )
  if (!!c.tls.cert !== !!c.tls.key) p.push(`'client-certificate' and 'client-key' go together: give both or neither`)
  if (c.tls.passphrase && !c.tls.key)
    p.push(`'client-key-passphrase' needs 'client-key' (a 'private-key' for private_key_jwt must be unencrypted)`)
  if (c.minLifetime !== undefined && c.maxLifetime !== undefined && c.maxLifetime < c.minLifetime)
    p.push(`'max-lifetime' must not be shorter than 'min-lifetime': no token could meet both`)
  if (c.actorToken && !c.actorTokenType) p.push(`'actor-token-type' is required with 'actor-token' (RFC 8693)`)
  // RFC 8693 §2.1: actor_token_type "MUST NOT be included otherwise".
  if (c.actorTokenType && !c.actorToken) p.push(`'actor-token-type' needs 'actor-token'`)

  switch (c.provider) {
    case 'oauth2': {
      if (!c.tokenUrl && !c.issuer) p.push(`'token-url' or 'issuer' is required for provider oauth2`)
      notUsedBy('oauth2')
      if (c.rotateApiToken) p.push(`'rotate-api-token' is used by provider m-trust only`)
      const grant = `by grant-type ${c.grantType}`
      if (c.grantType === 'password') {
        need('username', 'for grant-type password')
        need('password', 'for grant-type password')
      } else notWith(['username', 'password'], grant)
      if (c.grantType === 'refresh_token') need('refresh-token', 'for grant-type refresh_token')
      else notWith(['refresh-token'], grant)
      if (c.grantType !== 'token-exchange')
        notWith(['subject-token', 'subject-token-type', 'actor-token', 'actor-token-type', 'requested-token-type'], grant)
      if (c.grantType !== 'jwt-bearer') notWith(['assertion'], grant)
      p.push(...checkClientAuth(c, raw))
      break
    }
    case 'venafi-tpp': {
      need('server-url', 'for provider venafi-tpp (the TPP base URL)')
      need('client-id', 'for provider venafi-tpp (the API integration id)')
      notUsedBy('venafi-tpp')
      if (c.rotateApiToken) p.push(`'rotate-api-token' is used by provider m-trust only`)
      // The way in is chosen from what is given (username/password, client certificate, or neither:
      // the job's OIDC token), so anything that points at two ways is refused, naming both.
      const password = !!(c.username || c.password)
      if (password && (!c.username || !c.password)) p.push(`'username' and 'password' go together for provider venafi-tpp`)
      if (password && c.tls.cert)
        p.push(
          `'username'/'password' and 'client-certificate'/'client-key' clash: give one way in for provider venafi-tpp (or neither, for the job's OIDC token)`,
        )
      if (c.oidcAudience && (password || c.tls.cert))
        p.push(
          `'oidc-audience' clashes with ${password ? `'username'/'password'` : `'client-certificate'/'client-key'`}: provider venafi-tpp uses the job's OIDC token only when neither is given`,
        )
      if (c.scope !== undefined && !/^[A-Za-z]+(:[A-Za-z]+(,[A-Za-z]+)*)?(;[A-Za-z]+(:[A-Za-z]+(,[A-Za-z]+)*)?)*$/.test(c.scope))
        p.push(
          `'scope' for provider venafi-tpp must be in TPP syntax, ';' between scopes and ',' between privileges, no spaces (e.g. certificate:manage,revoke;configuration)${shown('scope', c.scope)}`,
        )
      break
    }
    case 'm-trust':
      need('server-url', 'for provider m-trust (the M-Trust API base URL)')
      need('client-id', 'for provider m-trust (the App id)')
      need('api-token', 'for provider m-trust (the App API token)')
      notUsedBy('m-trust')
      break
    case 'signeasy':
      need('client-id', "for provider signeasy (the app's OAuth client id)")
      need('client-secret', "for provider signeasy (the app's OAuth client secret)")
      notUsedBy('signeasy')
      if (c.rotateApiToken) p.push(`'rotate-api-token' is used by provider m-trust only`)
      if (c.grantType !== 'client_credentials')
        p.push(`'grant-type' must be client_credentials for provider signeasy; got '${c.grantType}'`)
      if (c.clientAuth && c.clientAuth !== 'client_secret_post' && c.clientAuth !== 'client_secret_basic')
        p.push(`'client-auth' must be client_secret_post (the default) or client_secret_basic for provider signeasy; got '${c.clientAuth}'`)
      break
  }
  return p
}

function checkClientAuth(c: Config, raw: RawInputs): string[] {
  const p: string[] = []
  const method = c.clientAuth
  if (!method) {
    if ([c.clientSecret, c.privateKey].filter(Boolean).length > 1)
      p.push(`'client-secret' and 'private-key' clash: set 'client-auth' to say which one authenticates the client`)
    if ((c.clientSecret || c.privateKey) && !c.clientId) p.push(`'client-id' is required with 'client-secret' or 'private-key'`)
    return p
  }
  const needs: Record<ClientAuth, InputName[]> = {
    client_secret_basic: ['client-id', 'client-secret'],
    client_secret_post: ['client-id', 'client-secret'],
    private_key_jwt: ['client-id', 'private-key'],
    tls_client_auth: ['client-id', 'client-certificate', 'client-key'],
    'github-oidc': ['client-id'],
    none: [],
  }
  for (const n of needs[method]) if (!raw[n]) p.push(`'${n}' is required for client-auth ${method}`)
  const clashes: [InputName, ClientAuth[]][] = [
    ['client-secret', ['client_secret_basic', 'client_secret_post']],
    ['private-key', ['private_key_jwt']],
  ]
  for (const [n, methods] of clashes) if (raw[n] && !methods.includes(method)) p.push(`'${n}' is not used by client-auth ${method}`)
  return p
}

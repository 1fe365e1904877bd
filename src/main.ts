/**
 * The main step: placeholder state → inputs → provider.acquire → mask → state, outputs, summary.
 * The lease is saved as state before anything can still fail, so post revokes it whatever happens;
 * a token main may not hand on (too large for the state, or living longer than max-lifetime) is
 * revoked at once instead. A failed step still writes a summary table: "token-lease: no token".
 */
import type { ActionsCore } from './core.js'
import { githubOidcToken } from './github-oidc.js'
import { Http, proxyCredentials, type Send } from './http.js'
import { InputError, parseConfig, readInputs, type Config } from './inputs.js'
import { encodeLease, MAX_LEASE_LENGTH, NO_LEASE, plausibleExpiry, STATE_KEY, type Lease } from './lease.js'
import { createProvider, type Deps } from './providers/index.js'
import { preflight } from './preflight.js'
import { leaseRecord, recordLine } from './record.js'
import { refuse, revokeAtOnce, type Saved, writeFailedSummary } from './refusal.js'
import { debugStack, errorMessage, writeSummary } from './report.js'
import { scopeView, WITHHELD_SCOPE } from './scope.js'
import { clean, Secrets, SECRET_INPUTS } from './secrets.js'
import { expiryText, humanDuration, mainSummary } from './summary.js'

// Kept where post and other callers have always found them.
export { debugStack, errorMessage, writeSummary } from './report.js'

export interface Runtime {
  core: ActionsCore
  env: NodeJS.ProcessEnv
  /** Epoch seconds. */
  now?: () => number
  /** Replaces the HTTP layer's sleep (tests of retry timing). */
  sleep?: (ms: number) => Promise<void>
}

/** Masks the secret inputs, then parses them: the shared start of main and post. */
export function start(core: ActionsCore, secrets = new Secrets((v) => core.setSecret(v))): { secrets: Secrets; config: Config } {
  maskSecretInputs(core, secrets)
  return { secrets, config: parseConfig(readInputs((name) => core.getInput(name))) }
}

export function makeDeps(config: Config, secrets: Secrets, rt: Runtime): Deps {
  const log = { info: (m: string) => rt.core.info(m), warning: (m: string) => rt.core.warning(m), debug: (m: string) => rt.core.debug(m) }
  // The proxy's password reaches the tunnel's Proxy-Authorization and Node's debug output: masked before any request.
  for (const credential of proxyCredentials(rt.env)) secrets.add(credential)
  const http = (tls: Config['tls']): Send =>
    new Http({
      timeout: config.timeout,
      retries: config.retries,
      tls,
      allowInsecureHttp: config.allowInsecureHttp,
      log: log.info,
      debug: log.debug,
      secrets,
      sleep: rt.sleep,
    }).send
  const send = http(config.tls)
  // The runner's token service is not the server the client certificate is for.
  const oidcSend = config.tls.cert || config.tls.ca ? http({}) : send
  const now = rt.now ?? (() => Math.floor(Date.now() / 1000))
  return { send, secrets, log, now, githubOidcToken: (audience) => githubOidcToken(rt.env, oidcSend, secrets, audience, log.info) }
}

export async function main(rt: Runtime): Promise<void> {
  const { core } = rt
  // What the failed-main summary can say: filled in as the step learns it.
  const known: { secrets?: Secrets; config?: Config; saved: Saved } = { saved: 'none' }
  try {
    // Masks first, then main's own state before anything can fail, so the runner hands post this
    // and never a STATE_lease planted through GITHUB_ENV (PROTOCOLS.md §6). Replaced once there is a lease.
    const masked = maskSecretInputs(core)
    core.saveState(STATE_KEY, NO_LEASE)
    // Known before the inputs are parsed: a failed parse's summary redacts the secret inputs too.
    known.secrets = masked
    const { secrets, config } = start(core, masked)
    known.config = config
    preflight(config, rt.env)
    const deps = makeDeps(config, secrets, rt)
    const provider = await createProvider(config, deps)
    const { lease, outputs = {}, unsupportedReason } = await provider.acquire()
    maskLease(lease, secrets)
    lease.expiresAt = plausibleExpiry(lease.expiresAt)
    const scope = scopeView(lease, secrets)
    // A scope that echoes a secret is withheld from the state too (post shows it the same way).
    if (scope.text === WITHHELD_SCOPE) lease.scope = WITHHELD_SCOPE
    // Outputs that record a change on the server (a rotated refresh token) go out before anything can still fail.
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)

    const state = encodeLease(lease)
    const refusal = refuse(lease, config, state.length)
    if (refusal) await revokeAtOnce(core, provider, lease, refusal, known, state.length <= MAX_LEASE_LENGTH ? state : undefined)
    core.saveState(STATE_KEY, state)
    known.saved = 'lease'

    // Relative to the moment the lease was issued: expires-in is what the server granted.
    const now = lease.issuedAt
    const left = lease.expiresAt === undefined ? undefined : lease.expiresAt - now
    if (config.minLifetime !== undefined && left !== undefined && left < config.minLifetime) {
      throw new InputError(
        `The token expires in ${humanDuration(left)}, sooner than 'min-lifetime' (${humanDuration(config.minLifetime)}). The post step will still revoke it. Hint: ask the server for a longer lifetime, or lower 'min-lifetime'.`,
      )
    }
    if (left !== undefined && left < SOON)
      core.warning(
        left <= 0
          ? 'The server granted a token that has already expired: later steps will find it refused. The post step still revokes it.'
          : `The token expires in ${humanDuration(left)}: later steps may find it expired.`,
      )

    const record = leaseRecord(lease, rt.env, secrets)
    core.setOutput('token', lease.token)
    core.setOutput('token-type', lease.tokenType)
    core.setOutput('expires-in', left === undefined ? '' : String(left))
    core.setOutput(
      'expires-at',
      lease.expiresAt === undefined ? '' : new Date(lease.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    )
    core.setOutput('scope', scope.output)
    core.setOutput('token-fingerprint', record.fingerprint)
    core.setOutput('revocation', lease.revocation)
    if (config.exportEnv) core.exportVariable(config.exportEnv, lease.token)

    // Scope and identity are server text: cleaned, so a newline cannot start a workflow command.
    const identity = lease.identity ? ` for ${clean(lease.identity, secrets, 200)}` : ''
    core.info(
      `Leased a ${clean(lease.tokenType, secrets, 40)} token from ${new URL(lease.tokenEndpoint).host}${identity}; expires ${expiryText(lease, now)}; scope: ${scope.text}.`,
    )
    core.info(recordLine(record))
    if (lease.revocation === 'scheduled') core.info('The post step will revoke it when the job ends.')
    // The reason is the provider's own sentence around an input URL (one line, checked): redacted,
    // not cleaned, since clean() would blank an issuer with a digit or a port in it.
    else if (lease.revocation === 'unsupported')
      core.warning(
        `This server offers no revocation: the token stays valid until it expires (${expiryText(lease, now)}).${unsupportedReason ? ` ${secrets.redact(unsupportedReason)}` : ''}`,
      )
    if (config.summary)
      await writeSummary(
        core,
        mainSummary(lease, now, (t) => secrets.redact(t), { scope: scope.text, record }),
      )
  } catch (err) {
    // A provider that changed something on the server (a rotated API token) hands its outputs on.
    const outputs = (err as { outputs?: Record<string, string> }).outputs
    for (const [name, value] of Object.entries(outputs ?? {})) core.setOutput(name, value)
    const message = errorMessage(err)
    core.setFailed(message)
    debugStack(core, err)
    await writeFailedSummary(core, message, known)
  }
}

/** Masks every secret input as given, before anything is parsed (start() registers nothing twice). */
export function maskSecretInputs(core: ActionsCore, secrets = new Secrets((v) => core.setSecret(v))): Secrets {
  const raw = readInputs((name) => core.getInput(name))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  return secrets
}

/** A token that expires sooner than this gets a warning: a later step may find it expired. */
const SOON = 60

export function maskLease(lease: Lease, secrets: Secrets): void {
  secrets.add(lease.token)
  secrets.add(lease.refreshToken)
}

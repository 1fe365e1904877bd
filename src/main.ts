/**
 * The main step: inputs → provider.acquire → mask → state, outputs, summary.
 * The lease is saved as state before anything can still fail, so post revokes it whatever happens.
 */
import type { ActionsCore } from './core.js'
import { githubOidcToken } from './github-oidc.js'
import { Http, proxyCredentials, type Send } from './http.js'
import { InputError, parseConfig, readInputs, type Config } from './inputs.js'
import { encodeLease, plausibleExpiry, STATE_KEY, type Lease } from './lease.js'
import { createProvider, type Deps } from './providers/index.js'
import { preflight } from './preflight.js'
import { clean, Secrets, SECRET_INPUTS } from './secrets.js'
import { expiryText, humanDuration, mainSummary } from './summary.js'

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
  const raw = readInputs((name) => core.getInput(name))
  for (const name of SECRET_INPUTS) secrets.add(raw[name])
  return { secrets, config: parseConfig(raw) }
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
  try {
    const { secrets, config } = start(core)
    preflight(config, rt.env)
    const deps = makeDeps(config, secrets, rt)
    const provider = await createProvider(config, deps)
    const { lease, outputs = {} } = await provider.acquire()
    maskLease(lease, secrets)
    lease.expiresAt = plausibleExpiry(lease.expiresAt)
    core.saveState(STATE_KEY, encodeLease(lease))
    // Outputs that record a change on the server (a rotated refresh token) go out before anything can still fail.
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)

    // Relative to the moment the lease was issued: expires-in is what the server granted.
    const now = lease.issuedAt
    const left = lease.expiresAt === undefined ? undefined : lease.expiresAt - now
    if (config.minLifetime !== undefined && left !== undefined && left < config.minLifetime) {
      throw new InputError(
        `The token expires in ${humanDuration(left)}, sooner than 'min-lifetime' (${humanDuration(config.minLifetime)}). The post step will still revoke it. Hint: ask the server for a longer lifetime, or lower 'min-lifetime'.`,
      )
    }

    core.setOutput('token', lease.token)
    core.setOutput('token-type', lease.tokenType)
    core.setOutput('expires-in', left === undefined ? '' : String(left))
    core.setOutput(
      'expires-at',
      lease.expiresAt === undefined ? '' : new Date(lease.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    )
    core.setOutput('scope', lease.scope ?? '')
    core.setOutput('revocation', lease.revocation)
    if (config.exportEnv) core.exportVariable(config.exportEnv, lease.token)

    // Scope and identity are server text: cleaned, so a newline cannot start a workflow command.
    const identity = lease.identity ? ` for ${clean(lease.identity, secrets, 200)}` : ''
    core.info(
      `Leased a ${clean(lease.tokenType, secrets, 40)} token from ${new URL(lease.tokenEndpoint).host}${identity}; expires ${expiryText(lease, now)}; scope: ${lease.scope ? clean(lease.scope, secrets, 300) : '(not stated)'}.`,
    )
    if (lease.revocation === 'scheduled') core.info('The post step will revoke it when the job ends.')
    else if (lease.revocation === 'unsupported')
      core.warning(`This server offers no revocation: the token stays valid until it expires (${expiryText(lease, now)}).`)
    if (config.summary)
      await writeSummary(
        core,
        mainSummary(lease, now, (t) => secrets.redact(t)),
      )
  } catch (err) {
    // A provider that changed something on the server (a rotated API token) hands its outputs on.
    const outputs = (err as { outputs?: Record<string, string> }).outputs
    for (const [name, value] of Object.entries(outputs ?? {})) core.setOutput(name, value)
    core.setFailed(errorMessage(err))
    debugStack(core, err)
  }
}

/** The summary is a report, not the job's result: failing to write it is a warning. */
export async function writeSummary(core: ActionsCore, markdown: string): Promise<void> {
  try {
    await core.appendSummary(markdown)
  } catch (err) {
    core.warning(`Could not write the job summary (${err instanceof Error ? err.name : 'error'}).`)
  }
}

/** For a bug report: where an unexpected error came from — the stack frames, never its message. */
export function debugStack(core: ActionsCore, err: unknown): void {
  if (!(err instanceof Error) || err.name === 'InputError' || err.name === 'RequestError') return
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  core.debug(`${err.name} at:\n${frames.join('\n')}`)
}

export function maskLease(lease: Lease, secrets: Secrets): void {
  secrets.add(lease.token)
  secrets.add(lease.refreshToken)
}

/** An error's message is built without secrets; anything unexpected is not printed whole. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && (err.name === 'InputError' || err.name === 'RequestError')) return err.message
  const name = err instanceof Error ? err.name : typeof err
  return `Unexpected ${name}. Please report it; re-run with step debug logging for details.`
}

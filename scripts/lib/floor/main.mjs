/**
 * The benchmark's floor, main step: the least any step that leases a token with @actions/core and
 * @actions/http-client must do — read the inputs, mask the secret, make the one token POST, mask the
 * token, write the same outputs and state as token-lease. No validation, no retries, no summary.
 * scripts/bench.mjs bundles it with `ncc -m` into an ignored folder; it is never shipped.
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'

const secret = core.getInput('client-secret')
core.setSecret(secret)
const tokenUrl = core.getInput('token-url')
const enc = (v) => new URLSearchParams({ v }).toString().slice(2)
const credential = Buffer.from(`${enc(core.getInput('client-id'))}:${enc(secret)}`).toString('base64')
core.setSecret(credential)
const scope = core.getInput('scope')
const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope && { scope }) })
const client = new HttpClient('token-lease-floor')
const res = await client.post(tokenUrl, form.toString(), {
  accept: 'application/json',
  authorization: `Basic ${credential}`,
  'content-type': 'application/x-www-form-urlencoded',
})
const token = JSON.parse(await res.readBody())
core.setSecret(token.access_token)
const now = Math.floor(Date.now() / 1000)
const expiresAt = now + token.expires_in
core.saveState(
  'lease',
  JSON.stringify({
    provider: 'oauth2',
    token: token.access_token,
    tokenType: token.token_type,
    issuedAt: now,
    expiresAt,
    scope: token.scope,
    identity: core.getInput('client-id'),
    tokenEndpoint: tokenUrl,
    revocation: 'scheduled',
    revocationEndpoint: core.getInput('revocation-url'),
    clientAuth: 'client_secret_basic',
  }),
)
core.setOutput('token', token.access_token)
core.setOutput('token-type', token.token_type)
core.setOutput('expires-in', String(token.expires_in))
core.setOutput('expires-at', new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'))
core.setOutput('scope', token.scope ?? '')
core.setOutput('revocation', 'scheduled')
core.info(`Leased a ${token.token_type} token from ${new URL(tokenUrl).host}.`)

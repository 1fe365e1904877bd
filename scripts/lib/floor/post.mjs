/**
 * The benchmark's floor, post step: read the lease from state, mask, make the one RFC 7009
 * revocation POST. See main.mjs.
 */
import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'

const secret = core.getInput('client-secret')
core.setSecret(secret)
const lease = JSON.parse(core.getState('lease'))
core.setSecret(lease.token)
const enc = (v) => new URLSearchParams({ v }).toString().slice(2)
const credential = Buffer.from(`${enc(core.getInput('client-id'))}:${enc(secret)}`).toString('base64')
core.setSecret(credential)
const client = new HttpClient('token-lease-floor')
const res = await client.post(
  lease.revocationEndpoint,
  new URLSearchParams({ token: lease.token, token_type_hint: 'access_token' }).toString(),
  {
    accept: 'application/json',
    authorization: `Basic ${credential}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
)
await res.readBody()
if (res.message.statusCode !== 200) core.setFailed(`Revocation failed: HTTP ${res.message.statusCode}`)
else core.info('Revoked the token.')

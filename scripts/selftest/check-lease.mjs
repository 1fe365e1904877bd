/**
 * The self-test's check after the lease step: the outputs are there and well-formed, the token
 * is one the server issued to the expected client and still active. Reads SELFTEST_SERVER,
 * TOKEN, EXPIRES_AT, REVOCATION and CLIENT_ID; with GITHUB_OUTPUT set, writes `token-sha256`
 * (the hash of the token, not the token) for the job that scans the finished job's log.
 * Exits 1 naming each problem; never prints the token.
 */
import { createHash } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export async function checkLease({ server, token, expiresAt, revocation, clientId, now = Date.now() }) {
  const problems = []
  if (!token) problems.push('the token output is empty')
  const at = Date.parse(expiresAt ?? '')
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(expiresAt ?? '') || !(at > now))
    problems.push(`expires-at is not a future ISO 8601 UTC time: '${expiresAt}'`)
  if (revocation !== 'scheduled') problems.push(`revocation is '${revocation}', not 'scheduled'`)
  // The token goes in the body, to the job's own server on 127.0.0.1, never into a URL or the log.
  const leases = await (await fetch(`${server}/selftest/leases`, { method: 'POST', body: token ?? '' })).json()
  const own = leases.this ?? {}
  if (!own.issued_here || own.active !== true)
    problems.push(`the token is not one the server issued and holds active (${JSON.stringify(own)})`)
  else if (clientId && own.client_id !== clientId) problems.push(`the token was issued to '${own.client_id}', not '${clientId}'`)
  return problems
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { SELFTEST_SERVER: server, TOKEN: token, EXPIRES_AT: expiresAt, REVOCATION: revocation, CLIENT_ID: clientId } = process.env
  const problems = await checkLease({ server, token, expiresAt, revocation, clientId })
  if (token && process.env.GITHUB_OUTPUT)
    appendFileSync(process.env.GITHUB_OUTPUT, `token-sha256=${createHash('sha256').update(token).digest('hex')}\n`)
  for (const p of problems) console.log(`::error::self-test: ${p}`)
  if (problems.length) process.exit(1)
  console.log(
    `self-test: the token is live on ${server}, issued to ${clientId ?? 'the client'}; expires-at ${expiresAt}; revocation scheduled.`,
  )
}

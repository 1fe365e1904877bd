/**
 * The self-test's check after the lease step: the outputs are there and well-formed, the token
 * is one the server issued and still active, and the runner was told to mask it. Reads
 * SELFTEST_SERVER, TOKEN, EXPIRES_AT, REVOCATION; with GITHUB_OUTPUT set, writes `token-sha256`
 * (the hash of the token, not the token) for the job that scans the finished job's log.
 * Exits 1 naming each problem; never prints the token.
 */
import { createHash } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export async function checkLease({ server, token, expiresAt, revocation, now = Date.now() }) {
  const problems = []
  if (!token) problems.push('the token output is empty')
  const at = Date.parse(expiresAt ?? '')
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(expiresAt ?? '') || !(at > now))
    problems.push(`expires-at is not a future ISO 8601 UTC time: '${expiresAt}'`)
  if (revocation !== 'scheduled') problems.push(`revocation is '${revocation}', not 'scheduled'`)
  const leases = await (await fetch(`${server}/selftest/leases`)).json()
  if (leases.active < 1) problems.push(`the server has no active token (${JSON.stringify(leases)})`)
  return problems
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { SELFTEST_SERVER: server, TOKEN: token, EXPIRES_AT: expiresAt, REVOCATION: revocation } = process.env
  const problems = await checkLease({ server, token, expiresAt, revocation })
  if (token && process.env.GITHUB_OUTPUT)
    appendFileSync(process.env.GITHUB_OUTPUT, `token-sha256=${createHash('sha256').update(token).digest('hex')}\n`)
  for (const p of problems) console.log(`::error::self-test: ${p}`)
  if (problems.length) process.exit(1)
  console.log(`self-test: the lease is live on ${server}; expires-at ${expiresAt}; revocation scheduled.`)
}

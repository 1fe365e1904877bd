/**
 * Reads a finished job's log on stdin and fails if any token-like word in it hashes to one of
 * the SHA-256 hashes given as arguments: proof, after the fact, that the runner masked the
 * token everywhere the job printed it. The hashes come from check-lease.mjs.
 */
import { createHash } from 'node:crypto'

const hashes = new Set(process.argv.slice(2).filter(Boolean))
if (hashes.size === 0) {
  console.log('::error::scan-log: no hash given')
  process.exit(1)
}
let log = ''
for await (const chunk of process.stdin) log += chunk
const words = new Set(log.match(/[A-Za-z0-9_-]{16,}/g) ?? [])
const found = [...words].filter((w) => hashes.has(createHash('sha256').update(w).digest('hex')))
if (log.length < 1000 || !log.includes('***')) {
  console.log(`::error::scan-log: the log (${log.length} characters) has no masked value: is it the self-test job's?`)
  process.exit(1)
}
if (found.length) {
  console.log(`::error::scan-log: the token appears unmasked in the log (${found.length} place(s))`)
  process.exit(1)
}
console.log(`scan-log: ${words.size} token-like words checked in ${log.length} characters; the token never appears unmasked.`)

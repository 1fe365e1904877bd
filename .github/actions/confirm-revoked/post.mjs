// Runs after token-lease's post step (post steps run in reverse order): every token the
// self-test server issued must now be inactive, as RFC 7662 introspection sees it.
const server = process.env['INPUT_SERVER']
const fail = (why) => {
  console.log(`::error::confirm-revoked: ${why}`)
  process.exit(1)
}
let counts
try {
  const res = await fetch(`${server}/selftest/leases`)
  if (!res.ok) fail(`GET ${server}/selftest/leases answered HTTP ${res.status}`)
  counts = await res.json()
} catch (err) {
  fail(`GET ${server}/selftest/leases failed: ${err.cause?.code ?? err.message}`)
}
const { issued, active } = counts
if (!(issued >= 1) || active !== 0) fail(`${issued} token(s) issued, ${active} still active after token-lease's post step`)
console.log(`confirm-revoked: ${issued} token(s) issued by ${server}, none active after token-lease's post step.`)

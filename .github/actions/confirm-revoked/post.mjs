// Runs after token-lease's post step (post steps run in reverse order): every token the
// self-test server issued must now be inactive, as RFC 7662 introspection sees it.
const server = process.env['INPUT_SERVER']
const res = await fetch(`${server}/selftest/leases`)
const { issued, active } = await res.json()
if (!res.ok || !(issued >= 1) || active !== 0) {
  console.log(`::error::confirm-revoked: ${issued} token(s) issued, ${active} still active after token-lease's post step`)
  process.exit(1)
}
console.log(`confirm-revoked: ${issued} token(s) issued by ${server}, none active after token-lease's post step.`)

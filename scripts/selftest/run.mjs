/**
 * The self-test, run here as CI runs it on GitHub (.github/workflows/ci.yml, job `selftest`), with
 * the same pieces: the self-test server, the bundled main and post steps through the runner
 * emulation, check-lease.mjs after main, and the confirm-revoked action's post step after post.
 * Two leases: client credentials, and keyless (RFC 8693 token exchange of the job's OIDC token,
 * here from the runner's OIDC stand-in, whose JWKS the server fetches over HTTP as it fetches
 * GitHub's in CI). The confirm-revoked check also runs once before post, where it must fail.
 *
 * `node scripts/selftest/run.mjs` (needs a built dist/); .ci/run runs it.
 */
import { randomBytes } from 'node:crypto'
import { startGithubOidcServer } from '../lib/github-oidc-server.mjs'
import { leaks, runStep } from '../lib/runner.mjs'
import { checkLease } from './check-lease.mjs'
import { CLIENT_ID, KEYLESS_CLIENT_ID, startSelftestServer } from './server.mjs'

const AUDIENCE = 'token-lease-selftest'
const clientSecret = randomBytes(24).toString('base64url')
const gh = await startGithubOidcServer()
const server = await startSelftestServer({
  clientSecret,
  trust: { issuer: gh.issuer, jwksUri: `${gh.issuer}/.well-known/jwks`, audience: AUDIENCE },
})
const confirm = (step) => runStep(`.github/actions/confirm-revoked/${step}.mjs`, { inputs: { server: server.issuer } })

const variants = [
  {
    name: 'client credentials',
    inputs: { issuer: server.issuer, 'client-id': CLIENT_ID, 'client-secret': clientSecret, scope: 'api:read' },
  },
  {
    name: 'keyless token exchange',
    inputs: { issuer: server.issuer, 'client-id': KEYLESS_CLIENT_ID, 'grant-type': 'token-exchange', 'oidc-audience': AUDIENCE },
    env: gh.env,
  },
]
const failures = []
try {
  for (const { name, inputs, env = {} } of variants) {
    const fail = (what) => failures.push(`${name}: ${what}`)
    if ((await confirm('main')).code !== 0) fail('confirm-revoked main step failed')
    const main = await runStep('dist/main/index.js', { inputs, env })
    if (main.code !== 0) fail(`main step exited ${main.code}:\n${main.log}`)
    const token = main.outputs.token
    for (const p of await checkLease({
      server: server.issuer,
      token,
      expiresAt: main.outputs['expires-at'],
      revocation: main.outputs.revocation,
      clientId: inputs['client-id'],
    }))
      fail(p)
    if (!main.masks.includes(token)) fail('the token was not registered as a mask')
    if ((await checkLease({ server: server.issuer, token: 'not-a-token', expiresAt: '', revocation: '' })).length !== 3)
      fail('check-lease accepted a token the server never issued')
    const early = await confirm('post')
    if (early.code === 0) fail('confirm-revoked passed while the token was still active')
    const post = await runStep('dist/post/index.js', { inputs, env, state: main.state })
    if (post.code !== 0) fail(`post step exited ${post.code}:\n${post.log}`)
    const late = await confirm('post')
    if (late.code !== 0) fail(`confirm-revoked failed after post: ${late.log}`)
    const secrets = [token, clientSecret, ...gh.issued]
    for (const step of [main, post, early, late]) if (leaks(step, secrets).length) fail('a secret reached a log')
    console.log(`self-test, ${name}: ${failures.length ? 'FAILED' : 'leased, checked, revoked, confirmed'} (${late.log.trim()})`)
  }
  const { issued, active } = await server.leases()
  if (issued !== variants.length || active !== 0) failures.push(`server: ${issued} tokens issued, ${active} active at the end`)
} finally {
  await server.close()
  await gh.close()
}
for (const f of failures) console.error(`self-test: ${f}`)
process.exit(failures.length ? 1 : 0)

/**
 * A stand-in for the runner's OIDC token service (PROTOCOLS.md §3), on 127.0.0.1: it answers
 * GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=… (Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) with
 * {"value": <JWT>} signed RS256 by its own key, with GitHub's claim shapes. Its JWKS is served
 * at /.well-known/jwks so an authorization server in a test can verify what it issued.
 */
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT, createLocalJWKSet, jwtVerify } from 'jose'

export async function startGithubOidcServer({
  requestToken = 'gh-request-token-' + randomUUID(),
  repository = 'octo-org/octo-repo',
  lifetime = 300,
} = {}) {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'RS256', use: 'sig' }
  const jwks = { keys: [jwk] }
  const requests = []
  const issued = []
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1')
    if (url.pathname === '/.well-known/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
      return
    }
    requests.push({
      method: req.method,
      path: url.pathname,
      audience: url.searchParams.get('audience'),
      authorization: req.headers.authorization,
    })
    if (url.pathname !== '/token' || req.method !== 'GET') return res.writeHead(404).end()
    if (req.headers.authorization !== `Bearer ${requestToken}`) return res.writeHead(401).end('{"message":"Unauthorized"}')
    const now = Math.floor(Date.now() / 1000)
    const value = await new SignJWT({
      repository,
      repository_owner: repository.split('/')[0],
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      workflow: 'release',
      event_name: 'push',
      run_id: '1',
      actor: 'octocat',
      job_workflow_ref: `${repository}/.github/workflows/release.yml@refs/heads/main`,
      runner_environment: 'github-hosted',
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setSubject(`repo:${repository}:ref:refs/heads/main`)
      .setAudience(url.searchParams.get('audience') || `https://github.com/${repository.split('/')[0]}`)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now - 5)
      .setExpirationTime(now + lifetime)
      .sign(privateKey)
    issued.push(value)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: 1, value }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${server.address().port}`
  const keySet = createLocalJWKSet(jwks)
  return {
    issuer,
    jwks,
    requestToken,
    /** What the runner would put in the step's environment. */
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: `${issuer}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    /** Requests received (method, path, audience, authorization header). */
    requests,
    /** Every ID token issued, for leak checks. */
    issued,
    /** Verifies a JWT as a relying party trusting this issuer would. */
    verify: (jwt, audience) => jwtVerify(jwt, keySet, { issuer, audience }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(resolve)
      }),
  }
}

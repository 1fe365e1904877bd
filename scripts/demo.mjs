/**
 * `npm run demo`: a real authorization server (oidc-provider) on 127.0.0.1, the bundled main
 * and post steps run as the GitHub runner runs them, and introspection before and after post
 * to show the token was live and then revoked.
 */
import { startOidcServer } from './lib/oidc-server.mjs'
import { runStep } from './lib/runner.mjs'

const secret = 'Sup3r:secret+with%chars & "quotes"'
const server = await startOidcServer()
const inputs = { issuer: server.issuer, 'client-id': 'ci-client', 'client-secret': secret, scope: 'api:read' }
const show = (title, text) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}\n${text.trim()}`)
let failed = false
try {
  console.log(`Authorization server (oidc-provider): ${server.issuer}`)
  const main = await runStep('dist/main/index.js', { inputs })
  show('main step log (as the runner renders it)', main.log)
  show(
    'main step outputs',
    Object.entries(main.outputs)
      .map(([k, v]) => `${k} = ${k === 'token' ? `*** (${v.length} characters; masked in the log, never printed)` : v}`)
      .join('\n'),
  )
  const before = await server.introspect(main.outputs.token)
  show('introspection after main', JSON.stringify(before, null, 2))

  const post = await runStep('dist/post/index.js', { inputs, state: main.state })
  show('post step log', post.log)
  const after = await server.introspect(main.outputs.token)
  show('introspection after post', JSON.stringify(after, null, 2))
  show('job summary', main.summary + '\n' + post.summary)

  failed = main.code !== 0 || post.code !== 0 || before.active !== true || after.active !== false
  console.log(failed ? '\nDemo FAILED' : '\nDemo OK: the token was live after main and revoked by post.')
} finally {
  await server.close()
}
process.exit(failed ? 1 : 0)

/**
 * Starts one of the independent authorization servers of scripts/interop on 127.0.0.1 (a free
 * port), waits until it listens, and hands back its URL. Each is a small WSGI app around a Python
 * OAuth library from Debian, run with /usr/bin/python3 (the python3 first on PATH may not see
 * Debian's packages; INTEROP_PYTHON overrides it):
 *   authlib — Authlib 1.2 + Flask (python3-authlib, python3-flask)
 *   dot     — django-oauth-toolkit 1.7 on OAuthLib 3.2 (python3-django-oauth-toolkit)
 *
 * As a library: `missing(name)` says why a server cannot run here (or undefined), and
 * `startServer(name, {clients, introspector})` starts it. As a command:
 *   node scripts/interop/launch.mjs authlib|dot
 * prints the URL and the demo client, and serves until Ctrl-C. INTEROP_DEBUG=1 passes the server's
 * stderr (Python tracebacks) through.
 */
import { spawn, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Debian's Python by default; INTEROP_PYTHON points elsewhere (a Python with the same libraries installed). */
export const PYTHON = process.env.INTEROP_PYTHON || '/usr/bin/python3'
const here = dirname(fileURLToPath(import.meta.url))

/** Per server: its app, where its OAuth endpoints live under the URL, what it imports, the Debian packages. */
export const SERVERS = {
  authlib: {
    script: 'authlib_server.py',
    paths: { token: '/token', revocation: '/revoke', introspection: '/introspect' },
    imports: ['authlib', 'flask'],
    packages: ['python3-authlib', 'python3-flask'],
  },
  dot: {
    script: 'dot_server.py',
    // DOT's own routes, mounted at /o/ as its documentation does: every path ends with a slash.
    paths: { token: '/o/token/', revocation: '/o/revoke_token/', introspection: '/o/introspect/' },
    imports: ['oauth2_provider', 'oauthlib', 'django', 'werkzeug', 'cryptography'],
    packages: ['python3-django-oauth-toolkit', 'python3-werkzeug'],
  },
}

/** Why `name` cannot run on this machine (no Debian Python, packages not installed), or undefined. */
export function missing(name) {
  const { imports, packages } = SERVERS[name]
  const probe = spawnSync(PYTHON, ['-c', `import ${imports.join(', ')}`], { encoding: 'utf8', timeout: 30_000 })
  if (probe.error) return `${PYTHON} not found (${probe.error.code}): needs Debian's Python and ${packages.join(', ')}`
  if (probe.status !== 0) {
    const why = /No module named '([^']+)'/.exec(probe.stderr)?.[1]
    return `${PYTHON} cannot import ${why ?? imports.join('/')}: install ${packages.join(' ')} (apt-get, as root)`
  }
  return undefined
}

/** The library versions a server runs (for the README's "Tested with" and the test names). */
export function versions(name) {
  const mods = SERVERS[name].imports
  const code = `import importlib.metadata as m\nfor d in ${JSON.stringify(mods.map(distribution))}: print(d, m.version(d))`
  const out = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' })
  return out.status === 0 ? out.stdout.trim().split('\n').join(', ') : 'unknown'
}

const distribution = (module) => ({ oauth2_provider: 'django-oauth-toolkit', authlib: 'Authlib', flask: 'Flask' })[module] ?? module

/**
 * Starts server `name` with `clients` ([{id, secret}]); `introspector` (a client id) may introspect
 * any token on authlib. Resolves once it listens: { url, paths, requests, close() }, where
 * `requests` fills with { method, path, status } as the server answers (no header or body: those
 * carry credentials). `timeoutMs` stays under Jest's 60 s hook timeout, so a server that never
 * listens fails with its own stderr.
 */
export function startServer(name, { clients, introspector, timeoutMs = 45_000 } = {}) {
  const { script, paths } = SERVERS[name]
  const child = spawn(PYTHON, [join(here, script)], {
    env: {
      PATH: process.env.PATH,
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      INTEROP_CLIENTS: JSON.stringify(clients),
      ...(introspector ? { INTEROP_INTROSPECTOR: introspector } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const requests = []
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
    if (process.env.INTEROP_DEBUG) process.stderr.write(d)
  })
  const exited = new Promise((resolve) => child.on('close', resolve))
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer)
      close().then(() => reject(new Error(`${name} server ${why}; its stderr:\n${stderr}`)))
    }
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs)
    child.on('error', (e) => fail(`could not start (${e.message})`))
    exited.then((code) => fail(`exited (${code}) before listening`))
    let pending = ''
    child.stdout.on('data', (d) => {
      pending += d
      const lines = pending.split('\n')
      pending = lines.pop()
      for (const line of lines) {
        const listening = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)
        const request = /^request (\S+) (\S+) (\d+)$/.exec(line)
        if (listening) {
          clearTimeout(timer)
          resolve({ url: listening[1], paths, requests, close })
        } else if (request) requests.push({ method: request[1], path: request[2], status: Number(request[3]) })
      }
    })
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2]
  if (!SERVERS[name]) {
    console.error(`usage: node scripts/interop/launch.mjs ${Object.keys(SERVERS).join('|')}`)
    process.exit(2)
  }
  const why = missing(name)
  if (why) {
    console.error(`${name}: ${why}`)
    process.exit(1)
  }
  const demo = { id: 'demo-client', secret: 'demo-secret' }
  const server = await startServer(name, { clients: [demo], introspector: demo.id })
  console.log(`${name} (${versions(name)}) listening at ${server.url}`)
  console.log(`token endpoint ${server.url}${server.paths.token}; client ${demo.id} / ${demo.secret}`)
  const stop = () => server.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

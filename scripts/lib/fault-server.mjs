/**
 * A fault-injecting HTTP(S) server on 127.0.0.1 (port 0) for tests of the HTTP layer.
 *
 * It is not an emulation of any vendor: each route answers from a script of steps, one step per
 * request (the last step repeats), so a test can say "503, then 200" or "hang". It records every
 * request as it arrived — method, path, headers, body, arrival time, client certificate — so a
 * test can assert exactly what was sent and how many times.
 *
 * Steps:
 *   { status, headers?, json? | body? }   an answer
 *   { reset: true }                       read the request, then reset the connection (TCP RST)
 *   { hang: true }                        read the request, never answer
 *   { status, body, stall: true }         send the headers and part of a body, then nothing more
 *   { status, echo: 'text' | 'json' }     answer with a dump of the request (headers and body):
 *                                         the kind of debug page that would leak credentials
 *   { status, echo: 'body' }              an OAuth error whose error_description quotes the request body
 *   { delayMs }                           with any of the above: wait first
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Starts the server. Options: tls ({ cert, key, ca?, requestCert? }) for HTTPS, optionally
 * asking for a client certificate signed by `ca`.
 */
export async function startFaultServer({ tls } = {}) {
  const routes = new Map()
  const requests = []
  const handler = (req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url, 'http://x')
      const peer = req.socket.getPeerCertificate?.()
      const record = {
        method: req.method,
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
        clientCertCn: peer?.subject ? peer.subject.CN : undefined,
      }
      requests.push(record)
      const script = routes.get(`${req.method} ${url.pathname}`)
      const step = script ? script.steps[Math.min(script.used++, script.steps.length - 1)] : { status: 404, json: { error: 'not_found' } }
      setTimeout(() => answer(step, record, req, res), step.delayMs ?? 0)
    })
  }
  const server = tls
    ? https.createServer(
        { cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: !!tls.requestCert, rejectUnauthorized: !!tls.requestCert },
        handler,
      )
    : http.createServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`
  return {
    port,
    origin,
    url: (path) => `${origin}${path}`,
    /** Every request received, in order. */
    requests,
    /** Requests to one route. */
    requestsTo: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    /** Sets the script of a route ("POST /token"); the last step repeats. */
    route(method, path, steps) {
      routes.set(`${method} ${path}`, { steps: Array.isArray(steps) ? steps : [steps], used: 0 })
    },
    reset() {
      routes.clear()
      requests.length = 0
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.()
        server.close(() => resolve())
      }),
  }
}

function answer(step, record, req, res) {
  if (step.reset) {
    // resetAndDestroy sends a TCP RST (Node >= 16.17); destroy is the fallback.
    if (req.socket.resetAndDestroy) req.socket.resetAndDestroy()
    else req.socket.destroy()
    return
  }
  if (step.hang) return
  let body = step.body ?? ''
  const headers = { ...(step.headers ?? {}) }
  if (step.echo) {
    const dump = `${record.method} ${record.path}${record.query}\n${Object.entries(record.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n${record.body}`
    if (step.echo === 'body') {
      body = JSON.stringify({ error: 'invalid_client', error_description: `could not verify ${record.body}` })
      headers['content-type'] = 'application/json'
    } else if (step.echo === 'json') {
      body = JSON.stringify({ error: 'server_error', error_description: `Unhandled exception while processing:\n${dump}` })
      headers['content-type'] = 'application/json'
    } else {
      body = `Internal Server Error\n\nRequest was:\n${dump}\n`
      headers['content-type'] = 'text/plain'
    }
  } else if (step.json !== undefined) {
    body = JSON.stringify(step.json)
    headers['content-type'] ??= 'application/json'
  }
  res.writeHead(step.status ?? 200, step.statusText, headers)
  if (step.stall) res.write(body)
  else res.end(body)
}

/**
 * Issues a server certificate for `names` (DNS names or IPs) signed by a CA from createPki(),
 * for a host name that only a proxy can resolve. Uses the openssl CLI in a temporary folder.
 */
export function issueServerCertificate(ca, names) {
  const dir = mkdtempSync(join(tmpdir(), 'token-lease-cert-'))
  const f = (name) => join(dir, name)
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  try {
    writeFileSync(f('ca.pem'), ca.cert)
    writeFileSync(f('ca.key'), ca.key)
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('server.key'))
    ssl('req', '-new', '-key', f('server.key'), '-subj', `/CN=${names[0]}`, '-out', f('server.csr'))
    const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
    writeFileSync(f('server.ext'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`)
    ssl(
      'x509',
      '-req',
      '-in',
      f('server.csr'),
      '-CA',
      f('ca.pem'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f('server.ext'),
      '-out',
      f('server.pem'),
    )
    return { cert: readFileSync(f('server.pem'), 'utf8'), key: readFileSync(f('server.key'), 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A small forward proxy on 127.0.0.1 (port 0) that speaks only CONNECT, the way
 * @actions/http-client reaches every target through HTTPS_PROXY / HTTP_PROXY (also http:// ones).
 *
 * It resolves host names from its own table (`hosts`: name → IP), so a test can use a name that
 * nothing but the proxy can resolve: a request that reaches the server proves it went through the
 * proxy. Every tunnel it is asked for is recorded (target, status, Proxy-Authorization seen).
 *
 * Options: hosts; refuse (a status, e.g. 403, to answer every CONNECT with); credentials
 * ("user:password": CONNECT without them gets 407); hang (accept CONNECT, never answer it).
 */
import http from 'node:http'
import net from 'node:net'

export async function startConnectProxy({ hosts = {}, refuse, credentials, hang = false } = {}) {
  const tunnels = []
  const sockets = new Set()
  const server = http.createServer((_req, res) => {
    // A plain proxied request (absolute URI) is not how the action talks: say so.
    res.writeHead(405, { 'content-type': 'text/plain' })
    res.end('this test proxy only tunnels (CONNECT)')
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req, client, head) => {
    const [host, portText] = splitHostPort(req.url)
    const tunnel = { target: req.url, host, port: Number(portText), proxyAuthorization: req.headers['proxy-authorization'], status: 0 }
    tunnels.push(tunnel)
    const reply = (status, text) => {
      tunnel.status = status
      client.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`)
    }
    if (hang) return
    if (refuse) return reply(refuse, 'Refused by test proxy')
    if (credentials && req.headers['proxy-authorization'] !== `Basic ${Buffer.from(credentials).toString('base64')}`)
      return reply(407, 'Proxy Authentication Required')
    const ip = hosts[host.toLowerCase()]
    if (!ip) return reply(502, 'Bad Gateway (unknown host)')
    const upstream = net.connect(Number(portText), ip)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.once('connect', () => {
      tunnel.status = 200
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => (tunnel.status ? client.destroy() : reply(502, 'Bad Gateway (connect failed)')))
    client.on('error', () => upstream.destroy())
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    /** Every CONNECT received, in order. */
    tunnels,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

function splitHostPort(authority) {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority)
  return m ? [m[1], m[2]] : [authority, '443']
}

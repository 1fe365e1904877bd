"""Serves a WSGI app on 127.0.0.1 with Werkzeug's server, on the port given (0: a free one).

Prints `listening <url>` once the socket is bound (the launcher waits for that line), then one
`request <METHOD> <path> <status>` line per request on stdout, so a test can see what reached the
server without the server echoing a header or a body (they carry credentials).
"""
import signal
import sys

from werkzeug.serving import WSGIRequestHandler, make_server


class RequestLine(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        path = self.path.split("?", 1)[0]
        print(f"request {self.command} {path} {getattr(code, 'value', code)}", flush=True)

    def log(self, type, message, *args):
        # Werkzeug's own lines (startup, errors) go to stderr, never to the request log.
        if type == "error":
            print(message % args, file=sys.stderr, flush=True)


def serve(app, port=0, on_bound=None):
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=RequestLine)
    url = f"http://127.0.0.1:{server.port}"
    if on_bound:
        on_bound(url)
    # SIGTERM (the launcher's close) unwinds like Ctrl-C, so the apps' cleanup (`finally`) runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening {url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

"""The HTTP layer of jirasim: a threading HTTP/1.1 server with keep-alive, TLS, and the CLI.

In-process use::

    from jirasim.server import start_server
    with start_server(flavor="server") as sim:
        requests.get(sim.url + "/rest/api/2/serverInfo")
"""

import argparse
import email.utils
import gzip
import http
import http.server
import signal
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time

from jirasim import control
from jirasim.app import App
from jirasim.context import Request
from jirasim.gateway import GatewayApp
from jirasim.state import Config, State

_REASONS = {status.value: status.phrase for status in http.HTTPStatus}
_MAX_BODY = 64 * 1024 * 1024


class _Stop(BaseException):
    """Raised from the SIGTERM/SIGINT handler to leave serve_forever.

    A BaseException: socketserver catches Exception around process_request, so a signal that arrives while a
    handler thread starts would be swallowed (printed as an error) and jirasim would keep running.
    """


class JiraHandler(http.server.BaseHTTPRequestHandler):
    """Reads a request, hands it to the control API or the App, writes the answer in one send."""

    protocol_version = "HTTP/1.1"
    server_version = "jirasim"
    timeout = 120  # idle keep-alive connections are closed after this many seconds

    def setup(self):
        super().setup()
        # One write per response plus no Nagle delay keeps keep-alive clients fast.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """No per-request logging: it is slow and would clutter test output."""

    def address_string(self):
        """No reverse DNS lookups."""
        return self.client_address[0]

    def do_GET(self):
        """GET."""
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _handle(self):
        body = self._read_body()
        if body is None:
            return
        # A plain dict with lower-case names: email.message lookups are linear and slow.
        headers = {name.lower(): value for name, value in self.headers.items()}
        req = Request(self.command, self.path, headers, body)
        if self.server.serves_control and (req.path == "/_jirasim" or req.path.startswith("/_jirasim/")):
            self._write(control.handle(self.server.state, req))
            return
        outcome = self.server.app.process(req, self._base_url())
        if outcome.after == "reset" or outcome.response is None:
            self._reset_connection()
        elif outcome.after == "truncate":
            self._write(outcome.response, truncate=True)
        else:
            self._write(outcome.response)

    def _base_url(self):
        base = self.server.base_url
        if base is None:
            # Bound to a wildcard address: the base URL is whatever name the client used.
            base = "%s://%s" % (self.server.scheme, self.headers.get("Host", "localhost"))
        return base

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0 or size > _MAX_BODY:
            self.close_connection = True
            self.send_error(400, "Bad Content-Length")
            return None
        return self.rfile.read(size)

    def _read_chunked(self):
        parts = []
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                self.send_error(400, "Bad chunk")
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _write(self, response, truncate=False):
        body = response.body
        lines = ["HTTP/1.1 %d %s" % (response.status, _REASONS.get(response.status, "Unknown")),
                 "Date: " + self.server.http_date()]
        if response.content_type:
            lines.append("Content-Type: " + response.content_type)
        lines.extend("%s: %s" % pair for pair in response.headers)
        if self._gzip_wanted(body):
            body = gzip.compress(body, compresslevel=1)
            lines.append("Content-Encoding: gzip")
        lines.append("Content-Length: %d" % len(body))
        if self.close_connection or truncate:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        if self.command == "HEAD":
            body = b""
        elif truncate:
            body = body[:len(body) // 2]
            self.close_connection = True
        self.wfile.write(head + body)

    def _gzip_wanted(self, body):
        threshold = self.server.state.config.gzip_min_bytes
        offered = (self.headers.get("Accept-Encoding") or "").split(",")
        accepted = [coding.split(";")[0].strip().lower() for coding in offered]
        return bool(threshold) and len(body) >= threshold and "gzip" in accepted and self.command != "HEAD"

    def _reset_connection(self):
        """Close with RST and no response, like a crashed proxy."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


class SimHTTPServer(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer with TLS in the worker thread, no DNS lookups, and quiet disconnects."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    serves_control = True

    def __init__(self, address, state, ssl_context=None):
        self.state = state
        self.app = App(state)
        self.gateway = None  # the cloud flavor's gateway origin (a GatewayServer), started and stopped with this one
        self.ssl_context = ssl_context
        self.scheme = "https" if ssl_context else "http"
        self.connections = set()
        self._date = (0, "")
        super().__init__(address, JiraHandler)
        host, port = self.server_address[:2]
        shown = "[%s]" % host if ":" in host else host
        self.url = "%s://%s:%d" % (self.scheme, shown, port)
        self.base_url = None if host in ("0.0.0.0", "::") else self.url

    def server_bind(self):
        # HTTPServer.server_bind calls getfqdn(), a DNS lookup; skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def http_date(self):
        """The Date header value, formatted once per second."""
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, email.utils.formatdate(now, usegmt=True))
        return self._date[1]

    def finish_request(self, request, client_address):
        if self.ssl_context is not None:
            try:
                request.settimeout(10)
                request = self.ssl_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError):
                return
        self.connections.add(request)
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            self.connections.discard(request)
            if self.ssl_context is not None:
                request.close()

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)

    def close_connections(self):
        """Drop open keep-alive connections (used by stop())."""
        for connection in list(self.connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class SimHTTPServer6(SimHTTPServer):
    """The same on IPv6."""

    address_family = socket.AF_INET6


def _gateway_class(base):
    class GatewayServer(base):
        """The gateway origin of the cloud flavor: its own port, the site's State, no control API."""

        serves_control = False

        def __init__(self, address, site):
            super().__init__(address, site.state, site.ssl_context)
            self.app = GatewayApp(site.state, site.base_url or site.url)

    return GatewayServer


GatewayServer = _gateway_class(SimHTTPServer)
GatewayServer6 = _gateway_class(SimHTTPServer6)


def _serve_in_thread(httpd, poll_interval):
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True)
    thread.start()
    return thread


class RunningServer:
    """A jirasim serving in a background thread; ``url``, ``gateway_url`` (cloud; else None), ``state``, ``stop()``."""

    def __init__(self, httpd):
        self.httpd = httpd
        self.url = httpd.url
        self.gateway_url = httpd.gateway.url if httpd.gateway is not None else None
        self.state = httpd.state
        self.threads = [_serve_in_thread(each, 0.1) for each in (httpd, httpd.gateway) if each is not None]

    def stop(self):
        """Stop serving and close the listening sockets and open connections."""
        for httpd in (self.httpd, self.httpd.gateway):
            if httpd is not None:
                httpd.shutdown()
                httpd.close_connections()
                httpd.server_close()
        for thread in self.threads:
            thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def make_server(host="127.0.0.1", port=0, issues=25, tls_cert=None, tls_key=None, gateway_port=0, **config):
    """Build (but do not start) a server; ``config`` takes the Config keyword arguments.

    The cloud flavor also gets its gateway origin (``.gateway``) on ``gateway_port`` (0 = a free port).
    """
    context = None
    if tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_cert, tls_key)
    ipv6 = ":" in host
    server_class = SimHTTPServer6 if ipv6 else SimHTTPServer
    httpd = server_class((host, port), State(Config(**config), issue_count=issues), context)
    if httpd.state.config.cloud:
        httpd.gateway = (GatewayServer6 if ipv6 else GatewayServer)((host, gateway_port), httpd)
    return httpd


def start_server(**options):
    """Start jirasim in a daemon thread; same options as make_server. Returns a RunningServer."""
    return RunningServer(make_server(**options))


def build_parser():
    """The command line of ``python -m jirasim``."""
    parser = argparse.ArgumentParser(prog="jirasim", description="A faithful Jira REST API test double.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--flavor", choices=("server", "cloud"), default="server")
    parser.add_argument("--captcha-after", type=int, default=3, help="failed logins before a CAPTCHA lock (0 = never)")
    parser.add_argument("--issues", type=int, default=25, help="seeded issues in project TEST")
    parser.add_argument("--max-results-cap", type=int, default=None, help="default 1000 (server), 100 (cloud)")
    parser.add_argument("--gateway-port", type=int, default=0, help="cloud: the gateway origin's port (0 = a free one)")
    parser.add_argument("--basic-auth-disabled", action="store_true")
    parser.add_argument("--basic-auth-allow", action="append", default=[], metavar="USER",
                        help="with --basic-auth-disabled: a user who may still use Basic (repeatable)")
    parser.add_argument("--oauth-token-lifetime", type=int, default=3600, help="OAuth 2.0 access tokens (seconds)")
    parser.add_argument("--rate-limit", type=int, default=0, help="requests per second (0 = off)")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    return parser


def _raise_stop(_signum, _frame):
    raise _Stop()


def main(argv=None):
    """Run until SIGTERM/SIGINT; print the listening line first."""
    args = build_parser().parse_args(argv)
    httpd = make_server(host=args.host, port=args.port, issues=args.issues, tls_cert=args.tls_cert,
                        tls_key=args.tls_key or args.tls_cert, flavor=args.flavor, captcha_after=args.captcha_after,
                        basic_auth_disabled=args.basic_auth_disabled, basic_auth_allow=args.basic_auth_allow,
                        oauth_token_lifetime=args.oauth_token_lifetime, rate_limit=args.rate_limit,
                        max_results_cap=args.max_results_cap, gateway_port=args.gateway_port)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    gateway = httpd.gateway
    if gateway is not None:
        _serve_in_thread(gateway, 0.2)
    print("jirasim listening on %s" % httpd.url, flush=True)
    if gateway is not None:
        print("jirasim gateway on %s" % gateway.url, flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except _Stop:
        pass
    finally:
        httpd.server_close()
        if gateway is not None:
            gateway.shutdown()
            gateway.server_close()
    return 0

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fault-injecting reverse proxy in front of jirasim (standard library only, threads, 127.0.0.1 only).

Per request to ``/rest/`` or ``/login.jsp`` the proxy draws a fault kind from the scenario's seeded RNG and counts
every fault it injected by kind. Faults that need Jira's work done (a late answer, a reset after processing, an
error after processing, the redirect that carries Jira's rejection, echoes, pages that do not advance, bad JSON)
forward the request first, so jirasim counts the login and makes the write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import collections
import http.client
import http.server
import json
import random
import socket
import socketserver
import struct
import threading
import time
import urllib.parse

# Every kind the proxy can inject (``pass`` is no fault).
FAULT_KINDS = ("late", "reset_before", "reset_after", "error_5xx", "rate_429", "redirect_rejection", "echo",
               "stuck_pages", "deep_json", "broken_json", "non_jira")

HOP_BY_HOP = frozenset(("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection",
                        "content-length", "accept-encoding", "host"))
# What makes an answer Jira's; a JSON API that is not Jira sends none of these.
JIRA_HEADERS = ("x-seraph-loginreason", "x-ausername", "x-arequestid", "x-asessionid", "x-aaccountid",
                "x-authentication-denied-reason", "www-authenticate", "set-cookie", "atl-request-id",
                "x-ratelimit-limit",
                "x-ratelimit-remaining", "x-ratelimit-interval-seconds", "x-ratelimit-fillrate", "x-ratelimit-reset")
DEEP_JSON_LEVELS = 100000


class Answer:
    """A response to send: status, [(name, value)], body bytes."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, list(headers), body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def without(self, names):
        self.headers = [(key, value) for key, value in self.headers if key.lower() not in names]
        return self


def _lower_escapes(quoted):
    """%C3%AB -> %c3%ab (the other case of the same percent-encoding)."""
    out, index = [], 0
    while index < len(quoted):
        if quoted[index] == "%":
            out.append(quoted[index:index + 3].lower())
            index += 3
        else:
            out.append(quoted[index])
            index += 1
    return "".join(out)


def _wrapped(text, rng):
    width = rng.randint(3, 8)
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


ENCODINGS = {
    "raw": lambda text, rng: text,
    "percent-upper": lambda text, rng: urllib.parse.quote(text, safe=""),
    "percent-lower": lambda text, rng: _lower_escapes(urllib.parse.quote(text, safe="")),
    "html-decimal": lambda text, rng: "".join("&#%d;" % ord(char) for char in text),
    "html-hex": lambda text, rng: "".join("&#x%x;" % ord(char) for char in text),
    "u-escapes": lambda text, rng: "".join("\\u%04x" % ord(char) if ord(char) < 0x10000 else char for char in text),
    "line-wrapped": _wrapped,
    "base64": lambda text, rng: base64.b64encode(text.encode("utf-8")).decode("ascii"),
}
# Header values must stay on one line and in latin-1.
HEADER_ENCODINGS = ("percent-upper", "percent-lower", "html-decimal", "html-hex", "u-escapes", "base64")


def echo_material(authorization):
    """What an echoing server could repeat of an Authorization header: the value, its credentials, decoded."""
    scheme, _sep, credentials = (authorization or "").partition(" ")
    pieces = [authorization, credentials]
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        if decoded:
            pieces.extend([decoded, decoded.partition(":")[2]])
    return [piece for piece in pieces if piece]


class FaultPlan:
    """The scenario's fault settings and its RNG; thread-safe draws and counts."""

    def __init__(self, seed=0, kinds=(), rate=0.0, client_timeout=1.0, non_jira=False, calm_requests=0):
        self.rng = random.Random(seed)
        self.calm_requests = calm_requests
        self.kinds, self.rate = list(kinds), rate
        self.client_timeout = client_timeout
        self.non_jira = non_jira
        self.counts = collections.Counter()
        self.requests = 0
        self.lock = threading.Lock()

    def draw(self):
        """The kind for one request (``pass`` for none), and an RNG of its own for the fault's details."""
        with self.lock:
            self.requests += 1
            detail = random.Random(self.rng.getrandbits(64))
            if self.kinds and self.rng.random() < self.rate and self.requests > self.calm_requests:
                return self.rng.choice(self.kinds), detail
            return "pass", detail

    def count(self, kind):
        with self.lock:
            self.counts[kind] += 1


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FaultProxy:
    """The proxy: ``url`` is what the collection's ``url`` points at; ``plan`` is replaced per scenario."""

    def __init__(self, upstream_url):
        parts = urllib.parse.urlsplit(upstream_url)
        self.upstream = (parts.hostname, parts.port)
        self.plan = FaultPlan()
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, name="chaos-proxy")
        self.thread.daemon = True
        self.thread.start()

    def forward(self, method, path, headers, body):
        """Send the request to jirasim on a fresh connection; the Answer (never compressed)."""
        conn = http.client.HTTPConnection(self.upstream[0], self.upstream[1], timeout=60)
        try:
            sent = [(key, value) for key, value in headers if key.lower() not in HOP_BY_HOP]
            conn.putrequest(method, path, skip_accept_encoding=True)
            for key, value in sent:
                conn.putheader(key, value)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            return Answer(response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP],
                          data)
        finally:
            conn.close()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _jira_body(answer):
    try:
        return json.loads(answer.body.decode("utf-8")) if answer.body else None
    except (ValueError, UnicodeDecodeError):
        return None


def _json_answer(answer, data):
    answer.body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return answer


def inject_echo(answer, authorization, rng):
    """Repeat (part of) the credentials in a random encoding, in the body, a header or a JSON key; None if nothing to
    echo."""
    material = echo_material(authorization)
    if not material:
        return None
    piece = rng.choice(material)
    place = rng.choice(("body", "header", "json-key"))
    if place == "header":
        encoded = ENCODINGS[rng.choice(HEADER_ENCODINGS)](piece, rng)
        answer.headers.append(("X-Debug-Auth", encoded))
        return answer
    encoded = ENCODINGS[rng.choice(sorted(ENCODINGS))](piece, rng)
    data = _jira_body(answer)
    if isinstance(data, dict):
        if place == "json-key":
            data[encoded] = "seen"
        else:
            data["debugAuthorization"] = encoded
        return _json_answer(answer, data)
    answer.body = answer.body + ("\n<!-- %s -->" % encoded).encode("utf-8")
    return answer


def inject_stuck_page(answer):
    """Rewrite the paging fields so the next page asks for the same one again; None when the answer is not a page."""
    data = _jira_body(answer)
    if not isinstance(data, dict) or not any(key in data for key in ("startAt", "nextPageToken", "isLast")):
        return None
    if "startAt" in data:
        data["startAt"] = 0
        if "total" in data:
            data["total"] = max(int(data.get("total") or 0), 10 ** 6)
    if "isLast" in data:
        data["isLast"] = False
    if "nextPageToken" in data or data.get("isLast") is False:
        data["nextPageToken"] = "chaos-stuck-token"
    return _json_answer(answer, data)


def deep_json(answer):
    answer.body = b"[" * DEEP_JSON_LEVELS + b"]" * DEEP_JSON_LEVELS
    answer.without(("content-type",)).headers.append(("Content-Type", "application/json;charset=UTF-8"))
    return answer


def broken_json(answer, rng):
    body = answer.body or b'{"startAt": 0, "issues": ['
    answer.body = body[:max(1, len(body) // rng.randint(2, 4))] + rng.choice((b"", b"\x00\xff", b'"unterminated'))
    answer.without(("content-type",)).headers.append(("Content-Type", "application/json;charset=UTF-8"))
    return answer


def error_answer(rng):
    status = rng.choice((500, 502, 503, 504))
    headers = [("Content-Type", "text/html;charset=UTF-8")]
    if status == 503 and rng.random() < 0.5:
        headers.append(("Retry-After", "0"))
    return Answer(status, headers, b"<html><head><title>%d Proxy Error</title></head><body>upstream</body></html>"
                  % status)


def rate_answer(rng):
    return Answer(429, [("Content-Type", "application/json"), ("Retry-After", rng.choice(("0", "1")))],
                  b'{"message": "Rate limit exceeded"}')


def redirect_rejection(proxy_url):
    """Jira's answer when Seraph rejected the login on a page that wants a browser."""
    return Answer(302, [("Location", proxy_url + "/login.jsp?permissionViolation=true&os_destination=%2Frest"),
                        ("X-Seraph-LoginReason", "AUTHENTICATED_FAILED"), ("Content-Type", "text/html;charset=UTF-8")],
                  b"")


# kind -> (handler, answer forwarded from jirasim, rng) -> the answer to send, or None when it does not apply.
TRANSFORMS = {
    "error_5xx": lambda handler, answer, rng: error_answer(rng),
    "rate_429": lambda handler, answer, rng: rate_answer(rng),
    "redirect_rejection": lambda handler, answer, rng: redirect_rejection(handler.owner.url),
    "echo": lambda handler, answer, rng: inject_echo(answer, handler.headers.get("Authorization"), rng),
    "stuck_pages": lambda handler, answer, rng: inject_stuck_page(answer),
    "deep_json": lambda handler, answer, rng: deep_json(answer),
    "broken_json": lambda handler, answer, rng: broken_json(answer, rng),
    "non_jira": lambda handler, answer, rng: answer.without(JIRA_HEADERS),
}


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner = None

    def log_message(self, *args):
        """Quiet: the harness counts, it does not log requests (they carry credentials)."""

    def finish(self):
        try:
            http.server.BaseHTTPRequestHandler.finish(self)
        except (OSError, ValueError):
            pass

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reset(self):
        """Close with RST, as a dropped connection looks to the client."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _send(self, answer):
        try:
            self.send_response_only(answer.status)
            for key, value in answer.headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)
            self.wfile.flush()
        except (OSError, ValueError):
            self.close_connection = True

    def _handle(self):
        body = self._read_body()
        plan = self.owner.plan
        faulty = self.path.startswith(("/rest/", "/login.jsp", "/secure/"))
        kind, rng = plan.draw() if faulty else ("pass", None)
        if kind == "reset_before":
            plan.count(kind)
            return self._reset()
        answer = self.owner.forward(self.command, self.path, self.headers.items(), body)
        answer, kind = self._apply(kind, answer, rng)
        if faulty and plan.non_jira:
            answer.without(JIRA_HEADERS)
            plan.count("non_jira")
        if kind != "pass":
            plan.count(kind)
        if kind == "reset_after":
            return self._reset()
        if kind == "late":
            time.sleep(plan.client_timeout + 0.5)
        self._send(answer)
        return None

    def _apply(self, kind, answer, rng):
        """The answer after the fault; a fault that does not apply to this answer becomes ``pass``."""
        transform = TRANSFORMS.get(kind)
        changed = transform(self, answer, rng) if transform else answer
        if changed is None:
            return answer, "pass"
        return changed, kind

    def _dispatch(self):
        try:
            self._handle()
        except (OSError, http.client.HTTPException, ValueError):
            self._reset()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _dispatch

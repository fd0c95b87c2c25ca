"""Fixtures: jirasim servers over real HTTP and a small http.client based client."""

import base64
import http.client
import json
import os
import ssl
import sys
import urllib.parse

import pytest

# jirasim is the package in tests/: found without PYTHONPATH=tests too.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from jirasim.server import start_server  # noqa: E402  pylint: disable=wrong-import-position


class Reply:
    """A response read in full."""

    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    def header(self, name):
        """A header value (None when absent)."""
        return self.headers.get(name)

    def json(self):
        """The body as JSON."""
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        """The body as text."""
        return self.body.decode("utf-8")


def basic(user, password):
    """An Authorization: Basic value, UTF-8 encoded like the spec says."""
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode("utf-8")).decode("ascii")


class Client:
    """One keep-alive connection to jirasim; Basic/Bearer/JSON helpers."""

    def __init__(self, url, context=None):
        self.url = url
        parts = urllib.parse.urlsplit(url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.context = context
        self.conn = None
        self.cookie = None

    def connect(self):
        """A (new) connection."""
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=10, context=self.context)
        return http.client.HTTPConnection(self.host, self.port, timeout=10)

    def call(self, method, path, auth=None, bearer=None, body=None, headers=None, keep_cookie=False):
        """Send one request on the kept-alive connection and read the reply."""
        sent = dict(headers or {})
        if auth is not None:
            sent["Authorization"] = basic(*auth)
        if bearer is not None:
            sent["Authorization"] = "Bearer " + bearer
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
            sent.setdefault("Content-Type", "application/json")
        if keep_cookie and self.cookie:
            sent["Cookie"] = self.cookie
        if self.conn is None:
            self.conn = self.connect()
        self.conn.request(method, path, body=body, headers=sent)
        reply = Reply(self.conn.getresponse())
        cookie = reply.header("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return reply

    def get(self, path, **kwargs):
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        """POST."""
        return self.call("POST", path, body=body if body is not None else {}, **kwargs)

    def put(self, path, body=None, **kwargs):
        """PUT."""
        return self.call("PUT", path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        """DELETE."""
        return self.call("DELETE", path, **kwargs)

    def control(self, method, path, body=None):
        """A control API call on a fresh connection (faults may break the kept one)."""
        conn = self.connect()
        data = json.dumps(body).encode("utf-8") if body is not None else None
        conn.request(method, "/_jirasim/" + path, body=data, headers={"Content-Type": "application/json"})
        reply = Reply(conn.getresponse())
        conn.close()
        return reply

    def stats(self):
        """GET /_jirasim/stats as JSON."""
        return self.control("GET", "stats").json()

    def close(self):
        """Close the kept connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


FRED = ("fred", "fred")
ADMIN = ("admin", "admin")
READER = ("reader", "reader")


@pytest.fixture(scope="session")
def server():
    """One server-flavor jirasim for the whole run; reset before each test by ``sim``."""
    running = start_server(issues=25)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def cloud_server():
    """One cloud-flavor jirasim for the whole run."""
    running = start_server(flavor="cloud")
    yield running
    running.stop()


def _reset_client(running):
    """A client for a shared server, reset to the seeded state; closed after the test."""
    client = Client(running.url)
    assert client.control("POST", "reset").status == 200
    yield client
    client.close()


@pytest.fixture()
def sim(server):
    """A client for the shared server."""
    yield from _reset_client(server)


@pytest.fixture()
def cloud(cloud_server):
    """A client for the shared cloud server."""
    yield from _reset_client(cloud_server)


@pytest.fixture()
def make_sim():
    """Start a jirasim with custom options; stopped after the test."""
    started = []

    def factory(client_context=None, **options):
        running = start_server(**options)
        started.append(running)
        return running, Client(running.url, client_context)

    yield factory
    for running in started:
        running.stop()


@pytest.fixture()
def insecure_context():
    """A TLS client context that trusts anything (self-signed test certificates)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context

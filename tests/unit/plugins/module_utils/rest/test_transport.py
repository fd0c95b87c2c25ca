# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the client's HTTP layer on requests: URLs, proxies from the environment, TLS settings, bodies
(length, gzip, charset, limits), the deadline of one exchange, headers, and what a broken exchange is called. The
exchanges run against a scripted HTTP server on 127.0.0.1."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import gzip
import http.client
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest
import requests

from ansible_collections.jiraops.jira.plugins.module_utils.rest import client

from ansible_collections.jiraops.jira.plugins.module_utils.rest import deadline

from ansible_collections.jiraops.jira.plugins.module_utils.rest import transport
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    CommunicationError, InputError, JiraError, ResponseError,
)

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


class Scripted:
    """An HTTP server on 127.0.0.1 that answers each connection's first request with ``raw`` bytes (sent ``pace``
    bytes at a time, one piece per ``delay`` seconds), then closes. ``requests`` holds what it received."""

    def __init__(self, raw, pace=None, delay=0.0):
        self.raw, self.pace, self.delay = raw, pace, delay
        self.requests = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, dummy = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        try:
            received = b""
            while b"\r\n\r\n" not in received:
                data = conn.recv(65536)
                if not data:
                    return
                received += data
            self.requests.append(received)
            step = self.pace or max(len(self.raw), 1)
            for start in range(0, len(self.raw), step):
                conn.sendall(self.raw[start:start + step])
                time.sleep(self.delay)
        except OSError:
            pass
        finally:
            conn.close()

    def stop(self):
        self.sock.close()


def answer(body, headers=None, status="200 OK", length=True):
    head = "HTTP/1.1 %s\r\n" % status + "".join("%s: %s\r\n" % item for item in (headers or {}).items())
    if length:
        head += "Content-Length: %d\r\n" % len(body)
    return head.encode("latin-1") + b"Connection: close\r\n\r\n" + body


@pytest.fixture
def serve():
    started = []

    def start(raw, **kwargs):
        server = Scripted(raw, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _jira(url, **params):
    return client.JiraClient(dict(url=url, retries=0, **params))


# ---------------------------------------------------------------- URLs

@pytest.mark.parametrize("url, params, expected", [
    ("https://j.example.com/rest/api/2/search", {"jql": "project = A", "maxResults": 5},
     "https://j.example.com/rest/api/2/search?jql=project+%3D+A&maxResults=5"),
    ("https://j.example.com/rest/api/2/search?jql=a b", {"startAt": 10},
     "https://j.example.com/rest/api/2/search?jql=a%20b&startAt=10"),
    ("https://j.example.com/rest/api/2/issue/A-1", {"fields": None}, "https://j.example.com/rest/api/2/issue/A-1"),
    ("https://j.example.com/rest/api/2/issue/A-1", {}, "https://j.example.com/rest/api/2/issue/A-1"),
    ("https://j.example.com/rest/api/2/user?username=j%C3%BCrgen", None,
     "https://j.example.com/rest/api/2/user?username=j%C3%BCrgen"),
    ("https://j.example.com/rest/api/2/user", {"username": "jürgen"},
     "https://j.example.com/rest/api/2/user?username=j%C3%BCrgen"),
    ("https://j.example.com/rest/api/2/a\r\nX-Injected: 1", None,
     "https://j.example.com/rest/api/2/a%0D%0AX-Injected:%201"),
    ("https://j.example.com/x", {"multi": ["a", "b"]}, "https://j.example.com/x?multi=a&multi=b"),
])
def test_with_query(url, params, expected):
    assert client.with_query(url, params) == expected


def test_requoted_keeps_escapes_and_reserved_characters():
    url = "https://j.example.com/rest/api/2/search?jql=key%20in%20(A-1,A-2)&fields=*all"
    assert client.requoted(url) == url


# ---------------------------------------------------------------- proxies

def test_no_proxy_variables_means_no_proxy():
    assert transport.environment_proxy("https://j.example.com") is None


@pytest.mark.parametrize("variables, url, expected", [
    ({"HTTPS_PROXY": "http://proxy:3128"}, "https://j.example.com", "http://proxy:3128"),
    ({"https_proxy": "http://proxy:3128"}, "http://j.example.com", None),
    ({"http_proxy": "http://proxy:3128"}, "http://j.example.com:8080", "http://proxy:3128"),
    ({"ALL_PROXY": "http://proxy:3128"}, "https://j.example.com", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.com"}, "https://j.example.com", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "no_proxy": "other.org,.example.com"}, "https://j.example.com", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "other.org"}, "https://j.example.com", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, "https://j.example.com", None),
    ({"HTTPS_PROXY": "https://proxy:3129"}, "https://j.example.com", "https://proxy:3129"),
    ({"ALL_PROXY": "socks5://proxy:1080"}, "https://j.example.com", "socks5://proxy:1080"),
    # IPv6: NO_PROXY names the address as written in a URL's host, with or without brackets, or as a network.
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "::1"}, "https://[::1]:8443", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "localhost,::1"}, "https://[::1]/jira", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "[::1]"}, "https://[::1]:8443", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "::1"}, "https://[2001:db8::1]:8443", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "10.0.0.0/8"}, "https://10.1.2.3", None),
])
def test_environment_proxy(no_proxy_env, variables, url, expected):
    for name, value in variables.items():
        no_proxy_env.setenv(name, value)
    assert transport.environment_proxy(url) == expected
    assert transport.environment_proxy(url, use_proxy=False) is None


def test_proxy_credentials_are_secrets(no_proxy_env):
    no_proxy_env.setenv("HTTPS_PROXY", "http://me%40corp:s%3Acret@proxy.corp:8080")
    jira = client.JiraClient({"url": "https://jira.example.com", "username": "u", "password": "p",
                              "validate_certs": False})
    header = "Basic " + base64.b64encode(b"me@corp:s:cret").decode()
    assert set(["s%3Acret", "s:cret", header]) <= set(jira.secrets)
    assert jira.transport.session.proxies == {"https": "http://me%40corp:s%3Acret@proxy.corp:8080"}
    assert client.JiraClient({"url": "https://jira.example.com", "use_proxy": False}).transport.session.proxies == {}


@pytest.mark.parametrize("url", ["ftp://user:secret@proxy.corp:21", "http://user:secret@proxy.corp:port",
                                 "http://user:secret@:3128", "http://user:secret@proxy.corp:99999"])
def test_only_valid_proxies_are_used(no_proxy_env, url):
    no_proxy_env.setenv("HTTPS_PROXY", url)
    with pytest.raises(JiraError) as err:
        client.JiraClient({"url": "https://jira.example.com"})
    assert "is not a valid proxy URL" in err.value.msg and "secret" not in err.value.msg


def test_a_socks_proxy_without_pysocks_names_the_package(no_proxy_env):
    no_proxy_env.setenv("ALL_PROXY", "socks5://user:secret@proxy.corp:1080")
    no_proxy_env.setitem(sys.modules, "socks", None)
    with pytest.raises(JiraError) as err:
        client.JiraClient({"url": "https://jira.example.com"})
    assert "needs the Python package PySocks" in err.value.msg and "secret" not in err.value.msg


def test_the_environment_adds_no_credentials(serve, no_proxy_env, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\nlogin wilma\npassword wilma\n")
    no_proxy_env.setenv("NETRC", str(netrc))
    server = serve(answer(b"{}", {"Set-Cookie": "JSESSIONID=abc; Path=/", "Content-Type": "application/json"}))
    jira = _jira(server.url)
    jira.request("GET", "/rest/api/2/serverInfo")
    jira.request("GET", "/rest/api/2/serverInfo")
    assert all(b"authorization" not in seen.lower() and b"cookie" not in seen.lower() for seen in server.requests)


# ---------------------------------------------------------------- TLS settings

def test_tls_context_verifies_by_default():
    context = transport.tls_context({})
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_tls_context_without_verification():
    context = transport.tls_context({"validate_certs": False, "ca_path": "/ignored"})
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname


@pytest.mark.parametrize("option, params", [
    ("ca_path", {"ca_path": "NOT_PEM"}),
    ("client_cert", {"client_cert": "NOT_PEM"}),
])
def test_tls_files_that_are_not_pem_are_input_errors(tmp_path, option, params):
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    params = dict((key, str(junk)) for key in params)
    with pytest.raises(InputError) as err:
        transport.tls_context(params)
    assert err.value.fields == {"option": option}


def test_https_client_makes_its_tls_context_up_front(tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("junk\n")
    with pytest.raises(InputError):
        client.JiraClient({"url": "https://jira.example.com", "ca_path": str(junk)})
    assert client.JiraClient({"url": "http://jira.example.com", "ca_path": str(junk)}).transport.tls is None


def test_tls_contexts_are_made_once_per_settings(monkeypatch):
    assert transport.tls_context({}) is transport.tls_context({"validate_certs": True})
    unchecked = transport.tls_context({"validate_certs": False})
    assert unchecked is transport.tls_context({"validate_certs": False, "ca_path": "/x"})
    assert transport.tls_context({}) is not transport.tls_context({"validate_certs": False})
    # The system store as OpenSSL finds it: SSL_CERT_FILE where the task runs (also from its environment:) counts.
    default = transport.tls_context({})
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent/bundle.pem")
    assert transport.tls_context({}) is not default


@pytest.mark.parametrize("verify, cert_reqs", [(True, "CERT_REQUIRED"), (False, "CERT_NONE")])
def test_only_the_tasks_tls_context_says_whom_to_trust(verify, cert_reqs):
    """requests names certifi's bundle to each new https connection (urllib3 then loads it into the connection's
    SSLContext: certifi's CAs trusted beside ca_path, 20 ms a connection); the collection's adapter names none."""
    jira = client.JiraClient({"url": "https://jira.example.com", "validate_certs": verify})
    adapter = jira.transport.session.get_adapter("https://jira.example.com/")
    pool = adapter.get_connection_with_tls_context(requests.Request("GET", "https://jira.example.com/x").prepare(),
                                                   verify)
    conn = pool._new_conn()
    adapter.cert_verify(conn, "https://jira.example.com/x", verify, None)
    assert (conn.cert_reqs, conn.ca_certs, conn.ca_cert_dir) == (cert_reqs, None, None)
    assert conn.ssl_context is jira.transport.tls


# ---------------------------------------------------------------- bodies

def test_body_read_in_full(serve):
    body = b"x" * (3 * transport.READ_CHUNK + 5)
    assert _jira(serve(answer(body)).url).request("GET", "/x").content == body


def test_body_cut_short_is_a_broken_exchange(serve):
    server = serve(answer(b"x" * 100)[:-40])
    with pytest.raises(CommunicationError) as err:
        _jira(server.url).request("GET", "/x")
    assert "it ended early" in err.value.msg and err.value.fields["request_may_have_reached_jira"] is True


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "GZIP"])
def test_gzip_body_is_decompressed(serve, encoding):
    body = b'{"issues": []}' * 1000
    server = serve(answer(gzip.compress(body), {"Content-Encoding": encoding}))
    assert _jira(server.url).request("GET", "/x").content == body


@pytest.mark.parametrize("length", [True, False])
def test_body_past_the_limit_is_refused(serve, length):
    server = serve(answer(b"x" * 2000, length=length))
    with pytest.raises(ResponseError) as err:
        _jira(server.url, max_response_bytes=1000).request("GET", "/x")
    assert "larger than max_response_bytes (1000)" in err.value.msg


def test_gzip_bomb_stops_at_the_limit(serve):
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024))
    assert len(bomb) < 400 * 1024
    server = serve(answer(bomb, {"Content-Encoding": "gzip"}))
    started = time.monotonic()
    with pytest.raises(ResponseError):
        _jira(server.url, max_response_bytes=1024 * 1024).request("GET", "/x")
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("content_type, raw, text", [
    ("application/json;charset=ISO-8859-1", u'{"name": "Müller"}'.encode("latin-1"), u'{"name": "Müller"}'),
    ("application/json", u'{"name": "Müller"}'.encode("utf-8"), u'{"name": "Müller"}'),
    ("text/html; charset=windows-1252", u"<title>Müller</title>".encode("cp1252"), u"<title>Müller</title>"),
])
def test_declared_charset_is_honoured(serve, content_type, raw, text):
    response = _jira(serve(answer(raw, {"Content-Type": content_type})).url).request("GET", "/x")
    assert response.text == text
    if "json" in content_type:
        assert response.json == {"name": u"Müller"}


@pytest.mark.parametrize("charset", ["no-such-codec", "hex"])
def test_a_charset_python_cannot_read_is_refused_in_words(serve, charset):
    server = serve(answer(u'{"name": "Müller"}'.encode("utf-8"),
                          {"Content-Type": "application/json; charset=" + charset}))
    with pytest.raises(ResponseError) as raised:
        _jira(server.url).request("GET", "/x")
    assert "declares its body in the character set '%s', which is not a text encoding" % charset in raised.value.msg


def test_client_asks_for_gzip_and_names_itself():
    jira = _jira("http://jira.example.com")
    assert jira.headers["Accept-Encoding"] == "gzip"
    assert jira.headers["User-Agent"].startswith("jiraops.jira/") and "(module)" in jira.headers["User-Agent"]


def test_a_header_given_in_another_case_is_sent_once(serve):
    server = serve(answer(b"{}"))
    _jira(server.url).request("GET", "/x", headers={"user-agent": "mine/1", "accept": "text/plain"})
    head = server.requests[0].decode("latin-1").lower()
    assert head.count("user-agent:") == 1 and "user-agent: mine/1" in head
    assert head.count("\r\naccept:") == 1 and "accept: text/plain" in head


# ---------------------------------------------------------------- the deadline of one exchange

@pytest.mark.parametrize("what, raw", [
    ("headers", answer(b"{}", {"X-Padding": "p" * 40})),
    ("body", answer(b"x" * 200)),
])
def test_a_trickled_answer_stops_at_the_deadline(serve, what, raw):
    server = serve(raw, pace=1, delay=0.05)  # 20 bytes a second: each read is quick, the answer takes many seconds
    started = time.monotonic()
    with pytest.raises(CommunicationError) as err:
        _jira(server.url, timeout=1).request("GET", "/x")
    assert time.monotonic() - started < 2.5, what
    assert "no answer within 1 seconds (timeout): the whole exchange" in err.value.msg
    assert "tried" not in err.value.msg  # sent once: nothing to add


def test_a_failed_call_says_how_often_it_was_sent(serve, monkeypatch):
    monkeypatch.setattr(client.time, "sleep", lambda seconds: None)
    port = serve(b"").sock.getsockname()[1]
    with pytest.raises(CommunicationError) as err:
        client.JiraClient({"url": "http://127.0.0.1:%d" % port, "retries": 2}).request("GET", "/x")
    assert "(tried 3 times over " in err.value.msg and " seconds; the option retries sets how often)." in err.value.msg


# ---------------------------------------------------------------- broken exchanges, in words

@pytest.mark.parametrize("exc, connecting, words, reached, retryable", [
    (ConnectionRefusedError(111, "Connection refused"), True, "the connection was refused (nothing accepts "
     "connections at that address). Check the host and port in url, and that Jira is running.", False, True),
    (socket.gaierror(-2, "Name or service not known"), True, "(Name or service not known)", False, True),
    (socket.timeout("timed out"), True, "no connection within 10 seconds", False, True),
    (socket.timeout("timed out"), False, "no answer within 10 seconds (timeout)", True, True),
    (ConnectionResetError(104, "Connection reset by peer"), False, "(Connection reset by peer)", True, True),
    (http.client.RemoteDisconnected("Remote end closed connection without response"), False,
     "the connection failed or broke (Remote end closed connection without response)", True, True),
    (http.client.IncompleteRead(b"", 10), False, "it ended early", True, True),
    (http.client.BadStatusLine("garbage"), False, "the answer is not valid HTTP", True, True),
    (ssl.SSLCertVerificationError(1, "certificate verify failed: self-signed certificate"), True,
     "TLS verification failed (certificate verify failed: self-signed certificate)", False, False),
    (ssl.SSLError(1, "[SSL: DECRYPTION_FAILED_OR_BAD_RECORD_MAC]"), True, "the TLS handshake failed ([SSL: DECRYPTION",
     False, False),
    (ssl.SSLEOFError(8, "EOF occurred in violation of protocol"), False, "the connection failed or broke (EOF occurred",
     True, True),
    (OSError("Tunnel connection failed: 407 Proxy Authentication Required"), True,
     "(Tunnel connection failed: 407 Proxy Authentication Required)", False, True),
])
def test_communication_error(exc, connecting, words, reached, retryable):
    error = transport.communication_error(exc, connecting, "GET", "https://jira.example.com/x", 10)
    assert words in error.msg and error.msg.startswith("Could not talk to Jira: GET https://jira.example.com/x: ")
    assert error.fields["request_may_have_reached_jira"] is reached
    assert error.retryable is retryable
    assert "Error(" not in error.msg and "<" not in error.msg


def test_a_refused_connection_never_reached_jira_and_is_said_in_words(serve):
    port = serve(b"").sock.getsockname()[1]
    serve_stopped = socket.socket()
    serve_stopped.bind(("127.0.0.1", 0))
    closed = serve_stopped.getsockname()[1]
    serve_stopped.close()
    with pytest.raises(CommunicationError) as err:
        _jira("http://127.0.0.1:%d" % closed).request("GET", "/x")
    assert "the connection was refused" in err.value.msg and err.value.fields["request_may_have_reached_jira"] is False
    assert "HTTPConnection" not in err.value.msg and "Error(" not in err.value.msg
    with pytest.raises(CommunicationError) as err:
        _jira("http://127.0.0.1:%d" % port).request("GET", "/x")  # accepted, then closed without an answer
    assert err.value.fields["request_may_have_reached_jira"] is True and "Error(" not in err.value.msg


def _plain_http_server():
    """A server that answers whatever it reads with a plain HTTP 400, as a web server does to a TLS ClientHello."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer_once():
        conn, dummy = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        conn.close()
        listener.close()
    threading.Thread(target=answer_once, daemon=True).start()
    return listener.getsockname()[1]


def test_https_to_a_plain_http_server_says_so_in_words():
    with pytest.raises(CommunicationError) as err:
        _jira("https://127.0.0.1:%d" % _plain_http_server()).request("GET", "/x")
    assert ("the server did not answer in TLS, so it likely speaks plain HTTP on that port. Use http:// in url"
            in err.value.msg)
    assert "WRONG_VERSION_NUMBER" not in err.value.msg and "tried" not in err.value.msg


def test_a_refused_proxy_is_named_without_jiras_hint():
    error = transport.communication_error(ConnectionRefusedError(111, "refused"), True, "GET",
                                          "https://jira.example.com/x", 10,
                                          through="http://user:secret@proxy.example.com:3128")
    assert error.msg == ("Could not talk to Jira: GET https://jira.example.com/x: the proxy "
                         "http://proxy.example.com:3128 did not carry the call: the connection was refused (nothing "
                         "accepts connections at that address).")


def test_without_requests_the_task_names_the_package():
    """A host without requests gets Ansible's missing_required_lib message, not a traceback."""
    code = ("import sys; sys.modules['requests'] = None\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils import auth_check\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils.rest import client\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils.request import logic\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import JiraError\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils.rest import transport\n"
            "assert not transport.HAS_REQUESTS\n"
            "try:\n"
            "    client.JiraClient({'url': 'https://jira.example.com'})\n"
            "except JiraError as exc:\n"
            "    print(exc.msg)\n")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Failed to import the required Python library (requests)" in done.stdout


def test_a_redirect_body_is_bounded_and_not_followed_by_requests(serve):
    raw = b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nConnection: close\r\n\r\n" + b"x" * (4 * 1024 * 1024)
    server = serve(raw)
    with pytest.raises(ResponseError) as err:
        _jira(server.url, max_response_bytes=1024 * 1024).request("GET", "/x")
    assert "larger than max_response_bytes" in err.value.msg and len(server.requests) == 1


def test_calls_share_one_keep_alive_connection():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    connections = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            connections.append(self.client_address)
            BaseHTTPRequestHandler.setup(self)

        def do_GET(self):
            body = b'{"a": 1}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        jira = _jira("http://127.0.0.1:%d" % server.server_address[1])
        for dummy in range(5):
            assert jira.request("GET", "/x").json == {"a": 1}
        jira.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(connections) == 1


class _ExpiredLater:
    expired = False


def test_reads_end_at_the_deadline_whatever_still_arrives():
    """A reader past the deadline finds the end of the answer: a flood of trailer lines cannot outlast it."""
    import io
    watch = _ExpiredLater()
    reader = deadline._DeadlineReader(io.BufferedReader(io.BytesIO(b"X-Trailer: t\r\n" * 1000)), watch)
    assert reader.readline() == b"X-Trailer: t\r\n"
    assert reader.read(3) == b"X-T"
    watch.expired = True
    buffer = bytearray(10)
    read = (reader.readline(), reader.read(), reader.read1(5), reader.peek(1), reader.readinto(buffer))
    assert read == (b"", b"", b"", b"", 0)
    assert reader.closed is False  # the rest is the reader's own

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure parts of the client's HTTP layer: URLs, proxies from the environment, TLS settings,
bodies (length, gzip, limits) and what a broken exchange is called."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import gzip
import http.client
import socket
import ssl
import subprocess
import sys
import zlib

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils import client
from ansible_collections.jiraops.jira.plugins.module_utils.errors import InputError, JiraError, ResponseError

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture
def no_proxy_env(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


# ---------------------------------------------------------------- URLs

@pytest.mark.parametrize("url, params, expected", [
    ("https://j.example.com/rest/api/2/search", {"jql": "project = A", "maxResults": 5},
     "https://j.example.com/rest/api/2/search?jql=project+%3D+A&maxResults=5"),
    ("https://j.example.com/rest/api/2/search?jql=a b", {"startAt": 10}, "https://j.example.com/rest/api/2/search?jql=a%20b&startAt=10"),
    ("https://j.example.com/rest/api/2/issue/A-1", {"fields": None}, "https://j.example.com/rest/api/2/issue/A-1"),
    ("https://j.example.com/rest/api/2/issue/A-1", {}, "https://j.example.com/rest/api/2/issue/A-1"),
    ("https://j.example.com/rest/api/2/user?username=j%C3%BCrgen", None, "https://j.example.com/rest/api/2/user?username=j%C3%BCrgen"),
    ("https://j.example.com/rest/api/2/user", {"username": "jürgen"}, "https://j.example.com/rest/api/2/user?username=j%C3%BCrgen"),
    ("https://j.example.com/rest/api/2/a\r\nX-Injected: 1", None, "https://j.example.com/rest/api/2/a%0D%0AX-Injected:%201"),
    ("https://j.example.com/x", {"multi": ["a", "b"]}, "https://j.example.com/x?multi=a&multi=b"),
])
def test_with_query(url, params, expected):
    assert client.with_query(url, params) == expected


def test_requoted_keeps_escapes_and_reserved_characters():
    url = "https://j.example.com/rest/api/2/search?jql=key%20in%20(A-1,A-2)&fields=*all"
    assert client.requoted(url) == url


# ---------------------------------------------------------------- proxies

def test_no_proxy_variables_means_no_proxy(no_proxy_env):
    assert client.environment_proxy("https://j.example.com") is None


@pytest.mark.parametrize("variables, url, expected", [
    ({"HTTPS_PROXY": "http://proxy:3128"}, "https://j.example.com", "http://proxy:3128"),
    ({"https_proxy": "http://proxy:3128"}, "http://j.example.com", None),
    ({"http_proxy": "http://proxy:3128"}, "http://j.example.com:8080", "http://proxy:3128"),
    ({"ALL_PROXY": "http://proxy:3128"}, "https://j.example.com", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "example.com"}, "https://j.example.com", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "no_proxy": "other.org,.example.com"}, "https://j.example.com", None),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "other.org"}, "https://j.example.com", "http://proxy:3128"),
    ({"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, "https://j.example.com", None),
])
def test_environment_proxy(no_proxy_env, variables, url, expected):
    for name, value in variables.items():
        no_proxy_env.setenv(name, value)
    assert client.environment_proxy(url) == expected


def test_proxy_credentials_become_proxy_authorization():
    proxy = client._Proxy("http://me%40corp:s%3Acret@proxy.corp:8080")
    assert (proxy.host, proxy.port) == ("proxy.corp", 8080)
    assert proxy.headers == {"Proxy-Authorization": "Basic " + base64.b64encode(b"me@corp:s:cret").decode()}
    assert client._Proxy("proxy.corp").headers == {} and client._Proxy("proxy.corp").port == 80


@pytest.mark.parametrize("url", ["https://user:secret@proxy.corp:8443", "http://user:secret@proxy.corp:port", "http://user:secret@:3128",
                                 "http://user:secret@proxy.corp:99999"])
def test_only_valid_http_proxies_are_used(url):
    with pytest.raises(JiraError) as err:
        client._Proxy(url)
    assert "only http:// proxies are supported" in err.value.msg and "secret" not in err.value.msg


def test_proxy_header_is_a_secret(no_proxy_env):
    no_proxy_env.setenv("HTTPS_PROXY", "http://me:pw@proxy.corp:3128")
    jira = client.JiraClient({"url": "https://jira.example.com", "username": "u", "password": "p", "validate_certs": False})
    assert "Basic " + base64.b64encode(b"me:pw").decode() in jira.secrets
    assert jira.connections.target("https://jira.example.com/rest/api/2/myself?x=1") == "/rest/api/2/myself?x=1"


def test_plain_http_through_a_proxy_sends_the_whole_url(no_proxy_env):
    no_proxy_env.setenv("HTTP_PROXY", "http://proxy.corp:3128")
    jira = client.JiraClient({"url": "http://jira.example.com", "username": "u", "password": "p"})
    assert jira.connections.target("http://jira.example.com/rest/api/2/myself") == "http://jira.example.com/rest/api/2/myself"
    assert client.JiraClient({"url": "http://jira.example.com", "use_proxy": False}).proxy is None


# ---------------------------------------------------------------- TLS settings

def test_tls_context_verifies_by_default():
    context = client.tls_context({})
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_tls_context_without_verification():
    context = client.tls_context({"validate_certs": False, "ca_path": "/ignored"})
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
        client.tls_context(params)
    assert err.value.fields == {"option": option}


def test_https_client_makes_its_tls_context_up_front(tmp_path):
    junk = tmp_path / "junk.pem"
    junk.write_text("junk\n")
    with pytest.raises(InputError):
        client.JiraClient({"url": "https://jira.example.com", "ca_path": str(junk)})
    assert client.JiraClient({"url": "http://jira.example.com", "ca_path": str(junk)}).connections.tls is None


# ---------------------------------------------------------------- bodies

class _FakeResponse:
    """What JiraClient._read_body uses of http.client.HTTPResponse."""

    def __init__(self, body, headers=None, cut=0):
        self.headers = dict((k.lower(), v) for k, v in (headers or {}).items())
        self._body = body[:len(body) - cut]
        self.length = len(body)

    def getheader(self, name):
        return self.headers.get(name.lower())

    def read(self, amount):
        piece, self._body = self._body[:amount], self._body[amount:]
        self.length -= len(piece)
        return piece


def _jira(limit=None):
    return client.JiraClient({"url": "http://jira.example.com", "max_response_bytes": limit})


def test_body_read_in_full():
    body = b"x" * (3 * client.READ_CHUNK + 5)
    assert _jira()._read_body(_FakeResponse(body), "GET", "u") == body


def test_body_cut_short_is_an_incomplete_read():
    with pytest.raises(http.client.IncompleteRead):
        _jira()._read_body(_FakeResponse(b"x" * 100, cut=40), "GET", "u")


def test_gzip_body_is_decompressed():
    body = b'{"issues": []}' * 1000
    assert _jira()._read_body(_FakeResponse(gzip.compress(body), {"Content-Encoding": "gzip"}), "GET", "u") == body


@pytest.mark.parametrize("headers", [{"Content-Length": "2000"}, {}])
def test_body_past_the_limit_is_refused(headers):
    with pytest.raises(ResponseError) as err:
        _jira(limit=1000)._read_body(_FakeResponse(b"x" * 2000, headers), "GET", "http://jira.example.com/x")
    assert "larger than max_response_bytes (1000)" in err.value.msg


def test_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024))
    assert len(bomb) < 100 * 1024
    with pytest.raises(ResponseError):
        _jira(limit=1024 * 1024)._read_body(_FakeResponse(bomb, {"Content-Encoding": "gzip"}), "GET", "u")


def test_inflated_never_returns_much_more_than_room():
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = client._inflated(inflater, gzip.compress(b"\0" * 10000000), 1000)
    assert len(out) == 1001


def test_client_asks_for_gzip_and_names_itself():
    jira = _jira()
    assert jira.headers["Accept-Encoding"] == "gzip"
    assert jira.headers["User-Agent"].startswith("jiraops.jira/") and "(module)" in jira.headers["User-Agent"]


# ---------------------------------------------------------------- broken exchanges, in words

@pytest.mark.parametrize("exc, connecting, words, reached, retryable", [
    (ConnectionRefusedError(111, "Connection refused"), True, "the connection failed or broke (Connection refused)", False, True),
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
    (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"), True, "the TLS handshake failed", False, False),
    (ssl.SSLEOFError(8, "EOF occurred in violation of protocol"), False, "the connection failed or broke (EOF occurred", True, True),
    (OSError("Tunnel connection failed: 407 Proxy Authentication Required"), True,
     "(Tunnel connection failed: 407 Proxy Authentication Required)", False, True),
])
def test_communication_error(exc, connecting, words, reached, retryable):
    error = client.communication_error(exc, connecting, "GET", "https://jira.example.com/x", 10)
    assert words in error.msg and error.msg.startswith("Could not talk to Jira: GET https://jira.example.com/x: ")
    assert error.fields["request_may_have_reached_jira"] is reached
    assert error.retryable is retryable
    assert "Error(" not in error.msg and "<" not in error.msg


def test_no_third_party_package_is_needed():
    """Where the module runs, only the standard library is needed: the client imports and makes its HTTP objects
    with requests and urllib3 made unimportable."""
    code = ("import sys; sys.modules['requests'] = None; sys.modules['urllib3'] = None\n"
            "from ansible_collections.jiraops.jira.plugins.module_utils import client, request, auth_check\n"
            "jira = client.JiraClient({'url': 'https://jira.example.com', 'username': 'u', 'password': 'p'})\n"
            "assert jira.connections.tls is not None\n"
            "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0 and done.stdout.strip() == b"ok", done.stderr.decode()


def test_tls_contexts_are_made_once_per_settings(tmp_path):
    assert client.tls_context({}) is client.tls_context({"validate_certs": True})
    assert client.tls_context({"validate_certs": False}) is client.tls_context({"validate_certs": False, "ca_path": "/x"})
    assert client.tls_context({}) is not client.tls_context({"validate_certs": False})

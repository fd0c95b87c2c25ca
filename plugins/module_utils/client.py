# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JiraClient: one HTTP/1.1 keep-alive client per task, the auth header sent pre-emptively, safe retries.

It speaks HTTP with the standard library (http.client, ssl): a task pays no import of a third-party
HTTP library, needs none where the module runs, and gets nothing it did not ask for (no ~/.netrc, no
cookies carried from one call to the next, no redirect followed behind its back).
Every response is read by login_state before anything else looks at it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import re
import select
import socket
import ssl
import sys
import threading
import time
import zlib
from datetime import timezone
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

import http.client as http_client

from ansible_collections.jiraops.jira.plugins.module_utils import login_state, paging
from ansible_collections.jiraops.jira.plugins.module_utils.answers import speaks_jira, without_verdict
from ansible_collections.jiraops.jira.plugins.module_utils.auth import credentials_from_params
from ansible_collections.jiraops.jira.plugins.module_utils.errors import (
    CommunicationError, InputError, JiraError, LoginError, ResponseError,
)
from ansible_collections.jiraops.jira.plugins.module_utils.urls import join_path, normalize_base_url, origin_of

COLLECTION_VERSION = "0.1.0"
IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
RETRY_STATUSES = (429, 503)
MAX_REDIRECTS = 5
MAX_CONNECTIONS = 16  # calls in flight at once (jira_request's concurrent_pages)
LOGIN_SNIFF_BYTES = 4096
READ_CHUNK = 256 * 1024
# What a URL may hold unencoded; anything else (spaces, non-ASCII, line breaks) is percent-encoded, as browsers do.
URL_SAFE = "!$%&'()*+,/:;=?@[]~"
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class Response:
    """Status, lower-cased headers and the body of one Jira response, with the login it implies."""

    def __init__(self, method, url, status, headers, content, login):
        self.method = method
        self.url = url
        self.status = status
        self.headers = headers
        self.content = content
        self.login = login
        self._text = None
        self._json = None
        self._json_read = False

    @property
    def text(self):
        if self._text is None:
            self._text = self.content.decode("utf-8", "replace")
        return self._text

    @property
    def is_json(self):
        return "json" in self.headers.get("content-type", "") and bool(self.content.strip())

    @property
    def json(self):
        """The decoded JSON body; None when the body is empty or not JSON."""
        if not self._json_read:
            self._json_read = True  # an invalid body raises once
            self._json = self._decoded(json.loads)
        return self._json

    def json_with_spans(self):
        """(json, spans): the decoded body, and where each member of a top-level object sits in ``text``
        (paging.decode_with_spans); (None, None) when the body is empty or not JSON."""
        decoded = self._decoded(paging.decode_with_spans) or (None, None)
        self._json, self._json_read = decoded[0], True
        return decoded

    def _decoded(self, decode):
        if not self.is_json:
            return None
        try:
            return decode(self.text)
        except ValueError:
            raise ResponseError("Jira answered %s %s with a body that is declared as JSON but is not valid JSON (%d bytes)."
                                % (self.method, self.url, len(self.content)), status=self.status, url=self.url)


class _Failure(Exception):
    """An exchange that broke: the error, and whether it broke while connecting (then nothing reached Jira)."""

    def __init__(self, error, connecting):
        super(_Failure, self).__init__(str(error))
        self.error = error
        self.connecting = connecting


class _Connections:
    """Keep-alive connections to Jira's origin, directly or through the environment's proxy; one per call in flight."""

    def __init__(self, base_url, timeout, tls, proxy):
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.timeout = timeout
        self.tls = tls
        self.proxy = proxy
        self._idle = []
        self._lock = threading.Lock()

    def target(self, url):
        """What goes on the request line: the path and query, or the whole URL for a plain HTTP proxy."""
        if self.proxy and not self.https:
            return url
        parts = urlsplit(url)
        return (parts.path or "/") + ("?" + parts.query if parts.query else "")

    def exchange(self, method, url, body, headers, read_body):
        """(status, headers as (name, value) pairs, body) of one call; raises _Failure."""
        connection = self._take()
        try:
            if connection.sock is None:
                try:
                    connection.connect()
                except (OSError, http_client.HTTPException) as exc:
                    raise _Failure(exc, connecting=True)
            if self.proxy and not self.https:
                headers = dict(headers, **self.proxy.headers)
            connection.request(method, self.target(url), body=body, headers=headers)
            response = connection.getresponse()
            content = read_body(response)
        except _Failure:
            connection.close()
            raise
        except (OSError, http_client.HTTPException) as exc:
            connection.close()
            raise _Failure(exc, connecting=False)
        except BaseException:
            connection.close()
            raise
        self._give_back(connection, response)
        return response.status, response.getheaders(), content

    def _take(self):
        with self._lock:
            while self._idle:
                connection = self._idle.pop()
                if _still_open(connection):
                    return connection
                connection.close()
        return self._new()

    def _give_back(self, connection, response):
        if response.will_close:
            connection.close()
            return
        with self._lock:
            self._idle.append(connection)

    def _new(self):
        if self.proxy:
            host, port = self.proxy.host, self.proxy.port
        else:
            host, port = self.host, self.port
        if not self.https:
            return http_client.HTTPConnection(host, port, timeout=self.timeout)
        connection = http_client.HTTPSConnection(host, port, timeout=self.timeout, context=self.tls)
        if self.proxy:
            connection.set_tunnel(self.host, self.port, headers=self.proxy.headers)
        return connection

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _still_open(connection):
    """A kept-alive connection is reusable when the server has not closed it (nothing to read while idle)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, dummy, dummy = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class _Proxy:
    """An http:// proxy from the environment, with its Proxy-Authorization when its URL carries credentials."""

    def __init__(self, url):
        if "://" not in url:
            url = "http://" + url
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:  # not a number, or out of range
            port = -1
        if parts.scheme != "http" or not parts.hostname or port == -1:
            raise JiraError("The proxy set in the environment (%s://%s) is not a valid http:// proxy URL; only http:// proxies "
                            "are supported. Set another proxy, or use_proxy: false." % (parts.scheme, parts.hostname or ""))
        self.host = parts.hostname
        self.port = port or 80
        self.headers = {}
        if parts.username is not None:
            pair = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
            self.headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def environment_proxy(url):
    """The proxy URL the environment sets for ``url`` (http_proxy, https_proxy, all_proxy, no_proxy, any case), or None."""
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # the usual case: no need to import urllib.request
    from urllib.request import getproxies_environment, proxy_bypass_environment

    proxies = getproxies_environment()
    parts = urlsplit(url)
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy or proxy_bypass_environment(parts.netloc, proxies):
        return None
    return proxy


# SSL contexts by settings. Loading the system's CA store takes 20 to 30 ms; the controller path pays it
# once per run, because runner.py makes the default context in the main process, which every worker forks from.
_TLS_CONTEXTS = {}


def tls_context(params):
    """The TLS settings of the task: Jira's certificate checked against ca_path or the system's CAs, unless
    validate_certs is false; client_cert/client_key for mutual TLS. Made once per process for the same settings."""
    verify = bool(params.get("validate_certs", True))
    key = (verify, params.get("ca_path") if verify else None, params.get("client_cert"), params.get("client_key"))
    if key not in _TLS_CONTEXTS:
        _TLS_CONTEXTS[key] = _new_tls_context(*key)
    return _TLS_CONTEXTS[key]


def _new_tls_context(verify, ca_path, client_cert, client_key):
    if not verify:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # no CA store to load
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif ca_path:
        try:
            if os.path.isdir(ca_path):
                context = ssl.create_default_context(capath=ca_path)
            else:
                context = ssl.create_default_context(cafile=ca_path)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise InputError("ca_path", "could not be read as PEM CA certificates (%s)" % _reason(exc),
                             "Give a PEM file of CA certificates, or a directory of them prepared with c_rehash.")
    else:
        context = ssl.create_default_context()
    if client_cert:
        try:
            context.load_cert_chain(client_cert, client_key)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise InputError("client_cert", "could not be loaded with its key (%s)" % _reason(exc),
                             "Give a PEM certificate, and its unencrypted private key in client_key unless the file holds it.")
    return context


class JiraClient:
    """The one HTTP client of the collection."""

    def __init__(self, params, execution="module", gate=None, trusted=False):
        self.gate = gate
        # What Jira made of the credentials in this run (``trusted``, from the circuit breaker) and in this task: until
        # it proved them, nothing that carried them and may have reached Jira is sent again (see request).
        self.login = login_state.LoginRecord(proven=trusted)
        self.base_url = normalize_base_url(params.get("url"))
        self.credentials = credentials_from_params(params)
        self.timeout = params.get("timeout") or 10
        self.max_retries = params.get("retries", 3)
        self.max_retry_wait = params.get("max_retry_wait", 60)
        self.max_response_bytes = params.get("max_response_bytes") or 64 * 1024 * 1024
        self.retries = 0
        self._retries_lock = threading.Lock()
        for option in ("ca_path", "client_cert", "client_key"):
            # Checked here, with the option's name, rather than failing at the first call.
            if params.get(option) and not os.path.exists(params[option]):
                raise InputError(option, "names %s, which does not exist where the task runs" % params[option],
                                 "Give the path of a PEM file there (for ca_path, a file or a directory of CA certificates).")
        proxy_url = environment_proxy(self.base_url) if params.get("use_proxy", True) else None
        self.proxy = _Proxy(proxy_url) if proxy_url else None
        tls = tls_context(params) if self.base_url.startswith("https:") else None
        self.connections = _Connections(self.base_url, self.timeout, tls, self.proxy)
        self.headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "User-Agent": "jiraops.jira/%s (%s) Python/%s" % (COLLECTION_VERSION, execution, "%d.%d" % sys.version_info[:2]),
            # Jira's XSRF check refuses some writes without it; REST clients are expected to send it.
            "X-Atlassian-Token": "no-check",
        }

    @property
    def secrets(self):
        """Every value derived from a secret option, to be masked wherever output is produced."""
        proxy_secrets = tuple(self.proxy.headers.values()) if self.proxy else ()
        return tuple(self.credentials.secrets) + proxy_secrets

    def close(self):
        self.connections.close()

    def url_for(self, path, option="path"):
        return join_path(self.base_url, path, option)

    def request(self, method, path, params=None, body=None, headers=None, anonymous=False, option="path", repeatable=None):
        """Send one call (retrying only where it is safe) and return its Response.

        ``repeatable``: whether sending the call twice does no harm; by default, true for the idempotent methods
        (a search sent as POST is repeatable too, a create is not)."""
        method = method.upper()
        if repeatable is None:
            repeatable = method in IDEMPOTENT_METHODS
        url = with_query(self.url_for(path, option), params)
        send_headers = self._headers_for(body, headers, anonymous)
        if self.gate and "Authorization" in send_headers:
            self.gate()  # the circuit breaker: raises instead of sending credentials Jira rejected
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        credentialed = "Authorization" in send_headers
        attempt = 0
        while True:
            try:
                response = self._send_following_redirects(method, url, data, send_headers)
                delay = self._retry_delay(response, attempt)
                if delay is not None and credentialed and not self.login.proven:
                    self.login.unknown_reached = True
                    raise self._unproven(method, url, "it answered %s%s" % (response.status, without_verdict(response)))
            except CommunicationError as exc:
                delay = self._reconnect_delay(exc, repeatable, attempt)
                if credentialed and exc.fields.get("request_may_have_reached_jira", True) and not self.login.proven:
                    self.login.unknown_reached = True
                    if delay is not None:
                        raise self._unproven(method, url, exc.what)
                if delay is None:
                    raise _not_repeated(exc) if not repeatable else exc
            if delay is None:
                return response
            attempt += 1
            with self._retries_lock:  # pages fetched concurrently retry in their own threads
                self.retries += 1
            time.sleep(delay)

    # --- raw bodies (jira_attachment's multipart upload); kept apart so that it ports to another transport as one piece ---
    def request_raw(self, method, path, data, content_type, length, headers=None):
        """Send one call whose body is not JSON and return its Response: ``data`` is bytes or an iterable of bytes (streamed,
        so a large file is never held in memory), ``length`` its size in bytes (the Content-Length).

        The same headers, circuit breaker, login reading and redirect rule as request(), but never sent twice: an
        iterable body cannot be replayed, and an upload that may have reached Jira could otherwise be attached twice.
        A 429 or 503 is returned to the caller as it came."""
        url = with_query(self.url_for(path), None)
        send_headers = self._headers_for(None, headers, False)
        send_headers.update({"Content-Type": content_type, "Content-Length": str(length)})
        if self.gate and "Authorization" in send_headers:
            self.gate()
        try:
            return self._send_following_redirects(method.upper(), url, data, send_headers)
        except CommunicationError as exc:
            if "Authorization" in send_headers and exc.fields.get("request_may_have_reached_jira", True) and not self.login.proven:
                self.login.unknown_reached = True
            if exc.fields.get("request_may_have_reached_jira"):
                exc.msg = exc.msg.rstrip(".") + (". The request may have reached Jira, so it was not sent again (that could do it "
                                                 "twice); look at Jira, or run the task again, which reads first.")
                exc.args = (exc.msg,)
            raise

    def _unproven(self, method, url, what):
        """The error for a call that is not sent again: its credentials are unproven, and it may have reached Jira."""
        return LoginError(
            "Jira's answer to %s %s did not show whether it accepted the credentials (%s). They are not yet proven in this "
            "run, so the call was not sent again: if they were wrong, each resend would count as one more failed login "
            "toward a CAPTCHA lock. Check that Jira is up and that url is Jira's base URL, then run again; once Jira has "
            "accepted these credentials in a run, later calls are retried as usual." % (method, url, what),
            login_state=login_state.UNKNOWN, login_reason=[], captcha_triggered=False, login_url=None, denied_reason=None,
            url=url)

    def check_login(self, response):
        """Raise LoginError when credentials were sent and Jira did not accept them."""
        login = response.login
        if login.state in (login_state.OK, login_state.ANONYMOUS, login_state.NOT_AUTHORISED, login_state.UNKNOWN):
            return
        raise LoginError(login_message(login, response.method, response.url, self.credentials), status=response.status,
                         **login.fields())

    def _headers_for(self, body, headers, anonymous):
        send = dict(self.headers)
        send.update(headers or {})
        if body is not None:
            send["Content-Type"] = "application/json"
        if self.credentials.sent and not anonymous:
            send["Authorization"] = self.credentials.header
        return send

    def _send_following_redirects(self, method, url, data, headers):
        for dummy in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, data, headers)
            if "Authorization" in headers:
                # speaks_jira decodes the body: only for the rare answer without a verdict
                self.login.note(response.login, response.login.state != login_state.UNKNOWN or speaks_jira(response))
            location = response.headers.get("location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                return response
            url = self._redirect_target(response, location, method)
        raise ResponseError("Jira redirected %s %s more than %d times." % (method, url, MAX_REDIRECTS), url=url)

    def _redirect_target(self, response, location, method):
        try:
            target = requoted(urljoin(response.url, location))
        except ValueError:
            target = location  # e.g. a broken IPv6 address: origin_of gives None, which matches no origin
        origin = origin_of(target)
        if origin != origin_of(self.base_url):
            raise ResponseError(
                "Jira redirected %s %s to another origin (%s); not followed, so the credentials stay with %s. "
                "Set url to the address Jira really serves."
                % (method, response.url, "%s://%s:%s" % origin if origin else "not a valid URL", self.base_url),
                status=response.status, url=response.url)
        if method not in ("GET", "HEAD"):
            raise ResponseError("Jira redirected %s %s to %s; a write is not re-sent to another address. Use that path instead."
                                % (method, response.url, target), status=response.status, url=response.url)
        return target

    def _send(self, method, url, data, headers):
        try:
            status, raw_headers, content = self.connections.exchange(
                method, url, data, headers, lambda response: self._read_body(response, method, url))
        except _Failure as failure:
            raise communication_error(failure.error, failure.connecting, method, url, self.timeout)
        lower_headers = {}
        for name, value in raw_headers:
            name = name.lower()
            # Repeated headers are joined, as HTTP allows (one Set-Cookie per cookie is the exception).
            lower_headers[name] = "%s, %s" % (lower_headers[name], value) if name in lower_headers else value
        login = login_state.read_login(status, lower_headers, content[:LOGIN_SNIFF_BYTES].decode("utf-8", "replace"),
                                       "Authorization" in headers)
        return Response(method, url, status, lower_headers, content, login)

    def _read_body(self, response, method, url):
        """The whole body, decompressed, or ResponseError past max_response_bytes (a gzip bomb stops there too)."""
        declared = response.getheader("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise self._too_large(method, url)
        gzipped = (response.getheader("content-encoding") or "").strip().lower() == "gzip"
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzipped else None
        chunks, size = [], 0
        while True:
            chunk = response.read(READ_CHUNK)
            if not chunk:
                if response.length:  # read(amt) reports a body cut short by returning nothing
                    raise http_client.IncompleteRead(b"", response.length)
                break
            if inflater is not None:
                chunk = _inflated(inflater, chunk, self.max_response_bytes - size)
            size += len(chunk)
            if size > self.max_response_bytes:
                raise self._too_large(method, url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, method, url):
        return ResponseError("Jira's answer to %s %s is larger than max_response_bytes (%d); not read. Page the call (paginate, "
                             "maxResults) or raise max_response_bytes." % (method, url, self.max_response_bytes), url=url)

    def _reconnect_delay(self, exc, repeatable, attempt):
        """Seconds before trying again after a broken connection, or None: a write that may have
        reached Jira is never sent twice (it could create a duplicate)."""
        if attempt >= self.max_retries or not getattr(exc, "retryable", True):
            return None
        if not repeatable and exc.fields.get("request_may_have_reached_jira", True):
            return None
        return min(2 ** attempt * 0.5, self.max_retry_wait)

    def _retry_delay(self, response, attempt):
        """Seconds to wait before sending the same call again, or None to return the response."""
        if response.status not in RETRY_STATUSES or attempt >= self.max_retries:
            return None
        delay = parse_retry_after(response.headers.get("retry-after"))
        if delay is None:
            delay = min(2 ** attempt, self.max_retry_wait)
        if delay > self.max_retry_wait:
            return None
        return delay


def _inflated(inflater, data, room):
    """``data`` decompressed, but never much more than ``room`` bytes of it: past that the answer is refused anyway."""
    pieces = [inflater.decompress(data, room + 1)]
    size = len(pieces[0])
    while inflater.unconsumed_tail and size <= room:
        pieces.append(inflater.decompress(inflater.unconsumed_tail, room + 1 - size))
        size += len(pieces[-1])
    return b"".join(pieces)


def requoted(url):
    """``url`` with every character that may not appear in a request line percent-encoded (existing escapes kept)."""
    return quote(url, safe=URL_SAFE)


def with_query(url, params):
    """``url`` with ``params`` (a mapping; None values left out) added to its query, encoded as a form does."""
    url = requoted(url)
    pairs = [(str(name), value if isinstance(value, (list, tuple)) else str(value))
             for name, value in (params or {}).items() if value is not None]
    if not pairs:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(pairs, doseq=True)


def parse_retry_after(value, now=None):
    """Retry-After as seconds (an integer, or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if re.match(r"^[0-9]+$", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # HTTP dates are GMT; '-0000' parses as naive
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def communication_error(exc, connecting, method, url, timeout):
    """A CommunicationError that says what happened in words, without a Python repr.

    ``connecting``: the error came before the connection to Jira (or to the proxy's tunnel) stood, so the request
    certainly never reached Jira."""
    if isinstance(exc, ssl.CertificateError):
        what = ("TLS verification failed (%s). Set ca_path to the CA bundle that signed Jira's certificate "
                "(or validate_certs: false, which is not recommended)" % _reason(exc))
    elif isinstance(exc, ssl.SSLError) and connecting:
        what = "the TLS handshake failed (%s)" % _reason(exc)
    elif isinstance(exc, socket.timeout):
        what = "no connection within %s seconds" % timeout if connecting else "no answer within %s seconds (timeout)" % timeout
    elif isinstance(exc, http_client.IncompleteRead):
        what = "the connection broke while the answer was being read (it ended early)"
    elif isinstance(exc, http_client.HTTPException) and not isinstance(exc, ConnectionError):
        what = "the answer is not valid HTTP (%s)" % _reason(exc)
    else:
        what = "the connection failed or broke (%s)" % _reason(exc)
    error = CommunicationError("Could not talk to Jira: %s %s: %s." % (method, url, what),
                               login_state=login_state.UNREACHABLE, url=url,
                               request_may_have_reached_jira=not connecting)
    error.what = what
    # A certificate or a TLS set-up does not get better by asking again; a TLS connection that broke later may.
    error.retryable = not (isinstance(exc, ssl.CertificateError) or (isinstance(exc, ssl.SSLError) and connecting))
    return error


def _not_repeated(error):
    """Say so when a call that must not be repeated broke after it may have reached Jira."""
    if error.fields.get("request_may_have_reached_jira"):
        error.msg = error.msg.rstrip(".") + (". The request may have reached Jira, so it was not sent again (that could create a "
                                             "duplicate); check Jira before re-running, or use a guard (guard_jql or guard_path).")
        error.args = (error.msg,)
    return error


def _reason(exc):
    """The human part of an exception: the OS's words for an OSError, else its message, else its kind."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    return str(exc).strip("()'\" ") or exc.__class__.__name__


def login_message(login, method, url, credentials=None):
    """The human message for a login that failed; ``credentials`` (the task's) add a hint when they explain it."""
    where = "%s %s" % (method, url)
    messages = {
        login_state.CAPTCHA: ("Jira refused the login without checking the password: CAPTCHA is triggered for this account "
                              "after too many failed logins (%s). Log in once in a browser at %s and solve the CAPTCHA, or ask "
                              "a Jira administrator to reset the failed login count. Do not retry with the same credentials."
                              % (where, login.login_url or "Jira's login page")),
        login_state.WRONG_CREDENTIALS: "Jira did not accept the credentials (%s). Check username and password/token: each "
                                       "failed login brings a CAPTCHA lock closer (3 in a row by default)." % where,
        login_state.BASIC_AUTH_DISABLED: "Basic authentication is disabled on this Jira (%s). Use a personal access token "
                                         "(token) instead." % where,
        login_state.ANONYMOUS: "Jira served %s to the anonymous user." % where,
        login_state.UNREACHABLE: "Jira could not be reached (%s)." % where,
    }
    if login.cloud:
        # Jira Cloud has no CAPTCHA lock for API logins: say what Cloud takes instead.
        messages[login_state.WRONG_CREDENTIALS] = (
            "Jira Cloud did not accept the credentials (%s). Check username (the account's e-mail) and password (an API "
            "token, not the account's password)." % where)
    hints = [login.hint]
    if login.state == login_state.WRONG_CREDENTIALS and getattr(credentials, "pat_as_password", False):
        hints.append("The password has the form of a Data Center personal access token: give it as token (it is sent as "
                      "Bearer), not as password.")
    message = messages.get(login.state, "Jira answered %s with login state %s." % (where, login.state))
    return " ".join([message] + [hint for hint in hints if hint])


def _jersey_404(message):
    """Jersey's 'null for uri: ...' (Jira has no REST resource at the path) in words a user can act on."""
    if not message.startswith("null for uri"):
        return message
    return ("Jira has no REST resource at this path (Jersey: '%s'); check the path and the API version (Data Center "
            "serves /rest/api/2 only)" % message)


def error_summary(response):
    """Jira's own words for a failed call: errorMessages and errors joined, or an HTML page's title; otherwise only
    the size and type of the body. Never a Python repr, never a piece of a body."""
    try:
        body = response.json
    except ResponseError:
        body = None
    if isinstance(body, dict):
        parts = [str(m) for m in body.get("errorMessages") or []]
        errors = body.get("errors")
        if isinstance(errors, dict):
            parts.extend("%s: %s" % (field, message) for field, message in sorted(errors.items()))
        for key in ("message", "error", "errorMessage"):
            if isinstance(body.get(key), str):
                parts.append(_jersey_404(body[key]))
        if parts:
            return "; ".join(parts)
    title = _HTML_TITLE.search(response.text)
    if title:
        return " ".join(title.group(1).split())
    if not response.content.strip():
        return "(empty body)"
    # Nothing else of the body goes into a message: it would have to be cut, and a cut can split an echoed secret
    # past recognition by masking. The whole body is in the result's json or content, masked.
    content_type = (response.headers.get("content-type") or "no content type").split(";")[0].strip()
    return "(%d bytes of %s, in the result's %s)" % (len(response.content), content_type, "json" if response.is_json else "content")

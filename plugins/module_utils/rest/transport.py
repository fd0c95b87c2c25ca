# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP transport of JiraClient: one requests.Session per task, set up from the task's options and environment.

requests and urllib3 do the HTTP (keep-alive pool, proxies, TLS, decompression). What this adds: the task's SSLContext
(made once per process per settings), proxies resolved from the environment as requests reads them but nothing else
taken from it (no ~/.netrc, no REQUESTS_CA_BUNDLE, no cookies kept), a deadline for each exchange, the body read up to
max_response_bytes only, and a broken exchange said in words.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os
import re
import socket
import ssl
import traceback
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import unquote, urlsplit

try:
    import requests
    import urllib3
    from requests import Session
    from requests.adapters import HTTPAdapter
    from requests.structures import CaseInsensitiveDict
    from requests.utils import get_environ_proxies, select_proxy
    from urllib3.exceptions import httplib_IncompleteRead
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    HTTPAdapter = Session = object
    CaseInsensitiveDict = dict
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.rest.deadline import (
    LibraryChanged, Watch, read_until, watched,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    CommunicationError, InputError, JiraError, ResponseError,
)

MAX_CONNECTIONS = 16  # calls in flight at once (jira_request's concurrent_pages)
READ_CHUNK = 256 * 1024
PROXY_SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")


class Transport:
    """One keep-alive requests.Session to Jira's origin, directly or through the environment's proxy."""

    def __init__(self, params, base_url, headers, timeout, max_response_bytes):
        if not HAS_REQUESTS:
            raise missing_requests_error()
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self.proxy = environment_proxy(base_url, params.get("use_proxy", True))
        if self.proxy:
            _checked_proxy(self.proxy)
        https = base_url.startswith("https:") or (self.proxy or "").lower().startswith("https:")
        self.tls = tls_context(params) if https else None
        self.verify = bool(params.get("validate_certs", True))
        self.session = _session(self.tls)
        self.session.headers = CaseInsensitiveDict(headers)
        self.session.proxies = {urlsplit(base_url).scheme: self.proxy} if self.proxy else {}

    @property
    def secrets(self):
        return _proxy_secrets(self.proxy) if self.proxy else ()

    def close(self):
        self.session.close()

    def exchange(self, method, url, data, headers):
        """(status, headers with lower-cased names, body) of one exchange, complete within ``timeout`` seconds
        (connect, send, headers and the whole body); raises CommunicationError, or ResponseError for a body too
        large."""
        with Watch(self.timeout) as watch:
            try:
                answer = self.session.send(self._prepared(method, url, data, headers), stream=True,
                                           allow_redirects=False, timeout=(self.timeout, self.timeout),
                                           verify=self.verify, proxies=self.session.proxies, cert=None)
                try:
                    watch.answered()
                    read_until(watch, answer)
                    content = self._read_body(answer, method, url)
                finally:
                    answer.close()
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                if watch.expired:
                    raise deadline_error(method, url, self.timeout)
                proxy = self.proxy if isinstance(exc, requests.exceptions.ProxyError) else None
                raise communication_error(*_cause(exc), method=method, url=url, timeout=self.timeout, through=proxy)
        if watch.expired:
            raise deadline_error(method, url, self.timeout)
        # urllib3 joins a repeated header with ", ", as HTTP allows.
        return answer.status_code, dict((name.lower(), value) for name, value in answer.headers.items()), content

    def _prepared(self, method, url, data, headers):
        """The request as Session.request would prepare it, without what this session never uses (cookies, auth from
        the environment, hooks): that saves about half a millisecond per call."""
        prepared = requests.PreparedRequest()
        prepared.prepare_method(method)
        prepared.prepare_url(url, None)
        merged = CaseInsensitiveDict(self.session.headers)
        merged.update(headers)
        prepared.prepare_headers(merged)
        prepared.prepare_body(data, None)
        prepared.prepare_hooks({})
        return prepared

    def _read_body(self, answer, method, url):
        """The whole body, decompressed, or ResponseError past max_response_bytes (a gzip bomb stops there too)."""
        declared = answer.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise too_large(method, url, self.max_response_bytes)
        chunks, size = [], 0
        for chunk in answer.raw.stream(READ_CHUNK, decode_content=True):
            size += len(chunk)
            if size > self.max_response_bytes:
                raise too_large(method, url, self.max_response_bytes)
            chunks.append(chunk)
        return b"".join(chunks)


def too_large(method, url, limit):
    return ResponseError("Jira's answer to %s %s is larger than max_response_bytes (%d); not read. Page the call "
                         "(paginate, maxResults) or raise max_response_bytes." % (method, url, limit), url=url)


def missing_requests_error():
    from ansible.module_utils.basic import missing_required_lib
    return JiraError(missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)


# Sessions made ahead of time by prepare_sessions(), one per TLS context, each taken by one task: made in the
# controller's main process, they save every forked worker about 1.5 ms (the session, its adapters, their pools).
_SPARE_SESSIONS = {}


def prepare_sessions(params):
    """Make a session ahead for the plain-HTTP tasks and one for the https tasks with ``params``' TLS settings."""
    for tls in (None, tls_context(params)):
        try:
            _SPARE_SESSIONS[id(tls)] = _new_session(tls)
        except LibraryChanged:
            return  # made in Ansible's main process: the task that makes its own session fails with it, in words


def _session(tls):
    return _SPARE_SESSIONS.pop(id(tls), None) or _new_session(tls)


class _Session(Session):
    """requests.Session, but redirects are JiraClient's: even with allow_redirects=False, Session.send prepares the next
    hop of a 3xx and reads its whole body for it, past max_response_bytes."""

    def get_redirect_target(self, resp):
        return None


def _new_session(tls):
    session = _Session()
    # No ~/.netrc, no REQUESTS_CA_BUNDLE; proxies are resolved from the environment by Transport.
    session.trust_env = False
    session.cookies.set_policy(_NoCookies())
    # The pool keeps up to MAX_CONNECTIONS idle connections, as many as jira_request's concurrent_pages can use; it
    # opens them only when calls are in flight at once.
    adapter = _Adapter(tls, MAX_CONNECTIONS)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return session


class _Adapter(HTTPAdapter):
    """requests' adapter with the task's SSLContext for Jira (and for an https:// proxy), and watched pools."""

    def __init__(self, tls, pool_size):
        self.tls = tls
        super(_Adapter, self).__init__(pool_connections=1, pool_maxsize=pool_size, max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        if self.tls is not None:
            kwargs["ssl_context"] = self.tls
        super(_Adapter, self).init_poolmanager(*args, **kwargs)
        watched(self.poolmanager)

    def proxy_manager_for(self, proxy, **kwargs):
        if proxy not in self.proxy_manager and self.tls is not None:
            kwargs["ssl_context"] = self.tls
            if not proxy.lower().startswith("socks"):
                kwargs["proxy_ssl_context"] = self.tls
        return watched(super(_Adapter, self).proxy_manager_for(proxy, **kwargs))

    def cert_verify(self, conn, url, verify, cert):
        """The task's SSLContext already says whom to trust (ca_path, or the system's CA store). requests would name
        certifi's bundle to every new https connection, and urllib3 would load it into that context: certifi's CAs
        trusted beside ca_path, and 20 ms per connection."""
        if self.tls is None:
            return super(_Adapter, self).cert_verify(conn, url, verify, cert)
        conn.cert_reqs = "CERT_REQUIRED" if verify else "CERT_NONE"
        conn.ca_certs = conn.ca_cert_dir = None
        return None


class _NoCookies(DefaultCookiePolicy):
    """Jira's session cookie is not kept: every call carries the auth header, and nothing else (Seraph would count a
    cookie's login, not the credentials)."""

    def set_ok(self, cookie, request):
        return False


def environment_proxy(url, use_proxy=True):
    """The proxy URL the environment sets for ``url`` (http_proxy, https_proxy, all_proxy, no_proxy, any case, as
    requests reads them), or None."""
    if not use_proxy or not any(name.lower().endswith("_proxy") for name in os.environ):
        return None
    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY")
    if no_proxy:  # an IPv6 address may be written as in a URL, in brackets: requests compares it without them
        no_proxy = re.sub(r"\[([0-9A-Fa-f:.]+)\]", r"\1", no_proxy)
    return select_proxy(url, get_environ_proxies(url, no_proxy)) or None


def _proxy_secrets(proxy):
    """The proxy's password as written and decoded, and the Proxy-Authorization header requests makes of it."""
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if parts.password is None:
        return ()
    pair = "%s:%s" % (unquote(parts.username or ""), unquote(parts.password))
    return (parts.password, unquote(parts.password), "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii"))


def _checked_proxy(proxy):
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    try:
        valid = parts.scheme.lower() in PROXY_SCHEMES and parts.hostname and parts.port != 0
    except ValueError:  # a port that is not a number, or out of range
        valid = False
    where = "%s://%s" % (parts.scheme, parts.hostname or "")
    if not valid:
        raise JiraError("The proxy set in the environment (%s) is not a valid proxy URL: give http://, https:// or "
                        "socks5:// with a host and a port. Set another proxy, or use_proxy: false." % where)
    if parts.scheme.lower().startswith("socks"):
        try:
            import socks  # noqa: F401 (PySocks: urllib3 speaks SOCKS through it)
        except ImportError:
            raise JiraError("The proxy set in the environment (%s) is a SOCKS proxy, which needs the Python package "
                            "PySocks where the task runs (pip install PySocks). Install it, use an http:// or https:// "
                            "proxy, or use_proxy: false." % where)
    return proxy


# SSL contexts by settings. Loading the system's CA store takes 20 to 30 ms; the controller path pays it
# once per run, because runner.py makes the default context in the main process, which every worker forks from.
_TLS_CONTEXTS = {}


def tls_context(params):
    """The TLS settings of the task: Jira's certificate checked against ca_path or the system's CAs (where OpenSSL finds
    them, SSL_CERT_FILE and SSL_CERT_DIR included), unless validate_certs is false; client_cert/client_key for mutual
    TLS. Made once per process for the same settings."""
    verify = bool(params.get("validate_certs", True))
    ca_path = params.get("ca_path") if verify else None
    system = (os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")) if verify and not ca_path else None
    key = (verify, ca_path, system, params.get("client_cert"), params.get("client_key"))
    if key not in _TLS_CONTEXTS:
        _TLS_CONTEXTS[key] = _new_tls_context(verify, ca_path, key[3], key[4])
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
                             "Give a PEM certificate, and its unencrypted private key in client_key unless the file "
                             "holds it.")
    return context


def _cause(exc):
    """(the error that broke an exchange, whether it broke while connecting), from requests' and urllib3's wrappers:
    a connection that never stood (refused, no route, name unknown, connect timeout, a proxy that refused the tunnel,
    a failed TLS handshake) means the request never reached Jira."""
    connecting = isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError,
                                  requests.exceptions.SSLError))
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)):
            connecting = True
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((arg for arg in getattr(exc, "args", ()) if isinstance(arg, BaseException)), None)
        inner = inner or exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc, connecting


def _proxy_named(proxy):
    """The proxy, named without its credentials."""
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    return "%s://%s:%s" % (parts.scheme, parts.hostname, parts.port)


def deadline_error(method, url, timeout):
    what = ("no answer within %s seconds (timeout): the whole exchange, connecting, sending and reading all of the "
            "answer, must fit in it" % timeout)
    return CommunicationError.broken((method, url), what, login_state=login_state.UNREACHABLE, url=url,
                                     request_may_have_reached_jira=True)


def communication_error(exc, connecting, method, url, timeout, through=None):
    """A CommunicationError that says what happened in words, without a Python repr.

    ``connecting``: the error came before the connection to Jira (or to the proxy's tunnel) stood, so the request
    certainly never reached Jira. ``through``: the proxy that did not carry the call, named as where it broke (and
    then without the hint about Jira's address)."""
    what, hint = _what_broke(exc, connecting, timeout)
    if through:
        what, hint = "the proxy %s did not carry the call: %s" % (_proxy_named(through), what), None
    # A certificate or a TLS set-up does not get better by asking again; a TLS connection that broke later may.
    retryable = not (isinstance(exc, ssl.CertificateError) or (isinstance(exc, ssl.SSLError) and connecting))
    return CommunicationError.broken((method, url), what, hint, retryable, login_state=login_state.UNREACHABLE, url=url,
                                     request_may_have_reached_jira=not connecting)


def _what_broke(exc, connecting, timeout):
    """(what broke, in words; what to do about it, or None)."""
    if isinstance(exc, ssl.CertificateError):
        return ("TLS verification failed (%s). Set ca_path to the CA bundle that signed Jira's certificate "
                "(or validate_certs: false, which is not recommended)" % _reason(exc)), None
    if isinstance(exc, ssl.SSLError) and connecting:
        if getattr(exc, "reason", None) == "WRONG_VERSION_NUMBER":
            return ("the TLS handshake failed: the server did not answer in TLS, so it likely speaks plain HTTP on "
                    "that port. Use http:// in url, or the port where Jira serves https"), None
        return "the TLS handshake failed (%s)" % _reason(exc), None
    if isinstance(exc, (socket.timeout, urllib3.exceptions.TimeoutError)):
        if connecting:
            return "no connection within %s seconds" % timeout, None
        return "no answer within %s seconds (timeout)" % timeout, None
    if isinstance(exc, ConnectionRefusedError):
        return ("the connection was refused (nothing accepts connections at that address)",
                "Check the host and port in url, and that Jira is running.")
    if isinstance(exc, httplib_IncompleteRead):
        return "the connection broke while the answer was being read (it ended early)", None
    if isinstance(exc, (OSError, urllib3.exceptions.ProxyError)):
        return "the connection failed or broke (%s)" % _reason(exc), None
    return "the answer is not valid HTTP (%s)" % _reason(exc), None


def _reason(exc):
    """The human part of an exception: the OS's words for an OSError, else its message, else its kind."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    return str(exc).strip("()'\" ") or exc.__class__.__name__

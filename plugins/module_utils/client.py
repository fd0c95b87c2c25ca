# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JiraClient: one requests.Session per task, the auth header sent pre-emptively, safe retries.

Every response is read by login_state before anything else looks at it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import time
import traceback
from datetime import timezone
from email.utils import parsedate_to_datetime

try:
    import requests
    from requests.adapters import HTTPAdapter
    REQUESTS_IMPORT_ERROR = None
except ImportError:  # the modules report missing_required_lib('requests')
    requests = None
    HTTPAdapter = object
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.jiraops.jira.plugins.module_utils import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.auth import credentials_from_params
from ansible_collections.jiraops.jira.plugins.module_utils.errors import (
    CommunicationError, InputError, JiraError, LoginError, ResponseError,
)
from ansible_collections.jiraops.jira.plugins.module_utils.urls import join_path, normalize_base_url, origin_of

COLLECTION_VERSION = "0.1.0"
IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
RETRY_STATUSES = (429, 503)
MAX_REDIRECTS = 5
LOGIN_SNIFF_BYTES = 4096
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
        self._json = None
        self._json_read = False

    @property
    def text(self):
        return self.content.decode("utf-8", "replace")

    @property
    def is_json(self):
        return "json" in self.headers.get("content-type", "") and bool(self.content.strip())

    @property
    def json(self):
        """The decoded JSON body; None when the body is empty or not JSON."""
        if not self._json_read:
            self._json_read = True
            if self.is_json:
                try:
                    self._json = json.loads(self.text)
                except ValueError:
                    raise ResponseError("Jira answered %s %s with a body that is declared as JSON but is not valid JSON (%d bytes)."
                                        % (self.method, self.url, len(self.content)), status=self.status, url=self.url)
        return self._json


class _Session(requests.Session if requests is not None else object):
    """A requests.Session that leaves redirects to JiraClient. Even with allow_redirects=False, requests.Session
    prepares the next hop of a 3xx answer: it reads the whole body (past max_response_bytes) and parses Location
    (a bad port or IPv6 address raises a bare ValueError)."""

    def get_redirect_target(self, resp):
        return None


def _headers_as_given(request):
    """The session's auth: send the request as JiraClient built it. Without an auth of its own, requests
    looks the host up in ~/.netrc on every call and would replace JiraClient's Authorization header (or
    add one to a call meant to be anonymous)."""
    return request


class JiraClient:
    """The one HTTP client of the collection."""

    def __init__(self, params, execution="module", gate=None):
        if REQUESTS_IMPORT_ERROR:
            raise JiraError("The Python library 'requests' is not installed where this task runs. Install it (pip install requests).")
        self.gate = gate
        self.base_url = normalize_base_url(params.get("url"))
        self.credentials = credentials_from_params(params)
        self.timeout = params.get("timeout") or 10
        self.max_retries = params.get("retries", 3)
        self.max_retry_wait = params.get("max_retry_wait", 60)
        self.max_response_bytes = params.get("max_response_bytes") or 64 * 1024 * 1024
        self.retries = 0
        for option in ("ca_path", "client_cert", "client_key"):
            # requests would raise a bare OSError for a missing file, at the first request.
            if params.get(option) and not os.path.exists(params[option]):
                raise InputError(option, "names %s, which does not exist where the task runs" % params[option],
                                 "Give the path of a PEM file there (for ca_path, a file or a directory of CA certificates).")
        self.session = self._new_session(params, execution)

    @property
    def secrets(self):
        """Every value derived from a secret option, to be masked wherever output is produced."""
        return self.credentials.secrets

    def _new_session(self, params, execution):
        session = _Session()
        # One connection is enough: a task talks to one Jira, sequentially.
        session.mount("http://", HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0))
        session.mount("https://", HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0))
        # Also passed with every request: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override session.verify.
        self.verify = session.verify = params.get("ca_path") or params.get("validate_certs", True)
        if params.get("client_cert"):
            session.cert = (params["client_cert"], params["client_key"]) if params.get("client_key") else params["client_cert"]
        session.trust_env = params.get("use_proxy", True)
        session.auth = _headers_as_given
        session.headers.update({
            "Accept": "application/json",
            "User-Agent": "jiraops.jira/%s (%s) python-requests/%s" % (COLLECTION_VERSION, execution, requests.__version__),
            # Jira's XSRF check refuses some writes without it; REST clients are expected to send it.
            "X-Atlassian-Token": "no-check",
        })
        return session

    def close(self):
        self.session.close()

    def url_for(self, path, option="path"):
        return join_path(self.base_url, path, option)

    def request(self, method, path, params=None, body=None, headers=None, anonymous=False, option="path", repeatable=None):
        """Send one call (retrying only where it is safe) and return its Response.

        ``repeatable``: whether sending the call twice does no harm; by default, true for the idempotent methods
        (a search sent as POST is repeatable too, a create is not)."""
        method = method.upper()
        if repeatable is None:
            repeatable = method in IDEMPOTENT_METHODS
        url = self.url_for(path, option)
        send_headers = self._headers_for(body, headers, anonymous)
        if self.gate and "Authorization" in send_headers:
            self.gate()  # the circuit breaker: raises instead of sending credentials Jira rejected
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        attempt = 0
        while True:
            try:
                response = self._send_following_redirects(method, url, params, data, send_headers)
                delay = self._retry_delay(response, attempt)
            except CommunicationError as exc:
                delay = self._reconnect_delay(exc, repeatable, attempt)
                if delay is None:
                    raise _not_repeated(exc) if not repeatable else exc
            if delay is None:
                return response
            attempt += 1
            self.retries += 1
            time.sleep(delay)

    def check_login(self, response):
        """Raise LoginError when credentials were sent and Jira did not accept them."""
        login = response.login
        if login.state in (login_state.OK, login_state.ANONYMOUS, login_state.NOT_AUTHORISED):
            return
        raise LoginError(login_message(login, response.method, response.url), status=response.status, **login.fields())

    def _headers_for(self, body, headers, anonymous):
        send = dict(headers or {})
        if body is not None:
            send["Content-Type"] = "application/json"
        if self.credentials.sent and not anonymous:
            send["Authorization"] = self.credentials.header
        return send

    def _send_following_redirects(self, method, url, params, data, headers):
        for dummy in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, params, data, headers)
            location = response.headers.get("location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                return response
            url = self._redirect_target(response, location, method)
            params = None
        raise ResponseError("Jira redirected %s %s more than %d times." % (method, url, MAX_REDIRECTS), url=url)

    def _redirect_target(self, response, location, method):
        try:
            target = requests.compat.urljoin(response.url, location)
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

    def _send(self, method, url, params, data, headers):
        try:
            raw = self.session.request(method, url, params=params, data=data, headers=headers, timeout=self.timeout,
                                       allow_redirects=False, stream=True, verify=self.verify)
            try:
                content = self._read_body(raw, method, url)
            finally:
                raw.close()
        except requests.exceptions.RequestException as exc:
            raise communication_error(exc, method, url, self.timeout)
        lower_headers = dict((name.lower(), value) for name, value in raw.headers.items())
        login = login_state.read_login(raw.status_code, lower_headers, content[:LOGIN_SNIFF_BYTES].decode("utf-8", "replace"),
                                       "Authorization" in headers)
        return Response(method, raw.url, raw.status_code, lower_headers, content, login)

    def _read_body(self, raw, method, url):
        declared = raw.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_response_bytes:
            raise self._too_large(method, url)
        chunks, size = [], 0
        for chunk in raw.iter_content(256 * 1024):
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


def communication_error(exc, method, url, timeout):
    """A CommunicationError that says what happened in words, without a Python repr."""
    if isinstance(exc, requests.exceptions.SSLError):
        what = ("TLS verification failed. Set ca_path to the CA bundle that signed Jira's certificate "
                "(or validate_certs: false, which is not recommended)")
    elif isinstance(exc, requests.exceptions.ConnectTimeout):
        what = "no connection within %s seconds" % timeout
    elif isinstance(exc, requests.exceptions.Timeout):
        what = "no answer within %s seconds (timeout)" % timeout
    elif isinstance(exc, requests.exceptions.ConnectionError):
        what = "the connection failed or broke (%s)" % _root_reason(exc)
    elif isinstance(exc, requests.exceptions.ChunkedEncodingError):
        # Its reason is urllib3's repr of http.client.IncompleteRead.
        what = "the connection broke while the answer was being read (it ended early)"
    else:
        what = _root_reason(exc)
    reached = may_have_reached_jira(exc)
    error = CommunicationError("Could not talk to Jira: %s %s: %s." % (method, url, what),
                               login_state=login_state.UNREACHABLE, url=url,
                               request_may_have_reached_jira=reached)
    # A certificate does not get better by asking again.
    error.retryable = not isinstance(exc, requests.exceptions.SSLError)
    return error


def _not_repeated(error):
    """Say so when a call that must not be repeated broke after it may have reached Jira."""
    if error.fields.get("request_may_have_reached_jira"):
        error.msg = error.msg.rstrip(".") + (". The request may have reached Jira, so it was not sent again (that could create a "
                                             "duplicate); check Jira before re-running, or use a guard (guard_jql or guard_path).")
        error.args = (error.msg,)
    return error


def may_have_reached_jira(exc):
    """False only when the request certainly never got to Jira (refused or timed out while connecting)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    reason = repr(exc)
    return not any(marker in reason for marker in ("NewConnectionError", "Connection refused", "Name or service not known",
                                                   "NameResolutionError"))


def _root_reason(exc):
    seen = exc
    while getattr(seen, "__context__", None) is not None or getattr(seen, "reason", None) is not None:
        nxt = getattr(seen, "reason", None) or seen.__context__
        if nxt is seen or not isinstance(nxt, BaseException):
            break
        seen = nxt
    text = str(seen) or seen.__class__.__name__
    # urllib3 prefixes reasons with an object repr: keep the human part.
    return text.split(">: ", 1)[-1].strip("()'\" ")


def login_message(login, method, url):
    """The human message for a login that failed."""
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
    message = messages.get(login.state, "Jira answered %s with login state %s." % (where, login.state))
    return "%s %s" % (message, login.hint) if login.hint else message


def error_summary(response):
    """Jira's own words for a failed call: errorMessages and errors joined, an HTML page's title,
    or the start of the body. Never a Python repr."""
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
                parts.append(body[key])
        if parts:
            return "; ".join(parts)
    text = response.text
    title = _HTML_TITLE.search(text)
    if title:
        return " ".join(title.group(1).split())
    text = " ".join(text.split())
    return text[:300] + ("..." if len(text) > 300 else "") if text else "(empty body)"

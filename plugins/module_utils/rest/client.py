# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JiraClient: one per task, the auth header sent pre-emptively, safe retries, redirects only within Jira's origin.

The HTTP goes through requests (transport.py); what is Jira's stays here, in the one exchange every call goes through
(JiraClient._call): every answer is read by login_state before anything else looks at it; Jira's verdict on the login
ends the exchange (no redirect followed, nothing sent again); a call that is not repeatable is sent once, and fails as
"may or may not have been done" when its fate is unknown; the retry rule keeps unproven credentials from being sent
twice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import threading
import time
from urllib.parse import urljoin

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.rest.answers import (
    could_be_jira, fate_unknown, not_at_this_path, not_jira_error, path_of, refusal, speaks_jira, unreadable,
    without_verdict,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import check_values
from ansible_collections.jiraops.jira.plugins.module_utils.login.auth import credentials_from_params
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    CommunicationError, InputError, LoginError, ResponseError,
)
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response
from ansible_collections.jiraops.jira.plugins.module_utils.rest.route import is_service_account, on_gateway
from ansible_collections.jiraops.jira.plugins.module_utils.rest.values import parse_retry_after, requoted, with_query
from ansible_collections.jiraops.jira.plugins.module_utils.rest.transport import CaseInsensitiveDict, Transport
from ansible_collections.jiraops.jira.plugins.module_utils.rest.urls import join_path, normalize_base_url, origin_of

COLLECTION_VERSION = "0.1.0"
IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
RETRY_STATUSES = (429, 503)
MAX_REDIRECTS = 5
LOGIN_SNIFF_BYTES = 4096


class JiraClient:
    """The one HTTP client of the collection."""

    def __init__(self, params, execution="module", gate=None, trusted=False):
        self.gate = gate
        # What Jira made of the credentials in this run (``trusted``, from the circuit breaker) and in this task: until
        # it proved them, nothing that carried them and may have reached Jira is sent again (see request).
        self.login = login_state.LoginRecord(proven=trusted)
        # Every numeric option is in range before anything is built or sent (a timeout of 0 or nan, retries of -1).
        check_values(params)
        self.base_url = normalize_base_url(params.get("url"))
        self.credentials = credentials_from_params(params)
        self.timeout = params.get("timeout") or 10
        self.max_retries = params.get("retries", 3)
        self.max_retry_wait = params.get("max_retry_wait", 60)
        self.max_response_bytes = params.get("max_response_bytes") or 64 * 1024 * 1024
        self.retries = 0
        self._retries_lock = threading.Lock()
        self._token_lock = threading.Lock()
        for option in ("ca_path", "client_cert", "client_key"):
            # Checked here, with the option's name, rather than failing at the first call.
            if params.get(option) and not os.path.exists(params[option]):
                raise InputError(option, "names %s, which does not exist where the task runs" % params[option],
                                 "Give the path of a PEM file there (for ca_path, a file or a directory of CA "
                                 "certificates).")
        self.headers = {
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "User-Agent": "jiraops.jira/%s (%s) Python/%s" % (
                COLLECTION_VERSION, execution, "%d.%d" % sys.version_info[:2]),
            # Jira's XSRF check refuses some writes without it; REST clients are expected to send it.
            "X-Atlassian-Token": "no-check",
        }
        self.transport = Transport(params, self.base_url, self.headers, self.timeout, self.max_response_bytes)

    @property
    def secrets(self):
        """Every value derived from a secret option, to be masked wherever output is produced."""
        return tuple(self.credentials.secrets) + self.transport.secrets

    def close(self):
        self.transport.close()

    def url_for(self, path, option="path"):
        return join_path(self.base_url, path, option)

    def request(self, method, path, params=None, body=None, headers=None, anonymous=False, option="path",
                repeatable=None):
        """Send one call (retrying only where it is safe) and return its Response.

        ``repeatable``: whether sending the call twice does no harm; by default, true for the idempotent methods
        (a search sent as POST is repeatable too, a create is not)."""
        method = method.upper()
        if repeatable is None:
            repeatable = method in IDEMPOTENT_METHODS
        url = with_query(self.url_for(path, option), params)
        send_headers = self._headers_for(body, headers, anonymous)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self._call(method, url, data, send_headers, repeatable)

    def call(self, method, path, accept=(200,), role=None, raw=False, **options):
        """The one checked call every module makes: request() (the options are its own), then checked()."""
        return self.checked(self.request(method, path, **options), accept, role, raw)

    def call_raw(self, method, path, data, content_type, length, accept=(200,), headers=None):
        """The checked call with a body that is not JSON (see request_raw)."""
        return self.checked(self.request_raw(method, path, data, content_type, length, headers), accept)

    def checked(self, response, accept=(200,), role=None, raw=False):
        """``response`` when Jira accepted the login and answered with a status in ``accept`` (a tuple, or a function
        of the status); otherwise the one error that says why, in the same words for every module: the login refused,
        a 2xx that is not Jira's, Jira's REST API not at this path, or Jira's own refusal with what to do. ``role``
        names the task's call in the message (a guard's search); ``raw``: the answer is a file's bytes, not JSON."""
        self.check_login(response)
        if 200 <= response.status < 300 and not could_be_jira(response, raw):
            raise not_jira_error(response, "The answer to %s %s" % (response.method, path_of(response.url)))
        wrong_path = not_at_this_path(response)
        if wrong_path is not None:
            raise wrong_path
        if not (accept(response.status) if callable(accept) else response.status in accept):
            raise refusal(response, role)
        return response

    # --- raw bodies (jira_attachment's multipart upload); kept apart so that it ports to another transport as one piece
    def request_raw(self, method, path, data, content_type, length, headers=None):
        """Send one call whose body is not JSON and return its Response: ``data`` is bytes or an iterable of bytes
        (streamed, so a large file is never held in memory), ``length`` its size in bytes (the Content-Length).

        The same headers, circuit breaker, login reading and redirect rule as request(), and never sent twice: an
        iterable body cannot be replayed, and an upload that may have reached Jira could otherwise be attached twice."""
        url = with_query(self.url_for(path), None)
        send_headers = self._headers_for(None, headers, False)
        send_headers["Content-Type"] = content_type
        body = data if isinstance(data, bytes) else _SizedBody(data, length)
        return self._call(method.upper(), url, body, send_headers, repeatable=False)

    def _call(self, method, url, data, headers, repeatable, credentialed=None):
        """The exchange of every call: the circuit breaker, then sends until an answer is final. A call that is not
        ``repeatable`` is sent once; one that is, again only after what the retry rules allow. ``credentialed``: the
        call carries a secret (by default: an Authorization header; an OAuth 2.0 token request carries it in its
        body)."""
        if credentialed is None:
            credentialed = "Authorization" in headers
        if self.gate and credentialed:
            self.gate()  # the circuit breaker: raises instead of sending credentials Jira rejected
        attempt, started = 0, time.monotonic()
        while True:
            try:
                response = self._send_following_redirects(method, url, data, headers)
            except CommunicationError as exc:
                delay = self._after_broken(exc, method, url, credentialed, repeatable, attempt, started)
            else:
                delay = self._after_answer(response, credentialed, repeatable, attempt)
                if delay is None:
                    return response
            attempt += 1
            with self._retries_lock:  # pages fetched concurrently retry in their own threads
                self.retries += 1
            time.sleep(delay)

    def _after_answer(self, response, credentialed, repeatable, attempt):
        """Seconds before sending the call again after ``response``, or None when it is the answer; raises when the
        answer leaves unknown whether a call that is not repeatable was done."""
        if response.login.rejected:
            return None  # Jira's verdict ends the exchange: each resend would be one more failed login
        if not repeatable:
            if fate_unknown(response):
                what = "the answer was %s%s" % (response.status, without_verdict(response))
                raise self._maybe_done(response.method, response.url, what, ResponseError, _status_fields(response))
            return None
        delay = self._retry_delay(response, attempt)
        if delay is not None and credentialed and not self.login.proven:
            self.login.unknown_reached = True
            answered = "it answered %s%s" % (response.status, without_verdict(response))
            raise self._unproven(response.method, response.url, answered)
        return delay

    def _after_broken(self, exc, method, url, credentialed, repeatable, attempt, started):
        """Seconds before sending the call again after a broken exchange; raises when it is not sent again."""
        reached = exc.fields.get("request_may_have_reached_jira", True)
        if credentialed and reached and not self.login.proven:
            self.login.unknown_reached = True
        if reached and not repeatable:
            raise self._maybe_done(method, url, exc.what, CommunicationError, exc.fields)
        delay = self._reconnect_delay(exc, attempt)
        if delay is None:
            raise exc.tried(attempt + 1, time.monotonic() - started)
        if credentialed and reached and not self.login.proven:
            raise self._unproven(method, url, exc.what)
        return delay

    @staticmethod
    def _maybe_done(method, url, what, kind, fields):
        """The error for a call that is not safe to repeat, whose fate is unknown: it may or may not have been done."""
        fields = dict(fields, request_may_have_reached_jira=True, method=method, url=url)
        return kind(
            "%s %s may or may not have been done: %s. The request may have reached Jira, so it was not sent again: a "
            "call that is not safe to repeat (a create, an upload, a transition, a comment) is sent once. Look in Jira "
            "whether it took effect (the issue, comment or attachment it would make, or the change it would bring) "
            "before doing it by hand. Running the task again is safe where it reads before it writes: jira_issue with "
            "key or match_jql, jira_comment with marker, jira_attachment, jira_request with guard_jql or "
            "guard_path." % (method, url, what),
            **fields)

    def _unproven(self, method, url, what):
        """The error for a call that is not sent again: its credentials are unproven, and it may have reached Jira."""
        return LoginError(
            "Jira's answer to %s %s did not show whether it accepted the credentials (%s). They are not yet proven in "
            "this run, so the call was not sent again: if they were wrong, each resend would count as one more failed "
            "login toward a CAPTCHA lock. Check that Jira is up and that url is Jira's base URL, then run again; once "
            "Jira has accepted these credentials in a run, later calls are retried as usual." % (method, url, what),
            login_state=login_state.UNKNOWN, login_reason=[], captcha_triggered=False, login_url=None,
            denied_reason=None, url=url)

    def check_login(self, response):
        """Raise LoginError when credentials were sent and Jira did not accept them."""
        login = response.login
        if login.state in (login_state.OK, login_state.ANONYMOUS, login_state.NOT_AUTHORISED, login_state.UNKNOWN):
            return
        fields = login.fields()
        if login.state == login_state.INSUFFICIENT_SCOPE:
            fields["missing_scopes"] = [login_state.needed_scope(response.method, response.url)]
        raise LoginError(login_state.login_message(login, response.method, response.url, self.credentials),
                         status=response.status, **fields)

    def _headers_for(self, body, headers, anonymous):
        send = CaseInsensitiveDict(headers or {})  # a header given in another case replaces ours, not doubles it
        if body is not None:
            send["Content-Type"] = "application/json"
        if self.credentials.sent and not anonymous:
            send["Authorization"] = self._authorization()
        return send

    def _authorization(self):
        """The Authorization header to send; for an OAuth 2.0 client, with an access token fetched first when none is
        fresh (pages read in threads share one)."""
        oauth = self.credentials.oauth
        if oauth is not None:
            with self._token_lock:
                if oauth.due:
                    self._fetch_access_token(oauth)
        return self.credentials.header

    def _fetch_access_token(self, oauth):
        """Trade the client credentials for an access token at the token endpoint (through the same exchange, breaker
        and retry rule as any call with a secret: never sent twice while unproven)."""
        data, content_type = oauth.request_body()
        response = self._call("POST", oauth.token_url, data, CaseInsensitiveDict({"Content-Type": content_type}),
                              repeatable=True, credentialed=True)
        try:
            oauth.take(response)
        except LoginError as exc:
            if exc.fields.get("login_state") == login_state.WRONG_CREDENTIALS:
                self.login.note(login_state.Login(login_state.WRONG_CREDENTIALS))
            raise

    def _send_following_redirects(self, method, url, data, headers):
        for dummy in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, data, headers)
            if "Authorization" in headers:
                # speaks_jira decodes the body: only for the rare answer without a verdict
                self.login.note(response.login, response.login.state != login_state.UNKNOWN or speaks_jira(response))
            if response.login.rejected:
                # Jira's verdict ends the exchange: a redirect is not followed with credentials it refused
                return response
            refused = unreadable(response)
            if refused is not None:
                raise refused
            location = response.headers.get("location")
            if response.status not in (301, 302, 303, 307, 308) or not location:
                return response
            target = self._redirect_target(response, location, method)
            if "Authorization" in headers and not self.login.proven:
                return self._followed_without_credentials(method, target, data, headers, response.login)
            url = target
        raise ResponseError("Jira redirected %s %s more than %d times." % (method, url, MAX_REDIRECTS), url=url)

    def _followed_without_credentials(self, method, url, data, headers, login):
        """The page a redirect points to, read without the credentials: following with them sends them again, and the
        first send may have reached Jira unproven (a proxy can strip Jira's rejection from its 302 to login.jsp, where
        a second failed login would count). The answer keeps the first one's login: the verdict, or none, is its."""
        bare = CaseInsensitiveDict(headers)
        del bare["Authorization"]
        page = self._send_following_redirects(method, url, data, bare)
        return Response(page.method, page.url, page.status, page.headers, page.content, login)

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
            raise ResponseError("Jira redirected %s %s to %s; a write is not re-sent to another address. Use that path "
                                "instead."
                                % (method, response.url, target), status=response.status, url=response.url)
        return target

    def _send(self, method, url, data, headers):
        status, lower_headers, content = self.transport.exchange(method, url, data, headers)
        login = login_state.read_login(status, lower_headers, content[:LOGIN_SNIFF_BYTES].decode("utf-8", "replace"),
                                       "Authorization" in headers)
        if login.state == login_state.WRONG_CREDENTIALS and login.cloud and self._gateway_only_at_site():
            login = login_state.Login(login_state.GATEWAY_REQUIRED, login.reasons, cloud=True, signed=login.signed)
        return Response(method, url, status, lower_headers, content, login)

    def _gateway_only_at_site(self):
        """Whether the credentials are ones only Atlassian's gateway takes (a service account's, an OAuth 2.0 client's)
        and were sent to the site URL: Cloud's refusal is then the route's, not theirs (rest/route.py)."""
        gateway_only = self.credentials.oauth is not None or is_service_account(self.credentials.username)
        return gateway_only and not on_gateway(self.base_url)

    def _reconnect_delay(self, exc, attempt):
        """Seconds before trying again after a broken connection, or None."""
        if attempt >= self.max_retries or not exc.retryable:
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


class _SizedBody:
    """An iterable body of known length. requests sends it with that Content-Length and streams it; a bare generator
    would go chunked (and with a Content-Length of ours, both headers at once)."""

    def __init__(self, chunks, length):
        self.chunks = chunks
        self.length = length

    def __iter__(self):
        return iter(self.chunks)

    def __len__(self):
        return self.length


def _status_fields(response):
    fields = dict(status=response.status, changed=False)
    fields.update(response.login.fields())
    return fields

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that decides what a Jira response means for the login.

Jira never sends a Basic challenge, serves requests it cannot authenticate as the anonymous user,
and stops checking passwords once CAPTCHA is triggered. The status code alone cannot tell these
apart; Seraph's headers can (see docs/troubleshooting.md).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

OK = "ok"
ANONYMOUS = "anonymous"
WRONG_CREDENTIALS = "wrong_credentials"
CAPTCHA = "captcha"
NOT_AUTHORISED = "not_authorised"
BASIC_AUTH_DISABLED = "basic_auth_disabled"
UNREACHABLE = "unreachable"
# Jira Cloud: the token authenticates, but was not given the scope the call needs (401 "Unauthorized; scope does not
# match"). Not a wrong password: nothing is locked, and sending it again gets the same answer.
INSUFFICIENT_SCOPE = "insufficient_scope"
# An OAuth 2.0 access token the server says has expired (RFC 6750's invalid_token): the client renews before the end,
# so the clocks disagree or the token was revoked. Not the client credentials' fault.
TOKEN_EXPIRED = "token_expired"
# Jira Cloud: the site URL refused credentials that Atlassian's gateway accepts (a scoped or service-account token).
GATEWAY_REQUIRED = "gateway_required"
# Credentials were sent, and the answer does not show whether Jira accepted them: a 5xx or a proxy's page,
# an HTML page, a redirect, or no Seraph verdict. Not a rejection, and not a proof either.
UNKNOWN = "unknown"

# States in which Jira rejected the credentials themselves: sending them again only brings a
# CAPTCHA lock closer (or, when locked, keeps it locked).
REJECTED_STATES = (WRONG_CREDENTIALS, CAPTCHA)

_BASIC_DISABLED_TEXT = "basic authentication has been disabled"
_CLOUD_PASSWORD_TEXT = "basic authentication with passwords is deprecated"
_CONNECT_TOKEN_TEXT = "failed to parse connect session auth token"
_CLOUD_UNAUTHENTICATED_TEXT = "client must be authenticated to access this resource"
_SCOPE_TEXT = "scope does not match"
# Headers Jira itself sends (Seraph's, the request id on Data Center and Cloud, Cloud's account id): a proxy, a portal
# or another service in front of Jira sends none of them. A JSON body alone proves nothing.
JIRA_HEADERS = ("x-seraph-loginreason", "x-ausername", "x-arequestid", "atl-request-id", "x-aaccountid")
# Jira Cloud's request ids are UUIDs; Data Center's look like 1158x1253552x2.
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


class Login:
    """What one response says about the login.

    ``state`` OK means Jira itself proved the login: Seraph said OK and named the user (X-AUSERNAME on
    Server/Data Center, x-aaccountid on Cloud), or /myself answered with the user (see ``proved_by_myself``).
    """

    def __init__(self, state, reasons=(), user=None, denied_reason=None, login_url=None, hint=None, cloud=False,
                 signed=False):
        self.state = state
        self.signed = signed  # the answer carried a header Jira itself sends (see signed_by_jira)
        self.cloud = cloud  # the answer came from Jira Cloud (which has no CAPTCHA lock for API logins)
        self.reasons = list(reasons)
        self.user = user
        self.denied_reason = denied_reason
        self.login_url = login_url
        self.hint = hint

    @property
    def captcha_triggered(self):
        return self.state == CAPTCHA

    @property
    def rejected(self):
        return self.state in REJECTED_STATES

    @property
    def proven(self):
        return self.state == OK

    def fields(self):
        """The login fields every module returns."""
        return dict(
            login_state=self.state,
            login_reason=self.reasons,
            captcha_triggered=self.captcha_triggered,
            login_url=self.login_url,
            denied_reason=self.denied_reason,
        )


def signed_by_jira(headers):
    """Whether an answer (``headers`` with lower-cased names) carries a header Jira itself sends."""
    return any(headers.get(name) for name in JIRA_HEADERS)


def split_reasons(value):
    """X-Seraph-LoginReason may hold several comma-separated values, e.g. 'OUT, OK'."""
    if not value:
        return []
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def parse_denied_reason(value):
    """'CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp' -> ('CAPTCHA_CHALLENGE', url)."""
    if not value:
        return None, None
    parts = [part.strip() for part in value.split(";")]
    login_url = None
    for part in parts[1:]:
        name, sep, rest = part.partition("=")
        if sep and name.strip().lower() == "login-url":
            login_url = rest.strip() or None
    return parts[0] or None, login_url


def read_login(status, headers, body_text, credentials_sent):
    """Classify one response. ``headers`` has lower-cased names; ``body_text`` may be cut short."""
    reasons = split_reasons(headers.get("x-seraph-loginreason"))
    user = headers.get("x-ausername")
    denied_reason, login_url = parse_denied_reason(headers.get("x-authentication-denied-reason"))
    body = (body_text or "").lower()

    # Cloud's edge (the site and Atlassian's gateway alike) adds a UUID Atl-Request-Id; its X-Arequestid has been seen
    # as a UUID and as 32 hex digits.
    cloud = "x-aaccountid" in headers or any(_UUID.match(headers.get(name) or "")
                                             for name in ("x-arequestid", "atl-request-id"))

    def login(state, hint=None):
        return Login(state, reasons, user, denied_reason, login_url, hint, cloud or _is_cloud_text(body),
                     signed_by_jira(headers))

    if "AUTHENTICATION_DENIED" in reasons or (denied_reason or "").upper().startswith("CAPTCHA"):
        return login(CAPTCHA)
    if not credentials_sent:
        return login(ANONYMOUS)
    if status == 403 and _BASIC_DISABLED_TEXT in body:
        return login(BASIC_AUTH_DISABLED)
    if status == 401 and _SCOPE_TEXT in body:
        return login(INSUFFICIENT_SCOPE)
    if status == 401 and _expired_bearer(headers.get("www-authenticate")):
        return login(TOKEN_EXPIRED)
    if "AUTHENTICATED_FAILED" in reasons:
        return login(WRONG_CREDENTIALS, _wrong_credentials_hint(body))
    if "AUTHORISATION_FAILED" in reasons:
        return login(NOT_AUTHORISED)
    return login(*_judge_sent_credentials(status, body, user, reasons, headers.get("x-aaccountid")))


def _judge_sent_credentials(status, body, user, reasons, account_id):
    """(state, hint) for a response to a request that carried credentials."""
    if status == 401:
        return WRONG_CREDENTIALS, _wrong_credentials_hint(body)
    if status == 403 and _CONNECT_TOKEN_TEXT in body:
        return WRONG_CREDENTIALS, _wrong_credentials_hint(body)
    if user == "anonymous":
        # The silent-anonymous trap: credentials were sent, but the request ran as nobody.
        return WRONG_CREDENTIALS, "Jira served the request as the anonymous user, so the credentials were not accepted."
    if (user and "OK" in reasons) or account_id:
        # Jira's own proof: Seraph's OK naming the user (Server/Data Center), or the account id Cloud adds only to
        # requests it authenticated.
        return OK, None
    # A 200 from an SSO page, a 502 from a load balancer, a proxy that strips Jira's headers: none of them
    # says what Jira made of the credentials, so they are neither trusted nor rejected.
    return UNKNOWN, None


def proved_by_myself(login, status, me):
    """The login of a /myself answer: proven (OK) when Jira signed it (see signed_by_jira) and it is a 2xx JSON user
    object naming the user (``name`` on Server/Data Center, ``accountId`` on Cloud), even without Seraph's OK; otherwise
    ``login`` unchanged. Another JSON service at the URL can answer {"name": ...} too."""
    if login.state not in (OK, UNKNOWN) or not login.signed or not 200 <= status < 300 or not isinstance(me, dict):
        return login
    if not (me.get("name") or me.get("accountId")):
        return login
    return Login(OK, login.reasons, me.get("name") or me.get("accountId"), login.denied_reason, login.login_url,
                 cloud=login.cloud, signed=True)


def _expired_bearer(challenge):
    """Whether WWW-Authenticate holds RFC 6750's invalid_token for a token past its end (Jira's own OAuth challenge may
    come first: several challenges arrive joined by commas)."""
    challenge = (challenge or "").lower()
    return "bearer" in challenge and "invalid_token" in challenge and "expired" in challenge


def _is_cloud_text(body):
    return _CLOUD_PASSWORD_TEXT in body or _CONNECT_TOKEN_TEXT in body or _CLOUD_UNAUTHENTICATED_TEXT in body


def _wrong_credentials_hint(body):
    if _CLOUD_PASSWORD_TEXT in body:
        return "Jira Cloud does not accept account passwords over the REST API; use an API token as the password."
    if _CONNECT_TOKEN_TEXT in body:
        return ("Jira Cloud does not take an API token as Bearer at the site URL; use username (the account e-mail) "
                "and password (the API token) for Basic auth. A service account's token is taken as Bearer through "
                "Atlassian's gateway only: set api_route: gateway.")
    return None


class LoginRecord:
    """What one task learnt about its credentials, for the retry rule and the circuit breaker.

    A rejection is kept over anything later; a proof is Jira's own (``Login.proven``); ``unknown_reached`` is set when
    the credentials may have reached Jira and the answer carried no verdict (a timeout or reset after sending, a 5xx or
    any page that is not Jira's)."""

    def __init__(self, proven=False):
        self.proven = proven
        self.rejection = None
        self.unknown_reached = False

    def note(self, login, speaks_jira=True):
        """Take one answer's login; ``speaks_jira``: the answer had the form of Jira's API (see answers.speaks_jira)."""
        if login.rejected:
            self.rejection = self.rejection or login.state
        elif login.proven:
            self.proven = True
        elif login.state == UNKNOWN and not speaks_jira:
            # An error page or a non-Jira page after the credentials were sent: they may have reached Jira (an SSO
            # front that logs in for Jira, a Jira that failed after Seraph counted the login) with no verdict.
            self.unknown_reached = True

    @property
    def outcome(self):
        """A rejected state, OK (proven), UNKNOWN (maybe reached Jira, no verdict), or None (nothing learnt)."""
        if self.rejection:
            return self.rejection
        if self.proven:
            return OK
        return UNKNOWN if self.unknown_reached else None


def needed_scope(method, url):
    """The classic Cloud scope a call needs: users are read:jira-user, other reads (mypermissions too) read:jira-work,
    writes write:jira-work (the Cloud platform OpenAPI document's scopes)."""
    if method in ("GET", "HEAD", "OPTIONS"):
        path = url.split("?", 1)[0]
        return "read:jira-user" if re.search(r"/(myself|user)(/|$)", path) else "read:jira-work"
    return "write:jira-work"


def login_message(login, method, url, credentials=None):
    """The human message for a login that failed; ``credentials`` (the task's) add a hint when they explain it."""
    where = "%s %s" % (method, url)
    messages = {
        CAPTCHA: "Jira refused the login without checking the password: CAPTCHA is triggered for this account after "
                 "too many failed logins (%s). Log in once in a browser at %s and solve the CAPTCHA, or ask a Jira "
                 "administrator to reset the failed login count. Do not retry with the same credentials."
                 % (where, login.login_url or "Jira's login page"),
        WRONG_CREDENTIALS: "Jira did not accept the credentials (%s). Check username and password/token: each failed "
                           "login brings a CAPTCHA lock closer (3 in a row by default)." % where,
        BASIC_AUTH_DISABLED: "Basic authentication is disabled on this Jira (%s). Use a personal access token (token) "
                             "or OAuth 2.0 client credentials (client_id and client_secret, from an incoming "
                             "application link) instead, or ask an administrator to allow Basic for this account."
                             % where,
        INSUFFICIENT_SCOPE: "Jira accepted the token, but it lacks the scope %s needs (%s: \"scope does not match\"). "
                            "Create a token with that scope (scopes cannot be added to a token), or use a token that "
                            "has it; this is not a wrong password, so nothing was locked." % (
                                needed_scope(method, url), where),
        TOKEN_EXPIRED: "Jira says the OAuth 2.0 access token has expired (%s), though it was renewed ahead of its end: "
                       "check the clock where the task runs, and whether the client was revoked." % where,
        GATEWAY_REQUIRED: "The site URL refused these credentials (%s), and Atlassian's gateway accepts them: a scoped "
                          "API token or a service account's token works only there. Set api_route: gateway (or "
                          "cloud_id) with this url." % where,
        ANONYMOUS: "Jira served %s to the anonymous user." % where,
        UNREACHABLE: "Jira could not be reached (%s)." % where,
    }
    if login.cloud:
        # Jira Cloud has no CAPTCHA lock for API logins: say what Cloud takes instead.
        messages[WRONG_CREDENTIALS] = (
            "Jira Cloud did not accept the credentials (%s). Check username (the account's e-mail) and password (an "
            "API token, not the account's password)." % where)
        if "/ex/jira/" not in url:
            messages[WRONG_CREDENTIALS] += (
                " A token created with scopes works only through Atlassian's gateway: then set api_route: gateway "
                "(jira_auth_check tells which).")
    hints = [login.hint]
    if login.state == WRONG_CREDENTIALS and getattr(credentials, "pat_as_password", False):
        hints.append("The password has the form of a Data Center personal access token: give it as token (it is sent "
                     "as Bearer), not as password.")
    message = messages.get(login.state, "Jira answered %s with login state %s." % (where, login.state))
    return " ".join([message] + [hint for hint in hints if hint])

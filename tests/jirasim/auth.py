"""Who a request runs as, following Seraph (Server/DC) and Jira Cloud as jira-protocol.md describes."""

import base64
import binascii
import time

from jirasim import responses, seed

OK = "OK"
FAILED = "AUTHENTICATED_FAILED"
DENIED = "AUTHENTICATION_DENIED"


class AuthResult:
    """The outcome of authentication: the user (None = anonymous), the Seraph reason, or an early answer.

    ``credential`` is the kind of credential that was recognised (for the log), ``scopes`` its scopes (None = all).
    """

    __slots__ = ("kind", "user", "reason", "deny", "attempted", "credential", "scopes")

    def __init__(self, kind=None, user=None, reason=None, deny=None, attempted=None, **extra):
        self.kind = kind
        self.user = user
        self.reason = reason
        self.deny = deny
        self.attempted = attempted
        self.credential = extra.get("credential")
        self.scopes = extra.get("scopes")


def request_auth_kind(authorization, has_cookie):
    """The kind of credentials a request carries, before checking them."""
    if authorization:
        scheme = authorization.split(" ", 1)[0].lower()
        return scheme if scheme in ("basic", "bearer") else None
    return "cookie" if has_cookie else None


def decode_basic(credentials):
    """Split a Basic credential into (user, password); UTF-8 with a latin-1 fallback; None when malformed."""
    try:
        raw = base64.b64decode(credentials.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    name, colon, password = text.partition(":")
    return (name, password) if colon else None


def basic_user(authorization):
    """The user name of a Basic header, or None (used to match faults)."""
    if authorization and authorization[:6].lower() == "basic ":
        pair = decode_basic(authorization[6:])
        return pair[0] if pair else None
    return None


same_secret = seed.same_secret


def _valid(credential):
    return credential is not None and not credential.expired()


def captcha_denial(base_url):
    """403 for a CAPTCHA-locked user, whatever the password."""
    response = responses.captcha_page()
    response.headers.append(("X-Authentication-Denied-Reason", "CAPTCHA_CHALLENGE; login-url=%s/login.jsp" % base_url))
    return AuthResult("basic", None, DENIED, response)


def check_password(state, name, password, base_url, kind="basic"):
    """Seraph's login: CAPTCHA lock first (no password check), then the password; counts failures."""
    logins = state.logins
    if name in logins.locked:
        result = captcha_denial(base_url)
        result.kind = kind
        return result
    user = state.users.get(name)
    if user is not None and _valid(user.matching(("password",), password)):
        logins.success(name)
        state.stats.logins_ok += 1
        return AuthResult(kind, user, OK, credential="password")
    logins.failure(name, state.config.captcha_after)
    return AuthResult(kind, None, FAILED, responses.unauthorized_page(), attempted=name)


def _server_basic(state, credentials, base_url):
    pair = decode_basic(credentials)
    config = state.config
    if config.basic_auth_disabled and (pair is None or pair[0] not in config.basic_auth_allow):
        deny = responses.json_response(403, {"message": "Basic Authentication has been disabled on this instance."})
        return AuthResult("basic", None, None, deny)
    if pair is None:
        return AuthResult("basic", None, FAILED, responses.unauthorized_page())
    return check_password(state, pair[0], pair[1], base_url)


def _expired_access_token(base_url):
    """Data Center's answer to an expired OAuth 2.0 access token: RFC 6750 section 3's challenge, Seraph's verdict."""
    page = responses.unauthorized_page()
    page.headers.append(("WWW-Authenticate", 'Bearer realm="%s", error="invalid_token", '
                                             'error_description="The access token expired"' % base_url))
    return AuthResult("bearer", None, FAILED, page, credential="oauth_access_token")


def _server_bearer(state, token, base_url):
    """A PAT or an OAuth 2.0 access token. An expired PAT is answered like a wrong one (and PATs never lock)."""
    for user in state.users.values():
        credential = user.matching(("pat",), token)
        if credential is not None and not credential.expired():
            credential.last_accessed = time.time()
            state.stats.logins_ok += 1
            return AuthResult("bearer", user, OK, credential="pat")
        if credential is not None:
            return AuthResult("bearer", None, FAILED, responses.unauthorized_page(), credential="pat")
    access = state.access_tokens.get(token)
    if access is not None and access.origin == "site" and access.user in state.users:
        if access.expired():
            return _expired_access_token(base_url)
        state.stats.logins_ok += 1
        return AuthResult("bearer", state.users[access.user], OK, credential="oauth_access_token")
    return AuthResult("bearer", None, FAILED, responses.unauthorized_page())


def _cloud_basic(state, credentials):
    """The site URL takes classic API tokens only; a scoped, service-account or expired token is a wrong token."""
    pair = decode_basic(credentials)
    user = state.user_by_email(pair[0]) if pair else None
    credential = user.matching(("api_token",), pair[1]) if user is not None else None
    if _valid(credential):
        state.stats.logins_ok += 1
        return AuthResult("basic", user, OK, credential="api_token")
    if user is not None and _valid(user.matching(("password",), pair[1])):
        deny = responses.text_response(401, responses.CLOUD_PASSWORD_DEPRECATED)
        return AuthResult("basic", None, FAILED, deny, attempted=user.name, credential="password")
    # Cloud serves a wrong e-mail/token as anonymous, flagged only by the Seraph header.
    return AuthResult("basic", None, FAILED, attempted=pair[0] if pair else None)


def _cloud_bearer():
    deny = responses.json_response(403, {"error": "Failed to parse Connect Session Auth Token"})
    return AuthResult("bearer", None, None, deny)


def authenticate(state, authorization, session, base_url):
    """Decide who the request runs as. The Authorization header, when present, is authoritative."""
    if authorization:
        scheme, _sep, credentials = authorization.partition(" ")
        scheme = scheme.lower()
        cloud = state.config.cloud
        if scheme == "basic":
            return _cloud_basic(state, credentials) if cloud else _server_basic(state, credentials, base_url)
        if scheme == "bearer":
            return _cloud_bearer() if cloud else _server_bearer(state, credentials.strip(), base_url)
        return AuthResult()  # Jira ignores schemes it does not know: the request is anonymous.
    if session is not None and session.user is not None:
        user = state.users.get(session.user)
        if user is not None:
            return AuthResult("cookie", user)
    return AuthResult()


# The gateway (api.atlassian.com) answers for itself, in its own JSON shape, before Jira sees the request.
GATEWAY_UNAUTHORIZED = {"code": 401, "message": "Unauthorized"}
SCOPE_MISMATCH = {"code": 401, "message": "Unauthorized; scope does not match"}
GATEWAY_TOKENS = ("api_token", "scoped_token", "service_account_token")


def _gateway_denied(kind, attempted=None, credential=None):
    deny = responses.json_response(401, GATEWAY_UNAUTHORIZED)
    return AuthResult(kind, None, FAILED, deny, attempted=attempted, credential=credential)


def _gateway_basic(state, credentials):
    pair = decode_basic(credentials)
    user = state.user_by_email(pair[0]) if pair else None
    credential = user.matching(GATEWAY_TOKENS, pair[1]) if user is not None else None
    if not _valid(credential):
        return _gateway_denied("basic", pair[0] if pair else None, credential.kind if credential else None)
    state.stats.logins_ok += 1
    return AuthResult("basic", user, OK, credential=credential.kind, scopes=credential.scopes)


def _gateway_bearer(state, token):
    """An OAuth 2.0 access token issued by /oauth/token, or a service account's API token."""
    access = state.access_tokens.get(token)
    if access is not None and access.origin == "gateway" and access.user in state.users:
        if access.expired():
            return _gateway_denied("bearer", credential="oauth_access_token")
        state.stats.logins_ok += 1
        return AuthResult("bearer", state.users[access.user], OK, credential="oauth_access_token", scopes=access.scopes)
    for user in state.users.values():
        credential = user.matching(("service_account_token",), token)
        if _valid(credential):
            state.stats.logins_ok += 1
            return AuthResult("bearer", user, OK, credential=credential.kind, scopes=credential.scopes)
    return _gateway_denied("bearer")


def authenticate_gateway(state, authorization):
    """Who a request to the gateway runs as; the gateway takes no cookies and serves nobody anonymously."""
    scheme, _sep, credentials = (authorization or "").partition(" ")
    scheme = scheme.lower()
    if scheme == "basic":
        return _gateway_basic(state, credentials)
    if scheme == "bearer":
        return _gateway_bearer(state, credentials.strip())
    return _gateway_denied(scheme or None)


def scope_denial(result):
    """The gateway's 401 for a valid credential that lacks the scope a call needs; not a failed login."""
    result.deny = responses.json_response(401, SCOPE_MISMATCH)
    return result

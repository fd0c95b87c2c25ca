"""Who a request runs as, following Seraph (Server/DC) and Jira Cloud as jira-protocol.md describes."""

import base64
import binascii
import hmac

from jirasim import responses

OK = "OK"
FAILED = "AUTHENTICATED_FAILED"
DENIED = "AUTHENTICATION_DENIED"


class AuthResult:
    """The outcome of authentication: the user (None = anonymous), the Seraph reason, or an early answer."""

    __slots__ = ("kind", "user", "reason", "deny", "attempted")

    def __init__(self, kind=None, user=None, reason=None, deny=None, attempted=None):
        self.kind = kind
        self.user = user
        self.reason = reason
        self.deny = deny
        self.attempted = attempted


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


def same_secret(given, expected):
    """Constant-time comparison of two secrets (None never matches)."""
    if expected is None or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


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
    if user is not None and same_secret(password, user.password):
        logins.success(name)
        state.stats.logins_ok += 1
        return AuthResult(kind, user, OK)
    logins.failure(name, state.config.captcha_after)
    return AuthResult(kind, None, FAILED, responses.unauthorized_page(), attempted=name)


def _server_basic(state, credentials, base_url):
    pair = decode_basic(credentials)
    if state.config.basic_auth_disabled:
        deny = responses.json_response(403, {"message": "Basic Authentication has been disabled on this instance."})
        return AuthResult("basic", None, None, deny)
    if pair is None:
        return AuthResult("basic", None, FAILED, responses.unauthorized_page())
    return check_password(state, pair[0], pair[1], base_url)


def _server_bearer(state, token):
    for user in state.users.values():
        if same_secret(token, user.pat):
            state.stats.logins_ok += 1
            return AuthResult("bearer", user, OK)
    return AuthResult("bearer", None, FAILED, responses.unauthorized_page())


def _cloud_basic(state, credentials):
    pair = decode_basic(credentials)
    user = state.user_by_email(pair[0]) if pair else None
    if user is not None and same_secret(pair[1], user.cloud_token):
        state.stats.logins_ok += 1
        return AuthResult("basic", user, OK)
    if user is not None and same_secret(pair[1], user.password):
        deny = responses.text_response(401, responses.CLOUD_PASSWORD_DEPRECATED)
        return AuthResult("basic", None, FAILED, deny, attempted=user.name)
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
            return _cloud_bearer() if cloud else _server_bearer(state, credentials.strip())
        return AuthResult()  # Jira ignores schemes it does not know: the request is anonymous.
    if session is not None and session.user is not None:
        user = state.users.get(session.user)
        if user is not None:
            return AuthResult("cookie", user)
    return AuthResult()

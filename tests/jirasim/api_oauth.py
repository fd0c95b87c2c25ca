"""OAuth 2.0 client credentials (RFC 6749 section 4.4): the token endpoints of Data Center and Atlassian's auth server.

- Data Center 10 (incoming application links): ``POST /rest/oauth2/latest/token`` on the site, a form-encoded body
  (``client_secret_post``) or ``Authorization: Basic`` (``client_secret_basic``, RFC 6749 section 2.3.1); errors as
  RFC 6749 section 5.2 (``invalid_client`` is a 401).
- Cloud: ``POST https://auth.atlassian.com/oauth/token`` (in jirasim: on the gateway origin), a JSON body with
  ``audience: api.atlassian.com`` (developer.atlassian.com, service account OAuth 2.0); a wrong client gets auth0's
  401 ``access_denied``/``Unauthorized`` (unsourced for Atlassian: the answer of auth0, on which the server runs).

Neither endpoint is a Jira login: nothing here counts toward the CAPTCHA, and the access token it issues is kept
in memory (``State.access_tokens``) with the lifetime of the ``oauth_token_lifetime`` setting.
"""

import json
import urllib.parse

from jirasim import auth
from jirasim.responses import json_response

GRANT = "client_credentials"
AUDIENCE = "api.atlassian.com"


class _OAuthError(Exception):
    def __init__(self, status, error, description=None):
        super().__init__(error)
        self.body = {"error": error}
        if description:
            self.body["error_description"] = description
        self.status = status


def _params(req, allow_json):
    """The token request's parameters (form, or JSON where allowed), with a client_secret_basic header merged in."""
    kind = (req.headers.get("content-type") or "").split(";")[0].strip().lower()
    text = req.body.decode("utf-8", "replace")
    if kind == "application/json" and allow_json:
        try:
            data = json.loads(text or "{}")
        except ValueError:
            raise _OAuthError(400, "invalid_request", "The body is not JSON.") from None
        params = {key: value for key, value in data.items() if isinstance(value, str)} if isinstance(data, dict) else {}
    elif kind == "application/x-www-form-urlencoded":
        params = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
    else:
        raise _OAuthError(400, "invalid_request", "Unsupported content type.")
    authorization = req.headers.get("authorization") or ""
    pair = auth.decode_basic(authorization[6:]) if authorization[:6].lower() == "basic " else None
    if pair is not None:
        params["client_id"], params["client_secret"] = (urllib.parse.unquote_plus(part) for part in pair)
    return params


def _client(state, params, wrong):
    """(user, credential) of the client, or _OAuthError ``wrong`` (status, error, description)."""
    if params.get("grant_type") != GRANT:
        raise _OAuthError(400, "unsupported_grant_type" if params.get("grant_type") else "invalid_request")
    if not params.get("client_id") or not params.get("client_secret"):
        raise _OAuthError(400, "invalid_request", "client_id and client_secret are required.")
    user, credential = state.find_client(params["client_id"])
    if credential is None or credential.expired() or not auth.same_secret(params["client_secret"], credential.secret):
        raise _OAuthError(*wrong)
    return user, credential


def server_token(ctx):
    """POST /rest/oauth2/latest/token (Data Center): 200 {access_token, token_type: bearer, expires_in}."""
    state = ctx.state
    try:
        user, credential = _client(state, _params(ctx.req, allow_json=False), (401, "invalid_client"))
    except _OAuthError as error:
        return json_response(error.status, error.body)
    ctx.auth.credential = "oauth_client"
    token = state.issue_access_token(user, credential.scopes, "site")
    return json_response(200, {"access_token": token, "token_type": "bearer",
                               "expires_in": state.config.oauth_token_lifetime})


def cloud_token(state, req):
    """POST /oauth/token (Atlassian's auth server): 200 {access_token, token_type: Bearer, expires_in, scope}."""
    try:
        params = _params(req, allow_json=True)
        if params.get("audience", AUDIENCE) != AUDIENCE:
            raise _OAuthError(403, "access_denied", "Service not found: %s" % params["audience"])
        user, credential = _client(state, params, (401, "access_denied", "Unauthorized"))
    except _OAuthError as error:
        return json_response(error.status, error.body)
    token = state.issue_access_token(user, credential.scopes, "gateway")
    # RFC 6749 section 5.1: a token answer is never cached (Data Center's gets Jira's no-store with the common headers).
    return json_response(200, {"access_token": token, "token_type": "Bearer",
                               "expires_in": state.config.oauth_token_lifetime,
                               "scope": " ".join(credential.scopes or ())},
                         [("Cache-Control", "no-store"), ("Pragma", "no-cache")])

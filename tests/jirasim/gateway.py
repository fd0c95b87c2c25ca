"""The cloud flavor's second origin: Atlassian's API gateway (api.atlassian.com) and its auth server.

- ``/ex/jira/{cloudId}/rest/...``: the site's Jira, same handlers and data; the gateway authenticates first, in its
  own JSON shape (``{"code": 401, "message": ..}``), and refuses a call the credential has no scope for
  (``scopes.py``; raycast/extensions#11212 via jira-protocol.md section 7). Scoped and service-account tokens work
  here only; classic API tokens work here too (unsourced: no page says the gateway refuses them).
- ``POST /oauth/token``: Atlassian's auth server (auth.atlassian.com), client credentials (``api_oauth.py``).
- Anything else: 404. Every answer carries ``Atl-Request-Id`` (a UUID); the ones Jira gave also carry Jira's headers.
"""

import secrets
import uuid

from jirasim import api_oauth, auth, routes, scopes, seed
from jirasim.app import App
from jirasim.context import Ctx
from jirasim.responses import empty, json_response
from jirasim.state import Session

PREFIX = "/ex/jira/"


def _not_found(message="Not Found"):
    # unsourced: the gateway's 404 is modelled on its 401 shape.
    return json_response(404, {"code": 404, "message": message})


class GatewayApp(App):
    """The gateway origin, bound to the site's State; ``site_url`` is the site's own base URL (serverInfo)."""

    origin = "gateway"

    def __init__(self, state, site_url):
        super().__init__(state)
        self.site_url = site_url

    def _serve(self, req, base, authorization, sid):
        del sid  # the gateway takes no Jira session cookie
        response, route, ctx = self._dispatch(req, base, authorization)
        response.headers.append(("Atl-Request-Id", str(uuid.uuid4())))
        return response, route, ctx

    def _session_for(self, ctx):
        """No Jira session and no cookie: on 127.0.0.1 a cookie ignores the port, and would log the site in."""
        del ctx
        return Session(secrets.token_hex(16).upper(), "1" + secrets.token_hex(3)[:6]), False

    def _dispatch(self, req, base, authorization):
        if req.path == "/oauth/token":
            return self._token(req, authorization)
        if not req.path.startswith(PREFIX):
            return _not_found(), None, None
        cloud_id, _sep, rest = req.path[len(PREFIX):].partition("/")
        if cloud_id != seed.CLOUD_ID:
            return _not_found("Not Found; no site has the cloudId %s" % cloud_id[:64]), None, None
        inner = req.rebased("/" + rest)
        if not inner.path.startswith("/rest/"):
            return _not_found(), None, None
        return self._jira(inner, base + PREFIX + cloud_id, authorization)

    def _jira(self, req, jira_base, authorization):
        """The site's Jira behind the gateway's authentication and scope check."""
        route, args = routes.match(req.path)
        limited = self._rate_limited()
        if limited is not None:
            limited.headers.append(("X-AREQUESTID", self._request_id()))
            return limited, route, None
        result = auth.authenticate_gateway(self.state, authorization)
        if result.deny is None and scopes.missing(route, req.method, result.scopes):
            auth.scope_denial(result)
        ctx = Ctx(self.state, req, result, jira_base)
        ctx.site_base = self.site_url
        ctx.version = args.pop("v", "2") if args else "2"
        ctx.args = args
        if result.deny is not None:
            return result.deny, route, ctx  # the gateway's own answer: none of Jira's headers
        response = self._route(ctx, route)
        self._common_headers(ctx, response)
        return response, route, ctx

    def _token(self, req, authorization):
        ctx = Ctx(self.state, req, auth.AuthResult(auth.request_auth_kind(authorization, False)), self.site_url)
        if req.method != "POST":
            return empty(405, [("Allow", "POST")]), None, ctx
        response = api_oauth.cloud_token(self.state, req)
        if response.status == 200:
            ctx.auth.credential = "oauth_client"  # the log names what was recognised
        return response, None, ctx

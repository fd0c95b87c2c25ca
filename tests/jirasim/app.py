"""Serving one Jira request: faults, rate limit, authentication, routing, common headers, stats.

Socket-free, so the HTTP layer in server.py only reads requests and writes what this returns.
"""

import math
import time
import traceback
import urllib.parse
import uuid

from jirasim import auth, flavors, responses, routes
from jirasim.context import Ctx
from jirasim.responses import ApiError, Response, json_response

_SECRET_PARAMS = ("pass", "token", "secret")
# Faults whose request Jira serves first: the harm comes after. ``reset`` and ``status`` do so with ``"after": true``.
_AFTER_PROCESSING = ("truncate", "late", "login_redirect")
_BROKEN_JSON = b'{"startAt": 0, "maxResults": 50, "total": 3, "issues": [{"id": "10000", "key": "TEST-1", "fields": {'


class Outcome:
    """What to write: ``response`` (None = nothing), then ``after``: None, "reset" or "truncate"."""

    __slots__ = ("response", "after")

    def __init__(self, response, after=None):
        self.response = response
        self.after = after


def session_cookie(header):
    """The JSESSIONID value of a Cookie header, or None."""
    if not header or "JSESSIONID=" not in header:
        return None
    for part in header.split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == "JSESSIONID":
            return value
    return None


def _safe_query(query):
    """The query string for the log, with anything that looks like a secret masked."""
    if not query:
        return ""
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    masked = [(name, "********" if any(word in name.lower() for word in _SECRET_PARAMS) else value)
              for name, value in pairs]
    return urllib.parse.urlencode(masked)


def fault_response(fault, base, path="/"):
    """The response an armed fault answers with before Jira is reached (None = reset the connection)."""
    spec, action = fault.spec, fault.action
    if action == "reset":
        return None
    if action == "html":
        return responses.html_page(int(spec.get("status", 500)), spec.get("title", "Internal Server Error"),
                                   "jirasim fault: the server encountered an internal error.")
    if action == "invalid_json":
        return Response(200, _BROKEN_JSON, responses.JSON_TYPE)
    if action == "redirect":
        return responses.empty(int(spec.get("status", 302)), [("Location", spec.get("location", base + "/login.jsp"))])
    if action == "sso":
        return _sso_fault(spec, base, path)
    return _status_fault(spec)


SSO_PATH = "/plugins/servlet/samlsso"


def _sso_fault(spec, base, path):
    """An SSO front in front of Jira: every path answers its sign-in page with 200 (``redirect``: a same-origin 302 to
    it first), as SAML/OIDC portals do for a client without their cookie. No Seraph header: Jira never saw it."""
    if spec.get("redirect") and not path.startswith(SSO_PATH):
        return responses.empty(302, [("Location", "%s%s?redirectTo=%s" % (base, SSO_PATH, urllib.parse.quote(path, safe="")))])
    return responses.html_page(200, "Sign in - Example Corp SSO", "Sign in with your corporate account to continue.")


def _after_processing(fault):
    """Whether the fault's request is served by Jira first (the issue is created, the login counted)."""
    return fault.action in _AFTER_PROCESSING or (fault.action in ("reset", "status") and bool(fault.spec.get("after")))


def _rejected_redirect(spec, base, response):
    """Jira's answer to a failed login on a path that sends browsers to the login page: a 302 to /login.jsp that keeps
    Jira's headers (the request id, Seraph's verdict). A login Jira accepted is served as it was."""
    reason = dict((name.lower(), value) for name, value in response.headers).get("x-seraph-loginreason", "")
    if reason not in ("AUTHENTICATED_FAILED", "AUTHENTICATION_DENIED"):
        return response
    kept = [(name, value) for name, value in response.headers if name.lower() not in ("www-authenticate", "content-type")]
    return responses.empty(int(spec.get("status", 302)), kept + [("Location", spec.get("location", base + "/login.jsp"))])


def _status_fault(spec):
    body = spec.get("body")
    if isinstance(body, str):
        content_type = responses.HTML_TYPE if body.lstrip().startswith("<") else responses.TEXT_TYPE
        response = responses.text_response(int(spec.get("status", 503)), body, content_type)
    else:
        default = {"errorMessages": ["jirasim fault: simulated status"], "errors": {}}
        response = json_response(int(spec.get("status", 503)), default if body is None else body)
    if spec.get("content_type"):
        response.content_type = str(spec["content_type"])
    if spec.get("retry_after") is not None:
        response.headers.append(("Retry-After", str(spec["retry_after"])))
    for name, value in (spec.get("headers") or {}).items():
        response.headers.append((str(name), str(value)))
    return response


class App:
    """The Jira side of jirasim, bound to one State."""

    def __init__(self, state):
        self.state = state

    def process(self, req, base):
        """Serve a Jira request; returns an Outcome."""
        state = self.state
        authorization = req.headers.get("authorization")
        sid = session_cookie(req.headers.get("cookie"))
        kind = auth.request_auth_kind(authorization, sid is not None)
        fault = None
        if state.faults:
            with state.lock:
                fault = state.take_fault(req.method, req.path, kind, auth.basic_user(authorization))
        if fault is not None and fault.action == "delay":
            time.sleep(float(fault.spec.get("seconds", 1.0)))
            fault = None
        with state.lock:
            if fault is not None and not _after_processing(fault):
                response = fault_response(fault, base, req.path)
                self._record(req, None, response.status if response else 0, kind, None, fault.action)
                return Outcome(response, "reset" if response is None else None)
            response, route, ctx = self._serve(req, base, authorization, sid)
            response = self._after_served(fault, base, req.path, response)
            self._record(req, route, response.status, kind, ctx, fault.action if fault else None)
        if fault is not None and fault.action == "late":
            # Jira did the work (a login was counted, an issue created), and the answer comes after the client gave up.
            time.sleep(float(fault.spec.get("seconds", 1.0)))
            return Outcome(response)
        return Outcome(response, fault.action if fault else None)

    @staticmethod
    def _after_served(fault, base, path, response):
        """The answer the client gets for a request Jira served: Jira's own, or what a fault made of it."""
        if fault is not None and fault.action == "login_redirect":
            return _rejected_redirect(fault.spec, base, response)
        if fault is not None and fault.action == "status":
            # A proxy that gave up waiting on Jira: Jira did the work, the client gets the proxy's status.
            return fault_response(fault, base, path)
        return response

    def _serve(self, req, base, authorization, sid):
        state = self.state
        route, args = routes.match(req.path)
        limited = self._rate_limited()
        if limited is not None:
            limited.headers.append(("X-AREQUESTID", self._request_id()))
            return limited, route, None
        session = state.sessions.get(sid) if sid else None
        result = auth.authenticate(state, authorization, session, base)
        ctx = Ctx(state, req, result, base)
        ctx.session = session
        ctx.version = args.pop("v", "2") if args else "2"
        ctx.args = args
        response = result.deny if result.deny is not None else self._route(ctx, route)
        self._common_headers(ctx, response)
        return response, route, ctx

    def _route(self, ctx, route):
        if route is None:
            return self._not_found(ctx)
        gone = flavors.unavailable(ctx, route, self._not_found)
        if gone is not None:
            return gone
        method = "GET" if ctx.req.method == "HEAD" else ctx.req.method
        handler = route.handlers.get(method)
        if handler is None:
            return responses.empty(405, [("Allow", ", ".join(sorted(route.handlers)))])
        try:
            return handler(ctx)
        except ApiError as error:
            return error.response
        except Exception:
            # A bug in jirasim must not look like a dropped connection: answer 500 and show the trace.
            traceback.print_exc()
            return responses.error_response(500, ["jirasim internal error"])

    @staticmethod
    def _not_found(ctx):
        if ctx.req.path.startswith("/rest/"):
            # Jersey's answer for a path no resource serves.
            return json_response(404, {"message": "null for uri: %s%s" % (ctx.base, ctx.req.path), "status-code": 404})
        return responses.html_page(404, "Oops, you've found a dead link. - jirasim", "Page not found.")

    def _rate_limited(self):
        bucket = self.state.bucket
        if bucket is None:
            return None
        allowed, wait = bucket.take()
        if allowed:
            return None
        self.state.stats.rate_limited += 1
        response = json_response(429, {"message": "Rate limit exceeded.", "status-code": 429})
        response.headers.extend([("Retry-After", str(max(1, math.ceil(wait))))] + self._rate_headers())
        return response

    def _rate_headers(self):
        bucket = self.state.bucket
        return [("X-RateLimit-Limit", str(bucket.rate)), ("X-RateLimit-Remaining", str(int(bucket.tokens))),
                ("X-RateLimit-Interval-Seconds", "1"), ("X-RateLimit-FillRate", str(bucket.rate))]

    def _request_id(self):
        return str(uuid.uuid4()) if self.state.config.cloud else self.state.next_request_id()

    def _session_for(self, ctx):
        """The session of the response, and whether it is new (then the cookie is set)."""
        if ctx.new_session is not None:
            return ctx.new_session, True
        session, new = ctx.session, ctx.session is None
        if new:
            session = self.state.new_session()
        if ctx.auth.kind in ("basic", "bearer") and ctx.user is not None:
            session.user = ctx.user.name
        return session, new

    def _common_headers(self, ctx, response):
        session, new = self._session_for(ctx)
        headers = [("X-AREQUESTID", self._request_id()), ("X-ASESSIONID", session.short_id)]
        if new:
            headers.append(("Set-Cookie", "JSESSIONID=%s; Path=/; HttpOnly" % session.sid))
        user = ctx.user
        if not ctx.cloud:
            # Jira URL-encodes the name (Java's URLEncoder), so non-ASCII names survive the header.
            headers.append(("X-AUSERNAME", urllib.parse.quote_plus(user.name, safe="*") if user else "anonymous"))
        elif user is not None:
            headers.append(("x-aaccountid", user.account_id))
        if ctx.auth.reason:
            headers.append(("X-Seraph-LoginReason", ctx.auth.reason))
        if response.status in (401, 403):
            headers.append(("WWW-Authenticate", 'OAuth realm="%s"' % urllib.parse.quote(ctx.base, safe="")))
        if self.state.bucket is not None:
            headers.extend(self._rate_headers())
        headers.append(("Cache-Control", "no-cache, no-store, no-transform"))
        headers.append(("X-Content-Type-Options", "nosniff"))
        response.headers[:0] = headers

    def _record(self, req, route, status, kind, ctx, fault_action):
        """Count the request; the log holds no header values, passwords or tokens."""
        stats = self.state.stats
        stats.requests += 1
        stats.by_status[status] += 1
        version = ctx.version if ctx is not None else "2"
        stats.by_route["%s %s" % (req.method, route.name(version) if route else "(unmatched)")] += 1
        if "authorization" in req.headers:
            stats.auth_headers_seen += 1
        if route is not None and 200 <= status < 300 and route.is_write(req.method):
            stats.writes += 1
        user = ctx.user if ctx is not None else None
        stats.log.append({
            "method": req.method, "path": req.path, "query": _safe_query(req.query), "status": status,
            "auth": kind, "user": user.name if user else None,
            "login": ctx.auth.reason if ctx is not None else None, "fault": fault_action,
            # The client's own name for itself: tests use it to see which execution path made a call.
            "agent": req.headers.get("user-agent"),
        })

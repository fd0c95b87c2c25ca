"""Serving one Jira request: faults (faults.py), rate limit, authentication, routing, common headers, stats.

Socket-free, so the HTTP layer in server.py only reads requests and writes what this returns.
"""

import math
import traceback
import urllib.parse
import uuid

from jirasim import auth, flavors, responses, routes
from jirasim.context import Ctx
from jirasim.responses import ApiError, json_response

_SECRET_PARAMS = ("pass", "token", "secret")


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


class App:
    """The Jira side of jirasim, bound to one State; serves the site origin (gateway.py serves the gateway's)."""

    origin = "site"

    def __init__(self, state):
        self.state = state

    def process(self, req, base):
        """Serve a Jira request; returns an Outcome. An armed fault (faults.py) acts where its hooks say."""
        state = self.state
        authorization = req.headers.get("authorization")
        sid = session_cookie(req.headers.get("cookie"))
        kind = auth.request_auth_kind(authorization, sid is not None)
        fault = self._arriving_fault(req, kind, authorization)
        with state.lock:
            if fault is not None and not fault.serves_first:
                response = fault.instead(base, req.path)
                self._record(req, None, response.status if response else 0, kind, None, fault.action)
                return Outcome(response, "reset" if response is None else None)
            response, route, ctx = self._serve(req, base, authorization, sid)
            if fault is not None:
                response = fault.served(base, req.path, response)
            self._record(req, route, response.status, kind, ctx, fault.action if fault else None)
        return Outcome(response, fault.leave() if fault is not None else None)

    def _arriving_fault(self, req, kind, authorization):
        """The armed fault that acts on this request, once it arrived (a ``delay`` has waited and is done)."""
        if not self.state.faults:
            return None
        with self.state.lock:
            fault = self.state.take_fault(req.method, req.path, kind, auth.basic_user(authorization))
        return fault.arrive() if fault is not None else None

    def _serve(self, req, base, authorization, sid):
        state = self.state
        route, args = routes.match(req.path)
        limited = self._rate_limited()
        if limited is not None:
            limited.headers.append(("X-AREQUESTID", self._request_id()))
            return limited, route, None
        session = state.sessions.get(sid) if sid else None
        if route is not None and route.own_auth:
            result = auth.AuthResult()  # an OAuth 2.0 token request: the handler checks the client itself
        else:
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
        """Count the request; the log holds no header values, passwords or tokens (``credential`` is a kind)."""
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
            "auth": kind, "user": user.name if user else None, "origin": self.origin,
            "credential": ctx.auth.credential if ctx is not None else None,
            "login": ctx.auth.reason if ctx is not None else None, "fault": fault_action,
            # The client's own name for itself: tests use it to see which execution path made a call.
            "agent": req.headers.get("user-agent"),
        })

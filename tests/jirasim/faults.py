"""Injected faults: one class per action, each saying when it acts on a request and what the client gets.

A fault is armed with ``POST /_jirasim/faults`` (``{"match", "action", "count", ..}``), kept in ``State.faults``
and consumed by ``State.take_fault``. ``App.process`` asks the fault at three points of a request:

1. ``arrive()``, before anything else and outside the lock: it may wait (``delay``) and returns the fault that still
   acts on the request, or None when it is done;
2. when the fault does not let Jira serve first (``serves_first`` False): ``instead(base, path)``, the answer a proxy
   in front of Jira gives (None = reset the connection); otherwise Jira serves the request, then
   ``served(base, path, response)`` turns Jira's answer into the one the client gets;
3. ``leave()``, after the answer is made and outside the lock: it may wait (``late``) and returns how the answer is
   written: None (as it is), "reset" or "truncate".

To add a fault: write a subclass of ``Fault`` here, decorated with ``@action("name")``, with its ``check`` of the
spec (raise ValueError with the message for the 400) and the hooks above that it changes. Nothing else changes.
"""

import time
import urllib.parse

from jirasim import responses
from jirasim.responses import Response, json_response

SSO_PATH = "/plugins/servlet/samlsso"
_BROKEN_JSON = b'{"startAt": 0, "maxResults": 50, "total": 3, "issues": [{"id": "10000", "key": "TEST-1", "fields": {'
_REJECTED_LOGINS = ("AUTHENTICATED_FAILED", "AUTHENTICATION_DENIED")

# action name -> Fault subclass, in the order the control API lists them.
ACTIONS = {}


def action(name):
    """Register a Fault subclass under its action name."""
    def register(cls):
        cls.action = name
        ACTIONS[name] = cls
        return cls
    return register


def from_spec(spec, ids):
    """The fault a control request arms, with the next id of ``ids``; ValueError (a 400) for a bad spec."""
    name = spec.get("action")
    cls = ACTIONS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValueError("action must be one of %s" % ", ".join(ACTIONS))
    if not isinstance(spec.get("match", {}), dict):
        raise ValueError("match must be an object")
    cls.check(spec)
    return cls(next(ids), spec)


class Fault:
    """An injected failure for the next ``count`` matching requests (0 = unlimited).

    The defaults are a fault that lets Jira serve the request and changes nothing; each action overrides what it does.
    """

    action = None
    serves_first = True

    def __init__(self, fid, spec):
        self.id = fid
        self.spec = spec
        self.match = spec.get("match") or {}
        self.remaining = int(spec.get("count", 1))
        self.unlimited = self.remaining == 0
        self.fired = 0

    @classmethod
    def check(cls, spec):
        """Refuse a spec this action cannot work with (ValueError); the default takes any."""

    def matches(self, method, path, auth_kind, basic_user):
        """True when the request fits every given match key."""
        want = self.match
        if want.get("method") and want["method"].upper() != method:
            return False
        if want.get("path") and not path.startswith(want["path"]):
            return False
        if "auth" in want and (want["auth"] or "none") != (auth_kind or "none"):
            return False
        return not want.get("user") or want["user"] == basic_user

    def fire(self):
        """Count one use; True when the fault is used up (then it is disarmed)."""
        self.fired += 1
        if self.unlimited:
            return False
        self.remaining -= 1
        return self.remaining <= 0

    def arrive(self):
        """The fault that acts on the request once it arrived (None: the fault is done with it)."""
        return self

    def instead(self, base, path):
        """The answer instead of Jira's (None = reset the connection); only for ``serves_first`` False."""
        raise NotImplementedError(self.action)

    def served(self, base, path, response):
        """The answer the client gets for a request Jira served and answered with ``response``."""
        del base, path
        return response

    def leave(self):
        """How the answer is written: None (as it is), "reset" or "truncate"."""
        return None

    def as_dict(self):
        """A JSON-ready description."""
        data = dict(self.spec)
        data.update({"id": self.id, "fired": self.fired, "remaining": None if self.unlimited else self.remaining})
        return data


def _seconds(spec):
    return float(spec.get("seconds", 1.0))


@action("delay")
class Delay(Fault):
    """Waits ``seconds``, then Jira serves the request as usual (the log shows no fault)."""

    def arrive(self):
        time.sleep(_seconds(self.spec))
        return None


def status_response(spec):
    """The answer of a ``status`` fault: a JSON, HTML or text body, with the given type, Retry-After and headers."""
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


@action("status")
class Status(Fault):
    """A proxy's status instead of Jira's answer; with ``after``, a proxy that gave up waiting on Jira: Jira did the
    work (the issue is created, the login counted) and the client gets the proxy's status."""

    def __init__(self, fid, spec):
        super().__init__(fid, spec)
        self.serves_first = bool(spec.get("after"))

    def instead(self, base, path):
        return status_response(self.spec)

    def served(self, base, path, response):
        return status_response(self.spec)


@action("reset")
class Reset(Fault):
    """The connection is closed with RST; with ``after``, once Jira processed the request."""

    def __init__(self, fid, spec):
        super().__init__(fid, spec)
        self.serves_first = bool(spec.get("after"))

    def instead(self, base, path):
        return None

    def leave(self):
        return "reset"


@action("truncate")
class Truncate(Fault):
    """Jira's answer with its full Content-Length, half of its body, then the connection closes."""

    def leave(self):
        return "truncate"


@action("html")
class Html(Fault):
    """An HTML error page with a ``<title>``, as a proxy or servlet container shows."""

    serves_first = False

    def instead(self, base, path):
        return responses.html_page(int(self.spec.get("status", 500)), self.spec.get("title", "Internal Server Error"),
                                   "jirasim fault: the server encountered an internal error.")


@action("invalid_json")
class InvalidJson(Fault):
    """200, application/json, a broken body."""

    serves_first = False

    def instead(self, base, path):
        return Response(200, _BROKEN_JSON, responses.JSON_TYPE)


@action("redirect")
class Redirect(Fault):
    """A redirect (302 by default) to ``location`` (the login page by default)."""

    serves_first = False

    def instead(self, base, path):
        location = self.spec.get("location", base + "/login.jsp")
        return responses.empty(int(self.spec.get("status", 302)), [("Location", location)])


@action("late")
class Late(Fault):
    """Jira serves the request (a login is counted, an issue created), then the answer waits ``seconds``: the client's
    timeout fires after Jira did the work."""

    def leave(self):
        time.sleep(_seconds(self.spec))
        return None


@action("sso")
class Sso(Fault):
    """An SSO front in front of Jira: every path answers its sign-in page with 200 (``redirect``: a same-origin 302 to
    it first), as SAML/OIDC portals do for a client without their cookie. No Seraph header: Jira never saw it."""

    serves_first = False

    def instead(self, base, path):
        if self.spec.get("redirect") and not path.startswith(SSO_PATH):
            location = "%s%s?redirectTo=%s" % (base, SSO_PATH, urllib.parse.quote(path, safe=""))
            return responses.empty(302, [("Location", location)])
        return responses.html_page(200, "Sign in - Example Corp SSO",
                                   "Sign in with your corporate account to continue.")


@action("login_redirect")
class LoginRedirect(Fault):
    """Jira's answer to a failed login on a path that sends browsers to the login page: a 302 to /login.jsp that keeps
    Jira's headers (the request id, Seraph's verdict). A login Jira accepted is served as it was."""

    def served(self, base, path, response):
        reason = dict((name.lower(), value) for name, value in response.headers).get("x-seraph-loginreason", "")
        if reason not in _REJECTED_LOGINS:
            return response
        kept = [(name, value) for name, value in response.headers
                if name.lower() not in ("www-authenticate", "content-type")]
        location = self.spec.get("location", base + "/login.jsp")
        return responses.empty(int(self.spec.get("status", 302)), kept + [("Location", location)])

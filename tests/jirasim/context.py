"""The per-request context handed to every endpoint handler."""

import json
import urllib.parse

from jirasim import responses
from jirasim.responses import fail


class Request:
    """A parsed HTTP request; ``headers`` is a dict keyed by lower-case names."""

    __slots__ = ("method", "path", "query", "params", "headers", "body")

    def __init__(self, method, target, headers, body):
        self.method = method
        path, _sep, query = target.partition("?")
        self.path = urllib.parse.unquote(path) if "%" in path else path
        self.query = query
        self.params = urllib.parse.parse_qs(query, keep_blank_values=True) if query else {}
        self.headers = headers
        self.body = body

    def rebased(self, path):
        """The same request at another path (the gateway hands Jira the path after /ex/jira/{cloudId})."""
        inner = Request.__new__(Request)
        for name in self.__slots__:
            setattr(inner, name, getattr(self, name))
        inner.path = path
        return inner


class Ctx:
    """What a handler needs: state, request, caller, base URL, API version and path arguments."""

    def __init__(self, state, req, auth, base):
        self.state = state
        self.req = req
        self.auth = auth
        self.base = base
        self.site_base = base  # the site's own URL, also when the request came through the gateway
        self.cloud = state.config.cloud
        self.version = "2"
        self.args = {}
        self.session = None
        self.new_session = None
        self._json = None

    @property
    def user(self):
        """The user the request runs as, or None (anonymous)."""
        return self.auth.user

    def param(self, name, default=None):
        """The first value of a query parameter."""
        values = self.req.params.get(name)
        return values[0] if values else default

    def int_param(self, name, default):
        """An integer query parameter; Jira answers 400 for a non-number."""
        return to_int(self.param(name), default, name)

    def json(self):
        """The request body as JSON (400 when it is not JSON)."""
        if self._json is None:
            if not self.req.body.strip():
                fail(400, "No content to map to Object due to end of input")
            try:
                self._json = json.loads(self.req.body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as error:
                fail(400, "Unexpected character in the JSON body: %s" % error)
        return self._json

    def json_object(self):
        """The request body, which must be a JSON object."""
        data = self.json()
        if not isinstance(data, dict):
            fail(400, "Can not deserialize instance of object out of %s token" % type(data).__name__)
        return data

    def require_user(self):
        """The caller, or a 401 in the flavor's words when anonymous."""
        if self.auth.user is None:
            if self.cloud:
                raise responses.ApiError(responses.text_response(401, responses.CLOUD_NOT_AUTHENTICATED,
                                                                 responses.HTML_TYPE))
            fail(401, responses.NOT_AUTHENTICATED)
        return self.auth.user

    def visible_issue(self, key):
        """An issue the caller can see, or Jira's 404 (a hidden issue is answered as a missing one)."""
        issue = self.state.find_issue(key)
        if issue is None or not self.state.visible(self.user, issue.project):
            fail(404, responses.ISSUE_NOT_FOUND)
        return issue

    def require_permission(self, issue, permission, action):
        """The caller, who must hold ``permission`` in the issue's project; else 401 (anonymous) or 403."""
        user = self.require_user()
        if not self.state.can(user, permission, issue.project):
            fail(403, "You do not have permission to %s issues in this project." % action)
        return user

    def url(self, path):
        """An absolute URL for a REST path under this request's API version."""
        return "%s/rest/api/%s/%s" % (self.base, self.version, path)


def to_int(value, default, name="value"):
    """Parse an integer parameter (None -> default); 400 like Jira when it is not a number."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        fail(400, "The %s parameter must be a number, got '%s'." % (name, value))
    return default


def page_window(ctx, start_at, max_results, default=50):
    """Clamp startAt/maxResults the way Jira does; maxResults is capped by the server."""
    cap = ctx.state.config.max_results_cap
    start = max(0, to_int(start_at, 0, "startAt"))
    size = to_int(max_results, default, "maxResults")
    if size < 0:
        size = default
    return start, min(size, cap)

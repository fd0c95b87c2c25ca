"""The Jira route table: path templates, handlers per method, and which calls are writes."""

import re

from jirasim import (api_attachments, api_comments, api_core, api_issues, api_links, api_oauth, api_pat, api_projects,
                     api_search, api_transitions, api_users)

# (template, {method: handler}, methods that do not change state although they are POSTs)
_TABLE = [
    ("/rest/api/{v}/serverInfo", {"GET": api_core.server_info}),
    ("/rest/api/{v}/myself", {"GET": api_core.myself}),
    ("/rest/api/{v}/mypermissions", {"GET": api_core.my_permissions}),
    ("/rest/api/{v}/field", {"GET": api_core.fields}),
    ("/rest/api/{v}/issuetype", {"GET": api_core.issue_types}),
    ("/rest/api/{v}/priority", {"GET": api_core.priorities}),
    ("/rest/api/{v}/status", {"GET": api_core.statuses}),
    ("/rest/api/{v}/resolution", {"GET": api_core.resolutions}),
    ("/rest/api/{v}/user", {"GET": api_users.user_get}),
    ("/rest/api/{v}/user/search", {"GET": api_users.user_search}),
    ("/rest/api/{v}/project", {"GET": api_projects.project_list, "POST": api_projects.project_create}),
    ("/rest/api/{v}/project/{key}", {"GET": api_projects.project_get, "PUT": api_projects.project_update,
                                     "DELETE": api_projects.project_delete}),
    ("/rest/api/{v}/project/{key}/versions", {"GET": api_projects.project_versions}),
    ("/rest/api/{v}/project/{key}/version", {"GET": api_projects.project_versions_paged}),
    ("/rest/api/{v}/search", {"GET": api_search.search, "POST": api_search.search}),
    ("/rest/api/{v}/search/jql", {"GET": api_search.search_jql, "POST": api_search.search_jql}),
    ("/rest/api/{v}/search/approximate-count", {"POST": api_search.approximate_count}),
    ("/rest/api/{v}/issue", {"POST": api_issues.create_issue}),
    ("/rest/api/{v}/issue/{key}", {"GET": api_issues.get_issue, "PUT": api_issues.edit_issue,
                                   "DELETE": api_issues.delete_issue}),
    ("/rest/api/{v}/issue/{key}/comment", {"GET": api_comments.comments_list, "POST": api_comments.comment_add}),
    ("/rest/api/{v}/issue/{key}/comment/{cid}", {"GET": api_comments.comment_get, "PUT": api_comments.comment_update,
                                                 "DELETE": api_comments.comment_delete}),
    ("/rest/api/{v}/comment/{cid}/properties", {"GET": api_comments.comment_property_keys}),
    ("/rest/api/{v}/comment/{cid}/properties/{pkey}", {
        "GET": api_comments.comment_property_get, "PUT": api_comments.comment_property_put,
        "DELETE": api_comments.comment_property_delete}),
    ("/rest/api/{v}/issue/{key}/attachments", {"POST": api_attachments.upload}),
    ("/rest/api/{v}/attachment/{aid}", {"GET": api_attachments.get_attachment,
                                        "DELETE": api_attachments.delete_attachment}),
    ("/rest/api/{v}/attachment/content/{aid}", {"GET": api_attachments.content}),
    ("/secure/attachment/{aid}/{filename}", {"GET": api_attachments.content}),
    ("/rest/api/{v}/issueLink", {"POST": api_links.create_link}),
    ("/rest/api/{v}/issueLink/{lid}", {"GET": api_links.get_link, "DELETE": api_links.delete_link}),
    ("/rest/api/{v}/issueLinkType", {"GET": api_links.link_types}),
    ("/rest/api/{v}/issue/{key}/transitions", {"GET": api_transitions.transitions_list,
                                               "POST": api_transitions.transition_do}),
    ("/rest/auth/1/session", {"GET": api_core.session_get, "POST": api_core.session_post,
                              "DELETE": api_core.session_delete}),
    ("/login.jsp", {"GET": api_core.login_page}),
    ("/_edge/tenant_info", {"GET": api_core.tenant_info}),
    ("/rest/pat/latest/tokens", {"GET": api_pat.list_tokens, "POST": api_pat.create_token}),
    ("/rest/pat/latest/tokens/{tid}", {"DELETE": api_pat.delete_token}),
    ("/rest/oauth2/latest/token", {"POST": api_oauth.server_token}),
]
# POSTs that read (search) or log in: they are not counted as writes.
READ_POSTS = {"/rest/api/{v}/search", "/rest/api/{v}/search/jql", "/rest/api/{v}/search/approximate-count",
              "/rest/auth/1/session", "/rest/oauth2/latest/token"}
# Calls that read their own credentials (an OAuth 2.0 client's): Jira's login does not look at them.
OWN_AUTH = {"/rest/oauth2/latest/token"}


def _argument_pattern(found):
    """The regex of one ``{name}`` of a template: the API version, or one path segment."""
    name = found.group(1)
    return "(?P<v>2|3|latest)" if name == "v" else "(?P<%s>[^/]+)" % name


class Route:
    """One path template with its handlers."""

    __slots__ = ("template", "pattern", "handlers", "read_post", "own_auth")

    def __init__(self, template, handlers):
        self.template = template
        regex = re.sub(r"\{(\w+)\}", _argument_pattern, template)
        self.pattern = re.compile("^" + regex + "/?$")
        self.handlers = handlers
        self.read_post = template in READ_POSTS
        self.own_auth = template in OWN_AUTH

    def name(self, version):
        """The template as counted in stats, with the real API version."""
        return self.template.replace("{v}", version or "")

    def is_write(self, method):
        """Successful POST/PUT/DELETE calls that change Jira resources."""
        return method in ("PUT", "DELETE") or (method == "POST" and not self.read_post)


ROUTES = [Route(template, handlers) for template, handlers in _TABLE]
_BY_FIRST_SEGMENT = {}
for _route in ROUTES:
    _BY_FIRST_SEGMENT.setdefault(_route.template.split("/")[1], []).append(_route)


def match(path):
    """(route, path arguments) for a path, or (None, {})."""
    for route in _BY_FIRST_SEGMENT.get(path.split("/", 2)[1] if path.count("/") else "", ()):
        found = route.pattern.match(path)
        if found:
            return route, found.groupdict()
    return None, {}

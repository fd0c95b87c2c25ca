"""Jira's JQL searches: /search (Data Center; removed on Cloud), Cloud's /search/jql and /search/approximate-count.

Which flavor serves which is decided in flavors.py, before these handlers run.
"""

import base64
import json

from jirasim import jql, render
from jirasim.context import page_window
from jirasim.responses import fail, json_response


def _validate_values(ctx, tree, validate):
    for _kind, name, operator, values in jql.clauses(tree):
        if operator not in ("=", "!=", "in", "not in"):
            continue
        for value in values:
            if name == "project":
                project = ctx.state.find_project(value)
                if project is None or not ctx.state.visible(ctx.user, project):
                    fail(400, "The value '%s' does not exist for the field 'project'." % value)
            elif name == "key" and validate and ctx.state.find_issue(value) is None:
                fail(400, "An issue with key '%s' does not exist for field 'key'." % value)


def run_query(ctx, text, validate=True):
    """The issues a query finds for the caller, in order; 400 for bad JQL."""
    try:
        tree, order = jql.parse(text)
    except jql.JqlError as error:
        fail(400, str(error))
    _validate_values(ctx, tree, validate)
    state = ctx.state
    visible = {key: state.visible(ctx.user, project) for key, project in state.projects.items()}
    env = {"users": state.users, "current": ctx.user.name if ctx.user else "\0"}
    found = [each for each in state.issues.values() if visible.get(each.project.key) and jql.matches(tree, each, env)]
    for name, descending in reversed(order):
        found.sort(key=lambda issue, field=name: jql.sort_key(field, issue), reverse=descending)
    return found


def _search_args(ctx):
    if ctx.req.method == "POST":
        body = ctx.json_object()
        wanted = body.get("fields")
        return (body.get("jql"), body.get("startAt"), body.get("maxResults"),
                [wanted] if isinstance(wanted, str) else wanted, body.get("validateQuery", True))
    return (ctx.param("jql"), ctx.param("startAt"), ctx.param("maxResults"), ctx.req.params.get("fields"),
            ctx.param("validateQuery", "true"))


def search(ctx):
    """GET|POST /search: startAt/maxResults/total paging, maxResults capped by the server."""
    text, start_at, max_results, wanted, validate = _search_args(ctx)
    start, size = page_window(ctx, start_at, max_results)
    found = run_query(ctx, text, str(validate).lower() not in ("false", "none", "warn"))
    names = render.wanted_fields(wanted, "*navigable")
    return json_response(200, {"expand": "schema,names", "startAt": start, "maxResults": size, "total": len(found),
                               "issues": [render.issue(ctx, each, names) for each in found[start:start + size]]})


def _page_token(offset, text):
    raw = json.dumps({"o": offset, "q": text or ""}).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _token_offset(token, text):
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["q"] == (text or ""):
            return int(data["o"])
    except (ValueError, KeyError, TypeError):
        pass
    fail(400, "The provided next page token is invalid or expired.")
    return 0


def search_jql(ctx):
    """GET|POST /rest/api/3/search/jql: Cloud's nextPageToken paging; only ids unless fields are asked for."""
    if ctx.req.method == "POST":
        body = ctx.json_object()
        text, token, max_results, wanted = body.get("jql"), body.get("nextPageToken"), body.get("maxResults"), \
            body.get("fields")
        wanted = [wanted] if isinstance(wanted, str) else wanted
    else:
        text, token, max_results = ctx.param("jql"), ctx.param("nextPageToken"), ctx.param("maxResults")
        wanted = ctx.req.params.get("fields")
    start = _token_offset(token, text) if token else 0
    _start, size = page_window(ctx, 0, max_results)
    found = run_query(ctx, text)
    page = found[start:start + size]
    if wanted:
        names = render.wanted_fields(wanted, "*navigable")
        issues = [render.issue(ctx, each, names) for each in page]
    else:
        issues = [{"id": each.id} for each in page]
    data = {"issues": issues, "isLast": start + size >= len(found)}
    if not data["isLast"]:
        data["nextPageToken"] = _page_token(start + size, text)
    return json_response(200, data)


def approximate_count(ctx):
    """POST /search/approximate-count {"jql"} -> {"count": N}: Cloud's only total since search/jql has none."""
    text = ctx.json_object().get("jql")
    if not isinstance(text, str) or not text.strip():
        fail(400, errors={"jql": "The JQL query is required and must be bounded (for example, by project)."})
    return json_response(200, {"count": len(run_query(ctx, text))})

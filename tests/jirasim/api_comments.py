"""Jira endpoints for comments (/issue/{key}/comment) and comment properties (/comment/{id}/properties)."""

import time

from jirasim import render, rich_text
from jirasim.context import page_window
from jirasim.responses import empty, fail, json_response


def comments_list(ctx):
    """GET /issue/{key}/comment: startAt/maxResults/total paging."""
    issue = ctx.visible_issue(ctx.args["key"])
    start, size = page_window(ctx, ctx.param("startAt"), ctx.param("maxResults"))
    page = issue.comments[start:start + size]
    return json_response(200, {"startAt": start, "maxResults": size, "total": len(issue.comments),
                               "comments": [render.comment(ctx, issue, each, _expanded(ctx)) for each in page]})


def _expanded(ctx):
    return "properties" in (ctx.param("expand") or "").split(",")


def comment_text(ctx, value):
    """A comment body to store (a string, or ADF on Cloud v3); ValueError when it is empty or of the wrong shape."""
    body = rich_text.parsed(ctx, value)
    if not (rich_text.to_text(body) or "").strip():
        raise ValueError("Comment body can not be empty!")
    return body


def _comment_body(ctx):
    try:
        return comment_text(ctx, ctx.json_object().get("body"))
    except ValueError as error:
        fail(400, errors={"comment": str(error)})
    return None


def _valid_visibility(visibility):
    """``{"type": "role"|"group", "value"|"identifier": name}``."""
    return (isinstance(visibility, dict) and visibility.get("type") in ("role", "group")
            and isinstance(visibility.get("value") or visibility.get("identifier"), str))


def _comment_extras(ctx, entry):
    """``visibility`` and ``properties`` of a comment create or update, kept as Jira keeps them."""
    body = ctx.json_object()
    if "visibility" in body:
        visibility = body["visibility"]
        if visibility is not None and not _valid_visibility(visibility):
            fail(400, errors={"commentLevel": "You are currently not a member of the project role or group specified."})
        entry["visibility"] = visibility
    for prop in body.get("properties") or []:
        if not isinstance(prop, dict) or not isinstance(prop.get("key"), str) or "value" not in prop:
            fail(400, "Property key and value are required.")
        entry.setdefault("properties", {})[prop["key"]] = prop["value"]


def comment_add(ctx):
    """POST /issue/{key}/comment -> 201 comment; ``visibility`` and ``properties`` are taken along."""
    issue = ctx.visible_issue(ctx.args["key"])
    user = ctx.require_permission(issue, "ADD_COMMENTS", "comment on")
    text = _comment_body(ctx)
    entry = {}
    _comment_extras(ctx, entry)  # checked before the comment exists: a refused create leaves nothing behind
    comment = ctx.state.add_comment(issue, user.name, text)
    comment.update(entry)
    return json_response(201, render.comment(ctx, issue, comment))


def _find_comment(ctx):
    issue = ctx.visible_issue(ctx.args["key"])
    cid = ctx.args["cid"]
    entry = next((each for each in issue.comments if each["id"] == cid), None)
    if entry is None:
        fail(404, "Can not find a comment for the id: %s." % cid)
    return issue, entry


def _may_change_comment(ctx, issue, entry, verb):
    user = ctx.require_user()
    scope = "OWN" if entry["author"] == user.name else "ALL"
    if not ctx.state.can(user, "%s_%s_COMMENTS" % (verb, scope), issue.project):
        fail(403, "You do not have the permission to %s this comment." % verb.lower())
    return user


def comment_get(ctx):
    """GET /issue/{key}/comment/{id}."""
    issue, entry = _find_comment(ctx)
    return json_response(200, render.comment(ctx, issue, entry, _expanded(ctx)))


def comment_update(ctx):
    """PUT /issue/{key}/comment/{id} -> 200 comment."""
    issue, entry = _find_comment(ctx)
    user = _may_change_comment(ctx, issue, entry, "EDIT")
    entry.update({"body": _comment_body(ctx), "updated": time.time(), "update_author": user.name})
    _comment_extras(ctx, entry)
    return json_response(200, render.comment(ctx, issue, entry))


def comment_delete(ctx):
    """DELETE /issue/{key}/comment/{id} -> 204."""
    issue, entry = _find_comment(ctx)
    _may_change_comment(ctx, issue, entry, "DELETE")
    issue.comments.remove(entry)
    return empty(204)


def _comment_by_id(ctx):
    """(issue, comment) for /comment/{cid}/..., the comment's issue visible to the caller; else Jira's 404."""
    cid = ctx.args["cid"]
    for issue in ctx.state.issues.values():
        entry = next((each for each in issue.comments if each["id"] == cid), None)
        if entry is not None and ctx.state.visible(ctx.user, issue.project):
            return issue, entry
    fail(404, "Can not find a comment for the id: %s." % cid)
    return None, None


def comment_property_keys(ctx):
    """GET /comment/{cid}/properties -> {"keys": [{self, key}]}."""
    dummy, entry = _comment_by_id(ctx)
    return json_response(200, {"keys": [{"self": ctx.url("comment/%s/properties/%s" % (entry["id"], key)), "key": key}
                                        for key in sorted(entry.get("properties") or {})]})


def _property_missing(key):
    fail(404, "The property with key '%s' does not exist." % key)


def comment_property_get(ctx):
    """GET /comment/{cid}/properties/{pkey} -> {key, value}, or 404."""
    dummy, entry = _comment_by_id(ctx)
    key = ctx.args["pkey"]
    if key not in (entry.get("properties") or {}):
        _property_missing(key)
    return json_response(200, {"key": key, "value": entry["properties"][key]})


def comment_property_put(ctx):
    """PUT /comment/{cid}/properties/{pkey} (any JSON value) -> 201 when new, 200 when replaced."""
    issue, entry = _comment_by_id(ctx)
    _may_change_comment(ctx, issue, entry, "EDIT")
    properties = entry.setdefault("properties", {})
    existed = ctx.args["pkey"] in properties
    properties[ctx.args["pkey"]] = ctx.json()
    return empty(200 if existed else 201)


def comment_property_delete(ctx):
    """DELETE /comment/{cid}/properties/{pkey} -> 204, or 404."""
    issue, entry = _comment_by_id(ctx)
    _may_change_comment(ctx, issue, entry, "EDIT")
    if ctx.args["pkey"] not in (entry.get("properties") or {}):
        _property_missing(ctx.args["pkey"])
    del entry["properties"][ctx.args["pkey"]]
    return empty(204)

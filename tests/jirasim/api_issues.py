"""Jira endpoints for issues, search, comments and transitions."""

import time

from jirasim import render, rich_text, seed
from jirasim.context import page_window
from jirasim.responses import ISSUE_NOT_FOUND, empty, fail, json_response

_CANNOT_SET = "Field '%s' cannot be set. It is not on the appropriate screen, or unknown."


def visible_issue(ctx, key):
    """An issue the caller can see, or Jira's 404."""
    issue = ctx.state.find_issue(key)
    if issue is None or not ctx.state.visible(ctx.user, issue.project):
        fail(404, ISSUE_NOT_FOUND)
    return issue


def _named(value, choices, error):
    """Resolve {"name": ..} / {"id": ..} / "name" against a seed table."""
    wanted = value if isinstance(value, str) else (value or {}).get("name") or (value or {}).get("id")
    found = next((each["name"] for each in choices if wanted in (each["name"], each["id"])), None)
    if found is None:
        raise ValueError(error)
    return found


def _user_name(ctx, value):
    if value is None:
        return None
    wanted = value.get("accountId") or value.get("name") or value.get("key") if isinstance(value, dict) else value
    if wanted == "-1":
        return None
    user = next((each for each in ctx.state.users.values() if wanted in (each.name, each.key, each.account_id)), None)
    if user is None:
        raise ValueError("User '%s' does not exist." % wanted)
    return user.name


def _labels(value):
    if not isinstance(value, list) or not all(isinstance(each, str) for each in value):
        raise ValueError("The labels must be a list of strings.")
    for label in value:
        if " " in label:
            raise ValueError("The label '%s' contains spaces which is invalid." % label)
    return list(dict.fromkeys(value))


def _summary(value):
    if not isinstance(value, str) or not value.strip():
        raise ValueError("You must specify a summary of the issue.")
    if len(value) > 255:
        raise ValueError("Summary must be less than 255 characters.")
    return value


def _field_parsers(ctx):
    return {
        "summary": _summary,
        "description": lambda value: rich_text.parsed(ctx, value),
        "environment": lambda value: rich_text.parsed(ctx, value),
        "issuetype": lambda value: _named(value, seed.ISSUE_TYPES, "valid issue type is required"),
        "priority": lambda value: _named(value, seed.PRIORITIES, "The priority selected is invalid."),
        "labels": _labels,
        "assignee": lambda value: _user_name(ctx, value),
        "reporter": lambda value: _user_name(ctx, value),
    }


def parse_fields(ctx, fields, errors):
    """Incoming field JSON -> internal values; problems go into ``errors`` keyed by field."""
    parsers = _field_parsers(ctx)
    values = {}
    for name, value in fields.items():
        if name == "project":
            continue
        if name not in parsers:
            errors[name] = _CANNOT_SET % name
            continue
        try:
            values[name] = parsers[name](value)
        except ValueError as error:
            errors[name] = str(error)
    return values


def _create_project(ctx, fields):
    value = fields.get("project")
    wanted = value.get("key") or value.get("id") if isinstance(value, dict) else value
    project = ctx.state.find_project(str(wanted)) if wanted else None
    if project is None or not ctx.state.visible(ctx.user, project):
        errors = {"project": "valid project is required"}
        if "issuetype" not in fields:
            errors["issuetype"] = "issue type is required"
        fail(400, errors=errors)
    return project


def create_issue(ctx):
    """POST /issue -> 201 {id, key, self}."""
    user = ctx.require_user()
    fields = ctx.json_object().get("fields")
    if not isinstance(fields, dict):
        fields = {}
    project = _create_project(ctx, fields)
    if not ctx.state.can(user, "CREATE_ISSUES", project):
        fail(400, errors={"project": "You do not have permission to create issues in this project."})
    errors = {}
    values = parse_fields(ctx, fields, errors)
    if "summary" not in fields:
        errors["summary"] = "You must specify a summary of the issue."
    if "issuetype" not in fields:
        errors["issuetype"] = "issue type is required"
    if errors:
        fail(400, errors=errors)
    values.setdefault("reporter", user.name)
    values["created"] = time.time()
    issue = ctx.state.add_issue(project, values)
    ctx.state.stats.issues_created += 1
    return json_response(201, {"id": issue.id, "key": issue.key, "self": ctx.url("issue/%s" % issue.id)})


def get_issue(ctx):
    """GET /issue/{key}?fields=."""
    issue = visible_issue(ctx, ctx.args["key"])
    wanted = render.wanted_fields(ctx.req.params.get("fields"), "*all")
    return json_response(200, render.issue(ctx, issue, wanted))


def _require(ctx, issue, permission, action):
    user = ctx.require_user()
    if not ctx.state.can(user, permission, issue.project):
        fail(403, "You do not have permission to %s issues in this project." % action)
    return user


def _label_op(labels, verb, value):
    if verb == "add":
        return labels + [value] if value not in labels else list(labels)
    return [each for each in labels if each != value]


def _apply_update_ops(ctx, issue, update, values, errors):
    """The ``update`` verbs: labels add/remove/set, comment add, set for the rest."""
    parsers = _field_parsers(ctx)
    for name, operations in update.items():
        for operation in operations if isinstance(operations, list) else [operations]:
            verb, value = next(iter(operation.items())) if isinstance(operation, dict) and operation else (None, None)
            if name == "comment" and verb == "add":
                try:
                    ctx.state.add_comment(issue, ctx.user.name, _comment_text(ctx, (value or {}).get("body")))
                except ValueError as error:
                    errors["comment"] = str(error)
            elif name == "labels" and verb in ("add", "remove"):
                values["labels"] = _label_op(values.get("labels", issue.labels), verb, value)
            elif name in parsers and verb == "set":
                try:
                    values[name] = parsers[name](value)
                except ValueError as error:
                    errors[name] = str(error)
            else:
                errors[name] = _CANNOT_SET % name


def edit_issue(ctx):
    """PUT /issue/{key}: ``fields`` (set) and ``update`` (verbs) -> 204."""
    issue = visible_issue(ctx, ctx.args["key"])
    _require(ctx, issue, "EDIT_ISSUES", "edit")
    body = ctx.json_object()
    errors = {}
    values = parse_fields(ctx, body.get("fields") or {}, errors)
    if "project" in (body.get("fields") or {}):
        errors["project"] = _CANNOT_SET % "project"
    _apply_update_ops(ctx, issue, body.get("update") or {}, values, errors)
    if errors:
        fail(400, errors=errors)
    for name, value in values.items():
        setattr(issue, name, value)
    issue.updated = time.time()
    return empty(204)


def delete_issue(ctx):
    """DELETE /issue/{key} -> 204."""
    issue = visible_issue(ctx, ctx.args["key"])
    _require(ctx, issue, "DELETE_ISSUES", "delete")
    del ctx.state.issues[issue.key]
    return empty(204)


def comments_list(ctx):
    """GET /issue/{key}/comment: startAt/maxResults/total paging."""
    issue = visible_issue(ctx, ctx.args["key"])
    start, size = page_window(ctx, ctx.param("startAt"), ctx.param("maxResults"))
    page = issue.comments[start:start + size]
    return json_response(200, {"startAt": start, "maxResults": size, "total": len(issue.comments),
                               "comments": [render.comment(ctx, issue, each, _expanded(ctx)) for each in page]})


def _expanded(ctx):
    return "properties" in (ctx.param("expand") or "").split(",")


def _comment_text(ctx, value):
    """A comment body to store (a string, or ADF on Cloud v3); ValueError when it is empty or of the wrong shape."""
    body = rich_text.parsed(ctx, value)
    if not (rich_text.to_text(body) or "").strip():
        raise ValueError("Comment body can not be empty!")
    return body


def _comment_body(ctx):
    try:
        return _comment_text(ctx, ctx.json_object().get("body"))
    except ValueError as error:
        fail(400, errors={"comment": str(error)})
    return None


def _comment_extras(ctx, entry):
    """``visibility`` and ``properties`` of a comment create or update, kept as Jira keeps them."""
    body = ctx.json_object()
    if "visibility" in body:
        visibility = body["visibility"]
        if visibility is not None and not (isinstance(visibility, dict) and visibility.get("type") in ("role", "group")
                                           and isinstance(visibility.get("value") or visibility.get("identifier"), str)):
            fail(400, errors={"commentLevel": "You are currently not a member of the project role or group specified."})
        entry["visibility"] = visibility
    for prop in body.get("properties") or []:
        if not isinstance(prop, dict) or not isinstance(prop.get("key"), str) or "value" not in prop:
            fail(400, "Property key and value are required.")
        entry.setdefault("properties", {})[prop["key"]] = prop["value"]


def comment_add(ctx):
    """POST /issue/{key}/comment -> 201 comment; ``visibility`` and ``properties`` are taken along."""
    issue = visible_issue(ctx, ctx.args["key"])
    user = _require(ctx, issue, "ADD_COMMENTS", "comment on")
    text = _comment_body(ctx)
    entry = {}
    _comment_extras(ctx, entry)  # checked before the comment exists: a refused create leaves nothing behind
    comment = ctx.state.add_comment(issue, user.name, text)
    comment.update(entry)
    return json_response(201, render.comment(ctx, issue, comment))


def _find_comment(ctx):
    issue = visible_issue(ctx, ctx.args["key"])
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


def transitions_list(ctx):
    """GET /issue/{key}/transitions; with expand=transitions.fields each transition carries its screen's fields."""
    visible_issue(ctx, ctx.args["key"])
    with_fields = "transitions.fields" in (ctx.param("expand") or "").split(",")
    listed = []
    for each in seed.TRANSITIONS:
        entry = {"id": each["id"], "name": each["name"], "to": render.status(ctx, each["to"]),
                 "hasScreen": bool(each.get("fields")), "isGlobal": True, "isInitial": False, "isConditional": False}
        if with_fields:
            entry["fields"] = {name: render.transition_field(ctx, name) for name in each.get("fields", ())}
        listed.append(entry)
    return json_response(200, {"expand": "transitions", "transitions": listed})


def transition_do(ctx):
    """POST /issue/{key}/transitions {"transition": {"id": "31"}} -> 204."""
    issue = visible_issue(ctx, ctx.args["key"])
    user = _require(ctx, issue, "TRANSITION_ISSUES", "transition")
    wanted = ctx.json_object().get("transition") or {}
    tid = str(wanted.get("id", "")) if isinstance(wanted, dict) else ""
    if not tid:
        fail(400, "Missing 'transition' identifier")
    target = next((each for each in seed.TRANSITIONS if each["id"] == tid), None)
    if target is None:
        fail(400, "Transition id '%s' is not valid for this issue." % tid)
    now = time.time()
    issue.status = target["to"]
    issue.resolved = now if issue.status == "Done" else None
    issue.updated = now
    for operation in (ctx.json_object().get("update") or {}).get("comment", []):
        try:
            ctx.state.add_comment(issue, user.name, _comment_text(ctx, (operation.get("add") or {}).get("body")))
        except ValueError as error:
            fail(400, errors={"comment": str(error)})
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

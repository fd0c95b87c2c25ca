"""Jira endpoints for issues: create, read, edit (``fields`` and ``update`` verbs) and delete."""

import time

from jirasim import api_comments, render, rich_text, seed
from jirasim.responses import empty, fail, json_response

_CANNOT_SET = "Field '%s' cannot be set. It is not on the appropriate screen, or unknown."


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
    issue = ctx.visible_issue(ctx.args["key"])
    wanted = render.wanted_fields(ctx.req.params.get("fields"), "*all")
    return json_response(200, render.issue(ctx, issue, wanted))


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
                    text = api_comments.comment_text(ctx, (value or {}).get("body"))
                    ctx.state.add_comment(issue, ctx.user.name, text)
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
    issue = ctx.visible_issue(ctx.args["key"])
    ctx.require_permission(issue, "EDIT_ISSUES", "edit")
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
    issue = ctx.visible_issue(ctx.args["key"])
    ctx.require_permission(issue, "DELETE_ISSUES", "delete")
    del ctx.state.issues[issue.key]
    return empty(204)

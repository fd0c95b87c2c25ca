"""Jira endpoints for workflow transitions: list (with ``expand=transitions.fields``) and do."""

import time

from jirasim import api_comments, render, seed
from jirasim.responses import empty, fail, json_response


def transitions_list(ctx):
    """GET /issue/{key}/transitions; with expand=transitions.fields each transition carries its screen's fields."""
    ctx.visible_issue(ctx.args["key"])
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
    issue = ctx.visible_issue(ctx.args["key"])
    user = ctx.require_permission(issue, "TRANSITION_ISSUES", "transition")
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
            text = api_comments.comment_text(ctx, (operation.get("add") or {}).get("body"))
            ctx.state.add_comment(issue, user.name, text)
        except ValueError as error:
            fail(400, errors={"comment": str(error)})
    return empty(204)

"""Jira endpoints for issue links: /issueLink (create, read, delete), /issueLinkType, and fields.issuelinks.

A link has an inward and an outward issue. As Jira shows it, the inward issue's ``issuelinks`` hold an entry with
``outwardIssue`` (the other end, read with the type's ``outward`` verb, e.g. "blocks"), and the outward issue's hold
one with ``inwardIssue`` ("is blocked by").
"""

from jirasim import render
from jirasim.responses import empty, fail, json_response

LINK_TYPES = [
    {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    {"id": "10001", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
    {"id": "10002", "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
    {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
]


def _type_json(ctx, link_type):
    return dict(link_type, self=ctx.url("issueLinkType/%s" % link_type["id"]))


def link_types(ctx):
    """GET /issueLinkType -> {"issueLinkTypes": [..]}."""
    return json_response(200, {"issueLinkTypes": [_type_json(ctx, each) for each in LINK_TYPES]})


def _issue_ref(ctx, issue):
    return {"id": issue.id, "key": issue.key, "self": ctx.url("issue/%s" % issue.id),
            "fields": {"summary": issue.summary, "status": render.status(ctx, issue.status)}}


def issue_links(ctx, issue):
    """fields.issuelinks of an issue."""
    listed = []
    for link in ctx.state.links:
        if issue.key not in (link["inward"], link["outward"]):
            continue
        if link["inward"] == issue.key:
            other_key, side = link["outward"], "outwardIssue"
        else:
            other_key, side = link["inward"], "inwardIssue"
        other = ctx.state.issues.get(other_key)
        if other is not None:
            listed.append({"id": link["id"], "self": ctx.url("issueLink/%s" % link["id"]),
                           "type": _type_json(ctx, link["type"]), side: _issue_ref(ctx, other)})
    return listed


def _link_type(value):
    wanted = (value or {}).get("name") or (value or {}).get("id") if isinstance(value, dict) else None
    return next((each for each in LINK_TYPES if wanted in (each["name"], each["id"])), None)


def _end(ctx, value):
    wanted = (value or {}).get("key") or (value or {}).get("id") if isinstance(value, dict) else None
    if not wanted:
        fail(400, "The issue to link to is required.")
    return ctx.visible_issue(str(wanted))


def create_link(ctx):
    """POST /issueLink {type, inwardIssue, outwardIssue} -> 201 (no body), as Jira answers."""
    body = ctx.json_object()
    link_type = _link_type(body.get("type"))
    if link_type is None:
        wanted = body.get("type").get("name") if isinstance(body.get("type"), dict) else None
        fail(404, "No issue link type with name '%s' found." % wanted)
    inward, outward = _end(ctx, body.get("inwardIssue")), _end(ctx, body.get("outwardIssue"))
    ctx.require_permission(inward, "LINK_ISSUES", "link")
    ctx.state.links.append({"id": str(next(ctx.state.link_ids)), "type": link_type, "inward": inward.key,
                            "outward": outward.key})
    return empty(201)


def _find_link(ctx):
    link = next((each for each in ctx.state.links if each["id"] == ctx.args["lid"]), None)
    if link is None or ctx.state.issues.get(link["inward"]) is None:
        fail(404, "No issue link with id '%s' exists." % ctx.args["lid"])
    ctx.visible_issue(link["inward"])
    return link


def get_link(ctx):
    """GET /issueLink/{id}."""
    link = _find_link(ctx)
    return json_response(200, {"id": link["id"], "self": ctx.url("issueLink/%s" % link["id"]),
                               "type": _type_json(ctx, link["type"]),
                               "inwardIssue": _issue_ref(ctx, ctx.state.issues[link["inward"]]),
                               "outwardIssue": _issue_ref(ctx, ctx.state.issues[link["outward"]])})


def delete_link(ctx):
    """DELETE /issueLink/{id} -> 204."""
    link = _find_link(ctx)
    ctx.require_permission(ctx.state.issues[link["inward"]], "LINK_ISSUES", "link")
    ctx.state.links.remove(link)
    return empty(204)

"""Jira endpoints for projects: list, create, read, update, delete, and their versions (plain and paged)."""

import re

from jirasim import render, seed
from jirasim.context import page_window
from jirasim.responses import empty, fail, json_response

_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}$")


def visible_project(ctx, key):
    """A project the caller can browse, or 404 as Jira answers."""
    project = ctx.state.find_project(key)
    if project is None or not ctx.state.visible(ctx.user, project):
        fail(404, "No project could be found with key '%s'." % key)
    return project


def project_list(ctx):
    """GET /project: every project the caller can browse."""
    return json_response(200, [render.project_ref(ctx, each) for each in ctx.state.projects.values()
                               if ctx.state.visible(ctx.user, each)])


def project_get(ctx):
    """GET /project/{key}."""
    return json_response(200, render.project(ctx, visible_project(ctx, ctx.args["key"])))


def _require_admin(ctx, action):
    user = ctx.require_user()
    if not user.has("ADMINISTER"):
        fail(403, "You must have global administrator rights in order to %s projects." % action)
    return user


def _lead_name(ctx, body, default):
    lead = body.get("lead") or body.get("leadAccountId")
    if lead is None:
        return default
    user = next((each for each in ctx.state.users.values() if lead in (each.name, each.account_id)), None)
    if user is None:
        fail(400, errors={"projectLead": "The user '%s' does not exist." % lead})
    return user.name


def project_create(ctx):
    """POST /project (administrators only)."""
    user = _require_admin(ctx, "create")
    body = ctx.json_object()
    key, name = str(body.get("key", "")), str(body.get("name", "")).strip()
    errors = {}
    if not _PROJECT_KEY.match(key):
        errors["projectKey"] = ("Project keys must start with an uppercase letter, followed by one or more "
                                "uppercase alphanumeric characters.")
    elif key in ctx.state.projects:
        errors["projectKey"] = "Project '%s' uses this project key." % ctx.state.projects[key].name
    if not name:
        errors["projectName"] = "You must specify a valid project name."
    elif any(each.name.lower() == name.lower() for each in ctx.state.projects.values()):
        errors["projectName"] = "A project with that name already exists."
    if errors:
        fail(400, errors=errors)
    project = seed.Project(next(ctx.state.project_ids), key, name, description=str(body.get("description", "")),
                           lead=_lead_name(ctx, body, user.name))
    ctx.state.projects[key] = project
    return json_response(201, {"self": ctx.url("project/%s" % project.id), "id": int(project.id), "key": key})


def project_update(ctx):
    """PUT /project/{key}: name, description, lead."""
    _require_admin(ctx, "modify")
    project = visible_project(ctx, ctx.args["key"])
    body = ctx.json_object()
    if "name" in body:
        if not str(body["name"]).strip():
            fail(400, errors={"projectName": "You must specify a valid project name."})
        project.name = str(body["name"]).strip()
    if "description" in body:
        project.description = str(body["description"] or "")
    project.lead = _lead_name(ctx, body, project.lead)
    return json_response(200, render.project(ctx, project))


def project_delete(ctx):
    """DELETE /project/{key}: the project and its issues."""
    _require_admin(ctx, "delete")
    project = visible_project(ctx, ctx.args["key"])
    del ctx.state.projects[project.key]
    for key in [each.key for each in ctx.state.issues.values() if each.project is project]:
        del ctx.state.issues[key]
    return empty(204)


def project_versions(ctx):
    """GET /project/{key}/versions: all versions, unpaged."""
    project = visible_project(ctx, ctx.args["key"])
    return json_response(200, [render.version(ctx, each) for each in project.versions])


def project_versions_paged(ctx):
    """GET /project/{key}/version: startAt/maxResults/total/isLast/values paging."""
    project = visible_project(ctx, ctx.args["key"])
    start, size = page_window(ctx, ctx.param("startAt"), ctx.param("maxResults"))
    query = (ctx.param("query") or "").lower()
    matching = [each for each in project.versions if query in each["name"].lower()]
    values = matching[start:start + size]
    is_last = start + len(values) >= len(matching)
    own = ctx.url("project/%s/version?maxResults=%d&startAt=%d" % (project.key, size, start))
    data = {"self": own, "maxResults": size, "startAt": start, "total": len(matching), "isLast": is_last,
            "values": [render.version(ctx, each) for each in values]}
    if not is_last:
        data["nextPage"] = ctx.url("project/%s/version?maxResults=%d&startAt=%d" % (project.key, size, start + size))
    return json_response(200, data)

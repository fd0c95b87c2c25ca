"""Jira endpoints about the instance, users, sessions, permissions, metadata and projects."""

import re
import time

from jirasim import auth, render, responses, seed
from jirasim.context import page_window
from jirasim.responses import ApiError, empty, error_response, fail, json_response

SERVER_VERSION = (9, 12, 2)
CLOUD_VERSION = (1001, 0, 0)
_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{1,9}$")


def server_info(ctx):
    """GET /serverInfo (anonymous allowed)."""
    numbers = CLOUD_VERSION if ctx.cloud else SERVER_VERSION
    return json_response(200, {
        "baseUrl": ctx.base, "version": ".".join(str(n) for n in numbers), "versionNumbers": list(numbers),
        "deploymentType": "Cloud" if ctx.cloud else "Server", "buildNumber": 100275 if ctx.cloud else 9120002,
        "buildDate": "2024-02-05T00:00:00.000+0000", "serverTime": render.jira_time(time.time()),
        "scmInfo": "3c3b2bdc4b8b6a1e0c7f1d1b8e2c9f6d5a4b3c2d", "serverTitle": "jirasim",
    })


def myself(ctx):
    """GET /myself (401 when anonymous)."""
    return json_response(200, render.myself(ctx, ctx.require_user()))


def _login_info(state, name):
    logins = state.logins
    info = {"failedLoginCount": logins.failed_total.get(name, 0), "loginCount": logins.count.get(name, 0)}
    if name in logins.last_failed:
        info["lastFailedLoginTime"] = render.jira_time(logins.last_failed[name])
    if name in logins.previous_login:
        info["previousLoginTime"] = render.jira_time(logins.previous_login[name])
    return info


def session_get(ctx):
    """GET /rest/auth/1/session: who the session is."""
    user = ctx.require_user()
    return json_response(200, {"self": "%s/rest/api/latest/user?username=%s" % (ctx.base, user.name),
                               "name": user.name, "loginInfo": _login_info(ctx.state, user.name)})


def session_post(ctx):
    """POST /rest/auth/1/session: cookie login; counts toward the CAPTCHA like any login."""
    body = ctx.json_object()
    name, password = str(body.get("username", "")), str(body.get("password", ""))
    result = auth.check_password(ctx.state, name, password, ctx.base, kind=ctx.auth.kind)
    ctx.auth.reason = result.reason
    if result.reason == auth.DENIED:
        raise ApiError(result.deny)
    if result.user is None:
        raise ApiError(error_response(401, ["Login failed"]))
    ctx.auth.user = result.user
    session = ctx.state.new_session()
    session.user = result.user.name
    ctx.new_session = session
    return json_response(200, {"session": {"name": "JSESSIONID", "value": session.sid},
                               "loginInfo": _login_info(ctx.state, result.user.name)})


def session_delete(ctx):
    """DELETE /rest/auth/1/session: log the cookie session out."""
    if ctx.session is None or ctx.session.user is None:
        fail(401, responses.NOT_AUTHENTICATED)
    ctx.session.user = None
    return empty(204)


def _have_permission(state, user, key, project):
    if project is None and user is None:
        return key == "BROWSE_PROJECTS" and any(each.public for each in state.projects.values())
    if seed.PERMISSIONS[key][2] == "GLOBAL":
        return user is not None and user.has(key)
    return state.can(user, key, project) if project else user.has(key)


def visible_project(ctx, key):
    """A project the caller can browse, or 404 as Jira answers."""
    project = ctx.state.find_project(key)
    if project is None or not ctx.state.visible(ctx.user, project):
        fail(404, "No project could be found with key '%s'." % key)
    return project


def my_permissions(ctx):
    """GET /mypermissions?projectKey=K&permissions=A,B."""
    key = ctx.param("projectKey") or ctx.param("projectId")
    project = visible_project(ctx, key) if key else None
    wanted = ctx.param("permissions")
    keys = [part.strip() for part in wanted.split(",") if part.strip()] if wanted else list(seed.PERMISSIONS)
    unknown = [each for each in keys if each not in seed.PERMISSIONS]
    if unknown:
        fail(400, "Permission key '%s' does not exist." % unknown[0])
    result = {}
    for each in keys:
        pid, name, ptype = seed.PERMISSIONS[each]
        result[each] = {"id": pid, "key": each, "name": name, "type": ptype, "description": name + ".",
                        "havePermission": _have_permission(ctx.state, ctx.user, each, project)}
    return json_response(200, {"permissions": result})


def fields(ctx):
    """GET /field: the system fields jirasim models."""
    names = {"issuetype": "Issue Type", "fixVersions": "Fix Version/s", "duedate": "Due Date",
             "resolutiondate": "Resolved", "comment": "Comment"}
    data = [{"id": "issuekey", "key": "issuekey", "name": "Key", "custom": False, "orderable": False,
             "navigable": True, "searchable": False, "clauseNames": ["id", "issue", "issuekey", "key"]}]
    for name in render.ALL_FIELDS:
        data.append({"id": name, "key": name, "name": names.get(name, name.capitalize()), "custom": False,
                     "orderable": True, "navigable": name != "comment", "searchable": True,
                     "clauseNames": [name, "type"] if name == "issuetype" else [name],
                     "schema": {"type": "string", "system": name}})
    return json_response(200, data)


def issue_types(ctx):
    """GET /issuetype."""
    return json_response(200, [render.issue_type(ctx, each) for each in seed.ISSUE_TYPES])


def priorities(ctx):
    """GET /priority."""
    return json_response(200, [render.priority(ctx, each["name"]) for each in seed.PRIORITIES])


def statuses(ctx):
    """GET /status."""
    return json_response(200, [render.status(ctx, each["name"]) for each in seed.STATUSES])


def resolutions(ctx):
    """GET /resolution."""
    return json_response(200, [{"self": ctx.url("resolution/10000"), "id": "10000", "name": "Done",
                                "description": "Work has been completed on this issue."}])


def user_get(ctx):
    """GET /user?username=X (DC) or ?accountId=X (Cloud)."""
    ctx.require_user()
    wanted = ctx.param("accountId") if ctx.cloud else (ctx.param("username") or ctx.param("key"))
    state = ctx.state
    user = next((each for each in state.users.values() if wanted in (each.name, each.key, each.account_id)), None)
    if user is None:
        fail(404, "The user with the key '%s' does not exist" % wanted)
    return json_response(200, render.user_ref(ctx, user))


def user_search(ctx):
    """GET /user/search: ?username= on Data Center (name, e-mail or display name), ?query= on Cloud (e-mail or display
    name; a hidden e-mail is not matched). Case-insensitive substrings, as Jira's user picker; a plain list."""
    ctx.require_user()
    name = "query" if ctx.cloud else "username"
    wanted = (ctx.param(name) or "").strip().lower()
    if not wanted:
        fail(400, "The query parameter 'query' is not valid" if ctx.cloud else "The username query parameter was not provided")
    found = []
    for user in ctx.state.users.values():
        texts = [user.display_name, user.email if (user.email_visible or not ctx.cloud) else ""]
        if not ctx.cloud:
            texts.append(user.name)
        if any(wanted in (text or "").lower() for text in texts):
            found.append(render.user_ref(ctx, user))
    return json_response(200, found)


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


def login_page(ctx):
    """GET /login.jsp: where a CAPTCHA-locked user would go (a page, not a real form)."""
    del ctx
    return responses.html_page(200, "Log in - jirasim", "Solve the CAPTCHA here (POST /_jirasim/captcha/clear).")

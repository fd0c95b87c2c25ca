"""Jira endpoints about the instance: serverInfo, myself, sessions, permissions, metadata lists, the login page."""

import time

from jirasim import auth, render, responses, seed
from jirasim.api_projects import visible_project
from jirasim.responses import ApiError, empty, error_response, fail, json_response

SERVER_VERSION = (9, 12, 2)
CLOUD_VERSION = (1001, 0, 0)


def server_info(ctx):
    """GET /serverInfo (anonymous allowed)."""
    numbers = CLOUD_VERSION if ctx.cloud else SERVER_VERSION
    return json_response(200, {
        "baseUrl": ctx.site_base, "version": ".".join(str(n) for n in numbers), "versionNumbers": list(numbers),
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


def tenant_info(ctx):
    """GET /_edge/tenant_info (Cloud, anonymous): the site's cloudId (jira-protocol.md section 7)."""
    del ctx
    return json_response(200, {"cloudId": seed.CLOUD_ID})


def login_page(ctx):
    """GET /login.jsp: where a CAPTCHA-locked user would go (a page, not a real form)."""
    del ctx
    return responses.html_page(200, "Log in - jirasim", "Solve the CAPTCHA here (POST /_jirasim/captcha/clear).")

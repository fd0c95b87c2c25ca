# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of jira_auth_check: do these credentials work, as whom, with which rights?

It only reads. After a failed login it sends the credentials no more: server information is then
read anonymously, so a check never costs more than one failed login.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils.common import deployment
from ansible_collections.jiraops.jira.plugins.module_utils.login import credential
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import connection_spec, module_kwargs
from ansible_collections.jiraops.jira.plugins.module_utils.rest.answers import (
    answer_description, error_summary, not_at_this_path,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import JiraError, answer_field

ARGUMENT_SPEC = connection_spec(
    server_info=dict(type="bool", default=True),
    permissions=dict(type="list", elements="str", default=[]),
    project=dict(type="str"),
    fail_on_unhealthy=dict(type="bool", default=True),
    warn_expiry_days=dict(type="int", default=14),
)
MODULE_KWARGS = module_kwargs(ARGUMENT_SPEC)

UNEXPECTED_RESPONSE = "unexpected_response"


def run(params, client, task):
    """The task result; failed only when unhealthy and fail_on_unhealthy is set."""
    result = dict(changed=False, healthy=False, authenticated=False, auth_type=client.credentials.auth_type,
                  status=None, user=None, server=None, permissions={}, missing_permissions=[], missing_scopes=[],
                  url=client.base_url, route=task.route, cloud_id=(task.server_info or {}).get("cloudId"),
                  credential=None)
    try:
        _check_login(client, result)
        if params["server_info"]:
            result["server"] = _server(client, task, anonymous=not result["authenticated"])
        result["credential"] = credential.describe(client, task, result, params["warn_expiry_days"])
        if result["authenticated"] and params["permissions"]:
            _check_permissions(client, params, result)
    except JiraError as exc:
        result.update(exc.fields, msg=exc.msg, error_kind=exc.kind)
    result["healthy"] = (result["authenticated"] and not result["missing_permissions"] and not result["missing_scopes"]
                         and "error_kind" not in result)
    result.setdefault("msg", _healthy_message(result))
    if not result["healthy"] and params["fail_on_unhealthy"]:
        result["failed"] = True
    return result


def _check_login(client, result):
    response = client.request("GET", "/rest/api/2/myself")
    me = response.json_or_none
    login = login_state.proved_by_myself(response.login, response.status, me)
    result.update(login.fields(), status=response.status)
    wrong_path = not_at_this_path(response)
    if wrong_path is not None:
        # Jira's own 404 page at a wrong context path carries Seraph's verdict: the login may be fine, the url is not.
        if login.state == login_state.OK and client.credentials.sent:
            client.login.note(login)
        result.update(login_state=UNEXPECTED_RESPONSE, msg=wrong_path.msg, error_kind=wrong_path.kind)
    elif (login.state == login_state.OK and client.credentials.sent and isinstance(me, dict)
          and 200 <= response.status < 300):
        client.login.note(login)
        result["authenticated"] = True
        result["user"] = user_fields(me)
        _warn_if_other_user(client, result)
    elif login.state in (login_state.OK, login_state.UNKNOWN):
        # Healthy means Jira said so: an SSO page, a portal or a wrong base URL answering 200 is not a login.
        result["login_state"] = UNEXPECTED_RESPONSE
        result["msg"] = ("GET %s did not answer with Jira's user object (%s): %s. Check that url is Jira's base URL "
                         "(the address before /rest/api), not an SSO sign-in page or a portal in front of it."
                         % (response.url, answer_description(response), error_summary(response)))
    elif login.state == login_state.ANONYMOUS:
        result["msg"] = ("No credentials were given, so Jira treats the caller as the anonymous user. "
                         "Set username and password (or token), e.g. from JIRA_USERNAME and JIRA_PASSWORD.")
    else:
        result["msg"] = login_state.login_message(login, "GET", response.url, client.credentials)
        if login.state == login_state.INSUFFICIENT_SCOPE:
            result["missing_scopes"] = [login_state.needed_scope("GET", response.url)]


def _warn_if_other_user(client, result):
    """Directories can map one login to another user: say so when Jira names someone else than the username given."""
    given = client.credentials.username if client.credentials.oauth is None else None  # a client id names no user
    user = result["user"]
    named = user.get("name") or user.get("email")
    if given and isinstance(named, str) and named.lower() != given.lower():
        result.setdefault("warnings", []).append(
            "Jira authenticated username '%s' as user '%s'. A directory or an alias can map logins to users; check "
            "that this is the account the playbook means." % (given, named))


def _server(client, task, anonymous):
    """What the server is: read by the first task of the run, later ones take what it read (the task context's
    server_info, from the run's memory)."""
    info = task.server_info
    if info is None or "version" not in info:  # the run may know only the cloudId (rest/route.py)
        response = client.request("GET", deployment.SERVER_INFO, anonymous=anonymous)
        info = response.json_or_none
        if response.status != 200 or not isinstance(info, dict):
            return None
        task.learn_server_info(info)
    return server_fields(info)


def _check_permissions(client, params, result):
    query = {"permissions": ",".join(params["permissions"])}
    if params.get("project"):
        query["projectKey"] = params["project"]
    role = "read of the permissions (option permissions%s)" % (" and project" if params.get("project") else "")
    response = client.call("GET", "/rest/api/2/mypermissions", params=query, role=role)
    granted = answer_field(response.json, "permissions", (dict,), "GET /rest/api/2/mypermissions",
                           status=response.status)
    result["permissions"] = dict((key, _granted(granted.get(key))) for key in params["permissions"])
    result["missing_permissions"] = [key for key in params["permissions"] if not result["permissions"][key]]
    result["missing_scopes"] = credential.missing_scopes(client, params["permissions"])
    if result["missing_scopes"]:
        result["msg"] = ("Authenticated as %s, but the access token lacks the scope%s %s that %s need%s."
                         % (_who(result["user"]), "s" if len(result["missing_scopes"]) > 1 else "",
                            ", ".join(result["missing_scopes"]), ", ".join(params["permissions"]),
                            "" if len(params["permissions"]) > 1 else "s"))
    if result["missing_permissions"]:
        result["msg"] = ("Authenticated as %s, but the account lacks %s%s."
                         % (_who(result["user"]), ", ".join(result["missing_permissions"]),
                            " in project %s" % params["project"] if params.get("project") else ""))


def _granted(permission):
    """Whether Jira says the permission is held: ``havePermission`` true; anything else is not a grant."""
    return isinstance(permission, dict) and permission.get("havePermission") is True


# (our name, Jira's name): the same keys on Server/Data Center and Cloud; absent ones are None.
USER_FIELDS = (("name", "name"), ("key", "key"), ("account_id", "accountId"), ("display_name", "displayName"),
               ("email", "emailAddress"), ("active", "active"), ("time_zone", "timeZone"))
SERVER_FIELDS = (("base_url", "baseUrl"), ("version", "version"), ("version_numbers", "versionNumbers"),
                 ("deployment_type", "deploymentType"), ("build_number", "buildNumber"),
                 ("server_title", "serverTitle"))


def user_fields(me):
    """The user /myself names, in our names (USER_FIELDS)."""
    return dict((ours, me.get(jiras)) for ours, jiras in USER_FIELDS)


def server_fields(info):
    """What serverInfo says, in our names (SERVER_FIELDS)."""
    return dict((ours, info.get(jiras)) for ours, jiras in SERVER_FIELDS)


def _who(user):
    user = user or {}
    name = user.get("name") or user.get("email") or user.get("account_id") or "?"
    return "%s (%s)" % (name, user["display_name"]) if user.get("display_name") else name


def _healthy_message(result):
    server = result.get("server") or {}
    where = " %s %s" % (server.get("server_title") or "Jira", server.get("version")) if server.get("version") else ""
    return "Authenticated to%s at %s as %s." % (where or " Jira", result["url"], _who(result["user"]))

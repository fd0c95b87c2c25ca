# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What kind of credential a task holds, and when it expires, where Jira tells (jira_auth_check's ``credential``).

Only Data Center tells a credential's end: GET /rest/pat/latest/tokens lists the caller's personal access tokens with
their expiringAt, and a token is base64 of "<its id>:<random>", so the task finds its own in the list. No REST call
tells the end of a Cloud API token (classic, scoped or a service account's; at most 365 days): expires_at is None.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import datetime
import re

from ansible_collections.jiraops.jira.plugins.module_utils.login import auth
from ansible_collections.jiraops.jira.plugins.module_utils.rest.route import GATEWAY, is_service_account

PAT_LIST = "/rest/pat/latest/tokens"
# Permissions a caller only reads with; every other one writes, and a Cloud token needs write:jira-work for it.
READ_PERMISSIONS = ("BROWSE_PROJECTS", "BROWSE", "VIEW_READONLY_WORKFLOW", "USER_PICKER")
_JIRA_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def describe(client, task, result, warn_days):
    """The ``credential`` result: kind, expires_at, expires_in_days, expiring_soon (and scopes of an OAuth token); adds
    a warning to ``result`` when it expires within ``warn_days``."""
    kind = kind_of(client.credentials, _is_cloud(task, result), task.route)
    expires_at = _pat_expiry(client) if kind == "pat" and result["authenticated"] else None
    days = _days_until(expires_at)
    soon = days is not None and days < warn_days
    if soon:
        result.setdefault("warnings", []).append(
            "The %s expires %s (%s day%s): create a new one and put it where this task takes it from." % (
                kind.replace("_", " "), expires_at, days, "" if days == 1 else "s"))
    described = dict(kind=kind, expires_at=expires_at, expires_in_days=days, expiring_soon=soon)
    oauth = client.credentials.oauth
    if oauth is not None:
        described.update(scopes=oauth.scopes, access_token_expires_in=oauth.expires_in)
    return described


def kind_of(credentials, cloud, route):
    """password, api_token, scoped_token, service_account_token, pat, oauth_client, or none."""
    if credentials.auth_type == auth.AUTH_NONE:
        return "none"
    if credentials.oauth is not None:
        return "oauth_client"
    if credentials.auth_type == auth.AUTH_BEARER:
        return "service_account_token" if cloud else "pat"
    if not cloud:
        return "password"
    if is_service_account(credentials.username):
        return "service_account_token"
    return "scoped_token" if route == GATEWAY else "api_token"


def missing_scopes(client, permissions):
    """The classic scopes ``permissions`` need that the task's OAuth 2.0 access token was not given (its answer lists
    them); [] when the token's scopes are not known (a Basic or Bearer token does not tell)."""
    oauth = client.credentials.oauth
    if oauth is None or oauth.scopes is None or not permissions:
        return []
    needed = ["read:jira-user", "read:jira-work"]
    if any(permission not in READ_PERMISSIONS for permission in permissions):
        needed.append("write:jira-work")
    return [scope for scope in needed if scope not in oauth.scopes]


def _is_cloud(task, result):
    server = result.get("server") or task.server_info or {}
    deployment = server.get("deployment_type") or server.get("deploymentType") or ""
    return task.route == GATEWAY or deployment.lower() == "cloud"


def pat_id(token):
    """The id inside a Data Center personal access token (base64 of "<id>:<random>"), or None."""
    try:
        decoded = base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return None
    found = re.match(br"^([0-9]+):", decoded)
    return int(found.group(1)) if found else None


def _pat_expiry(client):
    """expiringAt of the task's own token in the caller's token list, or None (an older Jira, a token not listed)."""
    header = client.credentials.header or ""
    own = pat_id(header[len("Bearer "):])
    response = client.request("GET", PAT_LIST)
    listed = response.json_or_none if response.status == 200 else None
    if own is None or not isinstance(listed, list):
        return None
    for entry in listed:
        if isinstance(entry, dict) and entry.get("id") == own and isinstance(entry.get("expiringAt"), str):
            return entry["expiringAt"]
    return None


def _days_until(stamp, now=None):
    """Whole days from now until the ISO 8601 ``stamp`` (negative once past), or None when it is not one."""
    found = _JIRA_TIME.match(stamp or "")
    if not found:
        return None
    zone = found.group(2) or "Z"
    zone = "+0000" if zone == "Z" else zone.replace(":", "")
    end = datetime.datetime.strptime(found.group(1) + zone, "%Y-%m-%dT%H:%M:%S%z")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return int((end - now).total_seconds() // 86400)

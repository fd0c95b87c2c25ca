# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of jira_comment: one comment on an issue, posted once.

The comment is found by a marker kept in a comment property (so its text may change and is then updated in place),
or, without a marker, by its text. The marker goes into the create itself (Jira takes ``properties`` with the
comment), so no run can leave a comment behind whose marker is missing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import (
    ISSUE_KEY, connection_spec, module_kwargs,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, ResponseError, answer_field
from ansible_collections.jiraops.jira.plugins.module_utils.common.compare import is_subset
from ansible_collections.jiraops.jira.plugins.module_utils.rest.api import Api
from ansible_collections.jiraops.jira.plugins.module_utils.rest.pager import all_items

ARGUMENT_SPEC = connection_spec(
    issue=dict(type="str", required=True),
    body=dict(type="str"),
    visibility=dict(type="dict", options=dict(type=dict(type="str", required=True, choices=["role", "group"]),
                                              value=dict(type="str", required=True))),
    marker=dict(type="str", no_log=False),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)
MODULE_KWARGS = module_kwargs(ARGUMENT_SPEC)

MARKER_PROPERTY = "jiraops.jira.marker"


def run(params, client, task):
    check_mode = task.check_mode
    wanted = Wanted(params)
    api = Api(client, params, task)
    body = (text_to_adf(wanted.body) if api.is_cloud else wanted.body) if wanted.body is not None else None
    found = [each for each in _comments(api, wanted.issue) if _is_the_comment(each, wanted, body)]
    if wanted.state == "absent":
        result = _delete(api, wanted, found, check_mode)
    elif not found:
        result = _create(api, wanted, body, check_mode)
    else:
        result = _update(api, wanted, found[0], body, check_mode)
    result["issue"] = wanted.issue
    return task.without_diff(result)


class Wanted:
    """The validated options; every input error is raised here, before anything is sent."""

    def __init__(self, params):
        self.issue = params["issue"]
        self.body = params.get("body")
        self.visibility = params.get("visibility")
        self.marker = params.get("marker")
        self.state = params.get("state") or "present"
        if not ISSUE_KEY.match(self.issue or ""):
            raise InputError("issue", "is not an issue key or id (such as OPS-12 or 10042)", "Give the issue's key.")
        if self.state == "present" and not (self.body or "").strip():
            raise InputError("body", "is required with state present, and may not be empty", "Give the comment's text.")
        if self.state == "absent" and self.marker is None and self.body is None:
            raise InputError("body", "or marker is required with state absent (it says which comment to delete)",
                             "Give the marker the comment was posted with, or its text.")
        if self.marker is not None and not self.marker.strip():
            raise InputError("marker", "is empty", "Give a string that names the comment, such as build-failure-42.")


def _comments(api, issue):
    """Every comment of the issue, with its properties (expand=properties), through the one bounded pager."""
    path = api.path("issue/%s/comment" % issue)
    comments = all_items(api.client, path, {"expand": "properties"}, "comments")
    for comment in comments:
        answer_field(comment, "id", (str, int), "GET %s (a comment)" % path)  # what an update or a delete names
    return comments


def marker_of(comment):
    """The marker a comment was posted with, or None."""
    properties = comment.get("properties")
    for prop in properties if isinstance(properties, list) else ():
        if isinstance(prop, dict) and prop.get("key") == MARKER_PROPERTY and isinstance(prop.get("value"), dict):
            return prop["value"].get("marker")
    return None


def _is_the_comment(comment, wanted, body):
    if wanted.marker is not None:
        return marker_of(comment) == wanted.marker
    return same_body(body, comment.get("body"))


def same_body(desired, current):
    """Whether a comment's body is the desired one: the same text (line ends aside), or on Cloud the same ADF."""
    if isinstance(desired, str) and isinstance(current, str):
        return desired.replace("\r\n", "\n").strip() == current.replace("\r\n", "\n").strip()
    return is_subset(desired, current)


def _shown(comment):
    shown = {"body": comment.get("body")}
    if comment.get("visibility"):
        shown["visibility"] = comment["visibility"]
    return shown


def _written(wanted, body):
    data = {"body": body}
    if wanted.visibility is not None:
        data["visibility"] = wanted.visibility
    return data


def _create(api, wanted, body, check_mode):
    data = _written(wanted, body)
    result = dict(changed=True, created=True, diff=dict(before={}, after=dict(data)))
    if wanted.marker is not None:
        data["properties"] = [{"key": MARKER_PROPERTY, "value": {"marker": wanted.marker}}]
    if check_mode:
        result.update(id=None, url=None, msg="Would comment (check mode): nothing was sent.")
        return result
    path = api.path("issue/%s/comment" % wanted.issue)
    created = api.client.call("POST", path, body=data, accept=(201,)).json
    try:
        result.update(id=answer_field(created, "id", (str, int), "POST %s" % path), url=created.get("self"))
    except ResponseError as exc:
        raise ResponseError("%s Jira answered 201, so the comment was created, but its id is not known: see issue %s's "
                            "comments (a later run finds it by its %s and does not post it again)."
                            % (exc.msg, wanted.issue, "marker" if wanted.marker else "text"),
                            issue=wanted.issue, created=True, changed=True)
    return result


def _update(api, wanted, comment, body, check_mode):
    before = _shown(comment)
    desired = _written(wanted, body)
    # A visibility the task does not set is left as it is.
    same = same_body(body, comment.get("body")) and (
        wanted.visibility is None or is_subset(wanted.visibility, comment.get("visibility")))
    result = dict(changed=not same, created=False, id=comment.get("id"), url=comment.get("self"),
                  diff=dict(before=before, after=dict(before, **desired)))
    if same:
        result["msg"] = "Already there: nothing written."
    elif check_mode:
        result["msg"] = "Would update (check mode): nothing was sent."
    else:
        api.client.call("PUT", api.path("issue/%s/comment/%s" % (wanted.issue, comment["id"])), body=desired)
    return result


def _delete(api, wanted, found, check_mode):
    ids = [each.get("id") for each in found]
    result = dict(changed=bool(found), created=False, id=ids[0] if ids else None, url=None, deleted=ids,
                  diff=dict(before=_shown(found[0]) if found else {}, after={}))
    if not found:
        result["msg"] = "Already absent: nothing deleted."
        return result
    if check_mode:
        result["msg"] = "Would delete (check mode): nothing was sent."
        return result
    for cid in ids:
        api.client.call("DELETE", api.path("issue/%s/comment/%s" % (wanted.issue, cid)), accept=(204, 404))
    return result

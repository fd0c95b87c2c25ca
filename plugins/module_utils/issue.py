# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of jira_issue: one issue, found by key or JQL, created, updated, moved to a status or deleted.

Idempotent by comparison: the issue is read once, only the fields that differ are written (compared as jira_request
compares a PUT: compare.is_subset), and a transition is sent only when the status differs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import (
    ISSUE_KEY, connection_spec, module_kwargs,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    InputError, JiraError, ResponseError, answer_field, answer_object,
)
from ansible_collections.jiraops.jira.plugins.module_utils.common.compare import is_subset, member, project_onto
from ansible_collections.jiraops.jira.plugins.module_utils.rest.api import Api

ARGUMENT_SPEC = connection_spec(
    key=dict(type="str", no_log=False),
    match_jql=dict(type="str"),
    project=dict(type="str"),
    issuetype=dict(type="str"),
    summary=dict(type="str"),
    description=dict(type="str"),
    labels=dict(type="list", elements="str"),
    labels_mode=dict(type="str", default="replace", choices=["replace", "add", "remove"]),
    fields=dict(type="dict"),
    assignee=dict(type="str"),
    status=dict(type="str"),
    transition=dict(type="str"),
    transition_fields=dict(type="dict"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
)
MODULE_KWARGS = module_kwargs(ARGUMENT_SPEC, mutually_exclusive=[("key", "match_jql"), ("status", "transition")])
MODULE_KWARGS["required_one_of"] = [("key", "match_jql")]

# The options that describe the issue; with state absent they would be silently ignored, so they are refused.
CONTENT_OPTIONS = ("project", "issuetype", "summary", "description", "labels", "fields", "assignee", "status",
                   "transition", "transition_fields")
OWN_FIELDS = ("project", "issuetype", "summary", "description", "labels", "assignee", "status")
MAX_MATCHES = 50


def run(params, client, task):
    wanted = Wanted(params)
    api = Api(client, params, task)
    current = _find(api, wanted)
    if wanted.state == "absent":
        result = _delete(api, current, task.check_mode)
    elif current is None:
        result = _create(api, wanted, task.check_mode)
    else:
        result = _update(api, wanted, current, task.check_mode)
    return task.without_diff(result)


class Wanted:
    """The validated options; every input error is raised here, before anything is sent."""

    def __init__(self, params):
        for name in ("key", "match_jql") + CONTENT_OPTIONS + ("labels_mode", "state"):
            setattr(self, name, params.get(name))
        self.labels_mode = self.labels_mode or "replace"
        self.state = self.state or "present"
        self._check()

    def _check(self):
        if self.key is not None and not ISSUE_KEY.match(self.key):
            raise InputError("key", "is not an issue key or id (such as OPS-12 or 10042)", "Give the issue's key.")
        if self.state == "absent":
            given = [name for name in CONTENT_OPTIONS if getattr(self, name) is not None]
            if given:
                raise InputError(given[0], "does not apply with state absent", "Remove it, or use state: present.")
            return
        self._check_content()

    def _check_content(self):
        """The options that describe the issue, with state present."""
        if self.match_jql is not None:
            for name in ("project", "summary"):
                if not getattr(self, name):
                    raise InputError(name, "is required with match_jql and state present (the issue is created when "
                                     "the JQL finds none)", "Set it, or manage an existing issue by key.")
        if self.summary is not None and not self.summary.strip():
            raise InputError("summary", "is empty", "Give the issue's summary.")
        if any(re.search(r"\s", label) or not label for label in self.labels or ()):
            raise InputError("labels", "has an empty label or one with white space, which Jira refuses",
                             "Use words joined by - or _, such as nightly-build.")
        overlap = sorted(set(self.fields or {}) & set(OWN_FIELDS))
        if overlap:
            raise InputError("fields", "sets %s, which has its own option" % ", ".join(overlap),
                             "Use the option %s instead." % overlap[0])
        if self.transition_fields is not None and not (self.status or self.transition):
            raise InputError("transition_fields", "only applies with status or transition", "Set status, or remove it.")

    @property
    def read_fields(self):
        own = ("summary", "status", "issuetype", "project", "labels", "assignee", "description")
        return ",".join(own + tuple(self.fields or ()))


def _find(api, wanted):
    """The issue as Jira has it ({key, id, fields}), or None when there is none."""
    if wanted.key is not None:
        response = api.client.call("GET", api.path("issue/%s" % wanted.key), params={"fields": wanted.read_fields},
                                   accept=(200, 404))
        if response.status == 404 and wanted.state == "present":
            raise ResponseError("Issue %s does not exist, or the user cannot see it. jira_issue creates issues only "
                                "when they are found by match_jql." % wanted.key, status=404, url=response.url,
                                changed=False)
        return _issue(response.json, "GET %s" % api.path("issue/%s" % wanted.key)) if response.status == 200 else None
    params = {"jql": wanted.match_jql, "fields": wanted.read_fields, "maxResults": MAX_MATCHES}
    where = "GET %s" % api.deployment.search_path
    found = api.client.call("GET", api.deployment.search_path, params=params).json
    issues = answer_field(found, "issues", (list,), where)
    issues = [_issue(each, "%s (an issue found)" % where) for each in issues]
    if len(issues) > 1:
        keys = [issue.get("key") for issue in issues]
        raise ResponseError("match_jql found %s issues (%s); jira_issue manages one. Make the JQL narrower, or give "
                            "key."
                            % ("%d or more" % len(keys) if len(keys) >= MAX_MATCHES else len(keys), ", ".join(keys)),
                            matches=keys, changed=False)
    return issues[0] if issues else None


def _issue(answer, where):
    """An issue as Jira gives it: an object with its key (a string) and, when present, its fields as an object."""
    answer_field(answer, "key", (str,), where)
    if answer.get("fields") is not None:
        answer_field(answer, "fields", (dict,), where)
    return answer


def _identity(api, issue, created):
    key = issue.get("key")
    return dict(key=key, id=issue.get("id"), url=api.browse_url(key) if key else None, created=created)


def _delete(api, current, check_mode):
    if current is None:
        return dict(changed=False, key=None, id=None, url=None, created=False, status=dict(before=None, after=None),
                    diff=dict(before={}, after={}), msg="Already absent: nothing deleted.")
    result = _identity(api, current, False)
    before = _status_name(current)
    result.update(changed=True, status=dict(before=before, after=None),
                  diff=dict(before=current.get("fields") or {}, after={}))
    if check_mode:
        result["msg"] = "Would delete (check mode): nothing was sent."
        return result
    api.client.call("DELETE", api.path("issue/%s" % current["key"]), accept=(204, 404))
    return result


def desired_fields(wanted, current_fields, cloud, assignee_ref):
    """The fields the task asks for, as Jira's REST API takes them; labels after labels_mode is applied."""
    desired = {}
    if wanted.summary is not None:
        desired["summary"] = wanted.summary
    if wanted.description is not None:
        desired["description"] = text_to_adf(wanted.description) if cloud else wanted.description
    if wanted.issuetype is not None:
        desired["issuetype"] = {"name": wanted.issuetype}
    if wanted.labels is not None:
        labels = member(current_fields, "labels")
        desired["labels"] = labels_after(wanted.labels, wanted.labels_mode, labels if isinstance(labels, list) else [])
    if assignee_ref is not None:
        desired["assignee"] = assignee_ref
    desired.update(wanted.fields or {})
    return desired


def labels_after(labels, mode, current):
    """The labels an issue should hold: ``labels`` (replace), ``current`` plus them (add) or without them (remove)."""
    if mode == "add":
        return list(current) + [label for label in dict.fromkeys(labels) if label not in current]
    if mode == "remove":
        return [label for label in current if label not in labels]
    return list(dict.fromkeys(labels))


def differing(desired, current_fields):
    """The desired fields whose value does not already hold in the issue."""
    current_fields = current_fields or {}
    return dict((name, value) for name, value in desired.items() if not is_subset(value, current_fields.get(name)))


def _assignee_ref(api, wanted):
    """How to name the assignee in a write, resolved once: a user name on Data Center, an accountId on Cloud (an e-mail
    address is looked up with the user search)."""
    if wanted.assignee is None:
        return None
    if not api.is_cloud:
        return {"name": wanted.assignee}
    if "@" not in wanted.assignee:
        return {"accountId": wanted.assignee}
    users = api.client.call("GET", api.path("user/search"), params={"query": wanted.assignee}).json
    if not isinstance(users, list):
        answer_object(users if users is not None else [], "GET %s (a list of users expected)" % api.path("user/search"))
    found = [user for user in users if str(member(user, "emailAddress") or "").lower() == wanted.assignee.lower()]
    if len(found) != 1:
        count = "No" if not found else "More than one"
        raise ResponseError("Option 'assignee': %s Jira user has the e-mail address %s (or it is hidden by the user's "
                            "profile visibility). Give the user's accountId instead." % (count, wanted.assignee),
                            changed=False)
    where = "GET %s (the user found)" % api.path("user/search")
    return {"accountId": answer_field(found[0], "accountId", (str,), where)}


def _status_name(issue):
    name = member(issue, "fields", "status", "name")
    return name if isinstance(name, str) else None


def _transitions(api, key):
    """The transitions Jira offers for the issue, each checked: an id, and a target status with a name."""
    where = "GET %s" % api.path("issue/%s/transitions" % key)
    answer = api.client.call("GET", api.path("issue/%s/transitions" % key)).json
    transitions = answer_field(answer, "transitions", (list,), where)
    for each in transitions:
        answer_field(each, "id", (str, int), "%s (a transition)" % where)
        target = answer_field(each, "to", (dict,), "%s (a transition)" % where)
        answer_field(target, "name", (str,), "%s (a transition's to)" % where)
        if each.get("name") is not None:
            answer_field(each, "name", (str,), "%s (a transition)" % where)
    return transitions


def _transition_for(api, key, wanted, status):
    """The transition to send, or None when the issue already has the status the task asks for."""
    if not (wanted.status or wanted.transition):
        return None
    if wanted.status and status and wanted.status.lower() == status.lower():
        return None
    transitions = _transitions(api, key)
    pick = _to_status if wanted.status else _named
    found = pick(key, transitions, wanted, status)
    if found["to"]["name"].lower() == (status or "").lower():
        return None  # the named transition leads to the status the issue has
    return found


def _to_status(key, transitions, wanted, status):
    """The first transition to the status asked for; an error naming the statuses reachable when none leads there."""
    found = [each for each in transitions if each["to"]["name"].lower() == wanted.status.lower()]
    if found:
        return found[0]
    reachable = sorted(set(each["to"]["name"] for each in transitions))
    raise ResponseError("Issue %s cannot move from status '%s' to '%s' in one transition. Reachable in one: %s."
                        % (key, status, wanted.status, ", ".join(reachable) or "none"),
                        reachable_statuses=reachable, changed=False)


def _named(key, transitions, wanted, status):
    """The transition named (or numbered) by the task; an error listing the available ones when there is none."""
    found = [each for each in transitions
             if wanted.transition.lower() in (str(each.get("id")), (each.get("name") or "").lower())]
    if found:
        return found[0]
    available = ", ".join("%s (id %s)" % (each.get("name"), each.get("id")) for each in transitions)
    raise ResponseError("Issue %s (status '%s') has no transition '%s'. Available: %s."
                        % (key, status, wanted.transition, available or "none"), changed=False)


def _transition(api, key, transition, wanted):
    body = {"transition": {"id": str(transition["id"])}}
    if wanted.transition_fields:
        body["fields"] = wanted.transition_fields
    api.client.call("POST", api.path("issue/%s/transitions" % key), body=body, accept=(204,))


def _create(api, wanted, check_mode):
    assignee = _assignee_ref(api, wanted)
    fields = {"project": {"key": wanted.project}, "issuetype": {"name": wanted.issuetype or "Task"}}
    fields.update(desired_fields(wanted, {}, api.is_cloud, assignee))
    if not fields.get("labels"):
        fields.pop("labels", None)
    result = dict(changed=True, created=True, diff=dict(before={}, after=fields))
    if check_mode:
        target = wanted.status or wanted.transition
        result.update(key=None, id=None, url=None, status=dict(before=None, after=target),
                      msg="Would create (check mode): nothing was sent.")
        return result
    created = api.client.call("POST", api.path("issue"), body={"fields": fields}, accept=(201,)).json
    try:
        key = answer_field(created, "key", (str,), "POST %s" % api.path("issue"))
    except ResponseError as exc:
        raise exc.after_write("Jira answered 201, so the issue was created in project %s, but its key is not known. "
                              "Find it there (the newest issue with summary '%s') before running the task again."
                              % (wanted.project, wanted.summary), created=True, key=None)
    result.update(_identity(api, created, True))
    try:
        status = _status_name(api.client.call("GET", api.path("issue/%s" % key), params={"fields": "status"}).json)
        transition = _transition_for(api, key, wanted, status)
        if transition is not None:
            _transition(api, key, transition, wanted)
            status = transition["to"]["name"]
    except JiraError as exc:
        raise exc.after_write("Issue %s was created, but its status was not set." % key,
                              **_identity(api, created, True))
    result["status"] = dict(before=None, after=status)
    return result


def _update(api, wanted, current, check_mode):
    key, current_fields = current["key"], current.get("fields") or {}
    project = member(current_fields, "project", "key")
    if wanted.project and project and wanted.project.upper() != project.upper():
        raise ResponseError("Issue %s is in project %s, not %s; jira_issue does not move issues between projects."
                            % (key, project, wanted.project), changed=False)
    desired = desired_fields(wanted, current_fields, api.is_cloud, _assignee_ref(api, wanted))
    changes = differing(desired, current_fields)
    before_status = _status_name(current)
    transition = _transition_for(api, key, wanted, before_status)
    after_status = transition["to"]["name"] if transition else before_status
    shown = project_onto(current_fields, desired)
    after = dict(shown, **changes)
    if before_status != after_status:
        shown, after = dict(shown, status=before_status), dict(after, status=after_status)
    result = _identity(api, current, False)
    result.update(changed=bool(changes or transition), status=dict(before=before_status, after=after_status),
                  diff=dict(before=shown, after=after))
    if not result["changed"]:
        result["msg"] = "Already as desired: nothing written."
        return result
    if check_mode:
        result["msg"] = "Would update (check mode): nothing was sent."
        return result
    if changes:
        api.client.call("PUT", api.path("issue/%s" % key), body={"fields": changes}, accept=(204,))
    if transition is not None:
        try:
            _transition(api, key, transition, wanted)
        except JiraError as exc:
            if not changes:
                raise
            raise exc.after_write("Issue %s's fields were updated (%s), but its status was not set."
                                  % (key, ", ".join(sorted(changes))), **_identity(api, current, False))
    return result

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of jira_request: any REST call, idempotent, paged and retried safely.

changed, per method:
- GET, HEAD and searches sent as POST: never changed.
- PUT, PATCH: the current state is read first; when every desired value already holds, nothing is written.
- DELETE: absent before (404) means unchanged.
- POST: changed, unless a guard (guard_jql or guard_path) finds the thing already there.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.jiraops.jira.plugins.module_utils.request import pages
from ansible_collections.jiraops.jira.plugins.module_utils.rest import pager
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import connection_spec, module_kwargs
from ansible_collections.jiraops.jira.plugins.module_utils.request.inputs import Call
from ansible_collections.jiraops.jira.plugins.module_utils.rest.answers import path_of, readable, response_fields
from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import Deployment
from ansible_collections.jiraops.jira.plugins.module_utils.request.dest import write_if_different
from ansible_collections.jiraops.jira.plugins.module_utils.common.compare import is_subset, project_onto
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import (
    InputError, JiraError, ResponseError, answer_field,
)
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import secret_forms

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
ARGUMENT_SPEC = connection_spec(
    method=dict(type="str", default="GET", choices=list(METHODS)),
    path=dict(type="str", required=True),
    params=dict(type="dict", default={}),
    body=dict(type="raw"),
    headers=dict(type="dict", default={}),
    status_code=dict(type="list", elements="int"),
    read_before_write=dict(type="bool", default=True),
    read_path=dict(type="str"),
    guard_jql=dict(type="str"),
    guard_path=dict(type="str"),
    paginate=dict(type="bool", default=False),
    page_size=dict(type="int"),
    max_items=dict(type="int"),
    concurrent_pages=dict(type="int", default=4),
    max_pages=dict(type="int", default=1000),
    dest=dict(type="path"),
    mode=dict(type="raw"),
)
MODULE_KWARGS = module_kwargs(ARGUMENT_SPEC, mutually_exclusive=[("guard_jql", "guard_path")])
ALREADY_ABSENT = "Already absent: nothing deleted."


def run(params, client, task):
    return JiraRequest(params, client, task).result()


class JiraRequest:
    """One task of jira_request: the validated call, the task's client and its context. Its methods are the kinds of
    call (read, create, update, delete); each returns the task result."""

    def __init__(self, params, client, task):
        self.call = Call(params)
        self.client = client
        self.task = task
        # Asked only when the task searches on its own (guard_jql): Cloud and Data Center search at different paths.
        self.deployment = Deployment(params.get("deployment"), lambda path: self.send("GET", path, accept=_any_status),
                                     task)

    def result(self):
        call, client = self.call, self.client
        try:
            result = self._dispatch()
        except InputError:
            raise  # nothing was sent
        except JiraError as exc:
            # A failed call reports the same bookkeeping as a successful one.
            defaults = dict(method=call.method, url=client.url_for(call.path), pages=0)
            missing = dict((key, value) for key, value in defaults.items() if key not in exc.fields)
            raise exc.with_fields(**dict(missing, retries=client.retries))
        result["retries"] = client.retries
        return self.task.without_diff(result)

    def _dispatch(self):
        if self.call.is_read:
            return self.read()
        if self.call.method == "POST":
            return self.create()
        if self.call.method == "DELETE":
            return self.delete()
        return self.update()

    def send(self, method, path, params=None, body=None, option="path", accept=None, role=None):
        """The task's checked call (JiraClient.call) with its headers; ``accept`` defaults to the task's status_code."""
        return self.client.call(method, path, accept=accept or self.call.accepts, role=role, params=params, body=body,
                                headers=self.call.headers, option=option)

    def read(self):
        """A GET, or a search sent as POST: paged when the task pages and Jira's answer is a page of items."""
        paged = pages.PagedRead(self.client, self.call, self.task.progress)
        response, merged = paged.read()
        if merged is None:
            return self._whole(response)
        result = _result(response, changed=False, pages=merged.pages, **paged.tally.fields())
        if self.call.dest:
            result.pop("json")
            return self._saved(result, merged.json_bytes())
        result["json"] = merged.value()
        return _warned_if_large(result, merged.count, paged.tally.size)

    def _whole(self, response):
        """The result of a read that is not paged: the answer as it came, or written to dest."""
        result = _result(response, changed=False)
        if not self.call.dest:
            return _warned_if_large(result, None, len(response.content)) if response.is_json else result
        if "json" in result:
            data = json.dumps(result.pop("json"), ensure_ascii=False).encode("utf-8")
        else:
            data = response.content
        result.pop("content", None)
        return self._saved(result, data)

    def _saved(self, result, data):
        """The answer written to ``dest`` instead of returned: a large answer then costs Ansible nothing to carry. An
        answer that echoes the credentials in any form is refused by write_if_different: no masking reaches a file."""
        call = self.call
        result["changed"] = write_if_different(call.dest, data, call.mode, self.task.check_mode,
                                               forms=secret_forms(self.client.secrets))
        result["dest"] = call.dest
        result["size"] = len(data)
        return result

    def _predicted(self, diff, msg):
        """The result of a write that check mode did not send."""
        return dict(changed=True, method=self.call.method, url=self.client.url_for(self.call.path), status=None,
                    pages=0, diff=diff, msg=msg, login_state=None, login_reason=[], captcha_triggered=False,
                    login_url=None, denied_reason=None)

    def create(self):
        """A POST: sent unless a guard (guard_jql or guard_path) finds the thing already there."""
        call = self.call
        match = self._guard_match()
        if match is not None:
            response, found = match
            return _result(response, changed=False, json=found, diff=dict(before=found, after=found),
                           msg="Not created: the guard found it already there.")
        if self.task.check_mode:
            return self._predicted(dict(before={}, after=call.body), "Would create (check mode): nothing was sent.")
        response = self.send("POST", call.path, call.params, call.body)
        return _result(response, changed=True, written=True, diff=dict(before={}, after=call.body))

    def _guard_match(self):
        """(response, the thing found) when the create guard finds a match, else None."""
        if self.call.guard_jql:
            return self._guard_jql_match()
        if self.call.guard_path:
            return self._guard_path_match()
        return None

    def _guard_jql_match(self):
        search = self.deployment.search_path
        query = {"jql": self.call.guard_jql, "maxResults": 1, "fields": "summary,status,issuetype,project"}
        response = self.send("GET", search, query, accept=(200,), role="guard_jql search")
        issues = answer_field(response.json, "issues", (list,), "the guard_jql search (GET %s)" % search)
        return (response, issues[0]) if issues else None

    def _guard_path_match(self):
        response = self.send("GET", self.call.guard_path, option="guard_path", accept=(200, 404),
                             role="guard_path read")
        if response.status == 404:
            return None
        found = response.json
        key = pager.items_key(found)
        if key is not None:
            return (response, found[key][0]) if found[key] else None
        if isinstance(found, list):
            return (response, found[0]) if found else None
        return response, found

    def _read_before_write(self, accept):
        call = self.call
        return self.send("GET", call.read_path or call.path, option="read_path" if call.read_path else "path",
                         accept=accept)

    def delete(self):
        """A DELETE: absent before (404) means unchanged."""
        call, check_mode = self.call, self.task.check_mode
        before = None
        if call.read_before_write or check_mode:
            read = self._read_before_write((200, 404))
            if read.status == 404:
                return _result(read, changed=False, diff=dict(before={}, after={}), msg=ALREADY_ABSENT)
            before = read.json
            if check_mode:
                return _result(read, changed=True, diff=dict(before=before, after={}),
                               msg="Would delete (check mode): nothing was sent.")
        response = self.send("DELETE", call.path, call.params, call.body,
                             accept=lambda status: status == 404 or call.accepts(status))
        if response.status == 404 and before is not None:
            # The read found it: a DELETE sent again after a broken connection finds its own work done.
            return _result(response, changed=True, written=True, diff=dict(before=before, after={}),
                           msg="Deleted (Jira answered 404: it was gone by the time the DELETE was answered).")
        if response.status == 404:
            return _result(response, changed=False, diff=dict(before={}, after={}), msg=ALREADY_ABSENT)
        return _result(response, changed=True, written=True, diff=dict(before=before, after={}))

    def update(self):
        """A PUT or PATCH: the current state is read first; when every desired value already holds, nothing is
        written."""
        call = self.call
        comparable = isinstance(call.body, dict) and "update" not in call.body
        before = None
        if call.read_before_write and comparable:
            read = self._read_before_write((200,))
            before = read.json
            if is_subset(call.body, before):
                shown = project_onto(before, call.body)
                return _result(read, changed=False, diff=dict(before=shown, after=shown),
                               msg="Already as desired: nothing written.")
        diff = dict(before=project_onto(before, call.body) if before is not None else None, after=call.body)
        if self.task.check_mode:
            return self._predicted(diff, "Would write (check mode): nothing was sent.")
        response = self.send(call.method, call.path, call.params, call.body)
        return _result(response, changed=True, written=True, diff=diff)


def _any_status(status):
    return True  # the caller reads the status itself (serverInfo: deployment._checked_info names what is wrong)


def _result(response, changed, pages=1, written=False, **extra):
    """The task result from ``response``; ``written``: it answered a write that Jira did, so even an answer that cannot
    be read leaves the task changed."""
    try:
        result = response_fields(response, changed=changed, pages=pages)
    except ResponseError as exc:
        if not written:
            raise
        raise exc.after_write("Jira answered %s %s with %s, so the write was done, but its answer cannot be read."
                              % (response.method, readable(path_of(response.url)), response.status),
                              status=response.status)
    result.update(extra)
    return result


def _warned_if_large(result, items, size):
    warning = pages.size_warning(items, size)
    if warning:
        result.setdefault("warnings", []).append(warning)
    return result

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
import re



from ansible_collections.jiraops.jira.plugins.module_utils.request import pages

from ansible_collections.jiraops.jira.plugins.module_utils.http import pager
from ansible_collections.jiraops.jira.plugins.module_utils.common.arguments import connection_spec, module_kwargs
from ansible_collections.jiraops.jira.plugins.module_utils.request.inputs import checked_body, checked_headers, query_value
from ansible_collections.jiraops.jira.plugins.module_utils.http.answers import path_of, readable, response_fields
from ansible_collections.jiraops.jira.plugins.module_utils.http.transport import MAX_CONNECTIONS
from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import Deployment
from ansible_collections.jiraops.jira.plugins.module_utils.request.dest import check_dest, parse_mode, write_if_different
from ansible_collections.jiraops.jira.plugins.module_utils.common.compare import is_subset, project_onto
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError, JiraError, ResponseError, answer_field
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import secret_forms
from ansible_collections.jiraops.jira.plugins.module_utils.http.urls import check_path

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
# POSTs that only read: Jira's JQL searches.
READ_ONLY_POST = re.compile(r"/search(/jql)?/?$")

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


def run(params, client, check_mode, diff):
    call = Call(params)
    # Asked only when the task searches on its own (guard_jql): Cloud and Data Center search at different paths.
    call.deployment = Deployment(params.get("deployment"), lambda path: _send(client, call, "GET", path, accept=_any_status))
    try:
        result = _dispatch(client, call, check_mode)
    except InputError:
        raise  # nothing was sent
    except JiraError as exc:
        # A failed call reports the same bookkeeping as a successful one.
        for key, value in dict(method=call.method, url=client.url_for(call.path), pages=0).items():
            exc.fields.setdefault(key, value)
        exc.fields["retries"] = client.retries
        raise
    if not diff:
        result.pop("diff", None)
    result["retries"] = client.retries
    return result


def _dispatch(client, call, check_mode):
    if call.is_read:
        return _read(client, call, check_mode)
    if call.method == "POST":
        return _create(client, call, check_mode)
    if call.method == "DELETE":
        return _delete(client, call, check_mode)
    return _update(client, call, check_mode)


class Call:
    """The validated description of one call; every input error is raised here, before anything is sent."""

    def __init__(self, params):
        self.method = params["method"].upper()
        self.path = params["path"]
        self.params = dict((str(k), query_value(v)) for k, v in (params.get("params") or {}).items())
        self.headers = checked_headers(params.get("headers") or {})
        self.body = checked_body(params.get("body"))
        self.accepted = params.get("status_code")
        self.is_read = self.method in ("GET", "HEAD") or (self.method == "POST" and bool(READ_ONLY_POST.search(self.path)))
        self.read_before_write = params["read_before_write"]
        self.read_path = params.get("read_path")
        self.guard_jql = params.get("guard_jql")
        self.guard_path = params.get("guard_path")
        self.paginate = params["paginate"]
        self.page_size = params.get("page_size")
        self.max_items = params.get("max_items")
        self.concurrent_pages = 1 if params.get("concurrent_pages") is None else params["concurrent_pages"]
        self.max_pages = 1000 if params.get("max_pages") is None else params["max_pages"]
        self.dest = params.get("dest")
        self.mode = parse_mode(params.get("mode"))
        self.deployment = None  # set by run(): it needs the client
        self._check_combinations()

    def _check_combinations(self):
        for option in ("path", "read_path", "guard_path"):
            if option == "path" or getattr(self, option):
                check_path(getattr(self, option), option)
        if (self.guard_jql or self.guard_path) and (self.method != "POST" or self.is_read):
            raise InputError("guard_jql" if self.guard_jql else "guard_path", "only applies to creates (method POST)",
                             "Remove it, or use method: POST.")
        if self.read_path and self.method not in ("PUT", "PATCH", "DELETE"):
            raise InputError("read_path", "only applies to PUT, PATCH and DELETE", "Remove it for method %s." % self.method)
        if self.dest and not self.is_read:
            raise InputError("dest", "only applies to reads (GET, or a search sent as POST)", "Remove it for method %s." % self.method)
        if self.mode is not None and not self.dest:
            raise InputError("mode", "only applies with dest", "Remove it, or set dest.")
        if self.dest:
            check_dest(self.dest)
        if self.paginate and not self.is_read:
            raise InputError("paginate", "only applies to reads (GET, or a search sent as POST)", "Remove it for method %s." % self.method)
        if not 1 <= self.concurrent_pages <= MAX_CONNECTIONS:
            raise InputError("concurrent_pages", "must be between 1 and %d" % MAX_CONNECTIONS,
                             "Give 1 to fetch one page at a time, or a small number (the default is 4).")
        if self.body is not None and self.method in ("GET", "HEAD"):
            raise InputError("body", "is set for method %s, which sends no body" % self.method, "Use params for a query, or another method.")

    def accepts(self, status):
        if self.accepted:
            return status in self.accepted
        return 200 <= status < 300


def _send(client, call, method, path, params=None, body=None, option="path", accept=None, role=None):
    """The task's checked call (JiraClient.call) with its headers; ``accept`` defaults to the task's status_code."""
    # A search sent as POST is a read: safe to send again. Otherwise the method decides.
    repeatable = True if call.is_read and method == call.method else None
    return client.call(method, path, accept=accept or call.accepts, role=role, params=params, body=body,
                       headers=call.headers, option=option, repeatable=repeatable)


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
                              % (response.method, readable(path_of(response.url)), response.status), status=response.status)
    result.update(extra)
    return result


def _predicted(client, call, diff, msg):
    """The result of a write that check mode did not send."""
    return dict(changed=True, method=call.method, url=client.url_for(call.path), status=None, pages=0, diff=diff, msg=msg,
                login_state=None, login_reason=[], captcha_triggered=False, login_url=None, denied_reason=None)


def _read(client, call, check_mode):
    body, params = call.body, dict(call.params)
    if call.paginate:
        body, params = pages.with_page_size(call, body, params)
    tally = pages.Tally("%s %s" % (call.method, call.path), getattr(client, "progress", None))
    response = _send(client, call, call.method, call.path, params, body)
    first, text, spans = _decoded(call, response)
    if not call.paginate or pager.items_key(first) is None:
        return _whole(client, call, response, check_mode)
    # With dest, each page's items are kept as the JSON text Jira sent, and the page is dropped.
    merged = pager.MergedPages(first, call.max_items, as_json=bool(call.dest), text=text, spans=spans)
    tally.add(merged.count, len(response.content))
    _merge_following_pages(client, call, merged, tally, body, params)
    result = _result(response, changed=False, pages=merged.pages, **tally.fields())
    if call.dest:
        result.pop("json")
        return _saved(client, call, result, merged.json_bytes(), check_mode)
    result["json"] = merged.value()
    return _warned_if_large(result, merged.count, tally.size)


def _merge_following_pages(client, call, merged, tally, body, params):
    """Every page after the first merged into ``merged``, and counted in ``tally``."""

    def fetch(page_body, page_params):
        answer = _send(client, call, call.method, call.path, page_params, page_body)
        return _decoded(call, answer) + (len(answer.content),)

    for page, text, spans, size in pages.following_pages(call, merged, body, params, fetch):
        merged.add(page, text, spans)
        tally.add(merged.count, size)
    tally.finish()


def _whole(client, call, response, check_mode):
    """The result of a read that is not paged: the answer as it came, or written to dest."""
    result = _result(response, changed=False)
    if not call.dest:
        return _warned_if_large(result, None, len(response.content)) if response.is_json else result
    data = json.dumps(result.pop("json"), ensure_ascii=False).encode("utf-8") if "json" in result else response.content
    result.pop("content", None)
    return _saved(client, call, result, data, check_mode)


def _warned_if_large(result, items, size):
    warning = pages.size_warning(items, size)
    if warning:
        result.setdefault("warnings", []).append(warning)
    return result


def _saved(client, call, result, data, check_mode):
    """The answer written to ``dest`` instead of returned: a large answer then costs Ansible nothing to carry. An answer
    that echoes the credentials in any form is refused by write_if_different: no masking reaches a file."""
    result["changed"] = write_if_different(call.dest, data, call.mode, check_mode, forms=secret_forms(client.secrets))
    result["dest"] = call.dest
    result["size"] = len(data)
    return result


def _decoded(call, response):
    """(page, text, spans): for pages written to dest, also the text Jira sent and where each member sits in it,
    so that the items can be written as they came instead of being encoded again."""
    if call.dest and call.paginate:
        page, spans = response.json_with_spans(pager.decode_with_spans)
        return page, response.text, spans
    return response.json, None, None


def _create(client, call, check_mode):
    match = _guard_match(client, call)
    if match is not None:
        response, found = match
        return _result(response, changed=False, json=found, diff=dict(before=found, after=found),
                       msg="Not created: the guard found it already there.")
    if check_mode:
        return _predicted(client, call, dict(before={}, after=call.body), "Would create (check mode): nothing was sent.")
    response = _send(client, call, "POST", call.path, call.params, call.body)
    return _result(response, changed=True, written=True, diff=dict(before={}, after=call.body))


def _guard_match(client, call):
    """(response, the thing found) when the create guard finds a match, else None."""
    if call.guard_jql:
        query = {"jql": call.guard_jql, "maxResults": 1, "fields": "summary,status,issuetype,project"}
        response = _send(client, call, "GET", call.deployment.search_path, query, accept=(200,), role="guard_jql search")
        issues = answer_field(response.json, "issues", (list,), "the guard_jql search (GET %s)" % call.deployment.search_path)
        return (response, issues[0]) if issues else None
    if call.guard_path:
        response = _send(client, call, "GET", call.guard_path, option="guard_path", accept=(200, 404), role="guard_path read")
        if response.status == 404:
            return None
        found = response.json
        key = pager.items_key(found)
        if key is not None:
            return (response, found[key][0]) if found[key] else None
        if isinstance(found, list):
            return (response, found[0]) if found else None
        return response, found
    return None


def _delete(client, call, check_mode):
    before = None
    if call.read_before_write or check_mode:
        read = _send(client, call, "GET", call.read_path or call.path, option="read_path" if call.read_path else "path",
                     accept=(200, 404))
        if read.status == 404:
            return _result(read, changed=False, diff=dict(before={}, after={}), msg="Already absent: nothing deleted.")
        before = read.json
        if check_mode:
            return _result(read, changed=True, diff=dict(before=before, after={}), msg="Would delete (check mode): nothing was sent.")
    response = _send(client, call, "DELETE", call.path, call.params, call.body,
                     accept=lambda status: status == 404 or call.accepts(status))
    if response.status == 404 and before is not None:
        # The read found it: a DELETE sent again after a broken connection finds its own work done.
        return _result(response, changed=True, written=True, diff=dict(before=before, after={}),
                       msg="Deleted (Jira answered 404: it was gone by the time the DELETE was answered).")
    if response.status == 404:
        return _result(response, changed=False, diff=dict(before={}, after={}), msg="Already absent: nothing deleted.")
    return _result(response, changed=True, written=True, diff=dict(before=before, after={}))


def _update(client, call, check_mode):
    comparable = isinstance(call.body, dict) and "update" not in call.body
    before = None
    if call.read_before_write and comparable:
        read = _send(client, call, "GET", call.read_path or call.path, option="read_path" if call.read_path else "path",
                     accept=(200,))
        before = read.json
        if is_subset(call.body, before):
            shown = project_onto(before, call.body)
            return _result(read, changed=False, diff=dict(before=shown, after=shown), msg="Already as desired: nothing written.")
    diff = dict(before=project_onto(before, call.body) if before is not None else None, after=call.body)
    if check_mode:
        return _predicted(client, call, diff, "Would write (check mode): nothing was sent.")
    response = _send(client, call, call.method, call.path, call.params, call.body)
    return _result(response, changed=True, written=True, diff=diff)

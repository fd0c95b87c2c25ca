# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure parts of module_utils/request/logic.py: Call validation, paging and failure messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.jiraops.jira.plugins.module_utils.common import arguments

from ansible_collections.jiraops.jira.plugins.module_utils.rest.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.request import logic
from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

DEFAULTS = dict(
    method="GET", path="/rest/api/2/myself", params={}, body=None, headers={}, status_code=None,
    read_before_write=True, read_path=None, guard_jql=None, guard_path=None, paginate=False, page_size=None,
    max_items=None,
)


def make(**options):
    params = dict(DEFAULTS)
    params.update(options)
    return logic.Call(params)


def refused(option, problem, **options):
    """Assert that Call(options) raises an InputError for ``option`` whose message starts with ``problem``;
    return it."""
    with pytest.raises(InputError) as err:
        make(**options)
    assert err.value.fields == {"option": option}
    assert err.value.msg.startswith("Option '%s': %s" % (option, problem)), err.value.msg
    return err.value


# ---------------------------------------------------------------- basic fields

def test_defaults():
    call = make()
    assert call.method == "GET"
    assert call.path == "/rest/api/2/myself"
    assert call.params == {}
    assert call.headers == {}
    assert call.body is None
    assert call.is_read is True
    assert call.paginate is False


@pytest.mark.parametrize("method, path, is_read", [
    ("GET", "/rest/api/2/issue/A-1", True),
    ("get", "/rest/api/2/issue/A-1", True),
    ("HEAD", "/rest/api/2/issue/A-1", True),
    ("POST", "/rest/api/2/search", True),
    ("post", "/rest/api/2/search/", True),
    ("POST", "/rest/api/3/search/jql", True),
    ("POST", "/rest/api/3/search/jql/", True),
    ("POST", "https://jira.example.com/rest/api/2/search", True),
    ("POST", "/rest/api/2/issue", False),
    ("POST", "/rest/api/2/search/other", False),
    ("POST", "/rest/api/2/searches", False),
    ("PUT", "/rest/api/2/search", False),
    ("DELETE", "/rest/api/2/issue/A-1", False),
    ("PATCH", "/rest/api/2/issue/A-1", False),
])
def test_is_read(method, path, is_read):
    call = make(method=method, path=path)
    assert call.method == method.upper()
    assert call.is_read is is_read


def test_query_values_are_converted():
    call = make(params={"a": True, "b": False, "fields": ["summary", "status"], "expand": ("names",), "n": 5, 1: "x",
                        "jql": "project = A"})
    assert call.params == {"a": "true", "b": "false", "fields": "summary,status", "expand": "names", "n": 5, "1": "x",
                           "jql": "project = A"}


def test_params_none_is_empty():
    assert make(params=None).params == {}
    assert make(headers=None).headers == {}


def test_headers_are_kept_as_strings():
    call = make(headers={"X-Foo": "bar", "X-Num": 5, "Accept": "text/html", "X-Atlassian-Token": "nocheck"})
    assert call.headers == {"X-Foo": "bar", "X-Num": "5", "Accept": "text/html", "X-Atlassian-Token": "nocheck"}


@pytest.mark.parametrize("name", ["Authorization", "authorization", "Cookie", "PROXY-AUTHORIZATION", "Host",
                                  "Content-Length", "Transfer-Encoding", "connection", "TE", "Upgrade", "Expect"])
def test_managed_headers_are_refused(name):
    err = refused("headers", "sets %s, which the collection manages" % name,
                  headers={"X-Ok": "1", name: "s3cret-value"})
    assert err.msg == ("Option 'headers': sets %s, which the collection manages. Remove it; "
                       "use username/password or token for authentication, and body for the content." % name)
    assert "s3cret" not in err.msg


@pytest.mark.parametrize("headers, problem", [
    ({"X-Foo": "bar\n"}, "header X-Foo has a line break or another control character in its value"),
    ({"X-Foo": "bar\r\nX-Injected: 1"}, "header X-Foo has a line break or another control character in its value"),
    ({"X-Foo": "a\0b"}, "header X-Foo has a line break or another control character in its value"),
    ({"X-Foo": "caf\u00e9 \u2603"},
     "header X-Foo has characters in its value that HTTP headers cannot carry (beyond Latin-1)"),
    ({"X-Foo\r": "bar"}, "has a header name that is not an HTTP token"),
    ({"X-A:b": "c"}, "has a header name that is not an HTTP token"),
    ({"X A": "b"}, "has a header name that is not an HTTP token"),
    ({" Cookie ": "b"}, "has a header name that is not an HTTP token"),
    ({"X-\u00c4": "b"}, "has a header name that is not an HTTP token"),
    ({"": "x"}, "has a header name that is not an HTTP token"),
    ({"   ": "x"}, "has a header name that is not an HTTP token"),
    ({"X-Foo": "1", "x-foo": "2"}, "sets x-foo twice (header names ignore case)"),
])
def test_bad_headers_are_refused(headers, problem):
    err = refused("headers", problem, headers=headers)
    assert "Option 'headers': %s" % problem in err.msg


def test_a_tab_and_latin1_are_fine_in_a_header_value():
    assert make(headers={"X-Foo": "caf\u00e9\tbar"}).headers == {"X-Foo": "caf\u00e9\tbar"}


# ---------------------------------------------------------------- body

@pytest.mark.parametrize("body, expected", [
    ('{"fields": {"summary": "x"}}', {"fields": {"summary": "x"}}),
    ("[1, 2]", [1, 2]),
    ('"text"', "text"),
    ("3", 3),
    ("null", None),
    ({"fields": {"labels": ["a"]}}, {"fields": {"labels": ["a"]}}),
    ([{"add": {"labels": "x"}}], [{"add": {"labels": "x"}}]),
    (0, 0),
    (False, False),
])
def test_body_accepted(body, expected):
    call = make(method="PUT", path="/rest/api/2/issue/A-1", body=body)
    assert call.body == expected
    assert type(call.body) is type(expected)


def test_body_mapping_is_kept_as_given():
    body = {"fields": {"summary": "x"}}
    assert make(method="POST", path="/rest/api/2/issue", body=body).body is body


@pytest.mark.parametrize("body", ['{"a":', "", "not json", "{'a': 1}"])
def test_body_string_must_be_json(body):
    refused("body", "is a string that is not valid JSON (", method="POST", path="/rest/api/2/issue", body=body)


@pytest.mark.parametrize("body", [{"a": object()}, {"a": {1, 2}}, b"bytes", {"a": b"x"}, {(1, 2): "tuple key"}])
def test_body_must_be_json_serialisable(body):
    err = refused("body", "cannot be sent as JSON (", method="POST", path="/rest/api/2/issue", body=body)
    assert err.msg.endswith("Give mappings, lists, strings, numbers, booleans and nulls only.")


@pytest.mark.parametrize("method", ["GET", "HEAD", "get"])
@pytest.mark.parametrize("body", [{"a": 1}, '{"a": 1}', [], 0, False])
def test_body_with_get_or_head_is_refused(method, body):
    err = refused("body", "is set for method %s, which sends no body" % method.upper(), method=method, body=body)
    assert err.msg.endswith(". Use params for a query, or another method.")


def test_json_null_body_with_get_is_no_body():
    assert make(method="GET", body="null").body is None


# ---------------------------------------------------------------- option combinations

@pytest.mark.parametrize("method, path", [
    ("GET", "/rest/api/2/issue"), ("PUT", "/rest/api/2/issue/A-1"), ("DELETE", "/rest/api/2/issue/A-1"),
    ("PATCH", "/rest/api/2/issue/A-1"), ("HEAD", "/rest/api/2/issue"), ("POST", "/rest/api/2/search"),
])
@pytest.mark.parametrize("option", ["guard_jql", "guard_path"])
def test_guards_only_apply_to_creates(method, path, option):
    err = refused(option, "only applies to creates (method POST)", method=method, path=path, **{option: "x"})
    assert err.msg == "Option '%s': only applies to creates (method POST). Remove it, or use method: POST." % option


@pytest.mark.parametrize("option", ["guard_jql", "guard_path"])
def test_guards_allowed_on_create(option):
    value = "project = A" if option == "guard_jql" else "/rest/api/2/issue/A-1"
    call = make(method="POST", path="/rest/api/2/issue", body={"fields": {}}, **{option: value})
    assert getattr(call, option) == value
    assert call.is_read is False


def test_both_guards_on_get_name_guard_jql():
    refused("guard_jql", "only applies to creates", method="GET", guard_jql="x", guard_path="/y")


@pytest.mark.parametrize("method, path", [("GET", "/x"), ("HEAD", "/x"), ("POST", "/rest/api/2/issue"),
                                          ("POST", "/rest/api/2/search")])
def test_read_path_only_for_writes_that_read_first(method, path):
    err = refused("read_path", "only applies to PUT, PATCH and DELETE", method=method, path=path,
                  read_path="/rest/api/2/issue/A-1")
    assert err.msg == "Option 'read_path': only applies to PUT, PATCH and DELETE. Remove it for method %s." % method


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_read_path_allowed(method):
    read_path = "/rest/api/2/issue/A-1/x"
    assert make(method=method, path="/rest/api/2/issue/A-1", read_path=read_path).read_path == read_path


@pytest.mark.parametrize("option, value, problem", [
    ("path", "/rest/..;/secure/admin", "contains a '..' segment"),
    ("read_path", "/rest/api/2/issue/%zz", "contains a '%' that does not start an escape of two hex digits"),
    ("guard_path", "/rest/api/2/issue?jql=x", "contains '?' or '#'"),
])
def test_every_path_is_checked_before_anything_is_sent(option, value, problem):
    args = dict(method="PUT" if option == "read_path" else "POST", path="/rest/api/2/issue/A-1", body={"fields": {}})
    args[option] = value
    refused(option, problem, **args)


@pytest.mark.parametrize("method, path", [("POST", "/rest/api/2/issue"), ("PUT", "/rest/api/2/search"),
                                          ("DELETE", "/x"), ("PATCH", "/x")])
def test_paginate_only_for_reads(method, path):
    err = refused("paginate", "only applies to reads (GET, or a search sent as POST)", method=method, path=path,
                  paginate=True)
    assert err.msg.endswith("Remove it for method %s." % method)


@pytest.mark.parametrize("method, path", [("GET", "/rest/api/2/search"), ("POST", "/rest/api/2/search"), ("HEAD", "/x"),
                                          ("POST", "/rest/api/3/search/jql")])
def test_paginate_allowed_for_reads(method, path):
    assert make(method=method, path=path, paginate=True, page_size=50, max_items=10).paginate is True


@pytest.mark.parametrize("option", ["page_size", "max_items", "max_pages"])
@pytest.mark.parametrize("value", [0, -1, -100])
def test_sizes_must_be_positive(option, value):
    """Checked with every numeric option (arguments.check_values), before the client is built."""
    with pytest.raises(InputError) as err:
        arguments.check_values({option: value})
    assert err.value.msg.startswith("Option '%s': is %d, but must be at least 1. Give " % (option, value))


@pytest.mark.parametrize("option", ["page_size", "max_items"])
def test_size_one_is_allowed(option):
    assert getattr(make(**{option: 1}), option) == 1


# ---------------------------------------------------------------- accepts

@pytest.mark.parametrize("accepted, status, expected", [
    (None, 199, False), (None, 200, True), (None, 201, True), (None, 204, True), (None, 299, True), (None, 300, False),
    (None, 404, False), (None, 500, False), ([], 200, True), ([], 404, False),
    ([200, 404], 404, True), ([200, 404], 200, True), ([200, 404], 201, False), ([500], 500, True),
])
def test_accepts(accepted, status, expected):
    assert make(status_code=accepted).accepts(status) is expected


# ---------------------------------------------------------------- paging: concurrent pages, in order

class _Login:
    state = "ok"

    @staticmethod
    def fields():
        return {}


class _Page:
    """What _send needs of a Response."""

    def __init__(self, url, json_body):
        self.status, self.url, self.method, self.json = 200, url, "GET", json_body
        self.headers, self.login, self.is_json = {"x-arequestid": "1158x1253552x2"}, _Login(), True
        self.text = json.dumps(json_body, separators=(",", ":"))  # compact, as Jira writes it
        self.content = self.text.encode("utf-8")

    def json_with_spans(self, decode_with_spans):
        return decode_with_spans(self.text)


class _PagingJira:
    """A client double serving a search whose issues can change between pages (``changes``: once call N is answered)."""

    def __init__(self, total, size, changes=None, short=None):
        self.issues = ["I-%d" % n for n in range(total)]
        self.size, self.changes, self.calls, self.retries = size, changes or {}, [], 0
        self.secrets = ("s3cret-pw",)
        self.short = short or {}  # startAt: how many items that page holds instead of size

    def request(self, method, path, params=None, body=None, headers=None, option="path", repeatable=None):
        start = int((params or {}).get("startAt") or 0)
        self.calls.append(start)
        end = start + self.short.get(start, self.size)
        page = {"startAt": start, "maxResults": self.size, "total": len(self.issues), "issues": self.issues[start:end]}
        change = self.changes.get(len(self.calls))
        if change:
            change(self.issues)
        return _Page("https://jira.example.com%s" % path, page)

    def check_login(self, response):
        return None

    def call(self, method, path, accept=(200,), role=None, raw=False, **options):
        return JiraClient.checked(self, self.request(method, path, **options), accept, role, raw)

    def url_for(self, path, option="path"):
        return "https://jira.example.com" + path


def _search(jira, **options):
    params = dict(DEFAULTS, path="/rest/api/2/search", params={"jql": "project = I", "maxResults": jira.size},
                  paginate=True, concurrent_pages=4)
    params.update(options)
    return logic.run(params, jira, TaskContext())


@pytest.mark.parametrize("concurrent_pages", [1, 2, 4, 16])
def test_paging_gives_every_item_once_in_order(concurrent_pages):
    jira = _PagingJira(total=23, size=5)
    result = _search(jira, concurrent_pages=concurrent_pages)
    assert result["json"]["issues"] == ["I-%d" % n for n in range(23)]
    assert result["pages"] == 5 and sorted(jira.calls) == [0, 5, 10, 15, 20]


def test_paging_with_max_items_fetches_only_the_pages_needed():
    jira = _PagingJira(total=100, size=5)
    result = _search(jira, max_items=12)
    assert result["json"]["issues"] == ["I-%d" % n for n in range(12)]
    assert sorted(jira.calls) == [0, 5, 10]


def test_paging_follows_jira_when_items_are_removed_meanwhile():
    """Two issues disappear after the first page: the planned pages no longer line up, and paging goes on from where
    each page really ended, exactly as one page at a time would."""
    jira = _PagingJira(total=20, size=5, changes={1: lambda issues: issues.__delitem__(slice(5, 7))})
    result = _search(jira)
    sequential = _PagingJira(total=20, size=5, changes={1: lambda issues: issues.__delitem__(slice(5, 7))})
    expected = _search(sequential, concurrent_pages=1)
    assert result["json"]["issues"] == expected["json"]["issues"]
    assert result["json"]["total"] == 20 and len(result["json"]["issues"]) == 18


def test_paging_follows_a_short_page_instead_of_the_plan():
    """A page with fewer items than the first one (Jira filters what the user may not see) moves every later page:
    the planned ones are dropped and paging goes on one page at a time from where the short page ended."""
    jira = _PagingJira(total=20, size=5, short={5: 3})
    result = _search(jira)
    assert result["json"]["issues"] == ["I-%d" % n for n in range(20)]
    assert result["pages"] == 5
    assert jira.calls[0] == 0 and jira.calls[-2:] == [13, 18] and jira.calls.count(13) == 1


def test_paging_goes_on_when_items_are_added_meanwhile():
    jira = _PagingJira(total=10, size=5, changes={1: lambda issues: issues.extend(["I-10", "I-11"])})
    result = _search(jira)
    assert result["json"]["issues"] == ["I-%d" % n for n in range(12)]


@pytest.mark.parametrize("value", [0, -1, 17])
def test_concurrent_pages_out_of_range_is_refused(value):
    refused("concurrent_pages", "must be between 1 and 16", concurrent_pages=value)


def test_dest_gets_the_merged_pages_as_json(tmp_path):
    dest = tmp_path / "issues.json"
    result = _search(_PagingJira(total=7, size=3), dest=str(dest))
    assert "json" not in result and result["changed"] is True and result["pages"] == 3
    assert json.loads(dest.read_bytes()) == {"startAt": 0, "maxResults": 7, "total": 7,
                                             "issues": ["I-%d" % n for n in range(7)]}
    assert b'"issues": ["I-0","I-1","I-2", "I-3","I-4","I-5", "I-6"]' in dest.read_bytes()  # each page's items as sent
    assert _search(_PagingJira(total=7, size=3), dest=str(dest))["changed"] is False


@given(total=st.integers(min_value=0, max_value=60), size=st.integers(min_value=1, max_value=9),
       short=st.dictionaries(st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=8), max_size=3),
       concurrent_pages=st.integers(min_value=2, max_value=6),
       max_items=st.one_of(st.none(), st.integers(min_value=1, max_value=70)),
       dest=st.booleans())
@settings(max_examples=150, deadline=None)
def test_concurrent_paging_gives_what_one_page_at_a_time_gives(tmp_path_factory, total, size, short, concurrent_pages,
                                                               max_items, dest):
    """Whatever the pages hold (short pages included), fetching them concurrently gives the answer, page count and
    file that fetching them one by one gives."""
    outcomes = []
    for pages_at_once in (1, concurrent_pages):
        path = str(tmp_path_factory.mktemp("dest") / "issues.json") if dest else None
        jira = _PagingJira(total=total, size=size, short=short)
        result = _search(jira, concurrent_pages=pages_at_once, max_items=max_items, dest=path)
        answer = json.loads(open(path, "rb").read()) if dest else result["json"]
        outcomes.append((answer, result["pages"]))
    assert outcomes[0] == outcomes[1]


# ---------------------------------------------------------------- failure messages that say what to do

def _answer(status, url, body, credentials_sent=True):
    from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response
    from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state
    headers = {"content-type": "application/json"}
    if not credentials_sent:
        headers["x-ausername"] = "anonymous"
    if credentials_sent:
        headers.update({"x-seraph-loginreason": "OK", "x-ausername": "fred"})
    content = json.dumps(body).encode("utf-8")
    login = login_state.read_login(status, headers, content.decode(), credentials_sent)
    return Response("GET", url, status, headers, content, login)


def _checked(answer, role=None):
    """The one check every call's answer goes through (JiraClient.checked), for a task that accepts 200."""
    return JiraClient({"url": "https://jira.example.com"}).checked(answer, (200,), role)


def test_a_failing_guard_is_named_and_its_jql_reads_as_written():
    answer = _answer(400, "https://jira.example.com/rest/api/2/search?jql=summary+%7E+%22a+b%22&maxResults=1",
                     {"errorMessages": ["Error in the JQL Query"], "errors": {}})
    with pytest.raises(logic.ResponseError) as raised:
        _checked(answer, role="guard_jql search")
    assert raised.value.msg == ('The guard_jql search failed. '
                                'Jira answered GET /rest/api/2/search?jql=summary ~ "a b"&maxResults=1 '
                                'with 400: Error in the JQL Query')


def test_a_404_without_credentials_says_none_were_sent():
    answer = _answer(404, "https://jira.example.com/rest/api/2/issue/PRIV-1",
                     {"errorMessages": ["Issue does not exist or you do not have permission to see it."]},
                     credentials_sent=False)
    with pytest.raises(logic.ResponseError) as raised:
        _checked(answer)
    assert raised.value.msg.endswith("No credentials were sent, so Jira answered as the anonymous user, "
                                     "who may not see it: set username and password (or token).")
    with_credentials = _answer(404, "https://jira.example.com/rest/api/2/issue/PRIV-1", {"errorMessages": ["x"]})
    with pytest.raises(logic.ResponseError) as raised:
        _checked(with_credentials)
    assert "No credentials were sent" not in raised.value.msg

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/request/pages.py: the page size asked for (also when the task gives none), the tally and
its progress lines, the large-answer warning, and paging that follows what Jira sent rather than what was asked for."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.request import pages

from ansible_collections.jiraops.jira.plugins.module_utils.rest.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.request import logic

from ansible_collections.jiraops.jira.plugins.module_utils import task
from ansible_collections.jiraops.jira.plugins.module_utils.login.masking import MASK
from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext
from ansible_collections.jiraops.jira.plugins.module_utils.request.pages import default_page_size, ids_only

DEFAULTS = dict(
    method="GET", path="/rest/api/2/search", params={}, body=None, headers={}, status_code=None, read_before_write=True,
    read_path=None, guard_jql=None, guard_path=None, paginate=True, page_size=None, max_items=None, concurrent_pages=4,
)


def make(**options):
    return logic.Call(dict(DEFAULTS, **options))


# ---------------------------------------------------------------- the page size asked for

@pytest.mark.parametrize("options, params, body, expected_params, expected_body", [
    # no page size given: the endpoint family's largest page, where the position goes
    ({}, {"jql": "x"}, None, {"jql": "x", "maxResults": 1000}, None),
    ({"path": "/rest/api/3/search/jql"}, {"jql": "x"}, None, {"jql": "x", "maxResults": 5000}, None),
    ({"path": "/rest/api/3/search/jql"}, {"jql": "x", "fields": "summary"}, None,
     {"jql": "x", "fields": "summary", "maxResults": 100}, None),
    ({"method": "POST", "path": "/rest/api/3/search/jql"}, {}, {"jql": "x", "fields": ["key"]},
     {}, {"jql": "x", "fields": ["key"], "maxResults": 5000}),
    ({"method": "POST", "path": "/rest/api/3/search/jql"}, {}, {"jql": "x", "fields": ["summary"]},
     {}, {"jql": "x", "fields": ["summary"], "maxResults": 100}),
    ({"path": "/rest/api/2/issue/A-1/comment"}, {}, None, {"maxResults": 5000}, None),
    ({"path": "/rest/api/2/project/A/version"}, {}, None, {"maxResults": 100}, None),
    # page_size wins, over a maxResults of the task's too
    ({"page_size": 7}, {"jql": "x"}, None, {"jql": "x", "maxResults": 7}, None),
    ({"page_size": 7}, {"jql": "x", "maxResults": 3}, None, {"jql": "x", "maxResults": 7}, None),
    # a maxResults the task gave itself stays
    ({}, {"jql": "x", "maxResults": 3}, None, {"jql": "x", "maxResults": 3}, None),
    ({"method": "POST"}, {}, {"jql": "x", "maxResults": 3}, {}, {"jql": "x", "maxResults": 3}),
    # the position the task asked for is kept
    ({}, {"jql": "x", "startAt": 40}, None, {"jql": "x", "startAt": 40, "maxResults": 1000}, None),
    ({"method": "POST"}, {}, {"jql": "x", "startAt": 40}, {}, {"jql": "x", "startAt": 40, "maxResults": 1000}),
])
def test_with_page_size(options, params, body, expected_params, expected_body):
    call = make(**options)
    assert pages.with_page_size(call, body, params) == (expected_body, expected_params)


# ---------------------------------------------------------------- following what Jira sent

class _CappingJira:
    """A search that caps maxResults at ``cap`` (Jira's jira.search.views.default.max), and says so in each page as
    Jira does. ``claims``: what each page says its maxResults is, when it differs from what it holds."""

    def __init__(self, total, cap, claims=None):
        self.issues = ["I-%d" % n for n in range(total)]
        self.cap, self.claims = cap, claims
        self.asked, self.starts, self.retries, self.secrets = [], [], 0, ("s3cret-pw",)

    def request(self, method, path, params=None, body=None, headers=None, option="path", repeatable=None):
        query = body if method == "POST" else params
        start, asked = int(query.get("startAt") or 0), query.get("maxResults")
        self.asked.append(asked)
        self.starts.append(start)
        size = min(int(asked or 50), self.cap)
        page = {"startAt": start, "maxResults": self.claims or size, "total": len(self.issues),
                "issues": self.issues[start:start + size]}
        return _Answer("https://jira.example.com%s" % path, page)

    def check_login(self, response):
        return None

    def call(self, method, path, accept=(200,), role=None, raw=False, **options):
        return JiraClient.checked(self, self.request(method, path, **options), accept, role, raw)

    def url_for(self, path, option="path"):
        return "https://jira.example.com" + path


class _Login:
    state = "ok"

    @staticmethod
    def fields():
        return {}


class _Answer:
    def __init__(self, url, body):
        self.status, self.url, self.method, self.json = 200, url, "GET", body
        self.headers, self.login, self.is_json = {"x-arequestid": "1158x1253552x2"}, _Login(), True
        self.text = json.dumps(body)
        self.content = self.text.encode("utf-8")

    def json_with_spans(self, decode_with_spans):
        return decode_with_spans(self.text)


def _search(jira, **options):
    params = dict(DEFAULTS, params={"jql": "project = I"})
    params.update(options)
    return logic.run(params, jira, TaskContext())


@pytest.mark.parametrize("concurrent_pages", [1, 4])
def test_no_page_size_asks_for_the_largest_page_and_follows_the_cap(concurrent_pages):
    jira = _CappingJira(total=2500, cap=100)
    result = _search(jira, concurrent_pages=concurrent_pages)
    assert set(jira.asked) == set([1000])
    assert sorted(jira.starts) == list(range(0, 2500, 100))
    assert result["pages"] == 25 and result["item_count"] == 2500
    assert result["json"]["issues"] == ["I-%d" % n for n in range(2500)]


def test_no_page_size_on_a_search_that_grants_it_takes_three_pages():
    jira = _CappingJira(total=2500, cap=1000)
    result = _search(jira)
    assert sorted(jira.starts) == [0, 1000, 2000] and result["pages"] == 3 and result["item_count"] == 2500


@pytest.mark.parametrize("concurrent_pages", [1, 4])
def test_paging_advances_by_the_items_sent_not_by_the_maxresults_claimed(concurrent_pages):
    """A page that says maxResults 1000 but holds 100 items: the next page starts after those 100."""
    jira = _CappingJira(total=450, cap=100, claims=1000)
    result = _search(jira, concurrent_pages=concurrent_pages)
    assert sorted(jira.starts) == [0, 100, 200, 300, 400]
    assert result["json"]["issues"] == ["I-%d" % n for n in range(450)]


def test_a_post_search_gets_its_page_size_in_the_body():
    jira = _CappingJira(total=30, cap=1000)
    result = _search(jira, method="POST", params={}, body={"jql": "project = I"}, page_size=10)
    assert jira.asked == [10, 10, 10] and result["pages"] == 3 and result["item_count"] == 30


def test_a_read_that_is_not_paged_reports_no_count_nor_seconds():
    jira = _CappingJira(total=3, cap=1000)
    result = _search(jira, paginate=False)
    assert result["pages"] == 1 and "item_count" not in result and "seconds" not in result
    assert jira.asked == [None]


def test_seconds_is_the_wall_time_rounded():
    jira = _CappingJira(total=300, cap=100)
    result = _search(jira)
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    assert result["seconds"] == round(result["seconds"], 2)


def test_dest_reports_the_count_too(tmp_path):
    result = _search(_CappingJira(total=250, cap=100), dest=str(tmp_path / "issues.json"))
    assert result["pages"] == 3 and result["item_count"] == 250 and "json" not in result


def test_max_items_counts_what_was_kept():
    result = _search(_CappingJira(total=2500, cap=100), max_items=250)
    assert result["item_count"] == 250 and result["pages"] == 3


# ---------------------------------------------------------------- the tally and its progress lines

class _Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _run_tally(page_count, per_page=1000, seconds_per_page=0.1, report=True):
    clock, lines = _Clock(), []
    tally = pages.Tally("GET /rest/api/2/search", lines.append if report else None, clock)
    for number in range(1, page_count + 1):
        clock.now += seconds_per_page
        tally.add(number * per_page, 1234)
    tally.finish()
    return tally, lines


def test_a_short_read_shows_no_line():
    tally, lines = _run_tally(3)
    assert lines == [] and tally.pages == 3 and tally.items == 3000 and tally.size == 3 * 1234


def test_a_long_read_shows_a_line_every_20_pages_and_a_last_one():
    tally, lines = _run_tally(45)
    assert lines == [
        "jira_request: 20 pages, 20,000 items, 10,000 items/s (GET /rest/api/2/search)",
        "jira_request: 40 pages, 40,000 items, 10,000 items/s (GET /rest/api/2/search)",
        "jira_request: 45 pages, 45,000 items, 10,000 items/s (GET /rest/api/2/search)",
    ]


def test_the_last_line_is_not_shown_twice():
    dummy, lines = _run_tally(40)
    assert len(lines) == 2 and lines[-1].startswith("jira_request: 40 pages,")


def test_slow_pages_show_a_line_every_5_seconds():
    dummy, lines = _run_tally(4, per_page=100, seconds_per_page=2.5)
    assert lines == [
        "jira_request: 2 pages, 200 items, 40 items/s (GET /rest/api/2/search)",
        "jira_request: 4 pages, 400 items, 40 items/s (GET /rest/api/2/search)",
    ]


def test_without_a_report_nothing_is_shown_and_the_fields_are_counted():
    tally, lines = _run_tally(45, report=False)
    assert lines == [] and tally.fields() == {"item_count": 45000, "seconds": 4.5}


def test_progress_lines_go_through_the_result_masking():
    """run_logic hands the logic a context whose progress masks every form of the task's secrets."""
    shown = []
    password = "Pa ss/w\u00f6rd"

    def logic(params, client, context):
        context.progress("jira_request: 1 pages, 0 items (GET /rest/api/2/issue/%s and %s)"
                         % (password, "Pa%20ss%2Fw%C3%B6rd"))
        return {"changed": False}

    params = {"url": "https://jira.example.com", "username": "fred", "password": password}
    task.run_logic(logic, params, progress=shown.append)
    assert shown == ["jira_request: 1 pages, 0 items (GET /rest/api/2/issue/%s and %s)" % (MASK, MASK)]


def test_without_a_display_the_task_has_no_progress():
    seen = []

    def logic(params, client, context):
        seen.append(context.progress)
        return {"changed": False}

    task.run_logic(logic, {"url": "https://jira.example.com"})
    assert seen == [None]


# ---------------------------------------------------------------- the warning for a large answer

@pytest.mark.parametrize("items, size, warned", [
    (10000, 10 * 1000 * 1000, False),
    (10001, 1000, True),
    (50, 10 * 1000 * 1000 + 1, True),
    (None, 10 * 1000 * 1000 + 1, True),
    (None, 500, False),
])
def test_size_warning_thresholds(items, size, warned):
    warning = pages.size_warning(items, size)
    assert bool(warning) is warned
    if warned:
        assert "dest" in warning and "fields" in warning


def test_size_warning_says_how_large():
    assert "(20,000 items, 107.3 MB of JSON)" in pages.size_warning(20000, 107300000)
    assert "(12.0 MB of JSON)" in pages.size_warning(None, 12000000)


def test_a_large_paged_answer_warns_once():
    result = _search(_CappingJira(total=10001, cap=1000))
    assert result["item_count"] == 10001
    assert len(result["warnings"]) == 1 and "Set dest" in result["warnings"][0] and "fields" in result["warnings"][0]


def test_a_large_answer_written_to_dest_does_not_warn(tmp_path):
    result = _search(_CappingJira(total=10001, cap=1000), dest=str(tmp_path / "issues.json"))
    assert "warnings" not in result


def test_an_answer_at_the_limit_does_not_warn():
    assert "warnings" not in _search(_CappingJira(total=10000, cap=1000))


class _OneAnswer(_CappingJira):
    """Any call answers ``body`` (bytes) with ``content_type``."""

    def __init__(self, body, content_type):
        super(_OneAnswer, self).__init__(total=0, cap=1)
        self.body, self.content_type = body, content_type

    def request(self, method, path, params=None, body=None, headers=None, option="path", repeatable=None):
        answer = _Answer("https://jira.example.com%s" % path, None)
        answer.content, answer.text = self.body, self.body.decode("utf-8")
        answer.is_json = "json" in self.content_type
        answer.json = json.loads(answer.text) if answer.is_json else None
        return answer


def test_a_large_json_answer_that_is_not_paged_warns_by_its_size():
    big = json.dumps({"names": ["x" * 1000] * 10001}).encode("utf-8")
    result = logic.run(dict(DEFAULTS, path="/rest/api/2/field", paginate=False), _OneAnswer(big, "application/json"),
                       TaskContext())
    assert len(result["warnings"]) == 1 and "MB of JSON" in result["warnings"][0]


def test_a_large_answer_that_is_not_json_does_not_warn():
    big = ("x" * (10 * 1000 * 1000 + 1)).encode("utf-8")
    result = logic.run(dict(DEFAULTS, path="/secure/attachment/1/big.txt", paginate=False),
                       _OneAnswer(big, "text/plain"), TaskContext())
    assert "warnings" not in result and len(result["content"]) == len(big)


# ---------------------------------------------------------------- the page size when the task gives none


@pytest.mark.parametrize("path, fields, family, size", [
    # Data Center search: jira.search.views.default.max
    ("/rest/api/2/search", None, "search", 1000),
    ("/rest/api/2/search/", "summary,status", "search", 1000),
    ("/rest/api/latest/search", None, "search", 1000),
    ("https://jira.example.com/jira/rest/api/2/search", None, "search", 1000),
    ("/jira/rest/api/2/search", None, "search", 1000),
    # Cloud's search/jql: 5000 for ids and keys only, 100 for whole issues
    ("/rest/api/3/search/jql", None, "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "key", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "id,key", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", ["id", "key"], "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql/", "summary", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", "key,summary", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", ["key", "*navigable"], "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", "*all", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", {"not": "a list"}, "search/jql (fields)", 100),
    # agile: issue lists are bounded like search, the rest at Jira Software's 50
    ("/rest/agile/1.0/board/12/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board/12/sprint/7/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/sprint/7/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/epic/none/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board/12/backlog", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board", None, "agile", 50),
    ("/rest/agile/1.0/board/12/sprint", None, "agile", 50),
    ("/rest/agile/1.0/board/12/epic", None, "agile", 50),
    # comments and worklogs
    ("/rest/api/2/issue/TEST-1/comment", None, "comments", 5000),
    ("/rest/api/3/issue/10001/comment/", None, "comments", 5000),
    ("/rest/api/2/issue/TEST-1/worklog", None, "worklogs", 5000),
    # anything else: 100
    ("/rest/api/2/project/TEST/version", None, "other", 100),
    ("/rest/api/2/user/search", None, "other", 100),
    ("/rest/api/2/issue/TEST-1/comment/10000", None, "other", 100),
    ("/rest/api/2/searches", None, "other", 100),
    ("/rest/api/3/search/approximate-count", None, "other", 100),
    # a query left in the path does not change the family
    ("/rest/api/2/search?jql=project%20%3D%20TEST", None, "search", 1000),
])
def test_the_table(path, fields, family, size):
    assert default_page_size(path, fields) == (family, size)


@pytest.mark.parametrize("fields, expected", [
    (None, True), ("", True), ("id", True), (" key , id ", True), (["key"], True), ([], True), (("id",), True),
    ("summary", False), ("key,summary", False), (["*all"], False), (5, False), ({"key": 1}, False),
])
def test_ids_only(fields, expected):
    assert ids_only(fields) is expected

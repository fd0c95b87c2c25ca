# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/pager.py: Jira's three paging styles."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.rest import pager
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError


@pytest.mark.parametrize("page, expected", [
    ({"startAt": 0, "maxResults": 50, "total": 0, "issues": []}, "issues"),
    ({"startAt": 0, "isLast": True, "values": [1]}, "values"),
    ({"comments": [], "total": 0}, "comments"),
    ({"worklogs": []}, "worklogs"),
    ({"histories": []}, "histories"),
    ({"users": []}, "users"),
    ({"projects": []}, "projects"),
    ({"transitions": [], "expand": "transitions"}, "transitions"),
    # known keys win over each other in ITEMS_KEYS order, and over unknown lists
    ({"values": [], "issues": []}, "issues"),
    ({"names": ["a"], "values": [1]}, "values"),
    # a single unknown list is the items when the answer says it is a page; errorMessages and warningMessages never are
    ({"dashboards": [], "total": 3}, "dashboards"),
    ({"errorMessages": [], "warningMessages": [], "sprints": [1], "isLast": True}, "sprints"),
    ({"issues": None, "boards": [], "startAt": 0}, "boards"),
    # a single resource with one list (a filter's share permissions) is not a page
    ({"id": "10000", "name": "My filter", "sharePermissions": []}, None),
    ({"errorMessages": [], "warningMessages": [], "sprints": [1]}, None),
    ({"a": [], "b": []}, None),
    ({"errorMessages": ["x"]}, None),
    ({"warningMessages": ["x"]}, None),
    ({}, None),
    ({"issues": "not a list"}, None),
    ([1, 2], None),
    (None, None),
    ("issues", None),
])
def test_items_key(page, expected):
    assert pager.items_key(page) == expected


@pytest.mark.parametrize("page, position, expected", [
    # startAt / maxResults / total
    ({"startAt": 0, "maxResults": 2, "total": 5, "issues": [1, 2]}, {}, {"startAt": 2}),
    ({"startAt": 2, "maxResults": 2, "total": 5, "issues": [3, 4]}, {"startAt": 2}, {"startAt": 4}),
    ({"startAt": 4, "maxResults": 2, "total": 5, "issues": [5]}, {"startAt": 4}, None),
    ({"startAt": 0, "maxResults": 2, "total": 2, "issues": [1, 2]}, {}, None),
    # the server capped maxResults: the next page starts after what came, not after what was asked for
    ({"startAt": 0, "maxResults": 1000, "total": 250, "issues": list(range(100))}, {}, {"startAt": 100}),
    ({"startAt": None, "total": 3, "issues": [1]}, {}, {"startAt": 1}),
    ({"startAt": "10", "total": "30", "comments": list(range(10))}, {"startAt": 10}, {"startAt": 20}),
    # startAt / maxResults / isLast / values
    ({"startAt": 0, "maxResults": 2, "isLast": False, "values": [1, 2]}, {}, {"startAt": 2}),
    ({"startAt": 2, "maxResults": 2, "isLast": True, "values": [3]}, {"startAt": 2}, None),
    # nextPageToken (Cloud search/jql)
    ({"issues": [1, 2], "nextPageToken": "abc"}, {}, {"nextPageToken": "abc"}),
    ({"issues": [3], "nextPageToken": "def", "isLast": False}, {"nextPageToken": "abc"}, {"nextPageToken": "def"}),
    ({"issues": [4], "isLast": True}, {"nextPageToken": "def"}, None),
    ({"issues": [4]}, {"nextPageToken": "def"}, None),
    ({"issues": [4], "nextPageToken": ""}, {"nextPageToken": "def"}, None),
    # ends
    ({"startAt": 0, "total": 100, "issues": []}, {}, None),
    ({"issues": [1, 2], "nextPageToken": "abc", "isLast": True}, {}, None),
    ({"startAt": 0, "issues": [1, 2]}, {}, None),
    ({"total": 10, "issues": [1, 2]}, {}, None),
    ({"issues": [1, 2]}, {}, None),
    ({"a": [1], "b": [2], "startAt": 0, "total": 9}, {}, None),
    ({"key": "ABC-1"}, {}, None),
    ([1, 2], {}, None),
])
def test_next_position(page, position, expected):
    assert pager.next_position(page, position) == expected


def test_merge_start_at_pages():
    pages = [
        {"startAt": 0, "maxResults": 2, "total": 5, "issues": [1, 2]},
        {"startAt": 2, "maxResults": 2, "total": 5, "issues": [3, 4]},
        {"startAt": 4, "maxResults": 2, "total": 5, "issues": [5]},
    ]
    originals = copy.deepcopy(pages)
    merged, key = pager.merge_pages(pages)
    assert key == "issues"
    assert merged == {"startAt": 0, "maxResults": 5, "total": 5, "issues": [1, 2, 3, 4, 5]}
    assert pages == originals


def test_merge_with_max_items():
    pages = [
        {"startAt": 0, "maxResults": 2, "total": 5, "issues": [1, 2]},
        {"startAt": 2, "maxResults": 2, "total": 5, "issues": [3, 4]},
    ]
    merged, key = pager.merge_pages(pages, max_items=3)
    assert key == "issues"
    assert merged == {"startAt": 0, "maxResults": 3, "total": 5, "issues": [1, 2, 3]}


def test_merge_is_last_pages():
    pages = [
        {"startAt": 0, "maxResults": 2, "isLast": False, "values": ["a", "b"]},
        {"startAt": 2, "maxResults": 2, "isLast": True, "values": ["c"]},
    ]
    merged, key = pager.merge_pages(pages)
    assert key == "values"
    assert merged == {"startAt": 0, "maxResults": 3, "isLast": True, "values": ["a", "b", "c"]}


def test_merge_token_pages():
    pages = [
        {"issues": [{"key": "A-1"}], "nextPageToken": "t1", "isLast": False},
        {"issues": [{"key": "A-2"}], "nextPageToken": "t2", "isLast": False},
        {"issues": [{"key": "A-3"}], "isLast": True},
    ]
    merged, key = pager.merge_pages(pages)
    assert key == "issues"
    assert merged == {"issues": [{"key": "A-1"}, {"key": "A-2"}, {"key": "A-3"}], "isLast": True}


def test_merge_token_pages_without_is_last_adds_none():
    merged, dummy = pager.merge_pages([{"issues": [1], "nextPageToken": "t"}, {"issues": [2]}])
    assert merged == {"issues": [1, 2]}


def test_merge_single_page_and_missing_items():
    merged, key = pager.merge_pages([{"startAt": 0, "total": 1, "comments": ["c"]}, {"startAt": 1, "total": 1}])
    assert key == "comments"
    assert merged == {"startAt": 0, "total": 1, "comments": ["c"]}


def test_merge_max_items_larger_than_items():
    merged, dummy = pager.merge_pages([{"values": [1, 2], "isLast": True}], max_items=10)
    assert merged == {"values": [1, 2], "isLast": True}


# ---------------------------------------------------------------- planned positions

@pytest.mark.parametrize("page, position, max_items, expected", [
    ({"startAt": 0, "maxResults": 2, "total": 7, "issues": [1, 2]}, {}, None, [2, 4, 6]),
    ({"startAt": 3, "maxResults": 2, "total": 7, "issues": [1, 2]}, {"startAt": 3}, None, [5]),
    ({"startAt": 0, "maxResults": 2, "total": 7, "issues": [1, 2]}, {}, 3, [2]),
    ({"startAt": 0, "maxResults": 2, "total": 7, "issues": [1, 2]}, {}, 2, []),
    ({"startAt": 0, "maxResults": 2, "total": 2, "issues": [1, 2]}, {}, None, []),
    ({"startAt": 0, "maxResults": 2, "total": 7, "issues": []}, {}, None, []),
    # no total, or token paging: where later pages start is only known page by page
    ({"startAt": 0, "maxResults": 2, "isLast": False, "values": [1, 2]}, {}, None, []),
    ({"issues": [1, 2], "nextPageToken": "t", "total": 7, "startAt": 0}, {}, None, []),
    ({"startAt": 0, "total": 7, "issues": [1, 2]}, {"nextPageToken": "t"}, None, []),
    ({"startAt": 0, "total": 7, "isLast": True, "issues": [1, 2]}, {}, None, []),
    ({"id": 1, "names": ["a"]}, {}, None, []),
])
def test_planned_positions(page, position, max_items, expected):
    assert list(pager.planned_positions(page, position, max_items) or []) == [{"startAt": start} for start in expected]


def test_a_huge_total_plans_nothing_up_front():
    """total 10^12 with one item per page: the plan is lazy (it was a list of 10^12 dicts: MemoryError)."""
    plan = pager.planned_positions({"startAt": 0, "total": 10 ** 12, "issues": [1]}, {})
    assert [next(plan) for dummy in range(3)] == [{"startAt": 1}, {"startAt": 2}, {"startAt": 3}]
    limited = pager.planned_positions({"startAt": 0, "total": 10 ** 12, "issues": [1]}, {}, limit=5)
    assert len(list(limited)) == 5


@pytest.mark.parametrize("key, value, what", [
    ("total", "lots", "a JSON string"), ("startAt", -1, "a negative number"),
    ("total", 1.5, "a JSON number with a fraction"),
    ("maxResults", [1], "a JSON array"), ("startAt", True, "a JSON boolean"), ("total", {"n": 1}, "a JSON object"),
])
def test_malformed_paging_numbers_are_errors_in_words(key, value, what):
    page = {"startAt": 0, "maxResults": 2, "total": 9, "issues": [1, 2]}
    page[key] = value
    with pytest.raises(ResponseError) as raised:
        pager.next_position(page, {})
    assert raised.value.msg.startswith("Jira's page has a %s that is not a whole number (%s); paging stopped."
                                       % (key, what))


def test_paging_numbers_as_digit_strings_are_read():
    page = {"startAt": "0", "total": "9", "maxResults": "2", "issues": [1, 2]}
    assert pager.next_position(page, {}) == {"startAt": 2}


def _walk(pages, max_pages=1000):
    """Drive Progress as request._following_pages does over scripted pages; returns the number of pages taken."""
    progress = pager.Progress(pages[0], {}, max_pages, "GET /rest/api/2/search")
    page, position = pages[0], {}
    for following_page in pages[1:]:
        following = pager.next_position(page, position)
        progress.check(page, following)
        if following is None:
            return progress.pages
        page, position = following_page, following
        progress.fetched(page)
    following = pager.next_position(page, position)
    progress.check(page, following)
    return progress.pages


@pytest.mark.parametrize("pages, message", [
    # startAt ignored: every page says startAt 0 and holds the first items
    ([{"startAt": 0, "total": 9, "issues": [1, 2]}] * 3, "page 2 holds the same items as page 1"),
    # startAt ignored, other items each time (a live feed): the position repeats
    ([{"startAt": 0, "total": 9, "issues": [n, n + 1]} for n in range(0, 20, 2)], "page 2 asks for startAt=2 again"),
    # the same nextPageToken again and again
    ([{"issues": [n], "nextPageToken": "same"} for n in range(5)], "page 2 asks for the same nextPageToken again"),
    # a token cycle A, B, A
    ([{"issues": [1], "nextPageToken": "A"}, {"issues": [2], "nextPageToken": "B"},
      {"issues": [3], "nextPageToken": "A"},
      {"issues": [4], "nextPageToken": "B"}], "page 3 asks for the same nextPageToken again"),
    ([{"issues": [1], "nextPageToken": "A"}, {"issues": [2], "nextPageToken": ""}],
     "page 2 carries an empty nextPageToken"),
])
def test_paging_that_does_not_advance_stops_in_words(pages, message):
    with pytest.raises(ResponseError) as raised:
        _walk(pages)
    assert message in raised.value.msg and "GET /rest/api/2/search does not advance" in raised.value.msg


def test_max_pages_bounds_one_task():
    pages = [{"startAt": n, "total": 100, "issues": [n]} for n in range(100)]
    assert _walk(pages[:10] + [{"startAt": 10, "total": 11, "issues": [10]}], max_pages=20) == 11
    with pytest.raises(ResponseError) as raised:
        _walk(pages, max_pages=5)
    assert "stopped after 5 pages (max_pages) with more to come" in raised.value.msg


def test_token_paging_that_ends_with_is_last_is_fine():
    assert _walk([{"issues": [1], "nextPageToken": "A"}, {"issues": [2], "isLast": True, "nextPageToken": ""}]) == 2


# ---------------------------------------------------------------- merged as JSON text

JSON_PAGES = [
    [{"expand": "names", "startAt": 0, "maxResults": 2, "total": 5,
      "issues": [{"key": "A-1", "s": "ü\"\\"}, {"key": "A-2"}]},
     {"startAt": 2, "maxResults": 2, "total": 5,
      "issues": [{"key": "A-3", "n": None}, {"key": "A-4", "l": [1.5, True]}]},
     {"startAt": 4, "maxResults": 2, "total": 5, "issues": [{"key": "A-5"}]}],
    [{"values": ["a"], "isLast": False, "startAt": 0}, {"values": [], "isLast": False},
     {"values": ["c"], "isLast": True}],
    [{"issues": [], "nextPageToken": "t", "warningMessages": []}],
    [{"issues": [{"key": "\x00jiraops-items-\x00"}], "nextPageToken": "t"}, {"issues": [{"key": "A-2"}]}],
]


@pytest.mark.parametrize("pages", JSON_PAGES)
@pytest.mark.parametrize("max_items", [None, 1, 3, 100])
def test_json_bytes_is_the_merged_answer_as_json(pages, max_items):
    as_json = pager.MergedPages(pages[0], max_items, as_json=True)
    for page in pages[1:]:
        as_json.add(page)
    merged, dummy = pager.merge_pages(pages, max_items)
    assert as_json.json_bytes() == json.dumps(merged, ensure_ascii=False).encode("utf-8")
    assert json.loads(as_json.json_bytes()) == merged
    assert as_json.pages == len(pages)


def test_merged_pages_full():
    merged = pager.MergedPages({"issues": [1, 2], "total": 9, "startAt": 0}, max_items=3)
    assert not merged.full
    merged.add({"issues": [3, 4]})
    assert merged.full and merged.count == 3 and merged.value()["issues"] == [1, 2, 3]
    assert not pager.MergedPages({"issues": [1, 2]}).full


def _with_text(pages, **dump_options):
    """(page, text, spans) of each page, its text written by json.dumps with ``dump_options``."""
    out = []
    for page in pages:
        text = json.dumps(page, ensure_ascii=False, **dump_options)
        decoded, spans = pager.decode_with_spans(text)
        assert decoded == page
        out.append((decoded, text, spans))
    return out


@pytest.mark.parametrize("pages", JSON_PAGES)
@pytest.mark.parametrize("max_items", [None, 1, 3, 100])
@pytest.mark.parametrize("dump_options", [{}, {"separators": (",", ":")}, {"indent": 2}])
def test_json_bytes_copies_the_items_as_jira_wrote_them(pages, max_items, dump_options):
    with_text = _with_text(pages, **dump_options)
    merged = pager.MergedPages(*with_text[0][:1], max_items=max_items, as_json=True, text=with_text[0][1],
                               spans=with_text[0][2])
    for page, text, spans in with_text[1:]:
        merged.add(page, text, spans)
    expected, dummy = pager.merge_pages(pages, max_items)
    assert json.loads(merged.json_bytes()) == expected
    if not dump_options:
        assert merged.json_bytes() == json.dumps(expected, ensure_ascii=False).encode("utf-8")


def test_json_bytes_keeps_jiras_own_text_of_the_items():
    text = '{"startAt":0,"total":2,"issues":[ {"key":"A-1","s":"\\u00fc\\/"} ,\n{"key":"A-2"}\n]}'
    page, spans = pager.decode_with_spans(text)
    merged = pager.MergedPages(page, as_json=True, text=text, spans=spans)
    assert merged.json_bytes() == (b'{"startAt": 0, "total": 2, "issues": [{"key":"A-1","s":"\\u00fc\\/"} ,\n'
                                   b'{"key":"A-2"}]}')


@pytest.mark.parametrize("text", [
    '{"a": 1, "b": [1, 2, {"c": null}], "d": "x"}',
    ' \n{ "a" :1 ,"b":{} }\t',
    '{}',
    '{"dup": 1, "dup": 2}',
    '[1, 2]',
    '"just a string"',
    '{"a": NaN, "b": -Infinity}',
])
def test_decode_with_spans_is_json_loads(text):
    value, spans = pager.decode_with_spans(text)
    assert json.dumps(value) == json.dumps(json.loads(text))
    if spans is not None:
        for key, (start, end) in spans.items():
            assert json.dumps(json.loads(text[start:end])) == json.dumps(value[key])


@pytest.mark.parametrize("text", ['{"a": 1,}', '{"a" 1}', '{"a": 1} x', '{a: 1}', '{"a": 1', '', '{"a": [1, }',
                                  '{"a": 1 "b": 2}'])
def test_decode_with_spans_refuses_what_json_loads_refuses(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        pager.decode_with_spans(text)


# ---------------------------------------------------------------- the one pager

def _pager(pages, **bounds):
    """bounded_pages over scripted pages (each served at any position); returns (pages taken, positions asked for)."""
    asked = []

    def fetch_at(position):
        asked.append(position)
        return pages[min(len(asked), len(pages) - 1)], 10

    progress = pager.Progress(pages[0], {"startAt": 0}, bounds.pop("max_pages", 1000),
                              "GET /rest/api/2/issue/A-1/comment", **bounds)
    return [page for page, dummy in pager.bounded_pages(pages[0], {"startAt": 0}, fetch_at, progress)], asked


def test_pager_follows_start_at_to_the_end():
    pages = [{"startAt": at, "maxResults": 2, "total": 5,
              "comments": [{"id": str(i)} for i in range(at, min(at + 2, 5))]}
             for at in (0, 2, 4)]
    taken, asked = _pager(pages)
    assert asked == [{"startAt": 2}, {"startAt": 4}]
    assert taken == pages[1:]


def test_pager_stops_a_server_that_repeats_its_page():
    repeated = {"startAt": 0, "maxResults": 1, "total": 10 ** 6, "comments": [{"id": "1"}]}
    with pytest.raises(ResponseError, match=r"GET /rest/api/2/issue/A-1/comment does not advance") as err:
        _pager([repeated, repeated])
    assert "stopped after 2 pages" in err.value.msg


@pytest.mark.parametrize("bounds, message", [
    (dict(max_pages=3, hint="Too many comments."),
     "stopped after 3 pages (max_pages) with more to come. Too many comments."),
    (dict(max_bytes=25), "stopped after 4 pages, past 25 bytes of answers"),
    (dict(max_bytes=25, first_size=10), "stopped after 3 pages, past 25 bytes of answers"),
    (dict(deadline=0.0, clock=lambda: 1.0), "stopped after 1 pages, at its time limit"),
])
def test_pager_bounds_name_the_endpoint(bounds, message):
    pages = [{"startAt": at, "maxResults": 1, "total": 10 ** 6, "comments": [{"id": str(at)}]} for at in range(10)]
    with pytest.raises(ResponseError) as err:
        _pager(pages, **bounds)
    assert err.value.msg.startswith("Paging GET /rest/api/2/issue/A-1/comment " + message), err.value.msg


def test_pager_stuck_hint_is_the_callers():
    repeated = {"startAt": 0, "maxResults": 1, "total": 9, "comments": [{"id": "1"}]}
    with pytest.raises(ResponseError, match=r"Check url\.$"):
        _pager([repeated, repeated], stuck_hint="Check url.")

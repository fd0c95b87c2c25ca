# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/common/compare.py: the superset check, the part of a record a diff shows, member."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common import compare


# ---------------------------------------------------------------- is_subset

@pytest.mark.parametrize("desired, current, expected", [
    ({}, {}, True),
    ({}, {"a": 1}, True),
    ({"a": 1}, {"a": 1, "b": 2}, True),
    ({"a": 1}, {"a": 2}, False),
    ({"a": 1}, {}, False),
    ({"a": None}, {}, False),
    ({"a": None}, {"a": None}, True),
    ({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}}, True),
    ({"a": {"b": 1}}, {"a": 1}, False),
    ({"a": 1}, [1], False),
    ({"a": 1}, None, False),
    # lists: same length, any order, each desired item matched by a distinct current item
    (["a", "b"], ["b", "a"], True),
    (["a"], ["a", "b"], False),
    (["a", "b"], ["a"], False),
    (["a", "a"], ["a", "b"], False),
    (["a", "b"], ["a", "a"], False),
    ([], [], True),
    ([], {}, False),
    ([{"name": "C1"}], [{"name": "C1", "id": "10000", "self": "u"}], True),
    ([{"name": "C1"}, {"name": "C2"}], [{"name": "C2", "id": "2"}, {"name": "C1", "id": "1"}], True),
    ([{"name": "C1"}], [{"name": "C2", "id": "2"}], False),
    ("a", ["a"], False),
    # booleans are not numbers
    (True, 1, False),
    (1, True, False),
    (False, 0, False),
    (0, False, False),
    (True, True, True),
    (False, False, True),
    # scalars
    (1, 1.0, True),
    ("1", 1, False),
    (None, None, True),
    (None, "", False),
    ("", None, False),
    ("x", "x", True),
    ({"fields": {"summary": "S", "labels": ["x", "y"], "priority": {"name": "High"}}},
     {"id": "1", "fields": {"summary": "S", "labels": ["y", "x"], "priority": {"name": "High", "id": "2"},
                            "status": {}}}, True),
    ({"fields": {"summary": "S", "labels": ["x"]}}, {"fields": {"summary": "S", "labels": ["x", "y"]}}, False),
])
def test_is_subset(desired, current, expected):
    assert compare.is_subset(desired, current) is expected


def test_is_subset_list_matching_is_not_greedy():
    # {} matches either current item; picking the first leaves {"a": 1} unmatched
    assert compare.is_subset([{}, {"a": 1}], [{"a": 1}, {"b": 2}]) is True
    assert compare.is_subset([{"a": 1}, {}], [{"a": 1}, {"b": 2}]) is True


def test_is_subset_list_items_are_matched_once():
    assert compare.is_subset([{"a": 1}, {"a": 1}], [{"a": 1, "b": 1}, {"c": 1}]) is False
    assert compare.is_subset([["x", "y"], ["y"]], [["y"], ["y", "x"]]) is True


# ---------------------------------------------------------------- project_onto

@pytest.mark.parametrize("current, desired, expected", [
    ({"a": 1, "b": 2}, {"a": 9}, {"a": 1}),
    ({"a": 1}, {"a": 9, "c": 3}, {"a": 1, "c": None}),
    ({"fields": {"summary": "S", "status": {"name": "Open"}}, "id": "1"}, {"fields": {"summary": "T"}},
     {"fields": {"summary": "S"}}),
    ({"fields": {"labels": ["a", "b"], "x": 1}}, {"fields": {"labels": ["c"]}}, {"fields": {"labels": ["a", "b"]}}),
    ({"a": 1}, [1, 2], {"a": 1}),
    ([1, 2], {"a": 1}, [1, 2]),
    (None, {"a": 1}, None),
    ({"a": "scalar"}, {"a": {"b": 1}}, {"a": "scalar"}),
    ({"a": {"b": 1, "c": 2}}, {"a": {}}, {"a": {}}),
])
def test_project_onto(current, desired, expected):
    assert compare.project_onto(current, desired) == expected


def test_project_onto_leaves_current_alone():
    current = {"fields": {"summary": "S", "labels": ["a"]}, "id": "1"}
    compare.project_onto(current, {"fields": {"summary": "T"}})
    assert current == {"fields": {"summary": "S", "labels": ["a"]}, "id": "1"}


# ---------------------------------------------------------------- member

ISSUE = {"key": "A-1", "fields": {"status": {"name": "Open", "statusCategory": {"key": "new"}}, "assignee": None,
                                  "labels": ["x"]}}


@pytest.mark.parametrize("value, names, expected", [
    (ISSUE, ("key",), "A-1"),
    (ISSUE, ("fields", "status", "name"), "Open"),
    (ISSUE, ("fields", "status", "statusCategory", "key"), "new"),
    (ISSUE, ("fields", "assignee", "name"), None),  # a level that is null
    (ISSUE, ("fields", "labels", "name"), None),  # a level that is a list, not an object
    (ISSUE, ("fields", "summary"), None),  # a missing key
    (ISSUE, ("key", "name"), None),  # a level that is a string
    (None, ("fields",), None),
    ([ISSUE], ("key",), None),
    (ISSUE, (), ISSUE),
])
def test_member(value, names, expected):
    assert compare.member(value, *names) == expected

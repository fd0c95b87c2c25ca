# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/issue.py: the pure parts (validation, labels, what differs)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.issue import Wanted, desired_fields, differing, labels_after


def wanted(**params):
    return Wanted(dict(dict(labels_mode="replace", state="present"), **params))


@pytest.mark.parametrize("mode, expected", [
    ("replace", ["b", "c"]),
    ("add", ["a", "b", "c"]),
    ("remove", ["a"]),
])
def test_labels_after(mode, expected):
    assert labels_after(["b", "c", "c"], mode, ["a", "b"]) == expected


def test_only_what_differs_is_written():
    current = {"summary": "Same", "labels": ["y", "x"], "priority": {"id": "2", "name": "High", "self": "u"},
               "assignee": {"name": "fred", "displayName": "Fred"}, "description": "old"}
    desired = desired_fields(wanted(key="T-1", summary="Same", labels=["x", "y"], description="new", assignee="fred",
                                    fields={"priority": {"name": "High"}}), current, False, {"name": "fred"})
    assert differing(desired, current) == {"description": "new"}


def test_cloud_description_is_adf():
    desired = desired_fields(wanted(key="T-1", description="a\n\nb"), {}, True, None)
    assert [block["content"][0]["text"] for block in desired["description"]["content"]] == ["a", "b"]


@pytest.mark.parametrize("params, option", [
    (dict(key="T-1/../x"), "key"),
    (dict(key="T-1", state="absent", summary="x"), "summary"),
    (dict(match_jql="project = T", summary="x"), "project"),
    (dict(match_jql="project = T", project="T"), "summary"),
    (dict(key="T-1", summary="  "), "summary"),
    (dict(key="T-1", labels=["two words"]), "labels"),
    (dict(key="T-1", fields={"summary": "x"}), "fields"),
    (dict(key="T-1", transition_fields={"resolution": {"name": "Done"}}), "transition_fields"),
])
def test_bad_input_names_the_option(params, option):
    with pytest.raises(InputError) as raised:
        wanted(**params)
    assert raised.value.fields["option"] == option
    assert "Option '%s'" % option in raised.value.msg

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/comment.py: the pure parts (validation, which comment is the one)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.adf import text_to_adf
from ansible_collections.jiraops.jira.plugins.module_utils.comment import MARKER_PROPERTY, Wanted, marker_of, same_body
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError


def test_marker_is_read_from_the_property():
    comment = {"properties": [{"key": "other", "value": {"marker": "x"}},
                              {"key": MARKER_PROPERTY, "value": {"marker": "m"}}]}
    assert marker_of(comment) == "m"
    assert marker_of({"properties": [{"key": "other", "value": {"marker": "m"}}]}) is None
    assert marker_of({}) is None


def test_same_body_ignores_line_ends_and_surrounding_space_only():
    assert same_body("a\nb", "a\r\nb\n")
    assert not same_body("a\nb", "a b")
    assert same_body(text_to_adf("a\n\nb"), dict(text_to_adf("a\n\nb"), extra=1))
    assert not same_body(text_to_adf("a"), text_to_adf("a\n\nb"))


@pytest.mark.parametrize("params, option", [
    (dict(issue="OPS 1", body="x"), "issue"),
    (dict(issue="OPS-1"), "body"),
    (dict(issue="OPS-1", body="  "), "body"),
    (dict(issue="OPS-1", state="absent"), "body"),
    (dict(issue="OPS-1", body="x", marker=" "), "marker"),
])
def test_bad_input_names_the_option(params, option):
    with pytest.raises(InputError) as raised:
        Wanted(params)
    assert raised.value.fields["option"] == option


@pytest.mark.parametrize("answer", [
    {"properties": "jiraops.jira.marker"},
    {"properties": [None, "x", {"key": MARKER_PROPERTY, "value": "m-1"}]},
    {"properties": None},
    {},
])
def test_a_marker_in_an_odd_shape_is_no_marker(answer):
    """Answers are not trusted: a properties value that is not a list of objects holds no marker, and raises nothing."""
    assert marker_of(answer) is None

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/request/inputs.py: query values, headers, body, and the order the Call checks in (the
first problem of a task named, nothing sent). Call's every rule is tested in test_logic.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError
from ansible_collections.jiraops.jira.plugins.module_utils.request import inputs

DEFAULTS = dict(method="GET", path="/rest/api/2/myself", params={}, body=None, headers={}, status_code=None,
                read_before_write=True, read_path=None, guard_jql=None, guard_path=None, paginate=False, page_size=None,
                max_items=None, concurrent_pages=4, max_pages=1000, dest=None, mode=None)


@pytest.mark.parametrize("value, expected", [(True, "true"), (False, "false"), (["a", 1], "a,1"), (7, 7), ("x", "x")])
def test_query_values_are_what_jira_expects(value, expected):
    assert inputs.query_value(value) == expected


@pytest.mark.parametrize("options, option", [
    # Several problems at once: the first in the order the checks always ran is named.
    (dict(path="", read_path="/x", guard_jql="x"), "path"),
    (dict(method="PUT", guard_jql="x", read_path="/x", dest="/tmp/out.json"), "guard_jql"),
    (dict(method="GET", read_path="/x", body={"a": 1}), "read_path"),
    (dict(method="POST", path="/rest/api/2/issue", dest="/tmp/out.json", paginate=True), "dest"),
    (dict(method="GET", concurrent_pages=0, body={"a": 1}), "concurrent_pages"),
    (dict(method="HEAD", body="x"), "body"),
])
def test_the_first_problem_is_named(options, option):
    with pytest.raises(InputError) as raised:
        inputs.Call(dict(DEFAULTS, **options))
    assert raised.value.fields["option"] == option and raised.value.msg.startswith("Option '%s':" % option)


def test_a_search_sent_as_post_is_a_read():
    assert inputs.Call(dict(DEFAULTS, method="post", path="/rest/api/3/search/jql", body={"jql": "x"})).is_read
    assert not inputs.Call(dict(DEFAULTS, method="POST", path="/rest/api/2/issue", body={})).is_read


@pytest.mark.parametrize("accepted, status, expected", [(None, 204, True), (None, 404, False), ([404], 404, True),
                                                        ([404], 200, False)])
def test_accepts_the_status_codes_the_task_names_else_2xx(accepted, status, expected):
    assert inputs.Call(dict(DEFAULTS, status_code=accepted)).accepts(status) is expected

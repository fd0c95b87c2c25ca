# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/common/context.py: what a task's functions share, and what it knows of serverInfo."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext, is_server_info

SERVER = {"deploymentType": "Server", "version": "9.12.2"}


def test_only_jiras_own_keys_of_a_jira_answer_are_kept():
    context = TaskContext()
    context.learn_server_info({"deploymentType": "Server", "version": "9.12.2", "healthChecks": [{"name": "x"}]})
    assert context.server_info == {"deploymentType": "Server", "version": "9.12.2"}
    assert TaskContext(server_info={"version": "9.12.2"}).server_info is None  # no deploymentType: not Jira's answer


@pytest.mark.parametrize("info", [None, {}, {"deploymentType": 3}, "Cloud", [SERVER]])
def test_an_answer_that_is_not_jiras_is_not_learnt(info):
    context = TaskContext()
    context.learn_server_info(info)
    assert context.server_info is None and context.server_info_learnt is None
    assert not is_server_info(info)


def test_what_the_run_knew_is_not_handed_back_and_what_the_task_read_is():
    given = TaskContext(server_info=SERVER)
    assert given.server_info == SERVER and given.server_info_learnt is None
    fresh = TaskContext()
    fresh.learn_server_info(dict(SERVER, deploymentType="Cloud"))
    assert fresh.server_info_learnt == {"deploymentType": "Cloud", "version": "9.12.2"}


def test_each_task_starts_from_what_it_is_given():
    """No module-global: a context made for one task leaves the next one's as it was given."""
    first = TaskContext()
    first.learn_server_info(SERVER)
    assert TaskContext().server_info is None


@pytest.mark.parametrize("diff", [False, True])
def test_the_diff_is_dropped_unless_asked_for(diff):
    result = TaskContext(diff=diff).without_diff(dict(changed=True, diff=dict(before={}, after={})))
    assert ("diff" in result) is diff


def test_the_options_of_the_task_are_kept_as_given():
    shown = []
    context = TaskContext(check_mode=1, diff=0, execution="controller", progress=shown.append)
    assert (context.check_mode, context.diff, context.execution) == (True, False, "controller")
    context.progress("line")
    assert shown == ["line"]
    assert TaskContext().progress is None and TaskContext().execution == "module"

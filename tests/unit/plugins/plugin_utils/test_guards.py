# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guarded creates hold one lock per url, module and guard; the guards the action plugins declare."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import os

import pytest

from ansible_collections.jiraops.jira.plugins.action import (
    jira_attachment, jira_auth_check, jira_comment, jira_issue, jira_request,
)
from ansible_collections.jiraops.jira.plugins.plugin_utils import guards
from ansible_collections.jiraops.jira.plugins.plugin_utils.run_memory import RunMemory


def _locked_elsewhere(directory):
    """Whether some lock file in ``directory`` is held (tried without waiting, as another fork would)."""
    for name in os.listdir(directory):
        fd = os.open(os.path.join(directory, name), os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
    return False


def test_a_guard_holds_a_lock_named_by_an_hmac(tmp_path):
    memory, locks = RunMemory(str(tmp_path)), str(tmp_path / guards.DIRECTORY)
    with guards.serialized("jiraops.jira.jira_issue", "http://127.0.0.1:8080", "summary ~ secret-plan", memory):
        names = os.listdir(locks)
        assert len(names) == 1 and len(names[0]) == 64 and "secret" not in names[0]
        assert _locked_elsewhere(locks)
    assert not _locked_elsewhere(locks)


def test_one_lock_per_url_spelling_and_none_without_a_guard(tmp_path):
    memory = RunMemory(str(tmp_path))
    for url in ("http://127.0.0.1:8080", "HTTP://127.0.0.1:8080/"):
        with guards.serialized("m", url, ["TEST-1", "marker"], memory):
            pass
    with guards.serialized("m", "http://127.0.0.1:8080", None, memory):
        pass
    assert len(os.listdir(str(tmp_path / guards.DIRECTORY))) == 1


@pytest.mark.parametrize("action, params, guard", [
    (jira_issue, dict(match_jql="project = TEST"), "project = TEST"),
    (jira_issue, dict(key="TEST-1"), None),
    (jira_comment, dict(issue="TEST-1", marker="m"), ["TEST-1", "m"]),
    (jira_comment, dict(issue="TEST-1", marker=None), None),
    (jira_attachment, dict(issue="TEST-1", src="/tmp/build/report.txt"), ["TEST-1", "report.txt"]),
    (jira_attachment, dict(issue="TEST-1", filename="a.txt", content="x"), ["TEST-1", "a.txt"]),
    (jira_request, dict(method="POST", path="/rest/api/2/issue", guard_jql="summary ~ x"),
     ["POST", "/rest/api/2/issue", "summary ~ x"]),
    (jira_request, dict(method="GET", path="/rest/api/2/search", guard_jql="summary ~ x"), None),
    (jira_request, dict(method="POST", path="/rest/api/2/issue"), None),
    (jira_auth_check, dict(), None),
])
def test_each_module_declares_its_guard(action, params, guard):
    assert action.ActionModule.guard_of(params) == guard

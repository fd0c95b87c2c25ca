# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The closed error boundary of run_logic and run_as_module: any exception in a module's logic ends as a failed
result with error_kind internal (its type named, never its text), and the breaker learns whether credentials may have
been sent; a module always returns its login outcome."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.jiraops.jira.plugins.module_utils import auth_check

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state

from ansible_collections.jiraops.jira.plugins.module_utils import task
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError

SECRET = "Boundary-Secret-4Tz9"


def _params():
    validation = ArgumentSpecValidator(**auth_check.MODULE_KWARGS).validate(
        dict(url="http://127.0.0.1:9", username="fred", password=SECRET))
    assert not validation.error_messages
    return validation.validated_parameters


def crashes_after_sending(params, client, check_mode, diff):
    client.gate()  # what the client calls before each send that carries the credentials
    raise KeyError("the password was " + SECRET)


def crashes_before_sending(params, client, check_mode, diff):
    raise TypeError(SECRET)


def refuses_input(params, client, check_mode, diff):
    raise InputError("path", "is empty", "Give a path.")


def learns_nothing(params, client, check_mode, diff):
    return dict(changed=False)


def test_an_exception_after_sending_is_internal_and_unknown():
    gate_calls = []
    result, secrets, outcome = task.run_logic(crashes_after_sending, _params(), gate=lambda: gate_calls.append(1))
    assert gate_calls == [1]
    assert result["failed"] and result["error_kind"] == task.INTERNAL and result["request_may_have_reached_jira"] is True
    assert "KeyError" in result["msg"] and "may have reached Jira" in result["msg"]
    assert SECRET not in str(result) and "Traceback" not in result["msg"]
    assert outcome == login_state.UNKNOWN  # the breaker holds the credentials back


def test_an_exception_before_sending_learns_nothing():
    result, secrets, outcome = task.run_logic(crashes_before_sending, _params())
    assert result["error_kind"] == task.INTERNAL and result["request_may_have_reached_jira"] is False
    assert "TypeError" in result["msg"] and SECRET not in str(result)
    assert outcome is None


def test_a_jira_error_keeps_its_kind():
    result, secrets, outcome = task.run_logic(refuses_input, _params())
    assert result["error_kind"] == "bad_input" and outcome is None


class FakeModule:
    """What run_as_module uses of AnsibleModule; exit_json and fail_json end the module as they do."""

    check_mode = False
    _diff = False

    def __init__(self, params):
        self.params = params
        self.no_log_values = set()
        self.exited = None

    def exit_json(self, **result):
        self.exited = result
        raise SystemExit(0)

    def fail_json(self, **result):
        self.exited = dict(result, failed=True)
        raise SystemExit(1)


@pytest.mark.parametrize("logic, outcome", [
    (learns_nothing, task.NOTHING_LEARNT),
    (crashes_before_sending, task.NOTHING_LEARNT),
    (crashes_after_sending, login_state.UNKNOWN),
])
def test_the_module_always_returns_its_outcome(logic, outcome):
    module = FakeModule(_params())
    with pytest.raises(SystemExit):
        task.run_as_module(module, logic)
    assert module.exited[task.OUTCOME_KEY] == outcome
    assert SECRET not in str(module.exited)

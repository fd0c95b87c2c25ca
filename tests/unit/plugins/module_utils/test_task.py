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


def crashes_after_sending(params, client, context):
    client.gate()  # what the client calls before each send that carries the credentials
    raise KeyError("the password was " + SECRET)


def crashes_before_sending(params, client, context):
    raise TypeError(SECRET)


def refuses_input(params, client, context):
    raise InputError("path", "is empty", "Give a path.")


def learns_nothing(params, client, context):
    return dict(changed=False)


def test_an_exception_after_sending_is_internal_and_unknown():
    gate_calls = []
    result, secrets, outcome, dummy = task.run_logic(crashes_after_sending, _params(),
                                                     gate=lambda: gate_calls.append(1))
    assert gate_calls == [1]
    assert result["failed"] and result["error_kind"] == task.INTERNAL
    assert result["request_may_have_reached_jira"] is True
    assert "KeyError" in result["msg"] and "may have reached Jira" in result["msg"]
    assert SECRET not in str(result) and "Traceback" not in result["msg"]
    assert outcome == login_state.UNKNOWN  # the breaker holds the credentials back


def test_an_exception_before_sending_learns_nothing():
    result, secrets, outcome, dummy = task.run_logic(crashes_before_sending, _params())
    assert result["error_kind"] == task.INTERNAL and result["request_may_have_reached_jira"] is False
    assert "TypeError" in result["msg"] and SECRET not in str(result)
    assert outcome is None


def test_a_jira_error_keeps_its_kind():
    result, secrets, outcome, dummy = task.run_logic(refuses_input, _params())
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
    expected = None if outcome == task.NOTHING_LEARNT else outcome
    assert task.outcome_carried(module.exited[task.OUTCOME_KEY]) == expected
    assert SECRET not in str(module.exited)


@pytest.mark.parametrize("state", [login_state.WRONG_CREDENTIALS, login_state.CAPTCHA, login_state.OK,
                                   login_state.UNKNOWN, None])
@pytest.mark.parametrize("secret", ["wrong", "credentials", "_", "o", "nothing", "captcha", "ok", "True"])
def test_the_outcome_survives_no_log_masking_by_construction(state, secret):
    """A password that is part of a state's name is masked in every value; the outcome is a key, which stays."""
    from ansible.module_utils.basic import remove_values
    carried = remove_values({task.OUTCOME_KEY: task.carried_outcome(state)}, {secret})[task.OUTCOME_KEY]
    assert task.outcome_carried(carried) == state


@pytest.mark.parametrize("carried", ["wrong_credentials", {}, {"ok": True, "captcha": True},
                                     {"********_credentials": True}, None])
def test_an_outcome_that_is_not_one_carried_is_the_cautious_unknown(carried):
    assert task.outcome_carried(carried) == login_state.UNKNOWN


def test_the_logic_gets_the_task_context():
    seen = []

    def logic(params, client, context):
        seen.append((context.check_mode, context.diff, context.execution, context.server_info))
        context.learn_server_info({"deploymentType": "Cloud", "version": "1001.0.0", "secret": "x"})
        return dict(changed=False)

    result, secrets, outcome, learnt = task.run_logic(logic, _params(), True, True, "controller",
                                                      server_info={"version": "1"})
    assert seen == [(True, True, "controller", None)]
    assert learnt == {"deploymentType": "Cloud", "version": "1001.0.0"}
    given = {"deploymentType": "Server", "version": "9.12.2"}
    assert task.run_logic(logic, _params(), server_info=given)[3] is None  # the run knew it: nothing to hand back

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/errors.py: the failed task result of every error kind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils import errors


@pytest.mark.parametrize("cls, kind", [
    (errors.JiraError, "error"),
    (errors.LoginError, "login"),
    (errors.CommunicationError, "communication"),
    (errors.ResponseError, "response"),
    (errors.CircuitOpenError, "circuit_open"),
])
def test_result_shape(cls, kind):
    exc = cls("Something went wrong.", status=500, url="https://jira.example.com/x")
    assert isinstance(exc, errors.JiraError)
    assert str(exc) == "Something went wrong."
    assert exc.msg == "Something went wrong."
    assert exc.fields == {"status": 500, "url": "https://jira.example.com/x"}
    assert exc.result() == {
        "status": 500,
        "url": "https://jira.example.com/x",
        "failed": True,
        "changed": False,
        "msg": "Something went wrong.",
        "error_kind": kind,
    }


def test_result_without_fields():
    assert errors.JiraError("boom").result() == {"failed": True, "changed": False, "msg": "boom", "error_kind": "error"}


def test_input_error():
    exc = errors.InputError("url", "is not set", "Set url (or JIRA_URL).")
    assert isinstance(exc, errors.JiraError)
    assert exc.kind == "bad_input"
    assert exc.msg == "Option 'url': is not set. Set url (or JIRA_URL)."
    assert str(exc) == exc.msg
    assert exc.fields == {"option": "url"}
    assert exc.result() == {
        "option": "url",
        "failed": True,
        "changed": False,
        "msg": "Option 'url': is not set. Set url (or JIRA_URL).",
        "error_kind": "bad_input",
    }


def test_result_fields_cannot_override_the_outcome():
    exc = errors.ResponseError("real message", changed=True, failed=False, error_kind="x", json={"a": 1})
    assert exc.result() == {"changed": False, "failed": True, "msg": "real message", "error_kind": "response", "json": {"a": 1}}


def test_result_is_a_fresh_dict():
    exc = errors.LoginError("denied", login_state="captcha")
    first = exc.result()
    first["login_state"] = "changed by caller"
    assert exc.result()["login_state"] == "captcha"
    assert exc.fields == {"login_state": "captcha"}


def test_all_errors_are_caught_by_one_except():
    for cls in (errors.LoginError, errors.CommunicationError, errors.ResponseError, errors.CircuitOpenError):
        with pytest.raises(errors.JiraError):
            raise cls("x")
    with pytest.raises(errors.JiraError):
        raise errors.InputError("path", "is empty", "Give one.")

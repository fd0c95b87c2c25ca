# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/errors.py: the failed task result of every error kind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common import errors


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
    exc = errors.ResponseError("real message", failed=False, error_kind="x", json={"a": 1})
    assert exc.result() == {"changed": False, "failed": True, "msg": "real message", "error_kind": "response",
                            "json": {"a": 1}}


def test_a_write_that_may_have_happened_says_changed():
    """A 2xx to a write whose answer is unusable: the task failed, but Jira did the write."""
    assert errors.ResponseError("created, key unknown", changed=True).result()["changed"] is True
    assert errors.ResponseError("not sent").result()["changed"] is False


@pytest.mark.parametrize("answer, kinds, problem", [
    ({}, (str,), "a string expected; it is missing"),
    ({"key": None}, (str,), "a string expected; it is null"),
    ({"key": 12}, (str,), "a string expected; it is a number"),
    ({"key": ["A-1"]}, (str,), "a string expected; it is a list"),
    ({"key": {"k": 1}}, (str,), "a string expected; it is an object"),
    ({"key": True}, (str, int), "a number or a string expected; it is a boolean"),
    (None, (str,), "a string expected; the answer is null"),
    ([{"key": "A-1"}], (str,), "a string expected; the answer is a list"),
    ("A-1", (str,), "a string expected; the answer is a string"),
])
def test_answer_field_refuses_what_is_not_usable(answer, kinds, problem):
    with pytest.raises(errors.ResponseError) as err:
        errors.answer_field(answer, "key", kinds, "POST /rest/api/2/issue", changed=True)
    assert err.value.msg == "Jira's answer to POST /rest/api/2/issue has no usable 'key' (%s)." % problem
    assert err.value.result()["changed"] is True


@pytest.mark.parametrize("answer, kinds", [({"key": "A-1"}, (str,)), ({"key": 10042}, (str, int)),
                                           ({"key": []}, (list,))])
def test_answer_field_gives_a_usable_value(answer, kinds):
    assert errors.answer_field(answer, "key", kinds, "GET x") == answer["key"]


def test_answer_object():
    assert errors.answer_object({"a": 1}, "GET x") == {"a": 1}
    with pytest.raises(errors.ResponseError,
                       match=r"^Jira's answer to GET x is a list, not the JSON object it gives\.$"):
        errors.answer_object([], "GET x")


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


# ---------------------------------------------------------------- an error is made once, with its final message

def test_after_write_makes_a_new_error_and_leaves_the_first_as_it_was():
    first = errors.ResponseError("Its answer cannot be read.", status=201)
    after = first.after_write("The issue was created.", key="A-1")
    assert after is not first and after.__class__ is errors.ResponseError
    assert (after.msg, str(after), after.fields) == (
        "The issue was created. Its answer cannot be read.", "The issue was created. Its answer cannot be read.",
        {"status": 201, "key": "A-1", "changed": True})
    expected = ("Its answer cannot be read.", "Its answer cannot be read.", {"status": 201})
    assert (first.msg, str(first), first.fields) == expected


def test_after_write_keeps_a_communication_errors_facts():
    first = errors.CommunicationError.broken(("GET", "https://j/x"), "it broke", retryable=False, url="https://j/x")
    after = first.after_write("Done.")
    assert (after.what, after.hint, after.retryable, after.exchange) == ("it broke", None, False, ("GET", "https://j/x"))
    assert after.msg == "Done. Could not talk to Jira: GET https://j/x: it broke."


@pytest.mark.parametrize("hint, attempts, msg", [
    (None, 1, "Could not talk to Jira: GET https://j/x: it broke (timeout)."),
    ("Check url.", 1, "Could not talk to Jira: GET https://j/x: it broke (timeout). Check url."),
    (None, 3, "Could not talk to Jira: GET https://j/x: it broke (timeout) (tried 3 times over 2.5 seconds; the option "
              "retries sets how often)."),
    ("Check url.", 4, "Could not talk to Jira: GET https://j/x: it broke (timeout). Check url (tried 4 times over 2.5 "
                      "seconds; the option retries sets how often)."),
])
def test_a_broken_exchange_says_all_it_knows_in_one_message(hint, attempts, msg):
    made = errors.CommunicationError.broken(("GET", "https://j/x"), "it broke (timeout)", hint, url="https://j/x")
    tried = made.tried(attempts, 2.5)
    assert (tried.msg, str(tried), tried.fields) == (msg, msg, {"url": "https://j/x"})
    assert made.msg.startswith("Could not talk to Jira") and "tried" not in made.msg  # the first one is as it was
    assert (tried is made) is (attempts == 1)

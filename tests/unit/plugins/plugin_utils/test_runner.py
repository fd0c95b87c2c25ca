# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What of a url's userinfo the runner masks: the password, or the user name when there is no password (a token)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import JiraAction


@pytest.mark.parametrize("url, masked", [
    ("https://SOMETOKEN@jira.example.com", {"SOMETOKEN"}),
    ("https://Tok%2Den@jira.example.com", {"Tok%2Den", "Tok-en"}),
    ("https://fred:Pa%3Ass@jira.example.com", {"Pa%3Ass", "Pa:ss"}),
    ("https://jira.example.com", set()),
    ("http://[::1/x", set()),
    (None, set()),
])
def test_url_secrets(url, masked):
    assert JiraAction._url_secrets({"url": url}) == masked


# ---------------------------------------------------------------- the task's no_log values, by a public route

def _modules():
    from ansible_collections.jiraops.jira.plugins.module_utils import attachment, auth_check, comment, issue
    from ansible_collections.jiraops.jira.plugins.module_utils.request import logic
    return [("jira_attachment", attachment), ("jira_auth_check", auth_check), ("jira_comment", comment),
            ("jira_issue", issue), ("jira_request", logic)]


SECRET_ARGS = [
    {},  # absent
    {"password": "Pa55 w0rd"},
    {"api_token": "T0ken-alias"},
    {"token": "PAT-abc"},
    {"password": "p", "token": "t", "username": "fred"},
    {"password": ""},
]


def _args(name, given):
    needed = {"jira_attachment": {"issue": "OPS-1", "content": "x", "filename": "a.txt"},
              "jira_comment": {"issue": "OPS-1", "body": "hello"},
              "jira_issue": {"key": "OPS-1"},
              "jira_request": {"path": "/rest/api/2/myself"}}.get(name, {})
    return dict(needed, url="https://jira.example.com", **given)


def _one_nested_spec():
    """A spec whose no_log option sits in suboptions (ours have none yet): the walk must find it there too."""
    return {"url": {"type": "str"},
            "auth": {"type": "dict", "options": {"secret": {"type": "str", "no_log": True}, "user": {"type": "str"}}},
            "keys": {"type": "list", "elements": "dict", "options": {"value": {"type": "raw", "no_log": True}}},
            "numbers": {"type": "list", "no_log": True}}


@pytest.mark.parametrize("given", SECRET_ARGS)
@pytest.mark.parametrize("from_env", [False, True])
def test_no_log_values_are_ansibles_own_for_every_module(monkeypatch, given, from_env):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import no_log_values
    for name, logic in _modules():
        args = _args(name, given)
        if from_env:  # the values that come from environment fallbacks are in validated_parameters too
            monkeypatch.setenv("JIRA_URL", args.pop("url"))
            monkeypatch.setenv("JIRA_TIMEOUT", "7")
        validation = ArgumentSpecValidator(**logic.MODULE_KWARGS).validate(args)
        ours = no_log_values(logic.MODULE_KWARGS["argument_spec"], validation.validated_parameters)
        assert ours == set(validation._no_log_values), (name, given)  # the private set, read here only to compare
        assert all(value in ours for value in given.values() if value and value != "fred"), (name, given)


@pytest.mark.parametrize("args", [
    {"auth": {"secret": "s3", "user": "u"}, "keys": [{"value": "v1"}, {"value": 42}], "numbers": [1, "two", True]},
    {"auth": None, "keys": []},
    {},
])
def test_no_log_values_in_suboptions_are_ansibles_own(args):
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import no_log_values
    spec = _one_nested_spec()
    validation = ArgumentSpecValidator(spec).validate(args)
    assert not validation.error_messages
    assert no_log_values(spec, validation.validated_parameters) == set(validation._no_log_values)

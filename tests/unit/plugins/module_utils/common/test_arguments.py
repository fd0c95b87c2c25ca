# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/arguments.py: where credentials come from."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.jiraops.jira.plugins.module_utils.common import arguments

ENV_NAMES = ("JIRA_USERNAME", "JIRA_PASSWORD", "JIRA_API_TOKEN", "JIRA_TOKEN", "JIRA_URL", "JIRA_CLIENT_ID",
             "JIRA_CLIENT_SECRET")


@pytest.fixture
def env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)

    def setenv(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return setenv


def creds(**given):
    params = dict(username=None, password=None, token=None, url="https://jira.example.com")
    params.update(given)
    resolved = arguments.with_environment_credentials(params)
    return resolved["username"], resolved["password"], resolved["token"]


def test_task_token_ignores_basic_credentials_in_the_environment(env):
    env(JIRA_USERNAME="wilma", JIRA_PASSWORD="wilma-pw")
    assert creds(token="pat") == (None, None, "pat")


def test_task_username_takes_the_password_from_the_environment_and_ignores_its_token(env):
    env(JIRA_PASSWORD="env-pw", JIRA_TOKEN="env-pat")
    assert creds(username="svc") == ("svc", "env-pw", None)


def test_task_password_takes_the_username_from_the_environment(env):
    env(JIRA_USERNAME="env-user")
    assert creds(password="task-pw") == ("env-user", "task-pw", None)


def test_nothing_on_the_task_prefers_the_environment_token(env):
    env(JIRA_USERNAME="env-user", JIRA_PASSWORD="env-pw", JIRA_TOKEN="env-pat")
    assert creds() == (None, None, "env-pat")


def test_nothing_on_the_task_uses_basic_from_the_environment(env):
    env(JIRA_USERNAME="env-user", JIRA_PASSWORD="env-pw")
    assert creds() == ("env-user", "env-pw", None)


def test_api_token_is_the_password_fallback(env):
    env(JIRA_USERNAME="fred@example.com", JIRA_API_TOKEN="ATATT-token")
    assert creds() == ("fred@example.com", "ATATT-token", None)


def test_jira_password_wins_over_jira_api_token(env):
    env(JIRA_USERNAME="u", JIRA_PASSWORD="pw", JIRA_API_TOKEN="tok")
    assert creds() == ("u", "pw", None)


def test_empty_variables_count_as_unset(env):
    env(JIRA_TOKEN="", JIRA_USERNAME="env-user", JIRA_PASSWORD="env-pw")
    assert creds() == ("env-user", "env-pw", None)


def test_no_credentials_anywhere_is_anonymous(env):
    assert creds() == (None, None, None)


def oauth_creds(**given):
    params = dict(username=None, password=None, token=None, client_id=None, client_secret=None)
    params.update(given)
    resolved = arguments.with_environment_credentials(params)
    return tuple(resolved[name] for name in arguments.CREDENTIAL_OPTIONS)


def test_an_oauth_client_in_the_environment_comes_after_its_token_and_before_basic(env):
    env(JIRA_CLIENT_ID="cid", JIRA_CLIENT_SECRET="cs", JIRA_USERNAME="u", JIRA_PASSWORD="pw")
    assert oauth_creds() == (None, None, None, "cid", "cs")
    env(JIRA_TOKEN="pat")
    assert oauth_creds() == (None, None, "pat", None, None)


def test_a_task_client_id_takes_its_secret_from_the_environment_and_nothing_else(env):
    env(JIRA_CLIENT_SECRET="cs", JIRA_USERNAME="u", JIRA_PASSWORD="pw", JIRA_TOKEN="pat")
    assert oauth_creds(client_id="task-id") == (None, None, None, "task-id", "cs")


def test_a_task_username_ignores_an_oauth_client_in_the_environment(env):
    env(JIRA_CLIENT_ID="cid", JIRA_CLIENT_SECRET="cs", JIRA_PASSWORD="pw")
    assert oauth_creds(username="u") == ("u", "pw", None, None, None)


def test_params_are_not_modified(env):
    env(JIRA_USERNAME="env-user", JIRA_PASSWORD="env-pw")
    params = dict(username=None, password=None, token=None)
    arguments.with_environment_credentials(params)
    assert params == dict(username=None, password=None, token=None)


def test_env_fallback_skips_empty_and_raises_when_nothing_is_set(env):
    env(JIRA_URL="")
    with pytest.raises(AnsibleFallbackNotFound):
        arguments.env_fallback("JIRA_URL")
    env(JIRA_URL="https://jira.example.com")
    assert arguments.env_fallback("JIRA_URL") == "https://jira.example.com"


# ---------------------------------------------------------------- numeric ranges

BAD_VALUES = [
    ("timeout", -1.0, "is -1.0, but must be more than 0"),
    ("timeout", 0.0, "is 0.0, but must be more than 0"),
    ("timeout", float("nan"), "is nan, but must be a finite number, more than 0"),
    ("timeout", float("inf"), "is inf, but must be a finite number, more than 0"),
    ("retries", -1, "is -1, but must be at least 0"),
    ("max_retry_wait", -5.0, "is -5.0, but must be at least 0"),
    ("max_retry_wait", float("inf"), "is inf, but must be a finite number, at least 0"),
    ("max_response_bytes", 0, "is 0, but must be more than 0"),
    ("max_response_bytes", -1, "is -1, but must be more than 0"),
    ("page_size", 0, "is 0, but must be at least 1"),
    ("max_items", -3, "is -3, but must be at least 1"),
    ("max_pages", 0, "is 0, but must be at least 1"),
    ("retries", 1.5, "is 1.5, but must be a whole number, at least 0"),
    ("retries", True, "is True, but must be a whole number, at least 0"),
    ("timeout", "10", "is '10', but must be a number, more than 0"),
]


@pytest.mark.parametrize("option, value, problem", BAD_VALUES, ids=["%s=%r" % (o, v) for o, v, dummy in BAD_VALUES])
def test_out_of_range_values_are_refused_in_words(option, value, problem):
    with pytest.raises(arguments.InputError) as err:
        arguments.check_values({option: value, "url": "https://jira.example.com"})
    assert err.value.fields == {"option": option}
    assert err.value.msg.startswith("Option '%s': %s. Give " % (option, problem)), err.value.msg


@pytest.mark.parametrize("params", [
    {},
    {"timeout": 10.0, "retries": 3, "max_retry_wait": 60.0, "max_response_bytes": 64 * 1024 * 1024},
    {"timeout": 0.001, "retries": 0, "max_retry_wait": 0.0, "max_response_bytes": 1},
    {"page_size": 1, "max_items": 1, "max_pages": 1, "timeout": None, "retries": None},
    {"retries": 3.0},
])
def test_values_in_range_pass(params):
    arguments.check_values(params)


def test_every_numeric_option_of_every_module_has_a_range():
    """A numeric option added to any module without a range here (or in its own logic) would be sent unchecked."""
    from ansible_collections.jiraops.jira.plugins.module_utils import attachment, auth_check, comment, issue
    from ansible_collections.jiraops.jira.plugins.module_utils.request import logic as request

    ranged = set(option for option, dummy, dummy2, dummy3,
                 dummy4 in arguments.NUMERIC_RANGES) | set(["concurrent_pages"])
    for logic in (attachment, auth_check, comment, issue, request):
        numeric = set(name for name, spec in logic.ARGUMENT_SPEC.items() if spec.get("type") in ("int", "float"))
        assert numeric <= ranged, (logic.__name__, numeric - ranged)

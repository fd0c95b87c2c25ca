# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for login_state.login_message (module_utils/login/login_state.py): what a refused login says.

These belong in test_login_state.py; they live here until that file is merged (it had another owner at the split)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state as ls

URL = "https://jira.example.com/rest/api/2/issue/A-1"


WHERE = "GET " + URL


def test_login_message_captcha_with_login_url():
    login = ls.Login(ls.CAPTCHA, login_url="https://jira.example.com/login.jsp")
    assert ls.login_message(login, "GET", URL) == (
        "Jira refused the login without checking the password: CAPTCHA is triggered for this account after too many "
        "failed logins (%s). Log in once in a browser at https://jira.example.com/login.jsp and solve the CAPTCHA, "
        "or ask a Jira administrator to reset the failed login count. Do not retry with the same credentials." % WHERE)


def test_login_message_captcha_without_login_url():
    message = ls.login_message(ls.Login(ls.CAPTCHA), "GET", URL)
    assert "Log in once in a browser at Jira's login page and solve the CAPTCHA" in message


def test_login_message_wrong_credentials_with_hint():
    login = ls.Login(ls.WRONG_CREDENTIALS, hint="Use an API token.")
    assert ls.login_message(login, "POST", URL) == (
        "Jira did not accept the credentials (POST %s). Check username and password/token: each failed login brings a "
        "CAPTCHA lock closer (3 in a row by default). Use an API token." % URL)


@pytest.mark.parametrize("state, expected", [
    (ls.WRONG_CREDENTIALS,
     "Jira did not accept the credentials (%s). Check username and password/token: each failed login "
     "brings a CAPTCHA lock closer (3 in a row by default)." % WHERE),
    (ls.BASIC_AUTH_DISABLED,
     "Basic authentication is disabled on this Jira (%s). Use a personal access token (token) instead." % WHERE),
    (ls.ANONYMOUS, "Jira served %s to the anonymous user." % WHERE),
    (ls.UNREACHABLE, "Jira could not be reached (%s)." % WHERE),
    (ls.NOT_AUTHORISED, "Jira answered %s with login state not_authorised." % WHERE),
    (ls.OK, "Jira answered %s with login state ok." % WHERE),
])
def test_login_message_states(state, expected):
    assert ls.login_message(ls.Login(state), "GET", URL) == expected


def test_login_message_on_cloud_does_not_mention_a_captcha_lock():
    login = ls.read_login(401, {"x-arequestid": "3c1b1d5e-7f7a-4b8e-9a55-0c2f3e6b9d11"},
                          '{"errorMessages":["Client must be authenticated to access this resource."]}', True)
    message = ls.login_message(login, "GET", URL)
    assert message.startswith("Jira Cloud did not accept the credentials (%s). Check username (the account's e-mail)"
                              % WHERE)
    assert "CAPTCHA" not in message
    data_center = ls.read_login(401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED",
                                      "x-arequestid": "1158x1253552x2"}, "", True)
    assert "CAPTCHA lock closer" in ls.login_message(data_center, "GET", URL)


def test_login_message_hints_at_a_personal_access_token_given_as_password():
    from ansible_collections.jiraops.jira.plugins.module_utils.login import auth
    pat = "NzYyNjE4NDEyMzY2OkFCQ0RFRkdISUpLTE1OT1BRUlNU"  # base64 of '762618412366:ABCDEFGHIJKLMNOPQRST'
    login = ls.read_login(401, {"x-seraph-loginreason": "AUTHENTICATED_FAILED"}, "", True)
    assert ls.login_message(login, "GET", URL, auth.basic_credentials("fred", pat)).endswith(
        "The password has the form of a Data Center personal access token: give it as token (it is sent as Bearer), "
        "not as password.")
    assert "personal access token" not in ls.login_message(login, "GET", URL, auth.basic_credentials("fred", "fred"))
    assert not auth.looks_like_pat("QWxhZGRpbjpvcGVuIHNlc2FtZQ==")  # base64, but of 'Aladdin:open sesame'

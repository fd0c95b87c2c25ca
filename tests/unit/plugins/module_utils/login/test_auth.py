# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/auth.py: the Authorization header and the credentials it refuses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.login import auth
from ansible_collections.jiraops.jira.plugins.module_utils.rest.client import JiraClient
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import InputError


def _decoded(header):
    scheme, dummy, encoded = header.partition(" ")
    assert scheme == "Basic"
    return base64.b64decode(encoded.encode("ascii"), validate=True).decode("utf-8")


# ---------------------------------------------------------------- Basic

def test_basic_fred_fred_is_the_documented_header():
    creds = auth.basic_credentials("fred", "fred")
    assert creds.header == "Basic ZnJlZDpmcmVk"
    assert creds.auth_type == auth.AUTH_BASIC == "basic"
    assert creds.sent is True
    assert creds.secrets == ("fred", "ZnJlZDpmcmVk", "Basic ZnJlZDpmcmVk")


def test_basic_encodes_the_pair_as_utf8():
    creds = auth.basic_credentials(u"jörg", u"pässwörd")
    assert creds.header == "Basic asO2cmc6cMOkc3N3w7ZyZA=="
    assert _decoded(creds.header) == u"jörg:pässwörd"


def test_basic_cloud_email_and_api_token():
    creds = auth.basic_credentials("fred@example.com", "ATATT3xFfGF0")
    assert creds.header == "Basic ZnJlZEBleGFtcGxlLmNvbTpBVEFUVDN4RmZHRjA="


@pytest.mark.parametrize("password", ["a:b", ":", "::x::", "pass:word:"])
def test_basic_password_may_contain_colons(password):
    creds = auth.basic_credentials("fred", password)
    assert _decoded(creds.header) == "fred:" + password
    assert creds.secrets[0] == password


def test_basic_empty_password_is_allowed_and_not_listed_as_secret():
    creds = auth.basic_credentials("fred", "")
    assert creds.header == "Basic ZnJlZDo="
    assert creds.secrets == ("ZnJlZDo=", "Basic ZnJlZDo=")


def test_basic_password_with_spaces_is_sent_unchanged():
    creds = auth.basic_credentials("fred", "  pw  ")
    assert _decoded(creds.header) == "fred:  pw  "


@pytest.mark.parametrize("username, password, option, problem", [
    ("fred:x", "pw", "username", "contains ':', which Basic auth uses as the separator"),
    (":", "pw", "username", "contains ':', which Basic auth uses as the separator"),
    ("", "pw", "username", "is empty"),
    ("", "", "username", "is empty"),
    ("fred\n", "pw", "username", "contains a line break (CR or LF)"),
    ("fr\red", "pw", "username", "contains a line break (CR or LF)"),
    ("fred", "pw\n", "password", "contains a line break (CR or LF)"),
    ("fred", "pw\r\n", "password", "contains a line break (CR or LF)"),
    ("fred", "\r", "password", "contains a line break (CR or LF)"),
    # the line break is reported before the ':' (both are wrong; the line break is the likelier mistake)
    ("fr:ed\n", "pw", "username", "contains a line break (CR or LF)"),
    # the user name is checked before the password
    ("fred\n", "pw\n", "username", "contains a line break (CR or LF)"),
])
def test_basic_refusals_name_the_option(username, password, option, problem):
    with pytest.raises(InputError) as err:
        auth.basic_credentials(username, password)
    assert err.value.fields == {"option": option}
    assert err.value.msg.startswith("Option '%s': %s. " % (option, problem))


def test_basic_refusal_messages_are_exact():
    with pytest.raises(InputError) as err:
        auth.basic_credentials("a:b", "pw")
    assert err.value.msg == ("Option 'username': contains ':', which Basic auth uses as the separator. "
                             "Use the login name (or, on Jira Cloud, the account e-mail) without ':'.")
    with pytest.raises(InputError) as err:
        auth.basic_credentials("fred", "secret\n")
    assert err.value.msg == ("Option 'password': contains a line break (CR or LF). "
                             "Remove it; a value read from a file often ends with a newline (use '| trim').")
    assert "secret" not in err.value.msg


# ---------------------------------------------------------------- Bearer

def test_bearer_header_and_secrets():
    creds = auth.bearer_credentials("NjE0MzQ1Nzg6dGVzdA")
    assert creds.header == "Bearer NjE0MzQ1Nzg6dGVzdA"
    assert creds.auth_type == auth.AUTH_BEARER == "bearer"
    assert creds.sent is True
    assert creds.secrets == ("NjE0MzQ1Nzg6dGVzdA", "Bearer NjE0MzQ1Nzg6dGVzdA")


@pytest.mark.parametrize("token, problem", [
    ("", "is empty"),
    ("   ", "is only white space"),
    ("\t", "is only white space"),
    ("abc\n", "contains a line break (CR or LF)"),
    ("abc\r\n", "contains a line break (CR or LF)"),
    ("\n", "contains a line break (CR or LF)"),
])
def test_bearer_refusals_name_the_option(token, problem):
    with pytest.raises(InputError) as err:
        auth.bearer_credentials(token)
    assert err.value.fields == {"option": "token"}
    assert err.value.msg.startswith("Option 'token': %s. " % problem)


# ---------------------------------------------------------------- from params

@pytest.mark.parametrize("params", [{}, {"username": None, "password": None, "token": None}])
def test_no_credentials_means_anonymous(params):
    creds = auth.credentials_from_params(params)
    assert creds.auth_type == auth.AUTH_NONE == "none"
    assert creds.header is None
    assert creds.sent is False
    assert creds.secrets == ()


def test_token_takes_precedence():
    creds = auth.credentials_from_params({"token": "tok", "username": "fred", "password": "pw"})
    assert creds.header == "Bearer tok"


@pytest.mark.parametrize("params, option, problem", [
    ({"token": ""}, "token", "is empty, so the call would go out anonymously"),
    ({"token": "", "username": "fred", "password": "fred"}, "token", "is empty, so the call would go out anonymously"),
    ({"username": "fred", "password": ""}, "password", "is empty, which Jira would count as a failed login"),
    ({"username": None, "password": ""}, "password", "is empty, which Jira would count as a failed login"),
])
def test_empty_secrets_are_refused_before_sending(params, option, problem):
    """A variable that rendered empty: an empty token would be an anonymous call, an empty password a failed login."""
    with pytest.raises(InputError) as err:
        auth.credentials_from_params(params)
    assert err.value.fields == {"option": option}
    assert err.value.msg.startswith("Option '%s': %s. A variable may have rendered empty" % (option, problem))


def test_the_client_checks_the_numeric_options_before_it_builds_anything():
    """JiraClient takes the options before anything is sent, on both paths: the numeric ranges are checked there."""
    with pytest.raises(InputError) as err:
        JiraClient({"url": "http://127.0.0.1:9", "username": "fred", "password": "fred", "timeout": 0.0})
    assert err.value.fields == {"option": "timeout"}


def test_an_empty_username_is_refused():
    with pytest.raises(InputError) as err:
        auth.credentials_from_params({"username": "", "password": "pw"})
    assert err.value.msg.startswith("Option 'username': is empty")


@pytest.mark.parametrize("params, option, problem", [
    ({"username": "fred"}, "password", "is missing while a username is set"),
    ({"username": "fred", "password": None}, "password", "is missing while a username is set"),
    ({"password": "pw"}, "username", "is missing while a password is set"),
    ({"username": "a:b", "password": "pw"}, "username", "contains ':', which Basic auth uses as the separator"),
    ({"token": "t\n"}, "token", "contains a line break (CR or LF)"),
])
def test_params_refusals_name_the_option(params, option, problem):
    with pytest.raises(InputError) as err:
        auth.credentials_from_params(params)
    assert err.value.fields == {"option": option}
    assert err.value.msg.startswith("Option '%s': %s. " % (option, problem))


def test_credentials_drop_empty_secrets():
    creds = auth.Credentials(auth.AUTH_BASIC, "Basic x", secrets=("", None, "x", "Basic x"))
    assert creds.secrets == ("x", "Basic x")
    assert auth.Credentials(auth.AUTH_NONE).sent is False

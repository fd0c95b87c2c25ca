# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for login/oauth.py: OAuth 2.0 client credentials traded for an access token (RFC 6749 section 4.4)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from urllib.parse import parse_qs

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import LoginError
from ansible_collections.jiraops.jira.plugins.module_utils.login import login_state, oauth
from ansible_collections.jiraops.jira.plugins.module_utils.rest.response import Response

TOKEN_URL = "https://auth.example/oauth/token"


def _answer(status, body):
    content = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    return Response("POST", TOKEN_URL, status, {"content-type": "application/json"}, content,
                    login_state.Login(login_state.ANONYMOUS))


def test_cloud_asks_atlassians_auth_server_in_json_with_the_audience():
    body, content_type = oauth.ClientCredentials("id", "s3cr:t&", TOKEN_URL, cloud=True).request_body()
    assert content_type == "application/json"
    assert json.loads(body) == {"grant_type": "client_credentials", "client_id": "id", "client_secret": "s3cr:t&",
                                "audience": "api.atlassian.com"}


def test_data_center_asks_in_a_form_body():
    body, content_type = oauth.ClientCredentials("id", "s3cr:t&", TOKEN_URL, cloud=False).request_body()
    assert content_type == "application/x-www-form-urlencoded"
    assert parse_qs(body.decode("ascii")) == {"grant_type": ["client_credentials"], "client_id": ["id"],
                                              "client_secret": ["s3cr:t&"]}


def test_a_token_is_kept_masked_and_renewed_before_its_end(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(oauth.time, "monotonic", lambda: now[0])
    client = oauth.ClientCredentials("id", "s", TOKEN_URL, cloud=True)
    assert client.due and client.header is None
    client.take(_answer(200, {"access_token": "tok1", "token_type": "Bearer", "expires_in": 3600,
                              "scope": "read:jira-work read:jira-user"}))
    assert client.header == "Bearer tok1" and not client.due
    assert client.issued == ["tok1", "Bearer tok1"] and client.scopes == ["read:jira-work", "read:jira-user"]
    now[0] += 3600 - oauth.RENEW_BEFORE_SECONDS - 1
    assert not client.due
    now[0] += 2
    assert client.due  # renewed a minute before the end, not after Jira refused it


def test_a_short_lived_token_is_renewed_half_way():
    client = oauth.ClientCredentials("id", "s", TOKEN_URL, cloud=True)
    client.take(_answer(200, {"access_token": "t", "expires_in": 30}))
    assert client.expires_in == 30.0 and not client.due


@pytest.mark.parametrize("status, body, state", [
    (401, {"error": "access_denied", "error_description": "Unauthorized"}, "wrong_credentials"),
    (400, {"error": "invalid_client"}, "wrong_credentials"),
    (200, {"token_type": "Bearer"}, "unknown"),
    (200, b"<html>sign in</html>", "unknown"),
    (502, b"bad gateway", "unknown"),
])
def test_a_token_endpoint_that_issues_nothing_fails_naming_the_options(status, body, state):
    client = oauth.ClientCredentials("id", "s", TOKEN_URL, cloud=False)
    with pytest.raises(LoginError) as caught:
        client.take(_answer(status, body))
    assert caught.value.fields["login_state"] == state
    assert "client_id" in caught.value.msg and "client_secret" in caught.value.msg
    assert client.header is None and client.issued == []

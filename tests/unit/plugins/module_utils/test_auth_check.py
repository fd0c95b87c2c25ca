# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for the pure parts of module_utils/auth_check.py: the user and server as reported, what counts as a
granted permission, and the healthy message (the login itself is tested end to end against jirasim)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils import auth_check

SERVER_ME = {"name": "fred", "key": "JIRAUSER10000", "displayName": "Fred Flintstone",
             "emailAddress": "fred@example.com", "active": True, "timeZone": "Europe/Berlin"}
CLOUD_ME = {"accountId": "5b10a2844c20165700ede21g", "displayName": "Fred", "emailAddress": None, "active": True}


def test_a_data_center_user_keeps_its_name_and_key():
    assert auth_check.user_fields(SERVER_ME) == dict(name="fred", key="JIRAUSER10000", account_id=None,
                                                     display_name="Fred Flintstone", email="fred@example.com",
                                                     active=True, time_zone="Europe/Berlin")


def test_a_cloud_user_has_the_same_keys_with_its_account_id():
    fields = auth_check.user_fields(CLOUD_ME)
    assert set(fields) == set(auth_check.user_fields(SERVER_ME))
    assert fields["account_id"] == CLOUD_ME["accountId"] and fields["name"] is None and fields["email"] is None


def test_server_fields_rename_server_info():
    info = {"baseUrl": "https://jira.example.com", "version": "10.3.1", "versionNumbers": [10, 3, 1],
            "deploymentType": "Server", "buildNumber": 10030001, "serverTitle": "Jira", "scmInfo": "not shown"}
    assert auth_check.server_fields(info) == dict(base_url="https://jira.example.com", version="10.3.1",
                                                  version_numbers=[10, 3, 1], deployment_type="Server",
                                                  build_number=10030001, server_title="Jira")


@pytest.mark.parametrize("permission, granted", [
    ({"havePermission": True}, True),
    ({"havePermission": False}, False),
    ({"havePermission": "true"}, False),  # only JSON true is a grant
    ({}, False),
    (None, False),
    (True, False),
])
def test_only_have_permission_true_is_a_grant(permission, granted):
    assert auth_check._granted(permission) is granted


@pytest.mark.parametrize("server, user, expected", [
    ({"server_title": "ACME Jira", "version": "10.3.1"}, {"name": "fred", "display_name": "Fred Flintstone"},
     "Authenticated to ACME Jira 10.3.1 at https://jira.example.com as fred (Fred Flintstone)."),
    (None, {"email": "fred@example.com"}, "Authenticated to Jira at https://jira.example.com as fred@example.com."),
    ({"version": "1001.0.0"}, {"account_id": "5b10"},
     "Authenticated to Jira 1001.0.0 at https://jira.example.com as 5b10."),
])
def test_the_healthy_message_says_where_and_as_whom(server, user, expected):
    result = {"server": server, "user": user, "url": "https://jira.example.com"}
    assert auth_check._healthy_message(result) == expected

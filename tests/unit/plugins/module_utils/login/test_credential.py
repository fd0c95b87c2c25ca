# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for login/credential.py: a credential's kind, its Data Center token id, and days until its end."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.login import auth, credential

PAT = base64.b64encode(b"762618412366:ABCDEFGHIJKLMNOPQRST").decode("ascii")


@pytest.mark.parametrize("credentials, cloud, route, kind", [
    (auth.Credentials(auth.AUTH_NONE), False, "site", "none"),
    (auth.basic_credentials("fred", "pw"), False, "site", "password"),
    (auth.bearer_credentials(PAT), False, "site", "pat"),
    (auth.basic_credentials("fred@example.com", "ATATT"), True, "site", "api_token"),
    (auth.basic_credentials("fred@example.com", "ATATT"), True, "gateway", "scoped_token"),
    (auth.basic_credentials("ci@serviceaccount.atlassian.com", "ATATT"), True, "gateway", "service_account_token"),
    (auth.bearer_credentials("ATATT-service"), True, "gateway", "service_account_token"),
    (auth.oauth_credentials(dict(client_id="c", client_secret="s", oauth_token_url="https://t/")), True, "gateway",
     "oauth_client"),
])
def test_the_kind_follows_the_credential_the_deployment_and_the_route(credentials, cloud, route, kind):
    assert credential.kind_of(credentials, cloud, route) == kind


def test_a_data_center_token_names_its_id_and_other_strings_none():
    assert credential.pat_id(PAT) == 762618412366
    assert credential.pat_id("ATATT3xFfGF0fredTOKEN0000") is None
    assert credential.pat_id(base64.b64encode(b"abc:def").decode("ascii")) is None
    assert credential.pat_id("not base64 !") is None


NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("stamp, days", [
    ("2026-12-08T12:00:00.000+0000", 5),
    ("2026-12-08T11:59:59.000+0000", 4),  # whole days left, not rounded up
    ("2027-06-21T10:00:00Z", 199),
    ("2026-12-02T12:00:00.000+0000", -1),
    ("2026-12-08T14:00:00+02:00", 5),
    ("2026-12-08", None),
    ("soon", None),
    (None, None),
])
def test_days_until_reads_jiras_time_stamps(stamp, days):
    assert credential._days_until(stamp, NOW) == days


def test_an_oauth_tokens_scopes_are_checked_against_the_permissions():
    oauth = auth.oauth_credentials(dict(client_id="c", client_secret="s", oauth_token_url="https://t/"))
    oauth.oauth.scopes = ["read:jira-work", "read:jira-user"]

    class Client:
        credentials = oauth
    assert credential.missing_scopes(Client, ["BROWSE_PROJECTS"]) == []
    assert credential.missing_scopes(Client, ["BROWSE_PROJECTS", "CREATE_ISSUES"]) == ["write:jira-work"]
    oauth.oauth.scopes = None
    assert credential.missing_scopes(Client, ["CREATE_ISSUES"]) == []  # unknown: not claimed missing

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/rest/api.py: the REST version of the Jira in use, asked of serverInfo at most once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.common.context import TaskContext
from ansible_collections.jiraops.jira.plugins.module_utils.rest.api import Api

CLOUD_INFO = {"baseUrl": "https://x.atlassian.net", "version": "1001.0.0", "deploymentType": "Cloud"}
SERVER_INFO = {"baseUrl": "https://jira.example.com", "version": "10.3.1", "deploymentType": "Server"}


class _Answer:
    status, is_json = 200, True

    def __init__(self, info):
        self.json = info


class _Client:
    """What Api uses of JiraClient: the checked call (counted) and the base URL."""
    base_url = "https://jira.example.com"

    def __init__(self, info):
        self.info, self.calls = info, []

    def call(self, method, path, **options):
        self.calls.append((method, path))
        return _Answer(self.info)


@pytest.mark.parametrize("setting, version", [("cloud", "3"), ("server", "2")])
def test_a_deployment_given_picks_the_version_without_a_request(setting, version):
    client = _Client(None)
    api = Api(client, {"deployment": setting}, TaskContext())
    assert api.path("/issue/A-1") == "/rest/api/%s/issue/A-1" % version and client.calls == []


@pytest.mark.parametrize("info, version", [(CLOUD_INFO, "3"), (SERVER_INFO, "2")])
def test_auto_asks_server_info_once_and_keeps_it_in_the_task(info, version):
    client, task = _Client(info), TaskContext()
    api = Api(client, {"deployment": "auto"}, task)
    paths = [api.path("issue"), api.path("comment")]
    assert paths == ["/rest/api/%s/issue" % version, "/rest/api/%s/comment" % version]
    assert client.calls == [("GET", "/rest/api/2/serverInfo")]
    assert task.server_info_learnt["deploymentType"] == info["deploymentType"]


def test_what_an_earlier_task_read_is_not_asked_again():
    client = _Client(None)
    api = Api(client, {}, TaskContext(server_info=CLOUD_INFO))
    assert api.is_cloud is True and client.calls == []


def test_the_browse_url_is_on_the_base_url():
    assert Api(_Client(None), {"deployment": "server"}, TaskContext()).browse_url("OPS-7") == \
        "https://jira.example.com/browse/OPS-7"

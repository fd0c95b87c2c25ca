# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's memory of what serverInfo said about each url."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.jiraops.jira.plugins.plugin_utils import deployments

CLOUD = {"deploymentType": "Cloud", "version": "1001.0.0-SNAPSHOT", "baseUrl": "https://jira.example.com"}
SERVER = {"deploymentType": "Server", "version": "9.12.4", "versionNumbers": [9, 12, 4]}


def test_remembered_per_canonical_url(tmp_path):
    directory = str(tmp_path / "d")
    assert deployments.known("https://jira.example.com", directory) is None
    deployments.remember("https://jira.example.com", CLOUD, directory)
    assert deployments.known("HTTPS://Jira.Example.com:443/", directory) == CLOUD
    assert deployments.known("https://other.example.com", directory) is None
    deployments.remember("https://other.example.com", SERVER, directory)
    assert deployments.known("https://other.example.com/.", directory) == SERVER


def test_only_an_answer_naming_its_deployment_is_kept(tmp_path):
    directory = str(tmp_path / "d")
    deployments.remember("https://jira.example.com", {"version": "9.12.4"}, directory)
    deployments.remember("https://jira.example.com", "cloud", directory)
    deployments.remember("not a url", CLOUD, directory)
    assert deployments.known("https://jira.example.com", directory) is None
    assert deployments.known("not a url", directory) is None


def test_an_answer_that_no_log_masked_is_not_kept(tmp_path):
    directory = str(tmp_path / "d")
    deployments.remember("https://jira.example.com", dict(SERVER, version="9.********.4"), directory)
    assert deployments.known("https://jira.example.com", directory) is None


def test_a_damaged_memory_file_is_ignored(tmp_path):
    directory = str(tmp_path / "d")
    deployments.remember("https://jira.example.com", CLOUD, directory)
    (name,) = os.listdir(directory)
    for text in ("cloud", "[1, 2]", '{"deploymentType": 3}', ""):
        with open(os.path.join(directory, name), "w") as handle:
            handle.write(text)
        assert deployments.known("https://jira.example.com", directory) is None

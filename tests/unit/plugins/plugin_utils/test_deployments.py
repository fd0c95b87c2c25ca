# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run's memory of which Jira each url is."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.plugin_utils import deployments


def test_remembered_per_canonical_url(tmp_path):
    directory = str(tmp_path / "d")
    assert deployments.known("https://jira.example.com", directory) is None
    deployments.remember("https://jira.example.com", "cloud", directory)
    assert deployments.known("HTTPS://Jira.Example.com:443/", directory) == "cloud"
    assert deployments.known("https://other.example.com", directory) is None
    deployments.remember("https://other.example.com", "server", directory)
    assert deployments.known("https://other.example.com/.", directory) == "server"


def test_nothing_but_a_deployment_kind_is_kept(tmp_path):
    directory = str(tmp_path / "d")
    deployments.remember("https://jira.example.com", "auto", directory)
    deployments.remember("not a url", "cloud", directory)
    assert deployments.known("https://jira.example.com", directory) is None
    assert deployments.known("not a url", directory) is None

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

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests for module_utils/page_size.py: the page size asked for when the task gives none."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.jiraops.jira.plugins.module_utils.request.page_size import default_page_size, ids_only


@pytest.mark.parametrize("path, fields, family, size", [
    # Data Center search: jira.search.views.default.max
    ("/rest/api/2/search", None, "search", 1000),
    ("/rest/api/2/search/", "summary,status", "search", 1000),
    ("/rest/api/latest/search", None, "search", 1000),
    ("https://jira.example.com/jira/rest/api/2/search", None, "search", 1000),
    ("/jira/rest/api/2/search", None, "search", 1000),
    # Cloud's search/jql: 5000 for ids and keys only, 100 for whole issues
    ("/rest/api/3/search/jql", None, "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "key", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", "id,key", "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql", ["id", "key"], "search/jql (ids)", 5000),
    ("/rest/api/3/search/jql/", "summary", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", "key,summary", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", ["key", "*navigable"], "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", "*all", "search/jql (fields)", 100),
    ("/rest/api/3/search/jql", {"not": "a list"}, "search/jql (fields)", 100),
    # agile: issue lists are bounded like search, the rest at Jira Software's 50
    ("/rest/agile/1.0/board/12/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board/12/sprint/7/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/sprint/7/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/epic/none/issue", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board/12/backlog", None, "agile issue list", 1000),
    ("/rest/agile/1.0/board", None, "agile", 50),
    ("/rest/agile/1.0/board/12/sprint", None, "agile", 50),
    ("/rest/agile/1.0/board/12/epic", None, "agile", 50),
    # comments and worklogs
    ("/rest/api/2/issue/TEST-1/comment", None, "comments", 5000),
    ("/rest/api/3/issue/10001/comment/", None, "comments", 5000),
    ("/rest/api/2/issue/TEST-1/worklog", None, "worklogs", 5000),
    # anything else: 100
    ("/rest/api/2/project/TEST/version", None, "other", 100),
    ("/rest/api/2/user/search", None, "other", 100),
    ("/rest/api/2/issue/TEST-1/comment/10000", None, "other", 100),
    ("/rest/api/2/searches", None, "other", 100),
    ("/rest/api/3/search/approximate-count", None, "other", 100),
    # a query left in the path does not change the family
    ("/rest/api/2/search?jql=project%20%3D%20TEST", None, "search", 1000),
])
def test_the_table(path, fields, family, size):
    assert default_page_size(path, fields) == (family, size)


@pytest.mark.parametrize("fields, expected", [
    (None, True), ("", True), ("id", True), (" key , id ", True), (["key"], True), ([], True), (("id",), True),
    ("summary", False), ("key,summary", False), (["*all"], False), (5, False), ({"key": 1}, False),
])
def test_ids_only(fields, expected):
    assert ids_only(fields) is expected

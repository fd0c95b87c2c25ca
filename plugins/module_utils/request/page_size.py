# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The page size jira_request asks for when the task gives none: the largest page each endpoint family allows.

Jira's own default is 50 items a page, which makes a bulk read take several times longer than it needs to. Jira
caps every page at what the endpoint allows and says in each page how many it sent, so asking for more than an
endpoint gives is harmless: paging follows what Jira sent, never what was asked for.

family (paths): maxResults asked for, and why
- search, Data Center (/rest/api/2/search, /rest/api/latest/search): 1000, Jira's jira.search.views.default.max
  (1000 unless an administrator changed it).
- search/jql, Cloud (/rest/api/3/search/jql) asking for no fields, or for id and key only: 5000, the maximum Atlassian
  documents for ids and keys.
- search/jql asking for other fields: 100. Jira trims pages of whole issues (to 100, as seen); asking for more would
  only allow larger pages.
- agile issue lists (/rest/agile/1.0/.../issue, .../backlog): 1000, bounded by jira.search.views.default.max like search.
- other agile lists (/rest/agile/1.0/...: boards, sprints, epics): 50, Jira Software's cap.
- comments and worklogs (/rest/api/N/issue/KEY/comment, .../worklog): 5000, never a smaller page than Jira's own
  default (Data Center sends every comment of an issue unless asked for fewer, JRASERVER-74572; Cloud caps them itself).
- anything else: 100, twice Jira's usual default of 50; an endpoint that allows less caps it, and paging follows.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

SEARCH = 1000
JQL_SEARCH_IDS = 5000
JQL_SEARCH_FIELDS = 100
AGILE_ISSUES = 1000
AGILE = 50
COMMENTS_AND_WORKLOGS = 5000
FALLBACK = 100

# What Cloud's search/jql returns most of a page for: the issue's id, or its key too.
_IDS_ONLY = frozenset(("id", "key"))

# (family, the end of the path, size) in the order they are tried; the first that matches decides.
_FAMILIES = (
    ("search/jql", re.compile(r"/rest/api/[^/]+/search/jql/?$"), None),  # the size depends on fields: see below
    ("search", re.compile(r"/rest/api/[^/]+/search/?$"), SEARCH),
    ("agile issue list", re.compile(r"/rest/agile/[^/]+/.+/(issue|backlog)/?$"), AGILE_ISSUES),
    ("agile", re.compile(r"/rest/agile/"), AGILE),
    ("comments", re.compile(r"/rest/api/[^/]+/issue/[^/]+/comment/?$"), COMMENTS_AND_WORKLOGS),
    ("worklogs", re.compile(r"/rest/api/[^/]+/issue/[^/]+/worklog/?$"), COMMENTS_AND_WORKLOGS),
)


def default_page_size(path, fields=None):
    """(family, maxResults to ask for) of a paged read of ``path`` that gives no page size.

    ``fields`` is what the call asks for (a comma-separated string or a list; None when it asks for none): only
    Cloud's search/jql answers differently for ids alone.
    """
    bare = path.split("?", 1)[0]
    for family, pattern, size in _FAMILIES:
        if pattern.search(bare):
            if size is None:
                return (family + " (ids)", JQL_SEARCH_IDS) if ids_only(fields) else (family + " (fields)", JQL_SEARCH_FIELDS)
            return family, size
    return "other", FALLBACK


def ids_only(fields):
    """Whether ``fields`` asks for nothing beyond the issue's id and key (no fields at all: search/jql's default, id)."""
    if fields is None:
        return True
    names = fields.split(",") if isinstance(fields, str) else fields
    if not isinstance(names, (list, tuple)):
        return False
    wanted = set(str(name).strip() for name in names) - set([""])
    return wanted <= _IDS_ONLY

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the resource modules (jira_issue, jira_comment, jira_attachment) share: one checked call, and the REST
version that carries rich text as the Jira in use expects it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.jiraops.jira.plugins.module_utils.http import pager
from ansible_collections.jiraops.jira.plugins.module_utils.http.answers import could_be_jira, not_jira_error
from ansible_collections.jiraops.jira.plugins.module_utils.http.client import error_summary
from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import Deployment, not_at_this_path
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError, answer_field, answer_object

# What one lookup of a paged list (an issue's comments) may cost: far more than a real issue holds (Jira Cloud caps an
# issue at 5000 comments), yet bounded in requests, seconds and memory (the task's max_response_bytes for all pages).
LOOKUP_PAGE_SIZE = 100
LOOKUP_MAX_PAGES = 200
LOOKUP_SECONDS = 300
LOOKUP_HINT = ("The resource modules read at most %d items (%d pages of %d) within %d seconds and max_response_bytes in one "
               "lookup. Check what answers at url, or read the list with jira_request (paginate)."
               % (LOOKUP_PAGE_SIZE * LOOKUP_MAX_PAGES, LOOKUP_MAX_PAGES, LOOKUP_PAGE_SIZE, LOOKUP_SECONDS))
LOOKUP_STUCK = "Jira's REST API pages by startAt: check what answers at url."


def call(client, method, path, params=None, body=None, accept=(200,), headers=None):
    """The checked Response of one call: the login read first (a rejected login fails the task), an answer that is
    not Jira's refused, and a status outside ``accept`` turned into a ResponseError in Jira's own words."""
    response = client.request(method, path, params=params, body=body, headers=headers)
    client.check_login(response)
    if 200 <= response.status < 300 and not could_be_jira(response):
        raise not_jira_error(response, "The answer to %s %s" % (method, path))
    wrong_path = not_at_this_path(response)
    if wrong_path is not None:
        raise wrong_path
    if response.status not in accept:
        raise ResponseError("Jira answered %s %s with %s: %s" % (method, path, response.status, error_summary(response)),
                            status=response.status, url=response.url, changed=False)
    return response


class Api:
    """The REST base path for one task: v3 on Jira Cloud (rich text as ADF), v2 on Data Center (REST v2 only)."""

    def __init__(self, client, params):
        self.client = client
        self.deployment = Deployment(params.get("deployment"), lambda path: call(client, "GET", path))

    @property
    def is_cloud(self):
        return self.deployment.is_cloud

    def path(self, tail):
        return "/rest/api/%s/%s" % ("3" if self.is_cloud else "2", tail.lstrip("/"))

    def browse_url(self, key):
        return "%s/browse/%s" % (self.client.base_url, key)


def all_items(client, path, query, key):
    """Every item (a JSON object) of the paged list ``key`` at ``path``, through the one pager (pager.bounded_pages):
    a server that does not advance, or a list past the LOOKUP bounds, fails the task in words naming the endpoint."""
    where = "GET %s" % path

    def fetch_at(position):
        response = call(client, "GET", path, dict(query, maxResults=LOOKUP_PAGE_SIZE, **position))
        page = answer_object(response.json, where)
        items = answer_field(page, key, (list,), where)
        for item in items:
            answer_object(item, "%s (an item of %s)" % (where, key))
        return page, len(response.content)

    start = {"startAt": 0}
    first, size = fetch_at(start)
    progress = pager.Progress(first, start, LOOKUP_MAX_PAGES, where, hint=LOOKUP_HINT, max_bytes=client.max_response_bytes,
                               deadline=time.monotonic() + LOOKUP_SECONDS, stuck_hint=LOOKUP_STUCK, first_size=size)
    items = list(first[key])
    for page, dummy in pager.bounded_pages(first, start, fetch_at, progress):
        items.extend(page[key])
    return items

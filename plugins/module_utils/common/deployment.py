# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Jira a task talks to (Cloud or Data Center), and the search endpoint that exists there.

Jira Cloud removed GET|POST /rest/api/{2,3}/search (Atlassian change CHANGE-2046: 410 Gone) in favour of
/rest/api/3/search/jql; Data Center speaks REST v2 only and has no search/jql. So a search the collection
sends on its own must pick its endpoint by deployment.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.jiraops.jira.plugins.module_utils.common.context import is_server_info
from ansible_collections.jiraops.jira.plugins.module_utils.common.errors import ResponseError

CHOICES = ("auto", "server", "cloud")
SERVER_INFO = "/rest/api/2/serverInfo"
CLOUD_SEARCH = "/rest/api/3/search/jql"
SERVER_SEARCH = "/rest/api/2/search"
REMOVED_SEARCH = re.compile(r"/rest/api/(2|3|latest)/search/?$")
SEARCH_REPLACEMENT = ("Jira Cloud removed this search endpoint (Atlassian change CHANGE-2046). Use path %s instead "
                      "(paged with nextPageToken; give fields, or each issue comes as its id only), and "
                      "POST /rest/api/3/search/approximate-count for a total." % CLOUD_SEARCH)


class Deployment:
    """The deployment of one task's Jira: the ``deployment`` option, or serverInfo's deploymentType.

    With ``auto`` serverInfo is read at most once per run and url, and only when something asks (a search about to be
    sent), so a task that never searches costs no extra request: what the run knows is in the task context (its
    server_info, given by an earlier task of the run), and what this task reads is kept there.
    """

    def __init__(self, setting, send, task):
        """``send(path)`` GETs a path with the task's client and returns the checked response; ``task`` is the
        TaskContext (common/context.py)."""
        self.setting = setting or "auto"
        self._send = send
        self._task = task
        self._cloud = None if self.setting == "auto" else self.setting == "cloud"

    @property
    def is_cloud(self):
        if self._cloud is None:
            info = self._task.server_info
            if info is None:
                info = _checked_info(self._send(SERVER_INFO))
                self._task.learn_server_info(info)
            # Cloud says "Cloud"; Server and Data Center say "Server" (older docs: "Datacenter").
            self._cloud = info["deploymentType"].lower() == "cloud"
        return self._cloud

    @property
    def search_path(self):
        """The JQL search endpoint that exists on this Jira."""
        return CLOUD_SEARCH if self.is_cloud else SERVER_SEARCH


def _checked_info(response):
    """A serverInfo answer that names its deploymentType; an answer that does not fails the task."""
    info = response.json if response.status == 200 and response.is_json else None
    if not is_server_info(info):
        raise ResponseError("Could not tell whether Jira is Cloud or Data Center: GET %s answered %s without a "
                            "deploymentType. Set the option deployment to cloud or server."
                            % (SERVER_INFO, response.status), status=response.status, url=response.url)
    return info


def replacement_hint(status, path):
    """What to use instead, when Jira answered 410 Gone for an endpoint Atlassian removed; else None."""
    if status == 410 and REMOVED_SEARCH.search(path.split("?", 1)[0]):
        return SEARCH_REPLACEMENT
    return None

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The REST API of the Jira in use, for the resource modules: v3 on Jira Cloud, which carries rich text as ADF, and v2
on Data Center, which serves REST v2 only."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils.common.deployment import Deployment


class Api:
    """The REST base path for one task: v3 on Jira Cloud (rich text as ADF), v2 on Data Center (REST v2 only)."""

    def __init__(self, client, params, task):
        """``task``: the TaskContext, where the deployment finds and keeps what serverInfo said."""
        self.client = client
        self.deployment = Deployment(params.get("deployment"), lambda path: client.call("GET", path), task)

    @property
    def is_cloud(self):
        return self.deployment.is_cloud

    def path(self, tail):
        return "/rest/api/%s/%s" % ("3" if self.is_cloud else "2", tail.lstrip("/"))

    def browse_url(self, key):
        return "%s/browse/%s" % (self.client.base_url, key)

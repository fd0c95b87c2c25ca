# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the resource modules (jira_issue, jira_comment, jira_attachment) share: one checked call, and the REST
version that carries rich text as the Jira in use expects it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils.answers import could_be_jira, not_jira_error
from ansible_collections.jiraops.jira.plugins.module_utils.client import error_summary
from ansible_collections.jiraops.jira.plugins.module_utils.deployment import Deployment
from ansible_collections.jiraops.jira.plugins.module_utils.errors import ResponseError


def call(client, method, path, params=None, body=None, accept=(200,), headers=None):
    """The checked Response of one call: the login read first (a rejected login fails the task), an answer that is
    not Jira's refused, and a status outside ``accept`` turned into a ResponseError in Jira's own words."""
    response = client.request(method, path, params=params, body=body, headers=headers)
    client.check_login(response)
    if 200 <= response.status < 300 and not could_be_jira(response):
        raise not_jira_error(response, "The answer to %s %s" % (method, path))
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

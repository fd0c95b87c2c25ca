# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils import issue
from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import JiraAction


class ActionModule(JiraAction):
    """Runs jiraops.jira.jira_issue on the controller when it can (see plugin_utils/runner.py)."""

    module_kwargs = issue.MODULE_KWARGS
    logic = staticmethod(issue.run)

    @staticmethod
    def guard_of(params):
        """A create found by match_jql: one at a time per query, so the next host finds what the first created."""
        return params.get("match_jql")

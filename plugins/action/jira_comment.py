# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils import comment
from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import JiraAction


class ActionModule(JiraAction):
    """Runs jiraops.jira.jira_comment on the controller when it can (see plugin_utils/runner.py)."""

    module_kwargs = comment.MODULE_KWARGS
    logic = staticmethod(comment.run)

    @staticmethod
    def guard_of(params):
        """A comment found by its marker: one at a time per issue and marker."""
        return [params["issue"], params["marker"]] if params.get("marker") else None

# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.jiraops.jira.plugins.module_utils.request import logic as request_logic
from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import JiraAction


class ActionModule(JiraAction):
    """Runs jiraops.jira.jira_request on the controller when it can (see plugin_utils/runner.py)."""

    module_kwargs = request_logic.MODULE_KWARGS
    logic = staticmethod(request_logic.run)

    @staticmethod
    def guard_of(params):
        """A write made only when guard_jql or guard_path finds nothing: one at a time per method, path and guard."""
        guard = params.get("guard_jql") or params.get("guard_path")
        return [params["method"], params["path"], guard] if guard and params["method"] not in ("GET", "HEAD") else None

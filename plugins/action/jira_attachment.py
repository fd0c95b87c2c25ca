# -*- coding: utf-8 -*-
# Copyright (c) jiraops.jira contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.jiraops.jira.plugins.module_utils import attachment
from ansible_collections.jiraops.jira.plugins.plugin_utils.runner import JiraAction


class ActionModule(JiraAction):
    """Runs jiraops.jira.jira_attachment on the controller when it can (see plugin_utils/runner.py)."""

    module_kwargs = attachment.MODULE_KWARGS
    logic = staticmethod(attachment.run)

    @staticmethod
    def guard_of(params):
        """An attachment found by its name on the issue: one at a time per issue and file name."""
        return [params["issue"], params.get("filename") or os.path.basename(params.get("src") or "")]
